"""The list export's stored BibTeX entries are never stale: every write that can change an
entry (through the admin, bulk updates, raw SQL, deletes) makes the next export write it
again, and a stored export is byte for byte what writing every entry afresh gives."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from bibliography.citations.bibtex import papers_to_bibtex
from bibliography.filters import filter_papers
from bibliography.models import Author, Authorship, Paper, Venue
from tests.admin_forms import BYLINE, admin_form_data, change_url
from tests.factories import make_author, make_paper, make_venue

pytestmark = pytest.mark.django_db

LIST_BIB = reverse("bibliography:paper-list-export", args=["bib"])


def export(client, **params) -> str:
    response = client.get(LIST_BIB, params)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def stored_entries() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM citation_cache")
        return cursor.fetchone()[0]


def written_afresh(**params) -> str:
    """What the export gives when every entry is written from the models (no store)."""
    papers, _ = filter_papers({})
    return papers_to_bibtex(papers.for_list(), **params)


@pytest.fixture
def editor(client):
    client.force_login(User.objects.create_superuser("editor"))
    return client


def test_stored_entries_give_the_same_file_as_writing_them_afresh(client, seed):
    first = export(client)
    assert stored_entries() == Paper.objects.published().count()
    assert export(client) == first
    assert first == written_afresh()
    # The ASCII file is stored apart and is what the ASCII writer gives.
    ascii = export(client, ascii="1")
    assert ascii.isascii() and ascii != first
    assert export(client, ascii="1") == ascii == written_afresh(ascii=True)


def test_admin_edits_of_a_paper_an_author_and_a_byline_reach_the_export(client, editor):
    ada, grace = make_author("Lovelace", "Ada"), make_author("Hopper", "Grace")
    paper = make_paper(title="Notes on the engine", authors=[ada, grace])
    assert "author = {Lovelace, Ada and Hopper, Grace}" in export(client)

    data = admin_form_data(editor.get(change_url(paper)))
    data["title"] = "Notes on the analytical engine"
    data[f"{BYLINE}-0-position"], data[f"{BYLINE}-1-position"] = "2", "1"
    assert editor.post(change_url(paper), data).status_code == 302
    text = export(client)
    assert "title = {Notes on the analytical engine}" in text
    assert "author = {Hopper, Grace and Lovelace, Ada}" in text

    author_url = reverse("admin:bibliography_author_change", args=[ada.pk])
    data = admin_form_data(editor.get(author_url))
    data["family_name"] = "King"
    assert editor.post(author_url, data).status_code == 302
    assert "author = {Hopper, Grace and King, Ada}" in export(client)

    data = admin_form_data(editor.get(change_url(paper)))
    data[f"{BYLINE}-0-DELETE"] = "on"
    assert editor.post(change_url(paper), data).status_code == 302
    assert "author = {King, Ada}" in export(client)


def test_writes_without_signals_reach_the_export(client):
    venue = make_venue(name="Old Name Conference")
    ada = make_author("Lovelace", "Ada")
    paper = make_paper(title="Engines", authors=[ada], venue=venue, entry_type="article")
    assert "journal = {Old Name Conference}" in export(client)

    Venue.objects.filter(pk=venue.pk).update(name="New Name Conference")
    assert "journal = {New Name Conference}" in export(client)

    Author.objects.filter(pk=ada.pk).update(given_name="Augusta")
    assert "author = {Lovelace, Augusta}" in export(client)

    Paper.objects.filter(pk=paper.pk).update(pages="1-10")
    assert "pages = {1--10}" in export(client)

    Authorship.objects.create(paper=paper, author=make_author("Babbage", "Charles"), position=2)
    assert "author = {Lovelace, Augusta and Babbage, Charles}" in export(client)

    Authorship.objects.filter(paper=paper, position=1).update(position=3)
    assert "author = {Babbage, Charles and Lovelace, Augusta}" in export(client)

    Authorship.objects.filter(paper=paper, author=ada).delete()
    assert "author = {Babbage, Charles}" in export(client)

    with connection.cursor() as cursor:
        cursor.execute("UPDATE bibliography_paper SET volume = '7' WHERE id = %s", [paper.pk])
    assert "volume = {7}" in export(client)
    assert export(client) == written_afresh()


def test_a_deleted_paper_leaves_nothing_behind_for_a_new_one_with_its_id(client):
    paper = make_paper(title="The first paper")
    export(client)
    pk = paper.pk
    paper.delete()
    assert stored_entries() == 0
    make_paper(title="Another paper", pk=pk)
    assert "Another paper" in export(client)
    assert "The first paper" not in export(client)


def test_an_import_over_stored_entries_reaches_the_export(client, tmp_path):
    make_paper(title="Engines", doi="10.1234/engines", entry_type="article")
    assert "volume" not in export(client)
    bib = tmp_path / "update.bib"
    bib.write_text("@article{x, title={Engines}, doi={10.1234/engines}, volume={12}, year=2022}")
    call_command("import_bibtex", str(bib), verbosity=0)
    assert "volume = {12}" in export(client)


def test_stored_entries_keep_keys_unique_within_a_file(client):
    # Three keys the database tells apart, one key once BibTeX's unsafe characters are out.
    for key in ("same 2022", "same{2022", "same-2022"):
        make_paper(title="Same key", citation_key=key)
    for text in (export(client), export(client)):  # written, then stored
        keys = sorted(line.split("{", 1)[1] for line in text.splitlines() if line.startswith("@"))
        assert keys == ["same-2022,", "same-2022-2,", "same-2022-3,"]


def test_export_command_uses_and_fills_the_store(seed, tmp_path, client):
    target = tmp_path / "all.bib"
    call_command("export_bibtex", output=str(target), verbosity=0)
    assert stored_entries() == Paper.objects.published().count()
    assert target.read_text(encoding="utf-8") == export(client)
