"""The Atom feed of the newest published papers, narrowed by the list's own parameters:
`/feed/?author=SLUG` is that author's newest papers (the author, venue and topic pages
link theirs)."""

import re

from django import forms
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join
from django.utils.translation import gettext

from bibliography.filters import filter_papers
from bibliography.site_title import site_title

FEED_LENGTH = 30
# XML 1.0 has no place for the control characters other than tab, newline and carriage
# return, and a query string may carry any: they are left out of the feed's title.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class NewestPapersFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        """The list's parameters applied (every one lenient, as on the list): (papers,
        filterset, the query string that selects them)."""
        papers, filterset = filter_papers(request.GET)
        params = request.GET.copy()
        for name in ("page", "sort"):
            params.pop(name, None)
        return papers, filterset, params.urlencode()

    def title(self, scope):
        narrowed = scope_description(scope[1])
        if narrowed:
            return gettext("%(site)s: newest papers (%(scope)s)") % {
                "site": site_title(),
                "scope": narrowed,
            }
        return gettext("%(site)s: newest papers") % {"site": site_title()}

    def subtitle(self, scope):
        return gettext("The newest papers on the publication list.")

    def link(self, scope):
        query = scope[2]
        return reverse("bibliography:paper-list") + (f"?{query}" if query else "")

    def items(self, scope):
        # Newest by publication date; among papers of the same date, the latest added first.
        return (
            scope[0]
            .for_list()
            .order_by(
                F("year").desc(nulls_last=True),
                F("month").desc(nulls_last=True),
                "-created_at",
            )[:FEED_LENGTH]
        )

    def item_title(self, paper):
        return str(paper)

    def item_description(self, paper):
        """The byline, venue and year, then the abstract's paragraphs, as the HTML that Atom's
        `<summary type="html">` holds: every piece is escaped, so editor text such as
        "<svg onload=...>" or "p < 0.05" reaches a feed reader as the text it is."""
        byline = ", ".join(author.name for author in paper.listed_authors)
        if paper.byline_is_partial:
            et_al = gettext("et al.")
            byline = f"{byline}, {et_al}" if byline else et_al
        venue = paper.venue.label if paper.venue else ""
        head = " · ".join(p for p in (byline, venue, str(paper.year or "")) if p)
        paragraphs = [p for p in (head, *paper.abstract_paragraphs) if p]
        return format_html_join("", "<p>{}</p>", ((p,) for p in paragraphs))

    def item_author_name(self, paper):
        names = [author.name for author in paper.listed_authors]
        if not names:
            return None
        return ", ".join(names[:3]) + (" " + gettext("et al.") if len(names) > 3 else "")

    def item_pubdate(self, paper):
        return paper.created_at

    def item_updateddate(self, paper):
        return paper.updated_at

    def item_categories(self, paper):
        return [paper.venue.label] if paper.venue else []


def scope_description(filterset) -> str:
    """What the parameters narrow the feed to, in words: "Author: Stella Biderman; Year:
    2022" (empty for the whole list)."""
    parts = []
    if filterset.search_query:
        parts.append(f"{gettext('Search')}: {_NOT_IN_XML.sub('', filterset.search_query)}")
    for name in filterset.FACETS:
        values = filterset.active_values(name)
        field = filterset.form.fields[name]
        # Venue kinds and entry types are keys: say them as their menus do.
        names = dict(field.choices) if isinstance(field, forms.MultipleChoiceField) else {}
        if values:
            labels = ", ".join(str(names.get(v, getattr(v, "label", v))) for v in values)
            parts.append(f"{filterset.filters[name].label}: {labels}")
    return "; ".join(parts)
