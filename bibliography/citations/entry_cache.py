"""Each paper's citation texts, written once per revision and stored.

Writing one BibTeX entry costs about 0.3 ms of Python (names, capital protection,
escaping; 1 ms before the fast path of `_attach_related` and `bibtex.write_entry`), and a
formatted citation a few ms more (citeproc-js, after seconds to build each style in a
process), so a list of 10,000 papers takes seconds to export and a paper page's first
view 100-350 ms. Each text is therefore kept, once written, in the `citation_cache` table
(migration 0003), one row per paper and style, with the paper's `entry_revision`: a
counter that database triggers raise whenever the paper, its byline, one of its authors,
its venue or its awards change (migrations 0003 and 0005), whatever the write path. A
text is used only while the revisions agree.

`store_after_commit` writes them as a paper is saved in the admin or imported, once the
transaction commits, so that no visitor waits for them; a paper written another way
(`loaddata`, `psql`) has its texts written by their first reader.

Three readers:
- `iter_list` gives a list export's file: it reads the papers' keys and current stored
  texts in one streamed query, writes only the missing or outdated ones (and stores
  them), and otherwise only concatenates.
- `stored_texts` gives one paper's texts in several styles (the paper page's citations).
- `with_current_texts` and `attach_texts` give a page of papers their texts in a few
  styles (the list's Cite controls, `quick_cite.py`), read with the papers themselves.

A stored text can never be newer than its revision says, so it is never stale: the
revision is read with the paper's row, before its authors and venue are read for writing.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from bibliography.citations import csl, ris
from bibliography.citations.bibtex import paper_entry, safe_key, unique_key, write_entry
from bibliography.models import Author, Authorship, ContributionRole, Paper

# Papers per round trip (their stored texts; or, to write them, with their authors). With
# 500, the 20 commits of a 10,000-paper first export (an fsync each on SQLite) and the
# per-chunk queries cost ~15 % of its CPU; a chunk of 2,000 holds ~15 MB while written.
CHUNK_SIZE = 2000
# ...except the first of a list export: with nothing stored, writing 500 entries before
# the first byte took 1-2 s at 100,000 papers; the download starts after this many.
FIRST_CHUNK_SIZE = 50
_REVISION = RawSQL("bibliography_paper.entry_revision", [])
_CURRENT = (
    "SELECT c.text FROM citation_cache c WHERE c.paper_id = bibliography_paper.id"
    " AND c.style = %s AND c.revision = bibliography_paper.entry_revision"
)
_UPSERT_SQL = (
    "INSERT INTO citation_cache (paper_id, style, revision, text) VALUES (%s, %s, %s, %s) "
    "ON CONFLICT (paper_id, style) DO UPDATE SET revision = excluded.revision, "
    "text = excluded.text WHERE excluded.revision >= citation_cache.revision"
)


@dataclass(frozen=True)
class StoredStyle:
    """One kind of stored text: its `citation_cache.style` name and how a paper's text is
    written (from a paper fetched with its venue, byline and awards)."""

    name: str
    write: Callable[[Paper], str]
    # BibTeX has no field for awards: not fetching them saves a query and 10k instances.
    reads_awards: bool = True


@dataclass(frozen=True)
class ListFile:
    """How a list export joins the stored texts of one style into a file."""

    style: StoredStyle
    head: str
    separator: str
    tail: str
    # The whole file when no paper matches.
    empty: str = ""
    # Gives a stored text the key it gets in this file (unique within the file, as the
    # format needs), from the text, its paper's own key and the keys used so far.
    rekey: Callable[[str, str, set[str]], str] | None = None


def _csl_item(paper: Paper) -> str:
    return csl.item_text(csl.paper_to_csl(paper))


def _rekey_bibtex(text: str, key: str, used_keys: set[str]) -> str:
    unique = unique_key(key, used_keys)
    if unique == key:
        return text
    head, _, rest = text.partition("\n")
    return head.replace(f"{{{key},", f"{{{unique},", 1) + "\n" + rest


def _rekey_csl(text: str, key: str, used_ids: set[str]) -> str:
    unique = unique_key(key, used_ids)
    if unique == key:
        return text
    # "id" is the item's first member (csl.paper_to_csl), so it opens the stored text.
    head = '{\n  "id": ' + json.dumps(key, ensure_ascii=False)
    return '{\n  "id": ' + json.dumps(unique, ensure_ascii=False) + text.removeprefix(head)


BIBTEX = StoredStyle("bibtex", lambda paper: write_entry(paper_entry(paper)), reads_awards=False)
BIBTEX_ASCII = StoredStyle(
    "bibtex-ascii", lambda paper: write_entry(paper_entry(paper, ascii=True)), reads_awards=False
)
# The entry pages show to copy: without the abstract, which the downloads keep.
BIBTEX_SHOWN = StoredStyle(
    "bibtex-shown",
    lambda paper: write_entry(paper_entry(paper, abstract=False)),
    reads_awards=False,
)
RIS = StoredStyle("ris", ris.paper_to_ris)
CSL_JSON = StoredStyle("csl-json", _csl_item)

# The list files, each byte for byte what bibtex.iter_bibtex, ris.iter_ris and
# csl.iter_csl_json write for the same papers.
BIBTEX_FILE = ListFile(BIBTEX, head="", separator="\n", tail="", rekey=_rekey_bibtex)
BIBTEX_ASCII_FILE = ListFile(BIBTEX_ASCII, head="", separator="\n", tail="", rekey=_rekey_bibtex)
RIS_FILE = ListFile(RIS, head="", separator=ris.EOL, tail="")
CSL_JSON_FILE = ListFile(
    CSL_JSON, head="[\n", separator=",\n", tail="\n]\n", empty="[\n]\n", rekey=_rekey_csl
)


def current_text(style: StoredStyle) -> RawSQL:
    """A paper's stored text in `style` if it is current, else NULL (an annotation)."""
    return RawSQL(_CURRENT, [style.name])


def _annotation_name(style: StoredStyle) -> str:
    return "stored_" + style.name.replace("-", "_")


def with_current_texts(papers: QuerySet, styles: Iterable[StoredStyle]) -> QuerySet:
    """`papers` with each one's current stored text in each of `styles` read in the same
    query (NULL where missing): what `attach_texts` then completes."""
    return papers.annotate(**{_annotation_name(style): current_text(style) for style in styles})


def attach_texts(papers: list[Paper], styles: Iterable[StoredStyle]) -> None:
    """Give each of `papers` (read through `with_current_texts(..., styles)`) its texts in
    `styles` as `paper.stored_texts`, by style name. The missing ones are written and
    stored for all the papers at once: a fixed number of queries, however many miss."""
    styles = list(styles)
    missing = [
        paper.pk
        for paper in papers
        if any(getattr(paper, _annotation_name(style)) is None for style in styles)
    ]
    written = write_and_store(missing, styles) if missing else {}
    for paper in papers:
        paper.stored_texts = {
            style.name: getattr(paper, _annotation_name(style))
            or written.get((paper.pk, style.name), "")
            for style in styles
        }


def has_missing(papers: QuerySet, style: StoredStyle) -> bool:
    """True when some of `papers` have no current stored text in `style` (an export of
    them has writing to do)."""
    missing = RawSQL(f"NOT EXISTS ({_CURRENT})", [style.name], output_field=BooleanField())
    return papers.filter(missing).exists()


def iter_list(papers: QuerySet, file: ListFile) -> Iterator[str]:
    """Yield the file of `papers` (any filtered, ordered queryset) entry by entry.

    The first piece is yielded only after the first database round trip, so a caller that
    takes it before sending anything learns of a database failure in time.
    """
    rows = (
        papers.annotate(stored_text=current_text(file.style))
        .values_list("pk", "citation_key", "stored_text")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    used_keys: set[str] = set()
    first = True
    while chunk := list(islice(rows, FIRST_CHUNK_SIZE if first else CHUNK_SIZE)):
        missing = [pk for pk, _, text in chunk if text is None]
        written = write_and_store(missing, [file.style]) if missing else {}
        for pk, citation_key, text in chunk:
            if text is None:
                text = written.get((pk, file.style.name))
                if text is None:  # deleted since the list was read
                    continue
            if file.rekey:
                text = file.rekey(text, safe_key(citation_key, pk), used_keys)
            yield (file.head if first else file.separator) + text
            first = False
    if not first:
        if file.tail:
            yield file.tail
    elif file.empty:
        yield file.empty


def stored_texts(paper_pk: int, styles: Iterable[StoredStyle]) -> dict[str, str]:
    """One paper's current texts in `styles`, by style name; the missing ones are written
    and stored. One query when all are stored."""
    styles = list(styles)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.style, c.text FROM citation_cache c JOIN bibliography_paper p"
            " ON p.id = c.paper_id AND c.revision = p.entry_revision"
            f" WHERE c.paper_id = %s AND c.style IN ({', '.join(['%s'] * len(styles))})",
            [paper_pk, *(style.name for style in styles)],
        )
        texts = dict(cursor.fetchall())
    missing = [style for style in styles if style.name not in texts]
    if missing:
        written = write_and_store([paper_pk], missing)
        texts.update({name: text for (_, name), text in written.items()})
    return texts


def write_and_store(pks: list[int], styles: list[StoredStyle]) -> dict[tuple[int, str], str]:
    """Write the texts of the papers `pks` in `styles` and store them under the revision
    read with each paper's row; the texts by (paper id, style name)."""
    papers = list(
        Paper.objects.filter(pk__in=pks).select_related("venue").annotate(entry_revision=_REVISION)
    )
    _attach_related(papers, with_awards=any(style.reads_awards for style in styles))
    texts, rows = {}, []
    for paper in papers:
        for style in styles:
            text = texts[paper.pk, style.name] = style.write(paper)
            rows.append((paper.pk, style.name, paper.entry_revision, text))
    try:
        # A savepoint: a failed write (a read-only database, a lock) must not spoil the
        # caller's transaction or the export, which goes on without storing.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(_UPSERT_SQL, rows)
    except DatabaseError:
        if not connection.is_usable():
            raise  # the connection is gone: the export must fail, not end early
    return texts


def store_after_commit(pks: Iterable[int]) -> None:
    """Once the current transaction commits, write and store every stored text (BibTeX,
    RIS, CSL-JSON, the formatted styles) of the papers `pks`, a chunk at a time.

    A failure is logged, never raised: the save it follows has committed and stands, and
    the texts are written again by their first reader. Off when
    `settings.CITATIONS_RENDER_ON_WRITE` is false.
    """
    if not settings.CITATIONS_RENDER_ON_WRITE:
        return
    pks = list(pks)
    if pks:
        transaction.on_commit(lambda: _store_all(pks), robust=True)


def _store_all(pks: list[int]) -> None:
    # Here, not at the top: styles.py reads this module's stores.
    from bibliography.citations.styles import STORED_STYLES

    styles = [BIBTEX, BIBTEX_ASCII, RIS, CSL_JSON, *STORED_STYLES.values()]
    for start in range(0, len(pks), CHUNK_SIZE):
        write_and_store(pks[start : start + CHUNK_SIZE], styles)


@dataclass(slots=True)
class _Byline:
    """One place of a paper's byline, as the writers read an `Authorship`: its id, position,
    `order_known`, author and `role_list` (the roles in legend order).

    Built from a row rather than as a model instance: an instance costs ~20 µs to build,
    and a related manager more each time its roles are read, which was a fifth of writing
    a 10,000-paper list (52,000 bylines). The author is one instance per author and chunk.
    """

    pk: int
    position: int
    order_known: bool
    author: Author
    role_list: list[ContributionRole]


def _attach_related(papers: list[Paper], *, with_awards: bool) -> None:
    """Give `papers` their bylines (with the authors and their roles) and awards, as
    `prefetch_related` would, in a fixed number of queries (one each for the bylines, their
    authors, their roles and the awards).

    prefetch_related builds a queryset per paper and relation to hold what it fetched,
    a third of the cost of writing a BibTeX entry; the writers only iterate
    `paper.authorships.all()` and `paper.awards.all()` (which read the per-object cache)
    and each byline's `role_list`, so plain lists of `_Byline`s are put there instead.
    """
    pks = [paper.pk for paper in papers]
    in_papers = Authorship.objects.filter(paper_id__in=pks)
    authors = Author.objects.filter(pk__in=in_papers.values("author_id")).order_by().in_bulk()
    # The contribution roles (biblatex's annotation, a RIS note), in one query too.
    roles = defaultdict(list)
    through = Authorship.roles.through.objects.filter(authorship__paper_id__in=pks)
    for row in through.select_related("contributionrole"):
        roles[row.authorship_id].append(row.contributionrole)
    bylines = defaultdict(list)
    rows = in_papers.order_by("position").values_list(
        "pk", "paper_id", "position", "order_known", "author_id"
    )
    for pk, paper_id, position, order_known, author_id in rows:
        role_list = ContributionRole.in_legend_order(roles[pk]) if pk in roles else []
        bylines[paper_id].append(_Byline(pk, position, order_known, authors[author_id], role_list))
    awards = defaultdict(list)
    if with_awards:
        given = Paper.awards.through.objects.filter(paper_id__in=pks).select_related("award")
        for row in given.order_by("award__name", "award_id"):
            awards[row.paper_id].append(row.award)
    for paper in papers:
        cache = paper._prefetched_objects_cache = {"authorships": bylines[paper.pk]}
        if with_awards:
            cache["awards"] = awards[paper.pk]
