"""Template context shared by every page."""

from django.conf import settings


def site(request):
    """The site's title, for the header and the page titles, and whether lists show
    preview images."""
    return {"SITE_TITLE": settings.SITE_TITLE, "SITE_THUMBNAILS": settings.SITE_THUMBNAILS}
