"""Whose publications these are: the title in every page's header and `<title>`, the feed,
the PDF list and the admin.

settings.SITE_TITLE when it is set; otherwise made from the site owners (authors with the
site-owner flag): "Stella Biderman: publications", "A and B: publications", and
"Publications" for none or a lab of three or more (name it with SITE_TITLE). The owners
are read once per data version (the key the page cache already read), so a page served
from the cache costs nothing more and a rendered one at most a query.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.text import get_text_list
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

# When neither the setting nor the owners say more.
DEFAULT_TITLE = _("Publications")
# More owners than this make a lab: the title would be a list of names.
MOST_OWNERS_NAMED = 2


def site_title(request=None) -> str:
    """The site's title; `request`, when given, is the page's request (with the data
    version the page cache read, when it did)."""
    if settings.SITE_TITLE:
        return settings.SITE_TITLE
    version = getattr(request, "data_version", None)
    if version is None:
        if request is None:
            return _title_from_owners()
        # A page outside the page cache (the admin): read once however often it is shown.
        if not hasattr(request, "site_title"):
            request.site_title = _title_from_owners()
        return request.site_title
    # The title is in the page's language ("Publikationen"), so it is kept per language.
    key = f"site-title:{version}:{get_language()}"
    title = cache.get(key)
    if title is None:
        title = _title_from_owners()
        cache.set(key, title, 60 * 60)
    return title


def _title_from_owners() -> str:
    from bibliography.models import Author

    names = [
        author.name
        for author in Author.objects.filter(is_site_owner=True).order_by("family_name", "pk")[
            : MOST_OWNERS_NAMED + 1
        ]
    ]
    if not names or len(names) > MOST_OWNERS_NAMED:
        return str(DEFAULT_TITLE)
    return gettext("%(names)s: publications") % {"names": get_text_list(names, gettext("and"))}
