"""One person, one record: the matching rule, find_person, and merging through the admin as
an editor with ordinary permissions (issue 12, People)."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from bibliography.models import (
    Author,
    AuthorNameVariant,
    AuthorSlugRedirect,
    ContributionRole,
)
from bibliography.people import (
    MergeRefused,
    find_person,
    given_names_compatible,
    likely_duplicates,
    merge_authors,
)
from tests.admin_forms import admin_form_data
from tests.factories import give_role, make_author, make_paper

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:bibliography_author_changelist"
DUPLICATES = "admin:bibliography_author_duplicates"


def login(client, *codenames):
    """A staff user with these permissions of the bibliography (all of them when none)."""
    user = User.objects.create_user("editor", is_staff=True)
    permissions = Permission.objects.filter(content_type__app_label="bibliography")
    user.user_permissions.set(
        permissions.filter(codename__in=codenames) if codenames else permissions
    )
    client.force_login(user)
    return client


@pytest.fixture
def editor(client):
    """An editor who may view, change and delete authors: no superuser, nothing else."""
    return login(client, "view_author", "change_author", "delete_author")


@pytest.mark.parametrize(
    "first,second,compatible",
    [
        ("S.", "Stella", True),
        ("Stella", "Stella Rose", True),
        ("S. R.", "Stella Rose", True),
        ("S.R.", "Stella Rose", True),
        ("Stephen", "Stephen H.", True),
        ("Zheng Xin", "Zheng-Xin", True),
        ("", "Stella", True),
        ("Stella", "Sarah", False),
        ("S. R.", "Stella Anne", False),
        ("Rose", "Stella Rose", False),
        ("Sid", "Sidney", True),  # a short form of three letters or more
        ("Jo", "Joan", False),
        ("Dhableswar K", "Dhabaleswar K", True),  # one letter missing inside a long name
        ("Andrea", "Andreas", False),  # ...not at its end: two names
        ("Maria", "Mario", False),
    ],
)
def test_given_names_compatible(first, second, compatible):
    assert given_names_compatible(first, second) is compatible
    assert given_names_compatible(second, first) is compatible


def test_find_person_prefers_an_exact_spelling_then_the_one_compatible_person():
    stella = make_author("Biderman", given_name="Stella")
    AuthorNameVariant.objects.create(
        author=stella, given_name="Stella Rose", family_name="Biderman"
    )
    assert find_person("Stella Rose", "", "Biderman") == stella  # a variant, exactly
    assert find_person("S.", "", "biderman") == stella  # compatible, the only one
    assert find_person("Sarah", "", "Biderman") is None
    assert find_person("S.", "", "Nobody") is None
    assert find_person("", "", "") is None
    sam = make_author("Biderman", given_name="Sam")
    assert find_person("S.", "", "Biderman") is None  # Stella or Sam: do not guess
    assert find_person("Sam", "", "Biderman") == sam


def test_find_person_keeps_particles_and_suffixes_apart():
    berg = make_author("Berg", given_name="Anna", particle="van den")
    assert find_person("A.", "van den", "Berg") == berg
    assert find_person("A.", "", "Berg") is None
    king = make_author("King", given_name="Martin", suffix="Jr.")
    assert find_person("Martin", "", "King", "Jr.") == king
    assert find_person("Martin", "", "King", "Sr.") is None


def test_duplicate_report_pairs_compatible_names_and_same_orcids_not_coauthors():
    stella = make_author("Biderman", given_name="Stella")
    initial = make_author("Biderman", given_name="S.")
    make_author("Biderman", given_name="Sarah")
    first = make_author("Gao", given_name="Leo", orcid="0000-0002-1825-0097")
    second = make_author("Gao", given_name="L. G.", orcid="0000-0002-1825-0097")
    a = make_author("Black", given_name="Sid")
    b = make_author("Black", given_name="S.")
    make_paper(authors=[a, b])  # two people on one byline are two people
    pairs = {frozenset((p.first.pk, p.second.pk)): p.reason for p in likely_duplicates()}
    assert frozenset((stella.pk, initial.pk)) in pairs
    assert "ORCID" in pairs[frozenset((first.pk, second.pk))]
    assert frozenset((a.pk, b.pk)) not in pairs
    assert len(pairs) == 3  # S. pairs with Sarah too; Stella and Sarah do not pair


def test_editor_sees_the_duplicate_report_and_its_merge_buttons(editor):
    stella = make_author("Biderman", given_name="Stella")
    initial = make_author("Biderman", given_name="S.")
    html = editor.get(reverse(CHANGELIST)).content.decode()
    assert reverse(DUPLICATES) in html
    response = editor.get(reverse(DUPLICATES))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stella Biderman" in html and "S. Biderman" in html
    assert f'name="_selected_action" value="{stella.pk}"' in html
    assert f'name="_selected_action" value="{initial.pk}"' in html


def test_report_and_merge_need_change_and_delete_permission(client):
    editor = login(client, "view_author", "change_author")
    assert editor.get(reverse(DUPLICATES)).status_code == 403
    a, b = make_author("Biderman", given_name="Stella"), make_author("Biderman", given_name="S.")
    response = editor.post(
        reverse(CHANGELIST), {"action": "merge_selected", "_selected_action": [a.pk, b.pk]}
    )
    # The action is not offered: the admin says so and nothing changes.
    assert response.status_code in (200, 302)
    assert Author.objects.count() == 2


def merge_through_admin(editor, authors, keep):
    selected = {"action": "merge_selected", "_selected_action": [a.pk for a in authors]}
    confirm = editor.post(reverse(CHANGELIST), selected)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert 'name="keep"' in html
    for author in authors:
        assert author.slug in html
    return editor.post(reverse(CHANGELIST), {**selected, "keep": str(keep.pk)}, follow=True)


def test_merge_moves_bylines_roles_variants_profile_and_redirects_the_old_slug(editor):
    stella = make_author("Biderman", given_name="Stella", slug="stella", is_site_owner=True)
    initial = make_author(
        "Biderman",
        given_name="S.",
        slug="s-biderman",
        orcid="0000-0002-1825-0097",
        homepage="https://example.org/stella",
    )
    AuthorNameVariant.objects.create(author=initial, given_name="S. R.", family_name="Biderman")
    kept_paper = make_paper(title="The Pile", authors=["Gao", stella])
    moved_paper = make_paper(title="GPT-NeoX-20B", authors=["Black", initial, "Hallahan"])
    give_role(moved_paper, [2])
    give_role(moved_paper, [2], slug=ContributionRole.CORRESPONDING_AUTHOR)

    response = merge_through_admin(editor, [stella, initial], keep=stella)

    assert "Merged S. Biderman into Stella Biderman." in response.content.decode()
    assert not Author.objects.filter(slug="s-biderman").exists()
    stella.refresh_from_db()
    assert stella.is_site_owner and stella.orcid == "0000-0002-1825-0097"
    assert stella.homepage == "https://example.org/stella"
    moved = moved_paper.authorships.get(position=2)
    assert moved.author == stella
    assert {r.slug for r in moved.roles.all()} == {"equal-contribution", "corresponding-author"}
    assert [a.author.family_name for a in moved_paper.authorships.order_by("position")] == [
        "Black",
        "Biderman",
        "Hallahan",
    ]
    assert kept_paper.authorships.get(position=2).author == stella
    assert set(stella.name_variants.values_list("given_name", flat=True)) == {"S.", "S. R."}
    # The old page answers with a permanent redirect to the kept one, query and all.
    old = editor.get("/authors/s-biderman/?sort=oldest")
    assert old.status_code == 301
    assert old["Location"] == "/authors/stella/?sort=oldest"
    assert find_person("S. R.", "", "Biderman") == stella


def test_merge_refuses_two_orcids_and_people_on_one_paper(editor):
    a = make_author("Gao", given_name="Leo", orcid="0000-0002-1825-0097")
    b = make_author("Gao", given_name="L.", orcid="0000-0001-5109-3700")
    response = merge_through_admin(editor, [a, b], keep=a)
    assert "Not merged: These authors have different ORCID iDs" in response.content.decode()
    assert Author.objects.filter(pk=b.pk).exists()

    c, d = make_author("Black", given_name="Sid"), make_author("Black", given_name="S.")
    make_paper(title="Both of them", authors=[c, d])
    response = merge_through_admin(editor, [c, d], keep=c)
    html = response.content.decode()
    assert "same paper" in html and "Both of them" in html
    assert Author.objects.filter(pk=d.pk).exists()


def test_merge_needs_two_and_a_kept_one_among_them(editor):
    a = make_author("Gao")
    response = editor.post(
        reverse(CHANGELIST), {"action": "merge_selected", "_selected_action": [a.pk]}, follow=True
    )
    assert "Choose at least two authors to merge." in response.content.decode()
    b = make_author("Gao")
    response = editor.post(
        reverse(CHANGELIST),
        {"action": "merge_selected", "_selected_action": [a.pk, b.pk], "keep": "999999"},
    )
    assert "Choose which author to keep." in response.content.decode()
    assert Author.objects.count() == 2


def test_merging_back_into_a_merged_away_slug_keeps_no_self_redirect():
    a, b = make_author("Gao", slug="leo"), make_author("Gao", slug="leo-gao", given_name="L.")
    merge_authors([a, b], keep=b)
    c = make_author("Gao", slug="leo", given_name="Leo")  # the slug is taken again
    merge_authors([b, c], keep=c)
    assert list(AuthorSlugRedirect.objects.values_list("old_slug", "author__slug")) == [
        ("leo-gao", "leo")
    ]
    with pytest.raises(MergeRefused):
        merge_authors([c], keep=c)


def test_editor_adds_a_name_variant_and_profile_fields_in_the_author_form(editor):
    author = make_author("Biderman", given_name="Stella")
    url = reverse("admin:bibliography_author_change", args=[author.pk])
    data = admin_form_data(editor.get(url))
    data.update(
        {
            "position": "PhD student",
            "affiliation": "EleutherAI",
            "name_variants-TOTAL_FORMS": "1",
            "name_variants-0-given_name": "S.",
            "name_variants-0-family_name": "Biderman",
        }
    )
    response = editor.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    author.refresh_from_db()
    assert (author.position, author.affiliation) == ("PhD student", "EleutherAI")
    assert [str(v) for v in author.name_variants.all()] == ["S. Biderman"]


@pytest.fixture
def curator(client):
    """An editor with the bibliography's ordinary permissions (no superuser)."""
    return login(client)


def test_editor_defines_a_role_and_ticks_it_in_a_byline(curator, client):
    response = curator.post(
        reverse("admin:bibliography_contributionrole_add"),
        {"name": "project lead", "slug": "project-lead", "symbol": "‡", "order": "3"},
    )
    assert response.status_code == 302
    role = ContributionRole.objects.get(slug="project-lead")
    paper = make_paper(title="Led by her", authors=["Gao", "Biderman"])
    url = reverse("admin:bibliography_paper_change", args=[paper.pk])
    data = admin_form_data(curator.get(url))
    data["authorships-1-roles"] = [str(role.pk)]
    assert curator.post(url, data).status_code == 302
    html = client.get(paper.get_absolute_url()).content.decode()
    assert '<span class="role-mark" aria-hidden="true">‡</span>' in html
    assert "project lead" in html[html.index('<p class="role-legend">') :]


def test_a_role_needs_a_symbol(curator):
    response = curator.post(
        reverse("admin:bibliography_contributionrole_add"),
        {"name": "ghost", "slug": "ghost", "symbol": "", "order": "0"},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_venue_series_is_one_level_deep(curator):
    from tests.factories import make_venue

    neurips = make_venue(name="NeurIPS", short_name="NeurIPS")
    track = make_venue(name="D&B", short_name="D&B", series=neurips)
    workshop = make_venue(name="Workshop", short_name="WS")
    url = reverse("admin:bibliography_venue_change", args=[workshop.pk])
    data = admin_form_data(curator.get(url))
    data["series"] = str(track.pk)
    response = curator.post(url, data)
    assert response.status_code == 200
    assert "itself belongs to" in response.content.decode()
    data["series"] = str(workshop.pk)
    assert "cannot be its own series" in curator.post(url, data).content.decode()
    url = reverse("admin:bibliography_venue_change", args=[neurips.pk])
    data = admin_form_data(curator.get(url))
    data["series"] = str(workshop.pk)
    assert "cannot join another" in curator.post(url, data).content.decode()
    data["series"] = "abc"  # hostile: a form error, not a 500
    assert curator.post(url, data).status_code == 200
    neurips.refresh_from_db()
    assert neurips.series is None


def test_award_gets_its_venue_year_and_a_web_link_in_the_admin(curator):
    from bibliography.models import Award
    from tests.factories import make_venue

    iclr = make_venue(name="ICLR", short_name="ICLR")
    add = reverse("admin:bibliography_award_add")
    fields = {"name": "Spotlight Paper", "slug": "", "kind": "spotlight", "description": ""}
    bad = curator.post(
        add, {**fields, "venue": str(iclr.pk), "year": "2022", "url": "ftp://example.org/award"}
    )
    assert bad.status_code == 200
    assert "url" in bad.context["adminform"].form.errors  # ftp:// is no web page
    assert (
        curator.post(add, {**fields, "venue": str(iclr.pk), "year": "3000", "url": ""}).status_code
        == 200
    )
    ok = curator.post(
        add, {**fields, "venue": str(iclr.pk), "year": "2022", "url": "https://iclr.cc/awards"}
    )
    assert ok.status_code == 302
    award = Award.objects.get()
    assert (award.venue, award.year, award.given_by) == (iclr, 2022, "ICLR 2022")
