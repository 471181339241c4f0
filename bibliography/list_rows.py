"""Each list item's HTML (templates/includes/_paper_item.html), rendered once per data
version and stored, so that a page of papers joins stored fragments instead of rendering
an include per paper.

Rendering the 25 items of a list page (byline, badges, links, the Cite panel, the abstract)
was about four fifths of a cache-missed page's time, whatever the number of papers; the
same paper is listed on many pages (every sort, every filter and search that finds it).
A stored item is used only under the data version it was rendered under (caching.py), so
any write to the bibliography, whatever its path, retires every stored item at once; and
under the digest of the code that renders it (`_code_digest`), so a new release does too.

What differs between the places a paper is listed is left as slots in the stored HTML and
filled when the item is shown: its heading level (h3, or h4 under a year), its id prefix
(the selected papers' own) and every text that a search marks (`{% highlight %}`), marked
for the page's search then. The stored item also keeps the contribution roles its byline
shows, for the page's legend. One row per paper and language in `list_row_cache`
(migration 0015; outside the `bibliography_` prefix, so storing is no data change).
"""

import hashlib
import inspect
import json
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import DatabaseError, connections, router, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

from bibliography import search, typography
from bibliography.citations import cv
from bibliography.citations.quick_cite import attach_quick_cite, with_quick_cite
from bibliography.models import ContributionRole, Paper

ROW_TABLE = "list_row_cache"
ROW_TEMPLATE = "includes/_paper_item.html"
# What the item's template includes: their sources are part of the stored items' key.
ROW_TEMPLATES = (
    ROW_TEMPLATE,
    "includes/_byline.html",
    "includes/_byline_author.html",
    "includes/_paper_topics.html",
    "includes/_paper_links.html",
    "includes/_paper_quick_cite.html",
)
# How many authors a list item's byline shows before "and N more".
BYLINE_LIMIT = 12
DEFAULT_ID_PREFIX = "paper"

# A slot is OPEN + its name + CLOSE: characters of Unicode's private use area, which no
# escaping touches. An item whose own text holds one is not stored (`_render`).
OPEN, CLOSE = "\ue000", "\ue001"
HEADING, ID_PREFIX = "heading", "id"

_READ_SQL = (
    f"SELECT r.content FROM {ROW_TABLE} r WHERE r.paper_id = bibliography_paper.id"
    " AND r.variant = %s AND r.version = %s"
)
_UPSERT_SQL = (
    f"INSERT INTO {ROW_TABLE} (paper_id, variant, version, content) VALUES (%s, %s, %s, %s)"
    " ON CONFLICT (paper_id, variant) DO UPDATE SET version = excluded.version,"
    " content = excluded.content"
)


class Slots:
    """Stands for the page's `search_words` while an item is rendered to be stored: each
    highlighted text is recorded and leaves a slot in its place."""

    def __init__(self):
        self.texts: list[tuple[str, bool]] = []

    def highlight(self, text) -> str:
        self.texts.append(("" if text is None else str(text), isinstance(text, SafeData)))
        return mark_safe(f"{OPEN}{len(self.texts) - 1}{CLOSE}")  # noqa: S308 (no markup)


@dataclass(frozen=True)
class Role:
    """A contribution role as the page's legend shows it (the template reads these)."""

    pk: int
    order: int
    name: str
    symbol: str
    slug: str = ""

    @property
    def label(self) -> str:
        return ContributionRole.label_for(self.slug, self.name)


@dataclass(frozen=True)
class StoredRow:
    """A list item's HTML with its slots, the texts its search slots stand for (each with
    whether it was safe already) and the roles its byline shows."""

    html: str
    texts: list
    roles: list[Role]

    @classmethod
    def load(cls, content: str) -> "StoredRow":
        data = json.loads(content)
        return cls(data["html"], data["texts"], [Role(*role) for role in data["roles"]])

    def dump(self) -> str:
        roles = [[r.pk, r.order, r.name, r.symbol, r.slug] for r in self.roles]
        return json.dumps({"html": self.html, "texts": self.texts, "roles": roles})

    def render(self, heading: str, id_prefix: str | None, words) -> str:
        """The item as a page shows it: under `heading`, with `id_prefix` (the default
        when empty) and the search's `words` marked."""
        values = {HEADING: heading, ID_PREFIX: id_prefix or DEFAULT_ID_PREFIX}
        first, *rest = self.html.split(OPEN)
        pieces = [first]
        for piece in rest:
            name, after = piece.split(CLOSE, 1)
            if name in values:
                pieces.append(values[name])
            else:
                text, safe = self.texts[int(name)]
                pieces.append(search.highlighted(mark_safe(text) if safe else text, words))
            pieces.append(after)
        return mark_safe("".join(pieces))  # noqa: S308 (stored escaped; texts escaped above)


def with_stored_rows(papers: QuerySet, version: str | None) -> QuerySet:
    """`papers` reading their list items stored under the data `version` (the one the page
    is rendered under, caching.py) in the same query, NULL where missing: what
    `attach_rows` then completes. With no version, none is read or stored."""
    return papers.annotate(stored_row=RawSQL(_READ_SQL, [_variant(), version or ""]))


def attach_rows(papers: list[Paper], version: str | None) -> None:
    """Give each of `papers` (read through `with_stored_rows(..., version)`) its item as
    `paper.list_row` (a StoredRow). The missing ones are rendered (what they show fetched
    in a fixed number of queries, however many miss) and stored, in one batch."""
    missing = [paper.pk for paper in papers if paper.stored_row is None]
    rendered = _render_and_store(missing, version) if missing else {}
    for paper in papers:
        stored = paper.stored_row
        paper.list_row = StoredRow.load(stored) if stored else rendered[paper.pk]


def page_roles(papers) -> list[Role]:
    """The roles the items of `papers` (given theirs by `attach_rows`) mark, each once, in legend
    order."""
    roles = {role.pk: role for paper in papers for role in paper.list_row.roles}
    return sorted(roles.values(), key=lambda role: (role.order, role.name))


def _render_and_store(pks, version: str | None) -> dict:
    papers = list(with_quick_cite(Paper.objects.for_list()).filter(pk__in=pks))
    attach_quick_cite(papers)
    rendered, rows = {}, []
    for paper in papers:
        row, storable = _render(paper)
        rendered[paper.pk] = row
        if storable and version:
            rows.append((paper.pk, _variant(), version, row.dump()))
    if rows:
        database = router.db_for_write(Paper)
        try:
            # A savepoint: a failed write (a read-only database, a lock) must not spoil
            # the page, which is shown without storing.
            with transaction.atomic(using=database), connections[database].cursor() as cursor:
                cursor.executemany(_UPSERT_SQL, rows)
        except DatabaseError:
            if not connections[database].is_usable():
                raise
    return rendered


def _render(paper) -> tuple["StoredRow | LiveRow", bool]:
    """`paper`'s item with its slots, and whether it may be stored: not when its own text
    holds a slot character (then it is rendered for each page, as a LiveRow)."""
    slots = Slots()
    html = _template_render(paper, f"{OPEN}{HEADING}{CLOSE}", f"{OPEN}{ID_PREFIX}{CLOSE}", slots)
    roles = {
        role.pk: Role(role.pk, role.order, role.name, role.symbol, role.slug)
        for authorship in paper.ordered_authorships
        for role in authorship.role_list
    }
    # Each slot left one OPEN and one CLOSE: any more came from the paper's own text.
    slot_count = len(slots.texts) + html.count(f"{OPEN}{HEADING}{CLOSE}")
    slot_count += html.count(f"{OPEN}{ID_PREFIX}{CLOSE}")
    if not html.count(OPEN) == html.count(CLOSE) == slot_count:
        return LiveRow(paper, list(roles.values())), False
    return StoredRow(html, slots.texts, list(roles.values())), True


@dataclass(frozen=True)
class LiveRow:
    """An item that is not stored, rendered each time it is shown (StoredRow's interface)."""

    paper: Paper
    roles: list[Role]

    def render(self, heading: str, id_prefix: str | None, words) -> str:
        return mark_safe(_template_render(self.paper, heading, id_prefix, words))  # noqa: S308


def _template_render(paper, heading, id_prefix, search_words) -> str:
    context = {
        "paper": paper,
        "heading": heading,
        "byline_limit": BYLINE_LIMIT,
        "search_words": search_words,
        "SITE_THUMBNAILS": settings.SITE_THUMBNAILS,
    }
    if id_prefix:
        context["id_prefix"] = id_prefix
    return get_template(ROW_TEMPLATE).render(context)


def _variant() -> str:
    """What a stored item depends on besides the paper and the data version: the page's
    language, the site's URL prefix, whether lists show preview images, where uploads are
    served, and the code that renders it."""
    parts = [
        get_language() or "",
        get_script_prefix(),
        str(settings.SITE_THUMBNAILS),
        settings.MEDIA_URL or "",
        str(BYLINE_LIMIT),
        _code_digest(),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _code_digest() -> str:
    # Templates reload without a restart while DEBUG is on (the development server).
    if settings.DEBUG:
        return _digest.__wrapped__()
    return _digest()


@cache
def _digest() -> str:
    from bibliography.templatetags import bibliography_tags

    sources = [get_template(name).template.source for name in ROW_TEMPLATES]
    sources += [inspect.getsource(module) for module in (bibliography_tags, typography, cv)]
    return hashlib.sha256("\n".join(sources).encode()).hexdigest()
