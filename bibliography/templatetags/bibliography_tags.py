"""Template helpers for showing papers."""

import html
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from bibliography import list_rows, search, typography
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


@register.simple_tag(takes_context=True)
def list_item(context, paper, heading, id_prefix=None):
    """`paper`'s item in a list (`includes/_paper_item.html`), from the one stored for it
    (`paper.list_row`, list_rows.py): under `heading`, with `id_prefix` for its ids, and
    the page's search words marked."""
    return paper.list_row.render(heading, id_prefix, context.get("search_words"))


@register.simple_tag
def role_legend(papers) -> list:
    """The contribution roles marked in the bylines of `papers` (or of one paper), in legend
    order, each once: what the page's legend explains. Reads the for_list() prefetch, or
    the stored list items' roles: no query."""
    if isinstance(papers, Paper):
        papers = [papers]
    if papers and all(hasattr(paper, "list_row") for paper in papers):
        return list_rows.page_roles(papers)
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
    cost about 0.1 s a page, a fifth of a cache miss, whatever the number of papers. In
    one `format_html_join` they cost about 20 ms, most of it `conditional_escape`'s
    checks for lazy strings; joined here, every value escaped alike, about 3 ms.
    """
    name = _escaped(facet.name)
    pieces = []
    for value in values:
        key, count = _escaped(value.value), value.count
        members = ""
        if value.members:
            members = f'<ul class="facet-members">{facet_values(facet, value.members)}</ul>'
        pieces.append(
            f'<li><input type="checkbox" id="f-{name}-{key}" name="{name}" value="{key}"'
            f'{" checked" if value.selected else ""}><label for="f-{name}-{key}">'
            f'<span class="facet-label{" owner" if value.is_owner else ""}">'
            f'{_escaped(value.label)}</span> <span class="count">{_escaped(_number(count))}'
            f'<span class="visually-hidden"> {_escaped(ngettext("paper", "papers", count))}'
            "</span></span>"
            f"</label>{members}</li>\n"
        )
    return mark_safe("".join(pieces))  # noqa: S308 (every value is escaped above)


def _number(count: int) -> str:
    """A count as the reader's language groups its digits ("1,234", "1.234")."""
    return str(count) if count < 1000 else intcomma(count)


def _escaped(value) -> str:
    """What `conditional_escape` makes of `value`, without its wrapper for lazy strings."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.simple_tag(takes_context=True)
def year_chart_bars(context, chart):
    """The bars of the papers-per-year chart (`includes/_year_chart.html`), each a link to
    its year (the page's parameters kept, the year range and page dropped, as
    `{% querystring %}` makes them).

    Through the template, the ~30 bars' 400 numbers (each localized) and 30 copies of the
    query were a sixth of a cold list page. The coordinates are SVG numbers, never
    localized (a decimal comma is no SVG); counts are grouped as the reader's language
    does, and the links' labels translated.
    """
    before, after, seen_year = [], [], False
    query = context.request.GET
    for key, values in query.lists():
        if key == "year":
            seen_year = True
        elif key not in ("year_from", "year_to", "page"):
            pieces = after if seen_year else before
            pieces += [_query_pair(key, value, query.encoding) for value in values]
    width = chart.bar_width
    out = []
    for bar in chart.bars:
        year, number = bar.year, _number(bar.count)
        label = '<text class="bar-label" x="{}" y="114" text-anchor="middle"{}>{}</text>'
        if bar.count:
            href = html.escape("?" + "&".join([*before, f"year={bar.year}", *after]))
            body = (
                f'\n    <a href="{href}" aria-label="{_escaped(_bar_label(bar, number))}"'
                ' class="bar-link">\n'
                f'      <rect class="bar-hit" x="{bar.x}" y="-14" width="{width}" height="114"/>\n'
                f'      <rect class="bar" x="{bar.x}" y="{bar.y}" width="{width}"'
                f' height="{bar.height}"/>\n'
                f"      {label.format(bar.label_x, '', year) if bar.show_label else ''}\n    </a>\n"
                f'    <text class="bar-count" x="{bar.label_x}" y="{bar.count_y}"'
                f' text-anchor="middle" aria-hidden="true">{_escaped(number)}</text>\n    '
            )
        else:
            hidden = ' aria-hidden="true"'
            body = label.format(bar.label_x, hidden, year) if bar.show_label else ""
        out.append(f"\n    {body}\n    ")
    return mark_safe("".join(out))  # noqa: S308 (numbers, and the query escaped)


def _bar_label(bar, number: str) -> str:
    return ngettext("%(year)s: %(number)s paper", "%(year)s: %(number)s papers", bar.count) % {
        "year": bar.year,
        "number": number,
    }


def _query_pair(key: str, value: str, encoding: str) -> str:
    """One `key=value` of a query string, encoded as `QueryDict.urlencode` does."""
    return urlencode({key.encode(encoding): str(value).encode(encoding)})


@register.simple_tag(takes_context=True)
def highlight(context, text):
    """`text`, escaped, with the words of the page's search (`search_words`, set by the list
    pages) in `<mark>` (`search.highlighted`): why a paper is in the results. Elsewhere,
    the escaped text. A list item rendered to be stored (list_rows.py) records the text in
    its place instead, to be marked for each page's search when the item is shown."""
    words = context.get("search_words")
    if isinstance(words, list_rows.Slots):
        return words.highlight(text)
    return search.highlighted(text, words)


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
