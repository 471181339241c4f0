"""Disjunctive facet counts: each facet counted over the results of every *other* filter."""

import pytest
from django.http import QueryDict

from bibliography.facets import (
    MAX_FACET_VALUES,
    TOP_AUTHORS,
    compute_facets,
    frequent_coauthors,
    year_chart,
)
from bibliography.filters import filter_papers
from bibliography.models import Author, Authorship, Award, Paper, Venue
from tests.factories import make_author, make_paper, make_venue

pytestmark = pytest.mark.django_db


def counts(facets, name):
    facet = next(f for f in facets if f.name == name)
    return {v.value: v.count for v in facet.values}


def facets_for(query: str, queryset=None):
    _, filterset = filter_papers(QueryDict(query), queryset)
    return compute_facets(filterset), filterset


@pytest.fixture
def library():
    acl = make_venue(name="ACL", short_name="ACL", slug="acl")
    tacl = make_venue(name="TACL", short_name="TACL", slug="tacl", kind=Venue.Kind.JOURNAL)
    best = Award.objects.create(name="Best Paper", slug="best-paper")
    ada = make_author("Lovelace", slug="ada")
    grace = make_author("Hopper", given_name="Grace", slug="grace")
    p1 = make_paper(venue=acl, year=2021, authors=[ada, grace])
    make_paper(venue=acl, year=2022, authors=[ada])
    make_paper(venue=tacl, year=2022, authors=[grace], entry_type=Paper.EntryType.ARTICLE)
    make_paper(venue=tacl, year=2022, authors=[ada], published=False)  # a draft: never counted
    p1.awards.add(best)
    return {"acl": acl, "tacl": tacl, "ada": ada, "grace": grace}


def test_counts_without_filters_include_only_published_papers(library):
    facets, _ = facets_for("")
    assert counts(facets, "venue") == {"acl": 2, "tacl": 1}
    assert counts(facets, "year") == {"2021": 1, "2022": 2}
    assert counts(facets, "author") == {"ada": 2, "grace": 2}
    assert counts(facets, "kind") == {"conference": 2, "journal": 1}
    # "any" leads the award facet: papers with at least one award.
    assert counts(facets, "award") == {"any": 1, "best-paper": 1}
    assert counts(facets, "type") == {"misc": 2, "article": 1}


def test_a_facet_is_counted_without_its_own_selection(library):
    facets, _ = facets_for("venue=acl")
    # The venue facet still shows what choosing TACL as well would add...
    assert counts(facets, "venue") == {"acl": 2, "tacl": 1}
    # ...while the other facets count only ACL papers.
    assert counts(facets, "year") == {"2021": 1, "2022": 1}
    assert counts(facets, "author") == {"ada": 2, "grace": 1}


def test_two_facets_narrow_each_other(library):
    facets, filterset = facets_for("venue=acl&year=2022")
    assert counts(facets, "venue") == {"acl": 1, "tacl": 1}  # papers of 2022
    assert counts(facets, "year") == {"2021": 1, "2022": 1}  # ACL papers
    assert filterset.qs.count() == 1


def test_values_within_a_facet_combine_with_or(library):
    _, filterset = facets_for("venue=acl&venue=tacl")
    assert filterset.qs.count() == 3


def test_to_many_facet_with_or_lists_each_paper_once(library):
    _, filterset = facets_for("author=ada&author=grace")
    papers = list(filterset.qs)
    assert len(papers) == len({p.pk for p in papers}) == 3


def test_a_chosen_value_without_papers_stays_listed_so_it_can_be_unticked(library):
    facets, _ = facets_for("venue=tacl&year=2021")
    venue = next(f for f in facets if f.name == "venue")
    by_value = {v.value: v for v in venue.values}
    assert by_value["tacl"].count == 0 and by_value["tacl"].selected
    assert by_value["acl"].count == 1 and not by_value["acl"].selected


def test_the_search_narrows_every_facet(library):
    Paper.objects.filter(venue=library["tacl"]).update(title="Multilingual parsing")
    facets, _ = facets_for("q=multilingual")
    assert counts(facets, "venue") == {"tacl": 1}
    # The facets counted through a subquery (bylines, awards) are narrowed as well.
    assert counts(facets, "author") == {"grace": 1}
    assert counts(facets, "award") == {}
    facets, _ = facets_for("q=multilingual&author=ada")
    assert counts(facets, "author") == {"grace": 1, "ada": 0}
    assert counts(facets, "year") == {}


def test_long_author_facet_shows_top_values_and_the_rest_behind_a_disclosure(db):
    venue = make_venue()
    authors = [make_author(f"Person{i:02d}") for i in range(30)]
    for i, author in enumerate(authors):
        # Person00 on 30 papers... Person29 on 1, so the order is known.
        for _ in range(30 - i if i < 3 else 1):
            make_paper(venue=venue, authors=[author])
    facets, _ = facets_for(f"author={authors[25].slug}")
    author_facet = next(f for f in facets if f.name == "author")
    shown = [v.value for v in author_facet.shown]
    assert shown[:3] == [authors[0].slug, authors[1].slug, authors[2].slug]
    assert len(shown) == 11  # top 10 plus the selected one
    assert authors[25].slug in shown
    assert len(author_facet.more) == 30 - 11


@pytest.fixture
def crowd(db):
    """More authors than the facet lists: ten on 3 papers each, 205 on 2, 15 on 1, one
    on a draft only. Bulk-built: one paper per byline."""
    counts = [3] * TOP_AUTHORS + [2] * (MAX_FACET_VALUES + 5) + [1] * 15 + [0]
    authors = Author.objects.bulk_create(
        Author(family_name=f"Person{i:03d}", given_name="Pat", slug=f"p{i:03d}")
        for i in range(len(counts))
    )
    papers = Paper.objects.bulk_create(
        Paper(title=f"Paper {i}-{k}", slug=f"paper-{i}-{k}", citation_key=f"k{i}x{k}", year=2020)
        for i, n in enumerate(counts)
        for k in range(n)
    )
    draft = Paper.objects.create(title="Draft", citation_key="draft", published=False)
    by_author = iter(papers)
    Authorship.objects.bulk_create(
        [
            Authorship(paper=next(by_author), author=author, position=1)
            for author, n in zip(authors, counts, strict=True)
            for _ in range(n)
        ]
        + [Authorship(paper=draft, author=authors[-1], position=1)]
    )
    return authors


def test_selected_authors_beyond_the_listed_ones_keep_their_counts(crowd):
    rare, draft_only = crowd[-2], crowd[-1]
    facets, filterset = facets_for(f"author={rare.slug}&author={draft_only.slug}")
    author_facet = next(f for f in facets if f.name == "author")
    shown = [(v.value, v.count, v.selected) for v in author_facet.shown]
    assert shown[:TOP_AUTHORS] == [(a.slug, 3, False) for a in crowd[:TOP_AUTHORS]]
    # Chosen ones are always listed with their own count; one on drafts only is unknown.
    assert shown[TOP_AUTHORS:] == [(rare.slug, 1, True)]
    assert filterset.notices() == [f"Author: no such value “{draft_only.slug}”; it was ignored."]
    assert len(author_facet.more) == MAX_FACET_VALUES
    assert {v.count for v in author_facet.more} == {2}
    # 230 authors have a published paper.
    assert author_facet.not_listed == 230 - (TOP_AUTHORS + 1) - MAX_FACET_VALUES


def test_the_author_facet_page_says_how_many_it_leaves_out(client, crowd):
    html = client.get("/", {"author": crowd[-2].slug}).content.decode()
    assert f'value="{crowd[-2].slug}" checked>' in html
    assert f"{MAX_FACET_VALUES} more authors" in html
    assert "And 19 more with fewer papers" in html
    assert f'id="f-author-{crowd[-3].slug}"' not in html  # one of those left out


def test_the_author_of_an_author_page_is_neither_listed_nor_counted(crowd):
    first = crowd[0]
    papers = Paper.objects.filter(authorships__author=first)
    _, filterset = filter_papers(QueryDict(f"author={first.slug}"), papers)
    facets = compute_facets(filterset, exclude_values={"author": {first.slug}})
    author_facet = next(f for f in facets if f.name == "author")
    assert author_facet.values == [] and author_facet.not_listed == 0


def test_year_chart_fills_gaps_and_scales_to_the_busiest_year(library):
    make_paper(year=2024)
    _, filterset = filter_papers(QueryDict(""))
    chart = year_chart(filterset)
    assert [(b.year, b.count) for b in chart.bars] == [
        (2021, 1),
        (2022, 2),
        (2023, 0),
        (2024, 1),
    ]
    assert chart.bars[1].height == 100 and chart.bars[0].height == 50
    assert chart.busiest.year == 2022


def test_frequent_coauthors_counts_shared_published_papers(library):
    papers = Paper.objects.published().filter(authorships__author=library["ada"])
    coauthors = frequent_coauthors(library["ada"], papers)
    assert [(c.value, c.count) for c in coauthors] == [("grace", 1)]


def test_frequent_coauthors_are_the_most_frequent_few_sorted_by_count_then_name(db):
    owner = make_author("Owner")
    people = {name: make_author(name) for name in ("Zed", "Abel", "Moss", "Kerr")}
    for name, shared in (("Zed", 3), ("Abel", 3), ("Moss", 1), ("Kerr", 2)):
        for _ in range(shared):
            make_paper(authors=[owner, people[name]])
    papers = Paper.objects.filter(authorships__author=owner).published()
    coauthors = frequent_coauthors(owner, papers, limit=3)
    assert [(c.label, c.count) for c in coauthors] == [
        ("Ada Abel", 3),
        ("Ada Zed", 3),
        ("Ada Kerr", 2),
    ]


@pytest.mark.parametrize(
    "params", [{}, {"venue": "acl"}, {"year": "2021"}, {"year_from": "2022", "q": "language"}]
)
def test_the_chart_from_the_year_facet_equals_the_chart_counted_alone(library, params):
    _, filterset = filter_papers(params)
    reused = year_chart(filterset, compute_facets(filterset))
    alone = year_chart(filterset)
    assert reused == alone
