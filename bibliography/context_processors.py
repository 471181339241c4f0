"""Template context shared by every page."""

from django.conf import settings

from bibliography.site_title import site_title


def site(request):
    """The site's title (site_title.py), for the header and the page titles, and whether
    lists show preview images."""
    return {"SITE_TITLE": site_title(request), "SITE_THUMBNAILS": settings.SITE_THUMBNAILS}
