"""Free-text search over papers: title, abstract, author names, venue (and its series),
year and awards.

On PostgreSQL this is full-text search with ranking; every word of the query is a
prefix, so "multiling" finds "multilingual", and the words may fall in different
fields ("pile biderman"). Elsewhere (SQLite) each word must occur, case-insensitively,
in one of the searched fields, and relevance is a weighted count of where they occur.
What people type besides words of the text is understood on both: a year ("NeurIPS
2022", "Biderman 2022") is the paper's year, and an award's name or kind ("outstanding",
"award", "spotlight") the papers that received it.

A list page filters by the search in many queries (the results and every facet), and
matching costs a pass over every paper's text, so the match is made once per request
(`matching_ids`) and the other queries reuse its result (`restrict_to`).
"""

import functools
import json
import re

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from bibliography.models import MAX_YEAR, MIN_YEAR, Authorship, Award, Paper

# Longer queries are cut (with a notice) rather than refused: nobody types more, and an
# unbounded query is an easy way to make the database work hard.
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
SEARCH_CONFIG = "english"

_WORD = re.compile(r"\w+", re.UNICODE)


def query_words(q: str) -> list[str]:
    """The words of a search query, lower-cased, at most MAX_QUERY_WORDS of them."""
    return [word.lower() for word in _WORD.findall(q)][:MAX_QUERY_WORDS]


@functools.lru_cache(maxsize=64)
def _highlighter(words: tuple[str, ...]) -> re.Pattern:
    """A pattern for the words of a page's search at the start of a word, as the search
    matches them (a prefix: "multiling" marks "Multilingual"; a plural also marks its
    singular, which PostgreSQL's stemming finds)."""
    stems = {word[:-1] if len(word) > 3 and word.endswith("s") else word for word in words}
    alternatives = "|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)


def highlighted(text, words) -> str:
    """`text`, escaped, with the search's `words` (`query_words`) in `<mark>`; the escaped
    text when there are none."""
    text = "" if text is None else str(text)
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


def year_of(word: str) -> int | None:
    """The year a query word names ("2022"), or None: four digits in the model's range."""
    if len(word) == 4 and word.isdigit() and MIN_YEAR <= int(word) <= MAX_YEAR:
        return int(word)
    return None


def _both_languages(label) -> str:
    """A choice's label as the visitor reads it and in English, which any visitor may type."""
    with translation.override("en"):
        english = str(label)
    return f"{label} {english}"


def award_kinds_of(word: str) -> list[str]:
    """The award kinds a query word names: "award" the awards, "oral" the orals (a word of
    the kind's label, or the start of one)."""
    return [
        kind
        for kind, label in Award.Kind.choices
        if any(part.startswith(word) for part in query_words(_both_languages(label)))
    ]


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def matching_ids(queryset, q: str) -> list[int]:
    """The primary keys of the papers of `queryset` that match every word of `q`; one query."""
    words = query_words(q)
    if uses_full_text_search():
        # The stored document's GIN index finds the papers it matches without reading any;
        # the few whose series, year or awards a word needs are tested one by one.
        words_sql, words_params = _pg_every_word(words)
        hits = RawSQL(
            f"SELECT id FROM bibliography_paper WHERE {DOCUMENT_COLUMN} @@ {_TSQUERY}"
            f" UNION {_PG_BEYOND_DOCUMENT} AND {words_sql}",
            [_prefix_query_text(words), [y for w in words if (y := year_of(w))], *words_params],
        )
        matching = queryset.order_by().filter(pk__in=hits)
    else:
        matching = queryset.order_by()
        for word in words:
            matching = matching.filter(_word_matches(word))
    return list(matching.values_list("pk", flat=True))


# The papers a word may match outside the stored document (which the triggers build from
# the paper's own text, its venue and byline): those of a series' member venue ("NeurIPS"
# for a NeurIPS workshop whose own name does not say so), of a year the query names, or
# with an award. Kept on the query side, so the document need not know series or awards.
# The candidates are a handful of venues' papers, a year's papers and the awarded ones;
# each word is then tested on them.
_PG_BEYOND_DOCUMENT = (
    "SELECT p.id FROM bibliography_paper p"
    " LEFT JOIN bibliography_venue v ON v.id = p.venue_id"
    " LEFT JOIN bibliography_venue s ON s.id = v.series_id"
    " WHERE p.id IN ("
    "SELECT pv.id FROM bibliography_paper pv WHERE pv.venue_id = ANY(ARRAY("
    "SELECT id FROM bibliography_venue WHERE series_id IS NOT NULL))"
    " UNION SELECT py.id FROM bibliography_paper py WHERE py.year = ANY(%s::int[])"
    " UNION SELECT pa.paper_id FROM bibliography_paper_awards pa)"
)


def _pg_every_word(words: list[str]) -> tuple[str, list]:
    """The condition (on `p` and `s` of _PG_BEYOND_DOCUMENT) that every word matches the
    paper's document, its series' name, its year or one of its awards; with its parameters."""
    series_text = f"to_tsvector('{SEARCH_CONFIG}', concat_ws(' ', s.name, s.short_name))"
    award_hit = (
        "EXISTS (SELECT 1 FROM bibliography_paper_awards pa"
        " JOIN bibliography_award a ON a.id = pa.award_id WHERE pa.paper_id = p.id"
        f" AND (to_tsvector('{SEARCH_CONFIG}', a.name) @@ {_TSQUERY}"
        " OR a.kind = ANY(%s::text[])))"
    )
    word = (
        f"(p.{DOCUMENT_COLUMN} @@ {_TSQUERY} OR {series_text} @@ {_TSQUERY}"
        f" OR p.year = %s OR {award_hit})"
    )
    params = []
    for w in words:
        prefix = f"{w}:*"
        params += [prefix, prefix, year_of(w), prefix, award_kinds_of(w)]
    return " AND ".join([word] * len(words)), params


def restrict_to(queryset, ids: list[int]):
    """`queryset` limited to the papers `ids`, passed as one array parameter (a list of
    thousands of ids would be thousands of parameters in each query)."""
    if uses_full_text_search():
        return queryset.filter(_IdInArray(ids))
    subquery = RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])
    return queryset.filter(pk__in=subquery)


class _IdInArray(Func):
    """`id = ANY('{1,2,3}'::bigint[])` (PostgreSQL), for the papers a search matched.

    An array literal is one constant to parse; a Python list would be sent as
    ARRAY[1,2,3], an expression per element. `= ANY` rather than `IN (SELECT unnest(...))`:
    PostgreSQL estimates the subquery at 200 rows whatever its length, so with tens of
    thousands of matches ("language model" at 100,000 papers) every facet query fetched the
    papers one by one through the primary key (250 ms each); with `= ANY` it knows the
    number, and tests each row of a narrow index against a hash of the ids (35 ms, plus
    ~20 ms of planning).
    """

    output_field = BooleanField()

    def __init__(self, ids):
        super().__init__(F("pk"))
        self.array = "{" + ",".join(str(int(pk)) for pk in ids) + "}"

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} = ANY(%s::bigint[])", [*params, self.array]


def order_by_relevance(queryset, q: str):
    """Order matching papers best first (newest first among equals)."""
    words = query_words(q)
    if not words:
        return queryset
    if uses_full_text_search():
        # Title (weight A) outranks venue and author names (B); a paper the words match
        # only in its abstract (C) ranks after those, newest first. The rank reads the
        # short, untoasted part of the document without the abstract (RANK_COLUMN): ranking
        # a broad search read every match's whole document (at 100,000 papers 35,000 of
        # them for "language model"). Ranked on any of the words: a paper the year or an
        # award matched has the others.
        rank = RawSQL(
            f"coalesce(ts_rank(bibliography_paper.{RANK_COLUMN}, {_TSQUERY}), 0)",
            [_prefix_query_text(words, "|")],
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
        | _venue_matches(word)
        | Q(_author_names_match(word))
        | _year_matches(word)
        | Q(_awards_match(word))
    )


def _year_matches(word: str) -> Q:
    year = year_of(word)
    # No paper has pk NULL: an empty Q() would match every paper.
    return Q(year=year) if year is not None else Q(pk__isnull=True)


def _awards_match(word: str):
    """The paper has an award whose name has the word, or of the kind it names."""
    given = Paper.awards.through.objects.filter(paper=OuterRef("pk"))
    return Exists(
        given.filter(Q(award__name__icontains=word) | Q(award__kind__in=award_kinds_of(word)))
    )


def _venue_matches(word: str) -> Q:
    """The venue's names, or its series' ("NeurIPS" for a NeurIPS workshop)."""
    return (
        Q(venue__name__icontains=word)
        | Q(venue__short_name__icontains=word)
        | Q(venue__series__name__icontains=word)
        | Q(venue__series__short_name__icontains=word)
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
        + score(_venue_matches(word), 4)
        + score(Q(_awards_match(word)), 4)
        + score(_year_matches(word), 2)
        + score(Q(abstract__icontains=word), 1)
    )


def _prefix_query_text(words: list[str], operator: str = "&") -> str:
    """Every word as a prefix ('multiling:*'), all required (with "|", any of them).

    The words are \\w+ runs, so they carry no tsquery syntax of their own and the raw
    query cannot be malformed.
    """
    return f" {operator} ".join(f"{word}:*" for word in words)


# The stored search document (PostgreSQL only): a tsvector column that migration 0002
# adds with a GIN index, outside the model because SQLite has no such type. Computed on the
# fly, a search cost a pass over every paper's text (1.4 s at 10,000 papers); stored, it is
# an index lookup. Triggers (written out in that migration) keep it right whatever writes
# the rows (admin saves, the importer's and the demo generator's bulk_create,
# queryset.update(), loaddata, a shell): a paper's own row when its title, abstract or venue
# changes; its papers' rows when a byline, an author's name or a venue's name changes (one
# UPDATE per statement, through transition tables, so a bulk insert of 1,000 bylines costs
# one pass, not 1,000). Title weighs A, venue and author names B, the abstract C.
DOCUMENT_COLUMN = "search_document"
# Its lexemes of weights A and B, a column PostgreSQL generates from it (migration 0011).
RANK_COLUMN = "rank_document"
_TSQUERY = f"to_tsquery('{SEARCH_CONFIG}', %s)"
