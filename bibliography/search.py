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
from django.db.models.functions import Concat

from bibliography.models import Author, Authorship

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
        from django.contrib.postgres.aggregates import StringAgg

        # One document per paper, author names included, so that the words of a query may
        # fall in different fields. The names are aggregated through a join: a correlated
        # subquery per paper costs several times more.
        names = StringAgg(
            Concat(
                "authorships__author__given_name",
                Value(" "),
                "authorships__author__particle",
                Value(" "),
                "authorships__author__family_name",
                Value(" "),
                "authorships__author__display_name",
            ),
            delimiter=" ",
            default=Value(""),
        )
        matching = (
            queryset.order_by()
            .annotate(search_names=names)
            .annotate(search_document=_paper_vector() + _vector("search_names", weight="B"))
            .filter(search_document=_prefix_query(words))
        )
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
        from django.contrib.postgres.search import SearchRank

        # Title, venue and abstract rank by full-text weight; a hit among the authors adds
        # as much as a venue hit would.
        rank = SearchRank(_paper_vector(), _prefix_query(words)) + Case(
            When(_author_matches_pg(words), then=Value(0.4)),
            default=Value(0.0),
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


def _vector(*fields, weight):
    from django.contrib.postgres.search import SearchVector

    return SearchVector(*fields, weight=weight, config=SEARCH_CONFIG)


def _paper_vector():
    """Title (weight A), venue (B), abstract (C)."""
    return (
        _vector("title", weight="A")
        + _vector("venue__name", "venue__short_name", weight="B")
        + _vector("abstract", weight="C")
    )


def _author_matches_pg(words):
    """Some author of the paper has a name matching one of `words` (any, for ranking)."""
    from django.contrib.postgres.search import SearchQuery, SearchVector

    any_word = SearchQuery(
        " | ".join(f"{word}:*" for word in words), search_type="raw", config=SEARCH_CONFIG
    )
    authors = Author.objects.alias(
        search_names=SearchVector(
            "given_name", "particle", "family_name", "display_name", config=SEARCH_CONFIG
        )
    ).filter(search_names=any_word)
    return Exists(Authorship.objects.filter(paper=OuterRef("pk"), author__in=authors))


def _prefix_query(words: list[str]):
    """Every word as a prefix ('multiling:*'), all required.

    The words are \\w+ runs, so they carry no tsquery syntax of their own and the raw
    query cannot be malformed.
    """
    from django.contrib.postgres.search import SearchQuery

    raw = " & ".join(f"{word}:*" for word in words)
    return SearchQuery(raw, search_type="raw", config=SEARCH_CONFIG)
