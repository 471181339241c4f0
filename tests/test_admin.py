"""Curation through the admin's real pages, as a logged-in staff editor.

Every test posts what a browser would post: the form data is read back from the page the
admin rendered (main form, the byline inline's management form and rows), then changed the
way an editor would change it.
"""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from bibliography.admin import AuthorAdmin, PaperAdmin
from bibliography.keys import citation_key_base
from bibliography.models import Authorship, Award, ContributionRole, Paper, Venue
from tests.admin_forms import BYLINE, PAPER_CHANGELIST, admin_form_data, change_url
from tests.factories import make_author, make_paper, make_venue

pytestmark = pytest.mark.django_db

PAPER_ADD = "admin:bibliography_paper_add"


@pytest.fixture
def editor(client):
    """A staff member (not a superuser) with the bibliography's permissions, logged in."""
    # No password: force_login needs none, and hashing one costs a second per test.
    user = User.objects.create_user("editor", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="bibliography"))
    client.force_login(user)
    return client


def with_byline(data, rows):
    """Replace the byline rows of an add page: (author, position, equal contribution)."""
    data = {key: value for key, value in data.items() if not key.startswith(f"{BYLINE}-")}
    data.update(
        {
            f"{BYLINE}-TOTAL_FORMS": str(len(rows)),
            f"{BYLINE}-INITIAL_FORMS": "0",
            f"{BYLINE}-MIN_NUM_FORMS": "0",
            f"{BYLINE}-MAX_NUM_FORMS": "1000",
        }
    )
    for index, (author, position, equal) in enumerate(rows):
        data[f"{BYLINE}-{index}-author"] = str(author.pk)
        data[f"{BYLINE}-{index}-position"] = str(position)
        data[f"{BYLINE}-{index}-order_known"] = "on"
        if equal:
            data[f"{BYLINE}-{index}-roles"] = [str(equal_role().pk)]
    return data


def add_page_data(editor, **fields):
    data = admin_form_data(editor.get(reverse(PAPER_ADD)))
    data.update({"title": "A new paper", "year": "2022", "entry_type": "misc", **fields})
    return data


def equal_role():
    return ContributionRole.objects.built_in(ContributionRole.EQUAL_CONTRIBUTION)


def byline(paper):
    """(family name, position, marked equal contribution) per row, in order."""
    return [
        (
            a.author.family_name,
            a.position,
            any(role.slug == ContributionRole.EQUAL_CONTRIBUTION for role in a.roles.all()),
        )
        for a in paper.authorships.select_related("author").order_by("position")
    ]


def assert_form_error(response, text):
    """The page comes back (no redirect, no 500) and shows the editor `text`."""
    assert response.status_code == 200
    assert text in response.content.decode()
    errors = response.context["errors"]
    assert errors, "the admin reported no error"


# --- adding and editing a paper -------------------------------------------------------------


def test_add_paper_with_ordered_byline_venue_and_awards(editor):
    venue = make_venue(name="Conference on Language Modeling", short_name="COLM")
    spotlight = Award.objects.create(name="Spotlight Paper", kind=Award.Kind.SPOTLIGHT)
    gao, biderman, phang = make_author("Gao", "Leo"), make_author("Biderman"), make_author("Phang")
    data = add_page_data(
        editor,
        title="The Pile: An 800GB Dataset",
        venue=str(venue.pk),
        awards=[str(spotlight.pk)],
        entry_type="inproceedings",
        citation_key="",
    )
    data = with_byline(data, [(gao, 1, True), (biderman, 2, True), (phang, 3, False)])

    response = editor.post(reverse(PAPER_ADD), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    paper = Paper.objects.get(title="The Pile: An 800GB Dataset")
    assert byline(paper) == [("Gao", 1, True), ("Biderman", 2, True), ("Phang", 3, False)]
    assert paper.venue == venue
    assert list(paper.awards.all()) == [spotlight]
    assert paper.entry_type == Paper.EntryType.INPROCEEDINGS
    # Left empty, the key is made from the first author once the byline is saved.
    assert paper.citation_key == "gao2022pile"
    assert paper.slug == "the-pile-an-800gb-dataset"


def test_generated_key_gets_a_letter_when_taken(editor):
    make_paper(title="Pile", citation_key=citation_key_base("Gao", 2022, "Pile"))
    gao = make_author("Gao", "Leo")
    data = with_byline(add_page_data(editor, title="Pile again"), [(gao, 1, False)])
    assert editor.post(reverse(PAPER_ADD), data).status_code == 302
    assert Paper.objects.get(title="Pile again").citation_key == "gao2022pilea"


def test_a_key_the_editor_types_is_kept(editor):
    gao = make_author("Gao", "Leo")
    data = with_byline(add_page_data(editor, citation_key="pile-2020"), [(gao, 1, False)])
    assert editor.post(reverse(PAPER_ADD), data).status_code == 302
    assert Paper.objects.filter(citation_key="pile-2020").exists()


def test_doi_and_arxiv_links_are_stored_bare(editor):
    data = add_page_data(
        editor,
        doi="https://doi.org/10.18653/v1/2022.bigscience-1.9",
        arxiv_id="arXiv:2204.06745",
    )
    assert editor.post(reverse(PAPER_ADD), data).status_code == 302
    paper = Paper.objects.get(title="A new paper")
    assert (paper.doi, paper.arxiv_id) == ("10.18653/v1/2022.bigscience-1.9", "2204.06745")


def test_reorder_authors_by_editing_positions(editor):
    a, b, c = make_author("Alpha"), make_author("Beta"), make_author("Gamma")
    paper = make_paper(authors=[a, b, c])
    data = admin_form_data(editor.get(change_url(paper)))
    # Rows come in byline order; the editor moves Gamma to the front.
    data[f"{BYLINE}-0-position"] = "2"
    data[f"{BYLINE}-1-position"] = "3"
    data[f"{BYLINE}-2-position"] = "1"

    response = editor.post(change_url(paper), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert [family for family, _, _ in byline(paper)] == ["Gamma", "Alpha", "Beta"]


def test_swap_the_people_in_two_rows(editor):
    a, b = make_author("Alpha"), make_author("Beta")
    paper = make_paper(authors=[a, b])
    data = admin_form_data(editor.get(change_url(paper)))
    data[f"{BYLINE}-0-author"], data[f"{BYLINE}-1-author"] = str(b.pk), str(a.pk)
    data[f"{BYLINE}-1-roles"] = [str(equal_role().pk)]
    response = editor.post(change_url(paper), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert byline(paper) == [("Beta", 1, False), ("Alpha", 2, True)]


def test_add_and_remove_an_author_on_an_existing_paper(editor):
    a, b, c = make_author("Alpha"), make_author("Beta"), make_author("Gamma")
    paper = make_paper(authors=[a, b])
    data = admin_form_data(editor.get(change_url(paper)))
    data[f"{BYLINE}-0-DELETE"] = "on"
    data[f"{BYLINE}-2-author"] = str(c.pk)  # the empty extra row
    data[f"{BYLINE}-2-position"] = "3"
    assert editor.post(change_url(paper), data).status_code == 302
    assert byline(paper) == [("Beta", 2, False), ("Gamma", 3, False)]


def test_mark_a_paper_draft_then_published(editor):
    paper = make_paper()
    data = admin_form_data(editor.get(change_url(paper)))
    del data["published"]  # the editor unticks the box
    assert editor.post(change_url(paper), data).status_code == 302
    paper.refresh_from_db()
    assert not paper.published
    assert not Paper.objects.published().filter(pk=paper.pk).exists()

    data = admin_form_data(editor.get(change_url(paper)))
    data["published"] = "on"
    assert editor.post(change_url(paper), data).status_code == 302
    paper.refresh_from_db()
    assert paper.published


@pytest.mark.parametrize("action,published_after", [("unpublish", False), ("publish", True)])
def test_publish_and_unpublish_actions(editor, action, published_after):
    chosen = [make_paper(published=not published_after) for _ in range(2)]
    untouched = make_paper(published=not published_after)
    response = editor.post(
        reverse(PAPER_CHANGELIST),
        {"action": action, "_selected_action": [str(p.pk) for p in chosen]},
        follow=True,
    )
    assert response.status_code == 200
    assert "2 papers" in response.content.decode()
    for paper in chosen:
        paper.refresh_from_db()
        assert paper.published is published_after
    untouched.refresh_from_db()
    assert untouched.published is not published_after


def test_create_a_venue_from_the_paper_form_popup(editor):
    url = reverse("admin:bibliography_venue_add") + "?_to_field=id&_popup=1"
    response = editor.post(
        url,
        {
            "name": "Conference on Language Modeling",
            "short_name": "COLM",
            "kind": "conference",
            "url": "",
            "slug": "",
            "_popup": "1",
            "_to_field": "id",
        },
    )
    assert response.status_code == 200  # the popup answers with the new venue for the form
    venue = Venue.objects.get(short_name="COLM")
    assert str(venue.pk) in response.content.decode()
    assert venue.slug == "colm"


@pytest.mark.parametrize(
    "model_name,field_name,term,expected",
    [
        ("paper", "venue", "Datasets", "NeurIPS Datasets and Benchmarks"),
        ("paper", "awards", "Outstanding", "Outstanding Paper Award"),
        ("authorship", "author", "Bider", "Stella Biderman"),
    ],
)
def test_autocomplete_answers_for_venue_award_and_author(
    editor, model_name, field_name, term, expected
):
    make_venue(name="NeurIPS D&B Track", short_name="NeurIPS Datasets and Benchmarks")
    make_venue(name="arXiv", short_name="arXiv")
    Award.objects.create(name="Outstanding Paper Award")
    Award.objects.create(name="Oral Presentation")
    make_author("Biderman", "Stella")
    make_author("Gao", "Leo")
    response = editor.get(
        reverse("admin:autocomplete"),
        {"app_label": "bibliography", "model_name": model_name, "field_name": field_name,
         "term": term},
    )  # fmt: skip
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == [expected]


# --- finding papers ---------------------------------------------------------------------------


@pytest.fixture
def shelf():
    """Three papers that differ in every way the changelist searches, filters and sorts by."""
    journal = make_venue(name="Transactions of the ACL", short_name="TACL", kind="journal")
    arxiv = make_venue(name="arXiv", short_name="arXiv", kind="preprint")
    oral = Award.objects.create(name="Oral Presentation", kind=Award.Kind.ORAL)
    neox = make_paper(
        title="GPT-NeoX-20B",
        year=2022,
        venue=arxiv,
        doi="10.18653/v1/2022.bigscience-1.9",
        arxiv_id="2204.06745",
        authors=[make_author("Black", "Sid"), make_author("Biderman", "Stella")],
    )
    neox.awards.add(oral)
    quality = make_paper(
        title="Quality at a Glance",
        year=2021,
        venue=journal,
        authors=[make_author("Kreutzer", "Julia"), make_author("Caswell", "Isaac")],
    )
    draft = make_paper(title="Cut the CARP", year=2020, venue=arxiv, published=False)
    return {"neox": neox, "quality": quality, "draft": draft, "tacl": journal, "oral": oral}


def column(model_admin, name):
    """The changelist's ?o= number of a column (after the action checkbox, from 1)."""
    return model_admin.list_display.index(name) + 1


def listed(editor, **params):
    response = editor.get(reverse(PAPER_CHANGELIST), params)
    assert response.status_code == 200
    return [paper.title for paper in response.context["cl"].result_list]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("Glance", ["Quality at a Glance"]),  # title
        ("Kreutzer", ["Quality at a Glance"]),  # author's family name
        ("Stella", ["GPT-NeoX-20B"]),  # author's given name
        ("Transactions", ["Quality at a Glance"]),  # venue's name
        ("TACL", ["Quality at a Glance"]),  # venue's tag
        ("10.18653/v1/2022.bigscience-1.9", ["GPT-NeoX-20B"]),  # DOI
        ("2204.06745", ["GPT-NeoX-20B"]),  # arXiv id
        ("nothing-like-this", []),
    ],
)
def test_search_papers(editor, shelf, query, expected):
    assert listed(editor, q=query) == expected


def test_search_matching_several_authors_lists_the_paper_once(editor, shelf):
    # "a" is in both authors' names of each paper: the join must not repeat rows.
    assert sorted(listed(editor, q="a")) == ["Cut the CARP", "GPT-NeoX-20B", "Quality at a Glance"]


def test_filter_papers(editor, shelf):
    assert listed(editor, year="2021") == ["Quality at a Glance"]
    assert listed(editor, venue__id__exact=str(shelf["tacl"].pk)) == ["Quality at a Glance"]
    assert listed(editor, venue__kind__exact="preprint") == ["GPT-NeoX-20B", "Cut the CARP"]
    assert listed(editor, awards__id__exact=str(shelf["oral"].pk)) == ["GPT-NeoX-20B"]
    assert listed(editor, published__exact="0") == ["Cut the CARP"]
    assert listed(editor, published__exact="1", venue__kind__exact="preprint") == ["GPT-NeoX-20B"]


def test_filter_sidebar_offers_each_facet(editor, shelf):
    content = editor.get(reverse(PAPER_CHANGELIST)).content.decode()
    for heading in ("By published", "By year", "By kind", "By awards", "By venue"):
        assert heading in content


def test_a_bad_filter_value_is_not_a_server_error(editor, shelf):
    response = editor.get(reverse(PAPER_CHANGELIST), {"year": "not-a-year"})
    # The admin drops the bad filter and says so (?e=1), rather than failing.
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert "e=1" in response["Location"]


def test_sort_papers_by_year(editor, shelf):
    year_column = column(PaperAdmin, "year")
    assert listed(editor, o=str(year_column)) == [
        "Cut the CARP",
        "Quality at a Glance",
        "GPT-NeoX-20B",
    ]
    assert listed(editor, o=f"-{year_column}") == [
        "GPT-NeoX-20B",
        "Quality at a Glance",
        "Cut the CARP",
    ]


# --- authors and venues ----------------------------------------------------------------------


def test_author_changelist_searches_and_counts_papers(editor, shelf):
    make_paper(authors=[shelf["neox"].authorships.get(position=2).author])  # Biderman again
    url = reverse("admin:bibliography_author_changelist")
    response = editor.get(url, {"q": "Biderman"})
    assert response.status_code == 200
    [biderman] = response.context["cl"].result_list
    assert biderman.paper_count == 2
    assert "Papers" in response.content.decode()  # the column
    # Sorting by the count puts her first.
    count_column = column(AuthorAdmin, "paper_count")
    rows = editor.get(url, {"o": f"-{count_column}"}).context["cl"].result_list
    assert rows[0] == biderman


def test_venue_changelist_searches_and_counts_papers(editor, shelf):
    url = reverse("admin:bibliography_venue_changelist")
    response = editor.get(url, {"q": "arXiv"})
    assert response.status_code == 200
    [arxiv] = response.context["cl"].result_list
    assert arxiv.paper_count == 2  # drafts included: the editor sees everything
    response = editor.get(url, {"q": "Transactions"})
    assert [venue.short_name for venue in response.context["cl"].result_list] == ["TACL"]


# --- bad values: a clear error on the page, never a 500 ---------------------------------------


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("doi", "doi.org/nonsense", "Enter a DOI such as"),
        ("arxiv_id", "arxiv 22-04", "Enter an arXiv identifier such as"),
        ("year", "3000", "Ensure this value is less than or equal to 2100."),
        ("year", "999", "Ensure this value is greater than or equal to 1500."),
        ("year", "twenty", "Enter a whole number."),
        ("month", "13", "Ensure this value is less than or equal to 12."),
    ],
)
def test_bad_field_values_are_form_errors(editor, field, value, message):
    response = editor.post(reverse(PAPER_ADD), add_page_data(editor, **{field: value}))
    assert_form_error(response, message)
    assert not Paper.objects.exists()


def test_duplicate_citation_key_is_a_form_error(editor):
    make_paper(citation_key="biderman2022datasheet")
    response = editor.post(
        reverse(PAPER_ADD), add_page_data(editor, citation_key="biderman2022datasheet")
    )
    assert_form_error(response, "Paper with this Citation key already exists.")


def test_duplicate_doi_is_a_form_error_whatever_its_case(editor):
    make_paper(doi="10.1162/TACL_A_00447")
    response = editor.post(reverse(PAPER_ADD), add_page_data(editor, doi="10.1162/tacl_a_00447"))
    assert_form_error(response, "Another paper already has this DOI.")


def test_two_authors_at_the_same_position_is_a_form_error(editor):
    a, b = make_author("Alpha"), make_author("Beta")
    data = with_byline(add_page_data(editor), [(a, 1, False), (b, 1, False)])
    response = editor.post(reverse(PAPER_ADD), data)
    assert_form_error(response, "Two authors cannot share a position")
    assert not Paper.objects.exists()


def test_moving_an_author_onto_a_taken_position_is_a_form_error(editor):
    paper = make_paper(authors=[make_author("Alpha"), make_author("Beta")])
    data = admin_form_data(editor.get(change_url(paper)))
    data[f"{BYLINE}-1-position"] = "1"
    response = editor.post(change_url(paper), data)
    assert_form_error(response, "Two authors cannot share a position")
    assert byline(paper) == [("Alpha", 1, False), ("Beta", 2, False)]


def test_the_same_author_twice_is_a_form_error(editor):
    a = make_author("Alpha")
    data = with_byline(add_page_data(editor), [(a, 1, False), (a, 2, False)])
    response = editor.post(reverse(PAPER_ADD), data)
    assert_form_error(response, "This author is already on the paper")
    assert not Authorship.objects.exists()


def test_adding_an_author_already_on_the_paper_is_a_form_error(editor):
    a = make_author("Alpha")
    paper = make_paper(authors=[a])
    data = admin_form_data(editor.get(change_url(paper)))
    data[f"{BYLINE}-1-author"] = str(a.pk)
    data[f"{BYLINE}-1-position"] = "2"
    response = editor.post(change_url(paper), data)
    assert_form_error(response, "This author is already on the paper")
    assert paper.authorships.count() == 1


def test_a_position_below_one_is_a_form_error(editor):
    a = make_author("Alpha")
    data = with_byline(add_page_data(editor), [(a, 0, False)])
    response = editor.post(reverse(PAPER_ADD), data)
    assert response.status_code == 200
    assert response.context["errors"]
    assert not Paper.objects.exists()
