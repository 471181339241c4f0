"""Template context shared by every page."""

from django.conf import settings


def site(request):
    """The site's title, for the header and the page titles, whether lists show preview
    images, and whether the page is rendered for the static build."""
    return {
        "SITE_TITLE": settings.SITE_TITLE,
        "SITE_THUMBNAILS": settings.SITE_THUMBNAILS,
        "STATIC_BUILD": settings.STATIC_BUILD,
    }
