"""Pinned query counts: the public pages cost the same number of queries for 20 papers
as for 2,000 (no query per paper, per author or per facet value)."""

import pytest
from django.core.cache import cache

from bibliography.models import Author, Authorship, Award, Paper, PaperLink, Topic, Venue

pytestmark = pytest.mark.django_db


def build_library(size: int):
    """`size` published papers (plus drafts) with 3 authors each, spread over venues,
    years, awards and topics, some selected and some with links; bulk-created, so it is
    quick even for thousands."""
    venues = Venue.objects.bulk_create(
        Venue(name=f"Venue {i}", short_name=f"V{i}", slug=f"v{i}", kind=kind)
        for i, kind in enumerate(["conference", "journal", "preprint", "workshop"])
    )
    authors = Author.objects.bulk_create(
        Author(
            family_name=f"Family{i}", given_name="Given", slug=f"author-{i}", is_site_owner=i == 0
        )
        for i in range(60)
    )
    # A series the first two venues belong to (NeurIPS and its tracks).
    series = Venue.objects.create(name="Series", short_name="S", slug="series")
    Venue.objects.filter(pk__in=[venues[0].pk, venues[1].pk]).update(series=series)
    award = Award.objects.create(name="Best Paper", slug="best-paper", venue=series, year=2020)
    Author.objects.filter(slug="author-0").update(position="PhD student", affiliation="Lab")
    papers = Paper.objects.bulk_create(
        Paper(
            title=f"Multilingual paper number {i}",
            slug=f"paper-{i}",
            citation_key=f"key{i}",
            year=2000 + i % 25,
            venue=venues[i % len(venues)],
            abstract="An abstract.\n\nIn two paragraphs.",
            entry_type="inproceedings" if i % 2 else "article",
            published=i % 10 != 9,
            featured=i % 11 == 0,
            priority=i % 3,
        )
        for i in range(size + size // 9)
    )
    Authorship.objects.bulk_create(
        Authorship(paper=paper, author=authors[(i + k) % len(authors)], position=k + 1)
        for i, paper in enumerate(papers)
        for k in range(3)
    )
    Paper.awards.through.objects.bulk_create(
        Paper.awards.through(paper=paper, award=award) for paper in papers[::7]
    )
    topics = Topic.objects.bulk_create(Topic(name=f"Topic {i}", slug=f"t{i}") for i in range(3))
    Paper.topics.through.objects.bulk_create(
        Paper.topics.through(paper=paper, topic=topics[i % 3]) for i, paper in enumerate(papers)
    )
    PaperLink.objects.bulk_create(
        PaperLink(
            paper=paper, kind=kind, url=f"https://example.org/{paper.slug}/{kind}", position=k
        )
        for paper in papers
        for k, kind in enumerate(["slides", "video"])
    )
    assert Paper.objects.published().count() >= size


# Every public page first reads the data version its cached copy is keyed on.
VERSION_QUERY = 1
# A page rendered under a new data version reads the site owners' names for its title
# (bibliography/site_title.py), once per version.
RENDERED = VERSION_QUERY + 1
# The page's papers come with their stored list items (bibliography/list_rows.py). On the
# first view under a data version (as here) the items are rendered for the whole page at
# once (the selected papers' too): the papers again with their venue, their
# authorships+authors, their roles, awards, topics and links; the Cite texts they show,
# written in one batch too (the papers, their bylines, the bylines' authors and roles, their
# awards, and the savepoint, upserts and release that store them); and the savepoint,
# upserts and release that store the items.
CITE_TEXTS_WRITTEN = 8
ITEMS_RENDERED = 6 + CITE_TEXTS_WRITTEN + 3
# One statement counts every facet and the papers listed (facets.py); then the names of the
# venues and of the authors the facets list (they are counted by id alone); the page's ids
# (read from an index) and its papers by id with their stored items. The chart reuses the
# year facet's counts while no year is chosen.
LIST_QUERIES = RENDERED + 1 + 2 + 2 + ITEMS_RENDERED
# A chosen year makes the chart count its own (the year facet's counts ignore that year).
CHART_QUERY = 1
# The unfiltered home page also lists the selected papers, with their stored items (rendered
# with the page's).
FEATURED_QUERIES = 1
# Each active venue/author/award/topic parameter costs one lookup of the chosen slugs.
TWO_SLUG_FACETS_QUERIES = LIST_QUERIES + 2
# A search is matched once, then reused by the results and every facet.
SEARCH_QUERIES = 1
# The paper with its venue, its authorships+authors, their roles, its awards, topics and
# links, the previous and next paper, its stored formatted citations; on the first view of
# its revision (as here) also the paper, byline, the byline's authors, roles and awards read
# again with the revision, and the renderings stored (a savepoint, one batch of upserts,
# its release). tests/test_stored_exports.py pins the views after the first.
PAPER_QUERIES = RENDERED + 8 + 1 + 8
# The author, the list queries (one facet fewer is not saved: the author facet still runs)
# and the co-authors (their counts by author id, then the names of the few listed).
AUTHOR_QUERIES = 1 + LIST_QUERIES + 2
# The venue, its members (a series' page), the list queries without the venue facet's names
# (it is hidden).
VENUE_QUERIES = 1 + 1 + LIST_QUERIES - 1
# A series' page keeps the venue facet, to narrow to one member.
SERIES_QUERIES = VENUE_QUERIES + 1
# The topic, the list queries (the hidden topic facet was one branch of the statement).
TOPIC_QUERIES = 1 + LIST_QUERIES
# The people page: owners, the count and the page of everyone with a public paper.
AUTHOR_INDEX_QUERIES = RENDERED + 3
# The venue and award indexes: one query each, counts included.
INDEX_QUERIES = RENDERED + 1


PAGES_EXPECTED = [
    ("/", LIST_QUERIES + FEATURED_QUERIES),
    ("/?featured=1&topic=t1&topic=t2", LIST_QUERIES + 1),
    ("/?page=2&sort=oldest", LIST_QUERIES),
    (
        "/?venue=v1&venue=v2&author=author-3&kind=journal&type=inproceedings"
        "&year=2001&year=2005&year_from=2000&year_to=2020&q=multilingual&sort=title",
        TWO_SLUG_FACETS_QUERIES + SEARCH_QUERIES + CHART_QUERY,
    ),
    ("/?award=best-paper&venue=v0", TWO_SLUG_FACETS_QUERIES),
    ("/?q=multiling+paper", LIST_QUERIES + SEARCH_QUERIES),
    ("/authors/author-1/?q=family2+number", AUTHOR_QUERIES + SEARCH_QUERIES),
    ("/papers/paper-1/", PAPER_QUERIES),
    ("/authors/author-1/", AUTHOR_QUERIES),
    ("/venues/v1/", VENUE_QUERIES),
    ("/venues/series/", SERIES_QUERIES),
    # "any" is no award to look up: one slug lookup, the series'.
    ("/?venue=series&award=any", LIST_QUERIES + 1),
    ("/?author=author-3&role=last", LIST_QUERIES + 1),
    ("/authors/author-1/?role=first", AUTHOR_QUERIES),
    ("/authors/", AUTHOR_INDEX_QUERIES),
    ("/authors/?page=9", AUTHOR_INDEX_QUERIES),
    ("/venues/", INDEX_QUERIES),
    ("/awards/", INDEX_QUERIES),
    ("/topics/t1/", TOPIC_QUERIES),
]
PAGES = pytest.mark.parametrize(("url", "expected"), PAGES_EXPECTED)


@pytest.mark.parametrize("size", [20, 2000])
@PAGES
def test_query_count_does_not_grow_with_the_library(
    client, django_assert_num_queries, size, url, expected
):
    build_library(size)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    if "papers" in response.context:
        assert response.context["papers"], "a page without results would skip its prefetches"


@pytest.mark.parametrize("size", [20, 2000])
@pytest.mark.parametrize("url", ["/", "/?page=2&sort=oldest", "/venues/v1/"])
def test_list_pages_read_stored_items_with_their_papers(
    client, django_assert_num_queries, size, url
):
    build_library(size)
    first = client.get(url)
    cache.clear()  # the page is rendered again, from the items stored the first time
    expected = dict(PAGES_EXPECTED)[url] - ITEMS_RENDERED
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.content == first.content
    html = response.content.decode()
    item = response.context["papers"][0]
    assert f'id="paper-cite-{item.slug}-bibtex" tabindex="0"><code>@' in html
    assert html.count('class="quick-cite"') == len(response.context["papers"]) + len(
        response.context["featured_papers"]
    )


@pytest.mark.parametrize("size", [20, 2000])
@PAGES
def test_a_page_served_again_costs_only_the_version_check(
    client, django_assert_num_queries, size, url, expected
):
    build_library(size)
    first = client.get(url)
    with django_assert_num_queries(VERSION_QUERY):
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content


# The API's paper list: the count, the page's ids (read from an index of its order, as the
# list's), its papers by id (with venue and series), their authorships+authors, roles,
# awards, topics and links.
API_PAPER_LIST_QUERIES = VERSION_QUERY + 8
# One paper: itself, then the same five prefetches.
API_PAPER_QUERIES = VERSION_QUERY + 6
# Authors, venues, awards, topics: the count and the page, counts included.
API_LIST_QUERIES = VERSION_QUERY + 2

API_PAGES = pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/v1/papers/", API_PAPER_LIST_QUERIES),
        ("/api/v1/papers/?page_size=10&page=2&sort=oldest", API_PAPER_LIST_QUERIES),
        (
            "/api/v1/papers/?venue=v1&venue=v2&author=author-3&kind=journal&type=inproceedings"
            "&year=2001&year=2005&year_from=2000&year_to=2020&q=multilingual&sort=title",
            API_PAPER_LIST_QUERIES + 2 + SEARCH_QUERIES,
        ),
        (
            "/api/v1/papers/?award=best-paper&topic=t1&role=any",
            API_PAPER_LIST_QUERIES + 2,
        ),
        ("/api/v1/papers/paper-1/", API_PAPER_QUERIES),
        ("/api/v1/authors/?page_size=100", API_LIST_QUERIES),
        ("/api/v1/authors/author-1/", VERSION_QUERY + 1),
        ("/api/v1/venues/", API_LIST_QUERIES),
        ("/api/v1/awards/", API_LIST_QUERIES),
        ("/api/v1/topics/", API_LIST_QUERIES),
    ],
)


@pytest.mark.parametrize("size", [20, 2000])
@API_PAGES
def test_api_query_count_does_not_grow_with_the_library(
    client, django_assert_num_queries, size, url, expected
):
    build_library(size)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body.get("results", [body]), "a page without results would skip its prefetches"


@pytest.mark.parametrize("size", [20, 2000])
@API_PAGES
def test_an_api_page_served_again_costs_only_the_version_check(
    client, django_assert_num_queries, size, url, expected
):
    build_library(size)
    first = client.get(url)
    with django_assert_num_queries(VERSION_QUERY):
        again = client.get(url)
    assert again.content == first.content


def test_other_pages_of_the_whole_list_reuse_its_facet_counts(client, django_assert_num_queries):
    """The unfiltered list's facets (and its count) are the same on every sort and page:
    counted once per data version (the statement, the venues' and the authors' names), then
    reused."""
    build_library(20)
    client.get("/?page=2")
    # Under the same version the site's title and the page's items are stored already
    # (there is one page of 20 papers, which each of these shows).
    stored = ITEMS_RENDERED + RENDERED - VERSION_QUERY
    with django_assert_num_queries(LIST_QUERIES - 3 - stored):
        client.get("/?page=3&sort=title")
    # A filter makes its own counts.
    with django_assert_num_queries(LIST_QUERIES + CHART_QUERY - stored):
        client.get("/?year=2001")
    # An edit is a new data version: counted again, and right.
    Paper.objects.filter(year=2001).update(year=1999)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/?page=2&sort=oldest")
    years = next(f for f in response.context["facets"] if f.name == "year")
    assert "1999" in {v.value for v in years.values}
    assert "2001" not in {v.value for v in years.values}
