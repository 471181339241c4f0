"""The list export's BibTeX, from each paper's stored entry where it is still current.

Writing an entry costs about 1 ms of Python (names, capital protection, escaping), so a
list of 10,000 papers took 10 s to export. Each entry is therefore kept, once written, in
the `citation_cache` table (migration 0003) with the paper's `entry_revision`: a counter
that database triggers raise whenever the paper, its byline, one of its authors or its
venue changes, whatever the write path. An export reads the papers' keys, revisions and
current stored entries in one streamed query, writes only the missing or outdated ones
(and stores them), and otherwise only concatenates.

A stored entry can never be newer than its revision says, so it is never stale: the
revision is read with the paper's row, before its authors and venue are read for writing.
"""

from collections.abc import Iterator
from itertools import islice

from django.db import DatabaseError, connection, transaction
from django.db.models import Prefetch, QuerySet
from django.db.models.expressions import RawSQL

from bibliography.citations.bibtex import paper_entry, safe_key, unique_key, write_entry
from bibliography.models import Authorship, Paper

# Papers per round trip when entries have to be written (fetched with their authors).
CHUNK_SIZE = 500
# What an entry is written from: the paper's row, its venue, its byline with the authors.
BYLINE = Prefetch("authorships", Authorship.objects.select_related("author").order_by("position"))
_REVISION = RawSQL("bibliography_paper.entry_revision", [])
_UPSERT_SQL = (
    "INSERT INTO citation_cache (paper_id, style, revision, text) VALUES (%s, %s, %s, %s) "
    "ON CONFLICT (paper_id, style) DO UPDATE SET revision = excluded.revision, "
    "text = excluded.text WHERE excluded.revision >= citation_cache.revision"
)


def iter_list_bibtex(papers: QuerySet, *, ascii: bool = False) -> Iterator[str]:
    """Yield the BibTeX file of `papers` (any filtered, ordered queryset) entry by entry."""
    style = "bibtex-ascii" if ascii else "bibtex"
    stored = RawSQL(
        "SELECT c.text FROM citation_cache c WHERE c.paper_id = bibliography_paper.id"
        " AND c.style = %s AND c.revision = bibliography_paper.entry_revision",
        [style],
    )
    rows = (
        papers.annotate(stored_entry=stored)
        .values_list("pk", "citation_key", "stored_entry")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    used_keys: set[str] = set()
    first = True
    while chunk := list(islice(rows, CHUNK_SIZE)):
        missing = [pk for pk, _, text in chunk if text is None]
        written = _write_and_store(missing, style, ascii) if missing else {}
        for pk, citation_key, text in chunk:
            if text is None:
                text = written.get(pk)
                if text is None:  # deleted since the list was read
                    continue
            text = _rekey(text, safe_key(citation_key, pk), used_keys)
            yield text if first else "\n" + text
            first = False


def _rekey(text: str, key: str, used_keys: set[str]) -> str:
    """The stored entry under the key it gets in this file (unique, as BibTeX needs)."""
    unique = unique_key(key, used_keys)
    if unique == key:
        return text
    head, _, rest = text.partition("\n")
    return head.replace(f"{{{key},", f"{{{unique},", 1) + "\n" + rest


def _write_and_store(pks: list[int], style: str, ascii: bool) -> dict[int, str]:
    """Write the entries of the papers `pks` and store them under the revision read with
    each paper's row; the texts by paper id."""
    papers = (
        Paper.objects.filter(pk__in=pks)
        .select_related("venue")
        .prefetch_related(BYLINE)
        .annotate(entry_revision=_REVISION)
    )
    texts, rows = {}, []
    for paper in papers:
        texts[paper.pk] = write_entry(paper_entry(paper, ascii=ascii))
        rows.append((paper.pk, style, paper.entry_revision, texts[paper.pk]))
    try:
        # A savepoint: a failed write (a read-only database, a lock) must not spoil the
        # caller's transaction or the export, which goes on without storing.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(_UPSERT_SQL, rows)
    except DatabaseError:
        pass
    return texts
