"""Free-text search over papers: title, abstract, author names and venue.

On PostgreSQL this is full-text search with ranking; every word of the query is a
prefix, so "multiling" finds "multilingual", and the words may fall in different
fields ("pile biderman"). Elsewhere (SQLite) each word must occur, case-insensitively,
in one of the searched fields, and relevance is a weighted count of where they occur.

A list page filters by the search in many queries (the results and every facet), and
matching costs a pass over every paper's text, so the match is made once per request
(`matching_ids`) and the other queries reuse its result (`restrict_to`).
"""

import json
import re

from django.db import connection
from django.db.models import Case, Exists, F, FloatField, IntegerField, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_save
from django.dispatch import receiver

from bibliography.models import Author, Authorship, Paper, Venue

# Longer queries are cut (with a notice) rather than refused: nobody types more, and an
# unbounded query is an easy way to make the database work hard.
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
SEARCH_CONFIG = "english"

_WORD = re.compile(r"\w+", re.UNICODE)


def query_words(q: str) -> list[str]:
    """The words of a search query, lower-cased, at most MAX_QUERY_WORDS of them."""
    return [word.lower() for word in _WORD.findall(q)][:MAX_QUERY_WORDS]


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def matching_ids(queryset, q: str) -> list[int]:
    """The primary keys of the papers of `queryset` that match every word of `q`; one query."""
    words = query_words(q)
    if uses_full_text_search():
        # The stored document's GIN index finds the matches without reading any paper.
        hits = RawSQL(
            f"SELECT id FROM bibliography_paper WHERE {DOCUMENT_COLUMN} @@ {_TSQUERY}",
            [_prefix_query_text(words)],
        )
        matching = queryset.order_by().filter(pk__in=hits)
    else:
        matching = queryset.order_by()
        for word in words:
            matching = matching.filter(_word_matches(word))
    return list(matching.values_list("pk", flat=True))


def restrict_to(queryset, ids: list[int]):
    """`queryset` limited to the papers `ids`, passed as one array parameter (a list of
    thousands of ids would be thousands of parameters in each query)."""
    if uses_full_text_search():
        # An array literal '{1,2,3}' is one constant to parse; a Python list would be sent
        # as ARRAY[1,2,3], an expression per element, which takes PostgreSQL far longer.
        array = "{" + ",".join(str(int(pk)) for pk in ids) + "}"
        subquery = RawSQL("SELECT unnest(%s::bigint[])", [array])
    else:
        subquery = RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])
    return queryset.filter(pk__in=subquery)


def order_by_relevance(queryset, q: str):
    """Order matching papers best first (newest first among equals)."""
    words = query_words(q)
    if not words:
        return queryset
    if uses_full_text_search():
        # Title (weight A) outranks venue and author names (B), which outrank the abstract (C).
        rank = RawSQL(
            f"coalesce(ts_rank(bibliography_paper.{DOCUMENT_COLUMN}, {_TSQUERY}), 0)",
            [_prefix_query_text(words)],
            output_field=FloatField(),
        )
    else:
        rank = sum((_sqlite_word_score(word) for word in words), Value(0))
    return queryset.annotate(search_rank=rank).order_by(
        F("search_rank").desc(), F("year").desc(nulls_last=True), "title", "pk"
    )


def _author_names_match(word: str):
    matching = Authorship.objects.filter(paper=OuterRef("pk")).filter(
        Q(author__given_name__icontains=word)
        | Q(author__family_name__icontains=word)
        | Q(author__particle__icontains=word)
        | Q(author__display_name__icontains=word)
    )
    return Exists(matching)


def _word_matches(word: str) -> Q:
    return (
        Q(title__icontains=word)
        | Q(abstract__icontains=word)
        | Q(venue__name__icontains=word)
        | Q(venue__short_name__icontains=word)
        | Q(_author_names_match(word))
    )


def _sqlite_word_score(word: str):
    # A title hit outweighs an author or venue hit, which outweighs an abstract hit.
    def score(condition, weight):
        return Case(
            When(condition, then=Value(weight)), default=Value(0), output_field=IntegerField()
        )

    return (
        score(Q(title__icontains=word), 8)
        + score(Q(_author_names_match(word)), 4)
        + score(Q(venue__name__icontains=word) | Q(venue__short_name__icontains=word), 4)
        + score(Q(abstract__icontains=word), 1)
    )


def _prefix_query_text(words: list[str]) -> str:
    """Every word as a prefix ('multiling:*'), all required.

    The words are \\w+ runs, so they carry no tsquery syntax of their own and the raw
    query cannot be malformed.
    """
    return " & ".join(f"{word}:*" for word in words)


# The stored search document (PostgreSQL only): a tsvector column that the migration
# 0002 adds with a GIN index, outside the model because SQLite has no such type. Computing
# the document on the fly cost a pass over every paper's text per search (1.4 s at 10,000
# papers); stored, a search is an index lookup. It is rewritten, per paper, whenever the
# paper, its venue, its authors or its byline change (signals below), and by the bulk
# writers (importer, demo data) through refresh_search_documents().
DOCUMENT_COLUMN = "search_document"
_TSQUERY = f"to_tsquery('{SEARCH_CONFIG}', %s)"
_DOCUMENT_SQL = f"""
UPDATE bibliography_paper AS p SET {DOCUMENT_COLUMN} =
    setweight(to_tsvector('{SEARCH_CONFIG}', p.title), 'A')
    || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(
        (SELECT concat_ws(' ', v.name, v.short_name) FROM bibliography_venue v
         WHERE v.id = p.venue_id), '')), 'B')
    || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(
        (SELECT string_agg(concat_ws(' ', a.given_name, a.particle, a.family_name,
                                     a.display_name), ' ')
         FROM bibliography_authorship s JOIN bibliography_author a ON a.id = s.author_id
         WHERE s.paper_id = p.id), '')), 'B')
    || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(p.abstract, '')), 'C')
"""


def add_search_document(schema_editor) -> None:
    """Add the document column, fill it and index it (PostgreSQL; used by a migration)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE bibliography_paper ADD COLUMN {DOCUMENT_COLUMN} tsvector")
    schema_editor.execute(_DOCUMENT_SQL)
    schema_editor.execute(
        f"CREATE INDEX paper_search_document ON bibliography_paper USING gin ({DOCUMENT_COLUMN})"
    )


def drop_search_document(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE bibliography_paper DROP COLUMN {DOCUMENT_COLUMN}")


def refresh_search_documents(paper_ids=None) -> None:
    """Rewrite the stored search document of the papers `paper_ids` (all when None); one
    query. A no-op on SQLite, whose search reads the columns themselves."""
    if not uses_full_text_search():
        return
    with connection.cursor() as cursor:
        if paper_ids is None:
            cursor.execute(_DOCUMENT_SQL)
        else:
            array = "{" + ",".join(str(int(pk)) for pk in paper_ids) + "}"
            cursor.execute(_DOCUMENT_SQL + " WHERE p.id = ANY(%s::bigint[])", [array])


@receiver(post_save, sender=Paper)
def _paper_saved(sender, instance, **kwargs):
    refresh_search_documents([instance.pk])


# Not on post_delete: any delete receiver turns the fast cascade of a paper's byline into
# one signal per row (minutes for --clear-demo at 100k). The admin, where bylines lose
# authors, refreshes after saving them instead.
@receiver(post_save, sender=Authorship)
def _byline_changed(sender, instance, **kwargs):
    refresh_search_documents([instance.paper_id])


@receiver(post_save, sender=Author)
def _author_saved(sender, instance, raw=False, **kwargs):
    if uses_full_text_search() and not raw:
        refresh_search_documents(instance.authorships.values_list("paper_id", flat=True))


@receiver(post_save, sender=Venue)
def _venue_saved(sender, instance, raw=False, **kwargs):
    if uses_full_text_search() and not raw:
        refresh_search_documents(instance.papers.values_list("pk", flat=True))
