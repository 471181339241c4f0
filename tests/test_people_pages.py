"""The public side of issue 12's People and Venues and awards: the people, venue and award
indexes, contribution marks and their legend, the byline-role filter, venue series, "any
award", and exports that keep names clean."""

import pytest
from django.urls import reverse

from bibliography.models import AuthorSlugRedirect, Award, ContributionRole
from tests.factories import give_role, make_author, make_paper, make_venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab():
    """An owner who is first, last, corresponding and middle author; a NeurIPS series."""
    neurips = make_venue(name="NeurIPS", short_name="NeurIPS", slug="neurips")
    track = make_venue(name="Datasets and Benchmarks", short_name="D&B", slug="db", series=neurips)
    workshop = make_venue(name="Broadening Research", short_name="BRC", slug="brc", series=neurips)
    other = make_venue(name="ICLR", short_name="ICLR", slug="iclr")
    owner = make_author(
        "Biderman",
        given_name="Stella",
        slug="stella",
        is_site_owner=True,
        position="Lab head",
        affiliation="EleutherAI",
        orcid="0000-0002-1825-0097",
    )
    gao = make_author("Gao", given_name="Leo", slug="leo")
    first = make_paper(title="Owner first", venue=track, authors=[owner, gao])
    make_paper(title="Owner last", venue=workshop, authors=[gao, owner])
    middle = make_paper(title="Owner middle", venue=other, authors=[gao, owner, "Black"])
    partial = make_paper(title="Owner last named", venue=other, authors=[gao, owner])
    partial.authors_partial = True
    partial.save()
    give_role(middle, [2], slug=ContributionRole.CORRESPONDING_AUTHOR)
    give_role(first, [1, 2])
    award = Award.objects.create(
        name="Outstanding Paper", slug="outstanding", venue=track, year=2022
    )
    first.awards.add(award)
    make_paper(
        title="A draft",
        venue=other,
        authors=[make_author("Hidden", slug="hidden")],
        published=False,
    )
    return {"owner": owner, "neurips": neurips, "award": award}


def titles(response):
    return sorted(paper.title for paper in response.context["papers"])


def test_papers_index_redirects_permanently_to_the_list(client, db):
    response = client.get("/papers/?q=pile")
    assert response.status_code == 301
    assert response["Location"] == "/?q=pile"
    assert reverse("bibliography:paper-index") == "/papers/"


def test_people_page_shows_owners_profile_first_then_everyone_with_counts(client, lab):
    response = client.get(reverse("bibliography:author-list"))
    assert response.status_code == 200
    html = response.content.decode()
    members = html.index("Members")
    assert html.index("Lab head, EleutherAI") > members
    assert "https://orcid.org/0000-0002-1825-0097" in html
    assert [owner.slug for owner in response.context["owners"]] == ["stella"]
    counts = {a.slug: a.paper_count for a in response.context["authors"]}
    assert counts["leo"] == 4 and "hidden" not in counts  # drafts make nobody public
    assert "Hidden" not in html


def test_author_page_shows_the_profile(client, lab):
    html = client.get("/authors/stella/").content.decode()
    assert "Lab head, EleutherAI" in html


def test_a_redirect_to_an_author_without_public_papers_is_a_404(client, lab):
    hidden = lab["owner"].__class__.objects.get(slug="hidden")
    AuthorSlugRedirect.objects.create(old_slug="old-hidden", author=hidden)
    assert client.get("/authors/old-hidden/").status_code == 404
    assert client.get("/authors/never-was/").status_code == 404


def test_venue_index_nests_members_under_their_series_with_summed_counts(client, lab):
    response = client.get(reverse("bibliography:venue-list"))
    assert response.status_code == 200
    top = {v.slug: v for v in response.context["venues"]}
    assert set(top) == {"neurips", "iclr"}
    assert top["neurips"].total == 2
    assert [m.slug for m in top["neurips"].member_list] == ["brc", "db"]


def test_award_index_says_who_gave_it_and_when(client, lab):
    response = client.get(reverse("bibliography:award-list"))
    html = response.content.decode()
    assert "Outstanding Paper" in html and "D&amp;B 2022" in html
    assert "/?award=any" in html
    detail = client.get(lab["award"].get_absolute_url()).content.decode()
    assert "Given by" in detail and 'href="/venues/db/"' in detail


def test_award_url_must_be_a_web_link(lab):
    from django.core.exceptions import ValidationError

    award = lab["award"]
    award.url = "ftp://example.org/award"
    with pytest.raises(ValidationError) as error:
        award.full_clean()
    assert "url" in error.value.message_dict


def test_any_award_filters_and_is_a_facet_value(client, lab):
    response = client.get("/?award=any")
    assert titles(response) == ["Owner first"]
    award_facet = next(f for f in response.context["facets"] if f.name == "award")
    assert (award_facet.values[0].value, award_facet.values[0].count) == ("any", 1)
    assert award_facet.values[0].selected
    assert [(c.label, c.value) for c in response.context["chips"]] == [("Award", "Any award")]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("role=first", ["Owner first"]),
        ("role=last", ["Owner last"]),  # not "Owner last named": that list goes on
        ("role=corresponding", ["Owner middle"]),
        ("role=any", ["Owner first", "Owner last", "Owner last named", "Owner middle"]),
    ],
)
def test_role_filter_on_the_author_page_and_on_the_list(client, lab, query, expected):
    assert titles(client.get(f"/authors/stella/?{query}")) == expected
    assert titles(client.get(f"/?author=stella&{query}")) == expected


def test_role_filter_works_for_any_author_and_counts_follow(client, lab):
    response = client.get("/?author=leo&role=first")
    assert titles(response) == ["Owner last", "Owner last named", "Owner middle"]
    venues = {
        v.value: v.count
        for f in response.context["facets"]
        if f.name == "venue"
        for v in f.every_value
    }
    assert venues == {"iclr": 2, "neurips": 1, "brc": 1}
    assert ("Role", "First author") in [(c.label, c.value) for c in response.context["chips"]]
    html = response.content.decode()
    assert '<select id="role" name="role">' in html
    assert '<option value="first" selected>First author</option>' in html


def test_bad_or_authorless_role_is_ignored_with_a_notice(client, lab):
    response = client.get("/?role=second")
    assert response.status_code == 200
    assert len(response.context["papers"]) == 4
    assert any("Author's role" in n and "second" in n for n in response.context["notices"])
    response = client.get("/?role=first")
    assert len(response.context["papers"]) == 4
    assert (
        "Author's role: choose an author first; the role was ignored."
        in response.context["notices"]
    )
    assert '<select id="role"' not in response.content.decode()


def test_series_facet_lists_members_and_choosing_it_selects_them_all(client, lab):
    response = client.get("/")
    venue_facet = next(f for f in response.context["facets"] if f.name == "venue")
    series = next(v for v in venue_facet.values if v.value == "neurips")
    assert series.count == 2
    assert sorted((m.value, m.count) for m in series.members) == [("brc", 1), ("db", 1)]
    assert titles(client.get("/?venue=neurips")) == ["Owner first", "Owner last"]
    chosen = client.get("/?venue=db")
    assert titles(chosen) == ["Owner first"]
    assert ("Venue", "D&B") in [(c.label, c.value) for c in chosen.context["chips"]]


def test_series_page_lists_its_members_papers_and_a_member_facet(client, lab):
    response = client.get("/venues/neurips/")
    assert response.status_code == 200
    assert titles(response) == ["Owner first", "Owner last"]
    venue_facet = next(f for f in response.context["facets"] if f.name == "venue")
    assert sorted(v.value for v in venue_facet.values) == ["brc", "db"]
    member = client.get("/venues/db/").content.decode()
    assert 'Part of <a href="/venues/neurips/">NeurIPS</a>' in member


def test_search_for_the_series_name_finds_its_members_papers(client, lab):
    assert titles(client.get("/?q=neurips")) == ["Owner first", "Owner last"]
    assert titles(client.get("/?q=neurips+last")) == ["Owner last"]


def test_byline_marks_and_a_legend_of_the_roles_on_the_page(client, lab):
    html = client.get("/").content.decode()
    assert (
        '<span class="role-mark" aria-hidden="true">*</span>'
        '<span class="visually-hidden"> (equal contribution)</span>' in html
    )
    legend = html[html.index('<p class="role-legend">') :]
    legend = legend[: legend.index("</p>")]
    assert "equal contribution" in legend and "corresponding author" in legend
    assert legend.index("equal contribution") < legend.index("corresponding author")
    # A page with no marks has no legend, and the footer no longer claims one.
    html = client.get("/?venue=brc").content.decode()
    assert "role-legend" not in html and "contributed equally" not in html
    paper = client.get("/papers/owner-middle/").content.decode()
    assert '<p class="role-legend">' in paper and "equal contribution" not in paper


def test_editor_defined_role_shows_its_own_symbol(client, lab):
    ContributionRole.objects.create(name="project lead", slug="project-lead", symbol="‡", order=3)
    give_role(
        lab["owner"].authorships.get(paper__title="Owner last").paper, [2], slug="project-lead"
    )
    html = client.get("/papers/owner-last/").content.decode()
    assert '<span class="role-mark" aria-hidden="true">‡</span>' in html
    assert "project lead" in html


@pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
def test_exports_keep_names_clean_of_marks(client, lab, fmt):
    text = client.get(f"/papers/owner-first.{fmt}").content.decode()
    assert "Biderman" in text
    for mark in ("*", "†", "equal contribution"):
        assert mark not in text
    meta = client.get("/papers/owner-first/").content.decode()
    assert '<meta name="citation_author" content="Biderman, Stella">' in meta or (
        'content="Stella Biderman"' in meta
    )
    assert 'citation_author" content="Biderman, Stella*' not in meta


@pytest.mark.parametrize("size", [20, 600])
def test_people_page_costs_the_same_queries_for_many_authors(
    client, django_assert_num_queries, size
):
    from bibliography.models import Author, Authorship

    authors = Author.objects.bulk_create(
        Author(family_name=f"Family{i:04d}", given_name="Given", slug=f"a{i}", is_site_owner=i < 3)
        for i in range(size)
    )
    paper = make_paper(title="Everyone at once")
    Authorship.objects.bulk_create(
        Authorship(paper=paper, author=author, position=i + 1) for i, author in enumerate(authors)
    )
    # The data version, the site owners' names for the title (once per data version), the
    # owners, the count and the page.
    with django_assert_num_queries(5):
        response = client.get("/authors/?page=2")
    assert response.status_code == 200
    assert len(response.context["owners"]) == 3
    assert response.context["page_obj"].number == (2 if size > 200 else 1)


def test_sitemap_lists_the_indexes_and_the_series(client, lab):
    xml = client.get("/sitemap.xml").content.decode()
    for path in ("/authors/</loc>", "/venues/</loc>", "/awards/</loc>", "/venues/neurips/</loc>"):
        assert path in xml
    assert "/authors/hidden/" not in xml
