"""Cached pages are never stale: every write path changes the data version they are keyed
on, and the stored search document follows every edit that changes what a search finds."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bibliography.models import Venue
from tests.admin_forms import admin_form_data
from tests.conftest import make_author, make_paper, make_venue
from tests.test_admin import BYLINE, PAPER_CHANGELIST, change_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    """A logged-in superuser; the visitor is another client."""
    client.force_login(User.objects.create_superuser("editor"))
    return client


LIST = "/"


def venue_counts(visitor) -> dict[str, int]:
    facet = next(f for f in visitor.get(LIST).context["facets"] if f.name == "venue")
    return {value.value: value.count for value in facet.values}


def titles(response) -> list[str]:
    return [paper.title for paper in response.context["papers"]]


def test_an_admin_edit_changes_the_cached_counts_at_once(editor):
    visitor = Client()
    acl, emnlp = make_venue(slug="acl"), make_venue(slug="emnlp")
    paper = make_paper(venue=acl)
    make_paper(venue=acl)
    assert venue_counts(visitor) == {"acl": 2}
    cached = visitor.get(LIST).content
    assert visitor.get(LIST).content == cached  # served from the cache

    data = admin_form_data(editor.get(change_url(paper)))
    data["venue"] = str(emnlp.pk)
    assert editor.post(change_url(paper), data).status_code == 302

    assert venue_counts(visitor) == {"acl": 1, "emnlp": 1}


def test_an_admin_action_without_signals_changes_the_cached_list(editor):
    visitor = Client()
    papers = [make_paper(title=f"Paper {i}") for i in range(3)]
    assert len(titles(visitor.get(LIST))) == 3
    editor.post(
        reverse(PAPER_CHANGELIST),
        {"action": "unpublish", "_selected_action": [str(papers[0].pk)]},
    )
    assert sorted(titles(visitor.get(LIST))) == ["Paper 1", "Paper 2"]
    paper_page = visitor.get(papers[0].get_absolute_url())
    assert paper_page.status_code == 404


def test_a_bulk_import_changes_the_cached_list(tmp_path: Path):
    visitor = Client()
    make_paper(title="Already here")
    assert titles(visitor.get(LIST)) == ["Already here"]
    bib = tmp_path / "new.bib"
    bib.write_text(
        "@article{knuth84, author = {Donald E. Knuth}, title = {Literate Programming},"
        " journal = {The Computer Journal}, year = {1984}}\n",
        encoding="utf-8",
    )
    call_command("import_bibtex", str(bib), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(titles(visitor.get(LIST))) == ["Already here", "Literate Programming"]
    # The imported paper is found by its author and venue, in bulk-written rows.
    assert titles(visitor.get(LIST, {"q": "knuth computer"})) == ["Literate Programming"]


def test_a_paper_page_changes_with_its_venue():
    visitor = Client()
    venue = make_venue(name="Old Name Conference")
    paper = make_paper(venue=venue)
    assert "Old Name Conference" in visitor.get(paper.get_absolute_url()).content.decode()
    Venue.objects.filter(pk=venue.pk).update(name="New Name Conference")
    assert "New Name Conference" in visitor.get(paper.get_absolute_url()).content.decode()


def test_search_follows_renamed_authors_and_bylines(editor):
    visitor = Client()
    ada, grace = make_author("Lovelace"), make_author("Hopper")
    paper = make_paper(title="Notes on the engine", authors=[ada])
    assert titles(visitor.get(LIST, {"q": "lovelace"})) == ["Notes on the engine"]

    response = editor.get(reverse("admin:bibliography_author_change", args=[ada.pk]))
    data = admin_form_data(response)
    data["family_name"] = "Byron"
    assert (
        editor.post(reverse("admin:bibliography_author_change", args=[ada.pk]), data).status_code
        == 302
    )
    assert titles(visitor.get(LIST, {"q": "lovelace"})) == []
    assert titles(visitor.get(LIST, {"q": "byron"})) == ["Notes on the engine"]

    data = admin_form_data(editor.get(change_url(paper)))
    data[f"{BYLINE}-0-DELETE"] = "on"
    data[f"{BYLINE}-1-author"] = str(grace.pk)  # the empty extra row
    data[f"{BYLINE}-1-position"] = "2"
    assert editor.post(change_url(paper), data).status_code == 302
    assert titles(visitor.get(LIST, {"q": "byron"})) == []
    assert titles(visitor.get(LIST, {"q": "hopper engine"})) == ["Notes on the engine"]


def test_a_crawler_walking_the_paper_pages_does_not_push_the_list_out(
    client, django_assert_num_queries
):
    papers = [make_paper(title=f"Paper {i}") for i in range(400)]
    client.get(LIST)
    # More distinct pages than Django's default cache holds (300), each cached on its visit.
    for paper in papers:
        assert client.get(paper.get_absolute_url()).status_code == 200
    with django_assert_num_queries(1):  # the data version: the list is still cached
        assert client.get(LIST).status_code == 200
