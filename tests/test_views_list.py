"""The publication list: parameters, facets, search, sorting, pagination, bad input."""

import re

import pytest
from django.urls import reverse

from bibliography.models import Author, Award, Paper, Venue
from tests.factories import give_role, make_author, make_paper, make_venue

pytestmark = pytest.mark.django_db

LIST = reverse("bibliography:paper-list")


def titles(response):
    return [p.title for p in response.context["papers"]]


@pytest.fixture
def library():
    acl = make_venue(name="Association for Computational Linguistics", short_name="ACL", slug="acl")
    arxiv = make_venue(name="arXiv", short_name="arXiv", slug="arxiv", kind=Venue.Kind.PREPRINT)
    owner = make_author("Biderman", given_name="Stella", slug="stella", is_site_owner=True)
    other = make_author("Sutawika", given_name="Lintang", slug="lintang")
    make_paper(
        title="Crosslingual generalization through multitask finetuning",
        venue=acl,
        year=2023,
        authors=[other, owner],
        abstract="We study multilingual models.",
    )
    make_paper(title="Pythia: a suite for analysis", venue=arxiv, year=2023, authors=[owner])
    make_paper(title="Datasheet for the Pile", venue=arxiv, year=2022, authors=[owner, other])
    make_paper(
        title="Secret draft about multilingual things", venue=acl, year=2024, published=False
    )
    return {"acl": acl, "arxiv": arxiv, "owner": owner, "other": other}


def test_list_shows_published_papers_grouped_by_year(client, library):
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Secret draft" not in html
    assert titles(response) == [
        "Crosslingual generalization through multitask finetuning",
        "Pythia: a suite for analysis",
        "Datasheet for the Pile",
    ]
    assert re.search(r'<h3 class="year-heading"[^>]*>2023</h3>', html)
    assert re.search(r'<h3 class="year-heading"[^>]*>2022</h3>', html)
    assert "3 papers" in html


def test_venue_filter_updates_results_and_chips(client, library):
    response = client.get(LIST, {"venue": "arxiv"})
    assert titles(response) == ["Pythia: a suite for analysis", "Datasheet for the Pile"]
    html = response.content.decode()
    assert 'class="chip"' in html and "Clear all" in html
    assert 'name="venue" value="arxiv" checked' in html


def test_filters_combine_and_within_facet_or(client, library):
    both = client.get(LIST, {"venue": ["arxiv", "acl"]})
    assert len(titles(both)) == 3
    narrowed = client.get(LIST, {"venue": ["arxiv", "acl"], "year": "2022"})
    assert titles(narrowed) == ["Datasheet for the Pile"]


def test_year_range(client, library):
    assert len(titles(client.get(LIST, {"year_from": "2023"}))) == 2
    assert titles(client.get(LIST, {"year_to": "2022"})) == ["Datasheet for the Pile"]


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("author", "lintang", 2),
        ("kind", "preprint", 2),
        ("type", "misc", 3),
    ],
)
def test_each_facet_parameter_filters(client, library, param, value, expected):
    assert len(titles(client.get(LIST, {param: value}))) == expected


def test_award_filter(client, library):
    award = Award.objects.create(name="Outstanding Paper", slug="outstanding")
    Paper.objects.get(title__startswith="Pythia").awards.add(award)
    response = client.get(LIST, {"award": "outstanding"})
    assert titles(response) == ["Pythia: a suite for analysis"]
    assert "Outstanding Paper" in response.content.decode()


def test_search_matches_title_abstract_author_and_venue(client, library):
    assert titles(client.get(LIST, {"q": "pythia"})) == ["Pythia: a suite for analysis"]
    # abstract
    assert titles(client.get(LIST, {"q": "multilingual"})) == [
        "Crosslingual generalization through multitask finetuning"
    ]
    # author name
    assert len(titles(client.get(LIST, {"q": "Sutawika"}))) == 2
    # venue name
    assert len(titles(client.get(LIST, {"q": "computational linguistics"}))) == 1
    # never a draft
    assert "Secret draft" not in client.get(LIST, {"q": "secret"}).content.decode()


def test_search_words_may_fall_in_different_fields(client, library):
    assert titles(client.get(LIST, {"q": "pythia biderman"})) == ["Pythia: a suite for analysis"]
    assert titles(client.get(LIST, {"q": "sutawika datasheet"})) == ["Datasheet for the Pile"]
    assert titles(client.get(LIST, {"q": "pythia sutawika"})) == []


def test_search_on_an_author_page_matches_coauthor_names(client, library):
    response = client.get("/authors/stella/", {"q": "sutawika"})
    assert len(titles(response)) == 2


def test_search_matches_word_prefixes(client, library):
    assert titles(client.get(LIST, {"q": "multiling"})) == [
        "Crosslingual generalization through multitask finetuning"
    ]


def test_relevance_sort_puts_title_matches_first(client, library):
    make_paper(title="Unrelated work", abstract="Mentions Pythia once.", year=2024)
    response = client.get(LIST, {"q": "pythia"})
    assert response.context["sort"] == "relevance"
    assert titles(response)[0] == "Pythia: a suite for analysis"
    assert len(titles(response)) == 2


def test_sorts(client, library):
    oldest = client.get(LIST, {"sort": "oldest"})
    assert titles(oldest)[0] == "Datasheet for the Pile"
    by_title = client.get(LIST, {"sort": "title"})
    assert titles(by_title) == sorted(titles(by_title), key=str.lower)
    assert 'class="year-heading"' not in by_title.content.decode()


def test_relevance_without_a_search_falls_back_with_a_notice(client, library):
    response = client.get(LIST, {"sort": "relevance"})
    assert response.context["sort"] == "newest"
    assert "needs a search" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "99999"},
        {"year_from": "abc"},
        {"year_to": "-5"},
        {"venue": "no-such-venue"},
        {"venue": "bad slug!"},
        {"author": "\x00"},
        {"kind": "spaceship"},
        {"type": "poem"},
        {"award": "nobel"},
        {"sort": "sideways"},
        {"page": "abc"},
        {"page": "99999"},
        {"page": "-1"},
        {"q": "x" * 10_000},
        {"q": "\x00"},
        {"q": "a & | ! ( ) : * '\" \\"},
        {"venue": [f"v{i}" for i in range(500)]},
    ],
)
def test_bad_parameters_never_fail(client, library, params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert response.context["notices"] or params.get("q", "").startswith("a &")


def test_unknown_slug_is_ignored_and_the_rest_applies(client, library):
    response = client.get(LIST, {"venue": ["arxiv", "nope"]})
    assert len(titles(response)) == 2
    assert "“nope”" in response.content.decode()


def test_long_search_is_shortened_with_a_notice(client, library):
    response = client.get(LIST, {"q": "pythia " + "x" * 10_000})
    assert len(response.context["search_query"]) <= 200
    assert "shortened" in response.content.decode()


def test_empty_result_explains_and_offers_to_clear(client, library):
    response = client.get(LIST, {"venue": "acl", "year": "2022"})
    html = response.content.decode()
    assert "No papers match" in html
    assert "clear all filters" in html


def test_pagination_keeps_filters(client, library):
    venue = Venue.objects.get(slug="arxiv")
    for i in range(30):
        make_paper(title=f"Filler {i:02d}", venue=venue, year=2020)
    response = client.get(LIST, {"venue": "arxiv", "q": "filler"})
    assert len(titles(response)) == 25
    html = response.content.decode()
    # The page is rendered from its parameters in the cache key's (sorted) order.
    assert 'href="?q=filler&amp;venue=arxiv&amp;page=2"' in html
    page2 = client.get(LIST, {"venue": "arxiv", "q": "filler", "page": "2"})
    assert len(titles(page2)) == 5
    assert set(titles(page2)).isdisjoint(titles(response))


def test_page_past_the_end_shows_the_last_page(client, library):
    response = client.get(LIST, {"page": "99999"})
    assert response.context["page_obj"].number == 1
    assert "no page" in response.content.decode()


def test_chip_removes_only_its_value(client, library):
    response = client.get(LIST, {"venue": ["arxiv", "acl"], "q": "pythia", "page": "1"})
    chips = {c.value: c.remove_query for c in response.context["chips"]}
    assert chips["arXiv"] == "q=pythia&venue=acl"
    assert chips["pythia"] == "venue=arxiv&venue=acl"


def test_year_chart_links_filter_that_year_and_keep_the_rest(client, library):
    html = client.get(LIST, {"venue": "arxiv"}).content.decode()
    assert '<svg class="year-chart-svg"' in html
    assert 'href="?venue=arxiv&amp;year=2022" aria-label="2022: 1 paper"' in html
    assert "Papers per year" in html


def test_list_item_shows_owner_equal_contribution_partial_byline_links_and_abstract(client, db):
    owner = make_author("Biderman", given_name="Stella", is_site_owner=True)
    paper = make_paper(
        title="GPT-NeoX",
        authors=["Black", owner],
        authors_partial=True,
        doi="10.18653/v1/2022.bigscience-1.9",
        arxiv_id="2204.06745",
        pdf_url="https://example.org/neox.pdf",
        code_url="https://github.com/EleutherAI/gpt-neox",
        abstract="First paragraph.\n\nSecond paragraph.",
    )
    give_role(paper, [1])
    included = make_author("Crowson", given_name="Katherine")
    paper.authorships.create(author=included, position=3, order_known=False)
    html = client.get(LIST).content.decode()
    assert "<strong>Stella Biderman</strong>" in html
    assert "(equal contribution)" in html
    assert "et al. (incl. " in html and "Katherine Crowson" in html
    assert 'href="https://doi.org/10.18653/v1/2022.bigscience-1.9"' in html
    assert 'href="https://arxiv.org/abs/2204.06745"' in html
    assert 'href="https://example.org/neox.pdf"' in html
    assert 'href="https://github.com/EleutherAI/gpt-neox"' in html
    assert reverse("bibliography:paper-export", kwargs={"slug": paper.slug, "fmt": "bib"}) in html
    assert '<details class="abstract">' in html and "<p>Second paragraph.</p>" in html


def test_long_byline_is_shortened_in_the_list_but_keeps_the_owner(client, db):
    owner = make_author("Biderman", given_name="Stella", is_site_owner=True)
    authors = [f"Coauthor{i}" for i in range(40)] + [owner]
    paper = make_paper(title="BIG-bench", authors=authors)
    html = client.get(LIST).content.decode()
    assert "Stella Biderman" in html and "and 28 more" in html
    detail = client.get(paper.get_absolute_url()).content.decode()
    assert "Coauthor39" in detail and "more" not in detail.split('class="byline"')[1][:200]


def test_list_export_links_carry_the_filters_without_page(client, library):
    html = client.get(LIST, {"venue": "arxiv", "page": "1"}).content.decode()
    export = reverse("bibliography:paper-list-export", kwargs={"fmt": "bib"})
    assert f'href="{export}?venue=arxiv"' in html


def test_author_facet_lists_owner_highlighted(client, library):
    html = client.get(LIST).content.decode()
    assert 'class="facet-label owner">Stella Biderman' in html
    assert Author.objects.count() == 2


def test_facet_value_markup_escapes_names_and_says_paper_or_papers(client, library):
    odd = make_author("O'Brien <b>&</b> Co", given_name="", slug="obrien")
    make_paper(title="A third 2023 paper", venue=library["acl"], year=2023, authors=[odd])
    html = client.get(LIST, {"author": "obrien"}).content.decode()
    assert (
        '<li><input type="checkbox" id="f-author-obrien" name="author" value="obrien" checked>'
        '<label for="f-author-obrien"><span class="facet-label">O&#x27;Brien &lt;b&gt;&amp;'
        '&lt;/b&gt; Co</span> <span class="count">1<span class="visually-hidden"> paper'
        "</span></span></label></li>"
    ) in html
    assert "<b>&</b>" not in html
    unfiltered = client.get(LIST).content.decode()
    assert (
        '<label for="f-year-2023"><span class="facet-label">2023</span> '
        '<span class="count">3<span class="visually-hidden"> papers</span></span></label>'
    ) in unfiltered


def test_sort_menu_leaves_the_default_empty_so_a_new_search_sorts_by_relevance(client, library):
    html = client.get(LIST).content.decode()
    assert '<option value="" selected>Newest first</option>' in html
    assert "Relevance" not in html.split('id="sort"')[1].split("</select>")[0]
    searching = client.get(LIST, {"q": "pythia", "sort": ""}).content.decode()
    assert '<option value="" selected>Relevance</option>' in searching
    assert '<option value="newest">Newest first</option>' in searching


def test_an_empty_site_says_so(client, db):
    html = client.get(LIST).content.decode()
    assert "No papers are published here yet." in html
    assert "0 papers" in html


def test_punctuation_only_search_is_no_search(client, library):
    response = client.get(LIST, {"q": "!!! ???"})
    assert len(titles(response)) == 3
    assert response.context["chips"] == []
