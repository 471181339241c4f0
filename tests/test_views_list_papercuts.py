"""The list's small things, through HTTP: the year chart's numbers, what a short list leaves
out (a one-bar chart, facets with nothing to choose, the search box), the long byline that
opens in place, skip links, a venue named once, slugs cut after a word."""

import re

import pytest
from django.urls import reverse

from bibliography.models import Paper, Venue
from tests.factories import make_author, make_paper, make_venue

pytestmark = pytest.mark.django_db

LIST = reverse("bibliography:paper-list")


def facet_legends(html: str) -> list[str]:
    return re.findall(r"<legend>([^<]+)</legend>", html)


@pytest.fixture
def venue_of_three():
    venue = make_venue(name="Transactions of Things", short_name="ToT", slug="tot")
    for i in range(3):
        make_paper(title=f"Thing {i}", venue=venue, year=2022, entry_type="article")
    return venue


def test_the_year_chart_numbers_its_bars(client, db):
    for year, count in [(2020, 2), (2022, 3)]:
        for i in range(count):
            make_paper(title=f"Paper {year} {i}", year=year)
    html = client.get(LIST).content.decode()
    chart = html[html.index('<figure class="year-chart">') : html.index("</figure>")]
    assert re.findall(r'<text class="bar-count"[^>]*>(\d+)</text>', chart) == ["2", "3"]


def test_one_year_draws_no_chart(client, venue_of_three):
    assert '<figure class="year-chart">' not in client.get(LIST).content.decode()
    make_paper(title="An older one", year=2019)
    assert '<figure class="year-chart">' in client.get(LIST).content.decode()


def test_a_short_page_leaves_out_facets_that_cover_every_paper_and_the_search(
    client, venue_of_three
):
    html = client.get(venue_of_three.get_absolute_url()).content.decode()
    # One year, one entry type, no author: nothing to choose from.
    assert facet_legends(html) == []
    assert 'id="q"' not in html
    assert '<select id="sort"' in html  # the sort still applies
    # A facet with a value that narrows stays, and so does one with a value chosen.
    make_paper(title="Thing 3", venue=venue_of_three, year=2021, entry_type="misc")
    html = client.get(venue_of_three.get_absolute_url()).content.decode()
    assert facet_legends(html) == ["Year", "Entry type"]
    html = client.get(venue_of_three.get_absolute_url(), {"year": "2022"}).content.decode()
    assert "Year" in facet_legends(html)
    assert 'id="q"' in html  # filtered: the search is offered again


def test_a_longer_list_keeps_its_search_box(client, venue_of_three):
    for i in range(3):
        make_paper(title=f"Other {i}", year=2022)
    assert 'id="q"' in client.get(LIST).content.decode()
    assert 'id="q"' not in client.get(venue_of_three.get_absolute_url()).content.decode()


def test_a_long_byline_opens_in_place(client, db):
    owner = make_author("Biderman", given_name="Stella", is_site_owner=True)
    authors = [f"Coauthor{i:02d}" for i in range(40)] + [owner] + ["Lastauthor"]
    make_paper(title="BIG-bench", authors=authors)
    html = client.get(LIST).content.decode()
    byline = html[html.index('<div class="byline">') :]
    byline = byline[: byline.index("</div>")]
    short, rest = byline.split('<details class="byline-rest">')
    assert "Coauthor11" in short and "Coauthor12" not in short
    assert "Stella Biderman" in short  # the owner, further down, is shown anyway
    assert "<summary> and 29 more" in rest
    names = re.findall(r"Coauthor\d+|Stella Biderman|Lastauthor", rest)
    assert names == [f"Coauthor{i:02d}" for i in range(12, 40)] + ["Stella Biderman", "Lastauthor"]


def test_skip_links_lead_past_the_filters_to_the_results_and_the_pages(client, db):
    for i in range(30):
        make_paper(title=f"Paper {i}", year=2000 + i)
    html = client.get(LIST).content.decode()
    assert html.index('href="#results-heading">Skip to the results') < html.index('id="sort"')
    assert 'href="#pagination">Skip to the page links' in html
    assert 'id="results-heading"' in html and 'id="pagination"' in html
    html = client.get(LIST, {"year": "2001"}).content.decode()
    assert "Skip to the results" in html and "Skip to the page links" not in html


def test_a_venue_without_a_short_name_is_named_once(client, db):
    venue = Venue.objects.create(name="Proceedings of ICML", slug="icml")
    paper = make_paper(title="A paper", venue=venue, year=2024)
    html = client.get(paper.get_absolute_url()).content.decode()
    meta = html[html.index('<p class="paper-meta">') :]
    meta = meta[: meta.index("</p>")]
    assert meta.count("Proceedings of ICML") == 1
    paper.booktitle = "Proceedings of the 41st ICML"
    paper.save()
    html = client.get(paper.get_absolute_url()).content.decode()
    assert '<span class="venue-name">Proceedings of the 41st ICML</span>' in html


def test_a_long_title_gives_a_slug_cut_after_a_word(db):
    title = (
        "Documenting Geographically and Contextually Diverse Data Sources: The BigScience "
        "Catalogue of Language Data and Resources"
    )
    paper = make_paper(title=title)
    assert (
        paper.slug
        == "documenting-geographically-and-contextually-diverse-data-sources-the-bigscience"
    )
    assert len(paper.slug) <= 80
    assert title.lower().replace(":", "").replace(" ", "-").startswith(paper.slug)
    same = make_paper(title=title)
    assert same.slug == paper.slug + "-2"
    unbroken = make_paper(title="x" * 100)
    assert unbroken.slug == "x" * 80
    # A stored slug keeps its address.
    Paper.objects.filter(pk=paper.pk).update(slug="documenting-geographically-and-contextu")
    paper.refresh_from_db()
    paper.save()
    assert paper.slug == "documenting-geographically-and-contextu"


def test_a_page_of_one_paper_has_no_filter_column(client, db):
    venue = make_venue(name="Journal of One", short_name="JoO", slug="joo")
    make_paper(title="The only one", venue=venue, year=2022)
    make_paper(title="Elsewhere", year=2021)
    html = client.get(venue.get_absolute_url()).content.decode()
    assert 'class="browse browse-plain"' in html
    assert 'id="filters-heading"' not in html and "Skip to the results" not in html
    assert "The only one" in html
    html = client.get(LIST).content.decode()
    assert 'class="browse"' in html and 'id="filters-heading"' in html
