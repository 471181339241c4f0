"""The search box understands what people type, on the seed's 20 works and through HTTP:
years, venue series and short names, award names and kinds; the matched words are marked
in the results; a search that finds nothing says how to search, not which filter to drop.
Runs on SQLite and (DATABASE_URL) PostgreSQL, whose search has its own code."""

import pytest
from django.urls import reverse

from bibliography.models import Paper, Venue
from tests.factories import make_paper

LIST = reverse("bibliography:paper-list")


def found(client, q, **params) -> set[str]:
    response = client.get(LIST, {"q": q, **params})
    assert response.status_code == 200
    return {paper.title for paper in response.context["paginator"].object_list}


def titles(papers) -> set[str]:
    return set(papers.values_list("title", flat=True))


@pytest.fixture
def published(seed):
    return Paper.objects.published()


def test_a_year_finds_that_years_papers(client, published):
    in_2022 = titles(published.filter(year=2022))
    assert len(in_2022) == 16
    assert found(client, "2022") == in_2022


def test_a_venue_series_and_a_year(client, published):
    neurips = Venue.objects.filter(series__slug="neurips")
    expected = titles(published.filter(venue__in=neurips, year=2022))
    # The main track, the Datasets and Benchmarks track and the workshops.
    assert len(expected) == 4
    assert found(client, "NeurIPS 2022") == expected
    assert found(client, "neurips") == titles(published.filter(venue__in=neurips))


def test_an_author_and_a_year(client, published):
    expected = titles(published.filter(authorships__author__slug="stella-biderman", year=2022))
    assert 0 < len(expected) < len(titles(published.filter(year=2022)))
    assert found(client, "Biderman 2022") == expected
    # A word is also looked for in the text: "2021" in an abstract finds that paper too.
    in_2021 = titles(published.filter(authorships__author__slug="stella-biderman", year=2021))
    assert in_2021 and in_2021 <= found(client, "Biderman 2021")


def test_award_names_and_kinds(client, published):
    outstanding = titles(published.filter(awards__slug="outstanding-paper-award"))
    assert len(outstanding) == 1
    assert found(client, "outstanding") == outstanding
    # "award" is the kind (and in the name) of that one; an oral or a spotlight is not one.
    assert found(client, "award") == outstanding
    orals = titles(published.filter(awards__kind="oral"))
    assert len(orals) == 2
    # (On SQLite a word is found inside others too: "oral" in "behavioral".)
    assert orals <= found(client, "oral")
    assert found(client, "spotlight 2022") == titles(published.filter(awards__kind="spotlight"))


def test_a_venue_short_name_still_narrows_with_other_words(client, published):
    assert found(client, "TACL") == titles(published.filter(venue__slug="tacl"))
    assert found(client, "iclr spotlight") == titles(published.filter(venue__slug="iclr"))
    assert found(client, "tacl 2021") == set()


def test_a_number_outside_the_years_is_only_a_word(client, published):
    assert found(client, "9999") == set()


def test_the_matched_words_are_marked_in_the_results(client, seed):
    html = client.get(LIST, {"q": "NeurIPS 2022 laion"}).content.decode()
    assert '<a class="badge badge-venue"' in html
    assert "<mark>NeurIPS</mark> Datasets and Benchmarks" in html
    assert '<span class="paper-year"><mark>2022</mark></span>' in html
    assert "<mark>LAION</mark>-5B" in html
    html = client.get(LIST, {"q": "outstanding"}).content.decode()
    assert "<mark>Outstanding</mark> Paper Award" in html
    html = client.get(LIST, {"q": "biderman"}).content.decode()
    assert "<strong><mark>Biderman</mark>" not in html  # the whole name is marked word by word
    assert "Stella <mark>Biderman</mark>" in html


def test_marking_escapes_the_text_around_the_words(client, db):
    make_paper(title="<script>alert(1)</script> Attack & defence", year=2020)
    html = client.get(LIST, {"q": "attack"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Attack</mark> &amp; defence" in html
    assert "<script>alert" not in html


def test_without_a_search_nothing_is_marked(client, seed):
    assert "<mark>" not in client.get(LIST).content.decode()


def test_a_search_alone_that_finds_nothing_gives_the_search_hint(client, seed):
    html = client.get(LIST, {"q": "zebrafish"}).content.decode()
    assert "No papers match “zebrafish”." in html
    assert "Try fewer or shorter words" in html
    assert "Remove a filter" not in html
    html = client.get(LIST, {"q": "zebrafish", "year": "2022"}).content.decode()
    assert "with these filters" in html
    assert "Remove a filter" in html and "Try fewer or shorter words" in html
    html = client.get(LIST, {"venue": "tacl", "year": "2021"}).content.decode()
    assert "Remove a filter" in html and "Try fewer" not in html
