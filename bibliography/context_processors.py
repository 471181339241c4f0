"""Template context shared by every page."""

from django.conf import settings

from bibliography.site_title import site_title


def site(request):
    """The site's title (site_title.py), for the header and the page titles, whether lists
    show preview images, and whether the page is rendered for the static build."""
    return {
        "SITE_TITLE": site_title(request),
        "SITE_THUMBNAILS": settings.SITE_THUMBNAILS,
        "STATIC_BUILD": settings.STATIC_BUILD,
    }
