"""BibTeX out of the admin (an action on the changelist) and the shell (`export_bibtex`)."""

import bibtexparser
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from bibliography.models import Paper
from tests.citation_library import build_citation_library


@pytest.fixture
def library(db):
    return build_citation_library()


def keys_of(text: str) -> set[str]:
    parsed = bibtexparser.parse_string(text)
    assert not parsed.failed_blocks
    return {entry.key for entry in parsed.entries}


def test_admin_action_downloads_the_selected_papers_drafts_included(client, library):
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "pw"))
    chosen = [library["article"], library["draft"], library["hostile"]]
    response = client.post(
        reverse("admin:bibliography_paper_changelist"),
        {"action": "export_bibtex", "_selected_action": [p.pk for p in chosen]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="selected-papers.bib"'
    assert keys_of(response.content.decode()) == {
        "anon2022quality",
        Paper.objects.get(pk=library["draft"].pk).citation_key,
        "hostile-key-1---x",
    }


def test_command_writes_every_published_paper_to_a_file(library, tmp_path):
    target = tmp_path / "out.bib"
    call_command("export_bibtex", "--output", str(target), stdout=(out := _Buffer()))
    published = Paper.objects.published().count()
    assert len(keys_of(target.read_text(encoding="utf-8"))) == published
    assert f"Wrote {published} entries" in out.text


def test_command_filters_like_the_list(library):
    out = _Buffer()
    call_command("export_bibtex", "--type", "article", "--year", "2022", stdout=out)
    assert keys_of(out.text) == {"anon2022quality", "anon2022datasheet"}
    out = _Buffer()
    venue = library["article"].venue.slug
    call_command("export_bibtex", "--venue", venue, "--ascii", stdout=out)
    assert keys_of(out.text) == {"anon2022quality"} and out.text.isascii()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--year", "twenty"], "Year: no such value “twenty”"),
        (["--venue", "nowhere"], "Venue: no such value “nowhere”"),
        (["--type", "poem"], "Entry type: no such value “poem”"),
        (["--year-from", "abc"], "From year"),
    ],
)
def test_command_refuses_bad_filters_with_a_clear_message(library, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_bibtex", *arguments, stdout=_Buffer())


def test_command_refuses_to_overwrite_or_write_into_nowhere(library, tmp_path):
    existing = tmp_path / "old.bib"
    existing.write_text("keep me")
    with pytest.raises(CommandError, match="exists; pass --force"):
        call_command("export_bibtex", "--output", str(existing), stdout=_Buffer())
    assert existing.read_text() == "keep me"
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_bibtex", "--output", str(tmp_path / "no" / "x.bib"))
    with pytest.raises(CommandError, match="is a directory"):
        call_command("export_bibtex", "--output", str(tmp_path))
    call_command("export_bibtex", "--output", str(existing), "--force", stdout=_Buffer())
    assert existing.read_text().startswith("@")


class _Buffer:
    """A stdout that keeps what the command wrote."""

    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass
