"""Template helpers for showing papers."""

import functools
import re
from dataclasses import dataclass, field

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from bibliography import typography
from bibliography.citations import cv
from bibliography.citations.latex import one_line
from bibliography.models import Paper

register = template.Library()


@register.filter
def dashes(text):
    """Typed `--` and `---` as the dashes they stand for (`typography.dashes`)."""
    return typography.dashes(str(text or ""))


@dataclass
class Byline:
    """A paper's byline as pages show it: the authors in order, "et al." when the list
    goes on, and the co-authors whose place is unknown as "(incl. X, Y)".

    With a limit, a long byline shows its first authors, then any site owner further
    down (after an ellipsis), then how many are left out; `rest` holds every author after
    the first ones, in order, for the printed page (which shows the whole byline).
    """

    listed: list
    included: list
    partial: bool
    owners_further: list = field(default_factory=list)
    not_shown: int = 0
    # Everyone after the first `limit`, in order: what the byline shows when opened.
    rest: list = field(default_factory=list)


@register.simple_tag
def byline(paper, limit=None) -> Byline:
    """Split `paper`'s authorships (from the for_list() prefetch: no query) for display."""
    authorships = paper.ordered_authorships
    listed = [a for a in authorships if a.order_known]
    result = Byline(
        listed=listed,
        included=[a for a in authorships if not a.order_known],
        partial=paper.byline_is_partial,
    )
    if limit and len(listed) > limit + 1:
        result.listed = listed[:limit]
        result.rest = listed[limit:]
        result.owners_further = [a for a in listed[limit:] if a.author.is_site_owner]
        result.not_shown = len(listed) - limit - len(result.owners_further)
        result.rest = listed[limit:]
    return result


@register.simple_tag
def cv_entry(paper):
    """What a CV says of `paper` (citations/cv.py): the printed list shows it."""
    return cv.cv_entry(paper)


@register.simple_tag
def role_legend(papers) -> list:
    """The contribution roles marked in the bylines of `papers` (or of one paper), in legend
    order, each once: what the page's legend explains. Reads the for_list() prefetch: no
    query."""
    if isinstance(papers, Paper):
        papers = [papers]
    roles = {
        role.pk: role
        for paper in papers
        for authorship in paper.ordered_authorships
        for role in authorship.role_list
    }
    return sorted(roles.values(), key=lambda role: (role.order, role.name))


@register.simple_tag
def facet_values(facet, values):
    """The `<li>` checkbox of each of `values` (FacetValues of `facet`), in one pass; a
    venue series' members are listed under it.

    A list page shows up to ~600 facet values; rendered through an include each, they
    cost about 0.1 s a page, a fifth of a cache miss, whatever the number of papers.
    In one `format_html_join`, which escapes every value, they cost about 20 ms.
    """
    return format_html_join(
        "",
        '<li><input type="checkbox" id="f-{0}-{1}" name="{0}" value="{1}"{2}>'
        '<label for="f-{0}-{1}"><span class="facet-label{3}">{4}</span> '
        '<span class="count">{5}<span class="visually-hidden"> {6}</span></span>'
        "</label>{7}</li>\n",
        (
            (
                facet.name,
                value.value,
                " checked" if value.selected else "",
                " owner" if value.is_owner else "",
                value.label,
                intcomma(value.count),
                ngettext("paper", "papers", value.count),
                format_html('<ul class="facet-members">{}</ul>', facet_values(facet, value.members))
                if value.members
                else "",
            )
            for value in values
        ),
    )


@functools.lru_cache(maxsize=64)
def _highlighter(words: tuple[str, ...]) -> re.Pattern:
    """A pattern for the words of a page's search at the start of a word, as the search
    matches them (a prefix: "multiling" marks "Multilingual"; a plural also marks its
    singular, which PostgreSQL's stemming finds)."""
    stems = {word[:-1] if len(word) > 3 and word.endswith("s") else word for word in words}
    alternatives = "|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)


@register.simple_tag(takes_context=True)
def highlight(context, text):
    """`text`, escaped, with the words of the page's search (`search_words`, set by the list
    pages) in `<mark>`: why a paper is in the results. Elsewhere, the escaped text."""
    text = "" if text is None else str(text)
    words = context.get("search_words")
    if not words:
        return conditional_escape(text)
    pattern = _highlighter(tuple(words))
    pieces, start = [], 0
    for match in pattern.finditer(text):
        pieces.append(conditional_escape(text[start : match.start()]))
        pieces.append(format_html("<mark>{}</mark>", match.group()))
        start = match.end()
    pieces.append(conditional_escape(text[start:]))
    return mark_safe("".join(pieces))  # noqa: S308 (every piece is escaped above)


# Longer descriptions are cut by every preview (Google, Open Graph, Twitter cards).
DESCRIPTION_CHARS = 200


def _page_url(request) -> str:
    """The page's absolute URL with the parameters it read (a cached page's GET holds no
    others: caching.known_parameters), never whatever else the first visitor appended."""
    query = request.GET.urlencode()
    return request.build_absolute_uri(request.path + (f"?{query}" if query else ""))


@register.simple_tag(takes_context=True)
def social_meta(context, title, description="", count=None, about="", kind="website"):
    """The page's `<meta name="description">`, Open Graph and Twitter card tags: what a
    shared link's preview shows. Without a `description`, one is made from `count` papers
    and what they are `about` ("by Ada Lovelace"). Every value is escaped."""
    site = context.get("SITE_TITLE", "")
    if not description and count is not None:
        values = {"number": intcomma(count), "about": about, "site": site}
        if about:
            description = ngettext(
                "%(number)s paper %(about)s, with abstracts and citations (%(site)s).",
                "%(number)s papers %(about)s, with abstracts and citations (%(site)s).",
                count,
            )
        else:
            description = ngettext(
                "%(number)s paper, with abstracts and citations (%(site)s).",
                "%(number)s papers, with abstracts and citations (%(site)s).",
                count,
            )
        description %= values
    if not description:
        description = gettext("%(title)s on %(site)s.") % {"title": title, "site": site}
    description = Truncator(one_line(description)).chars(DESCRIPTION_CHARS)
    request = context.get("request")
    tags = [
        ("name", "description", description),
        ("property", "og:type", kind),
        ("property", "og:site_name", site),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", _page_url(request) if request else ""),
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    return format_html_join("\n", '<meta {}="{}" content="{}">', (tag for tag in tags if tag[2]))
