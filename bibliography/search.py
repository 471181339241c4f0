"""Free-text search over papers: title, abstract, author names and venue.

On PostgreSQL this is full-text search with ranking; every word of the query is a
prefix, so "multiling" finds "multilingual". Elsewhere (SQLite) each word must occur,
case-insensitively, in one of the searched fields, and relevance is a simple weighted
count of where the words occur.
"""

import re

from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Concat

from bibliography.models import Authorship

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


def filter_by_search(queryset, q: str):
    """Keep the papers that match every word of `q`."""
    words = query_words(q)
    if not words:
        return queryset
    if uses_full_text_search():
        return queryset.alias(search_document=_search_vector()).filter(
            search_document=_prefix_query(words)
        )
    for word in words:
        queryset = queryset.filter(_word_matches(word))
    return queryset


def order_by_relevance(queryset, q: str):
    """Order matching papers best first (newest first among equals)."""
    words = query_words(q)
    if not words:
        return queryset
    if uses_full_text_search():
        from django.contrib.postgres.search import SearchRank

        rank = SearchRank(_search_vector(), _prefix_query(words))
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


def _search_vector():
    """Title (weight A), authors and venue (B), abstract (C), built per row."""
    from django.contrib.postgres.aggregates import StringAgg
    from django.contrib.postgres.search import SearchVector
    from django.db.models import Subquery

    author_names = (
        Authorship.objects.filter(paper=OuterRef("pk"))
        .order_by()
        .values("paper")
        .annotate(
            names=StringAgg(
                Concat(
                    "author__given_name",
                    Value(" "),
                    "author__particle",
                    Value(" "),
                    "author__family_name",
                    Value(" "),
                    "author__display_name",
                ),
                delimiter=" ",
            )
        )
        .values("names")
    )
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector(Subquery(author_names), weight="B", config=SEARCH_CONFIG)
        + SearchVector("venue__name", "venue__short_name", weight="B", config=SEARCH_CONFIG)
        + SearchVector("abstract", weight="C", config=SEARCH_CONFIG)
    )


def _prefix_query(words: list[str]):
    """Every word as a prefix ('multiling:*'), all required.

    The words are \\w+ runs, so they carry no tsquery syntax of their own and the raw
    query cannot be malformed.
    """
    from django.contrib.postgres.search import SearchQuery

    raw = " & ".join(f"{word}:*" for word in words)
    return SearchQuery(raw, search_type="raw", config=SEARCH_CONFIG)
