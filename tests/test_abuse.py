"""Abuse cases from issue 6: huge uploads, deep braces, huge values, bad bytes, NUL, markup.

Each goes in through the real interface (the admin with the test client, the import
command, the public URLs) and must come back as a clear message or a refusal, never a 500
or a traceback, with the database as it was. Run on PostgreSQL too: it refuses NUL
characters, which SQLite stores.
"""

import json
from io import StringIO

import pybtex.database
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.http.multipartparser import MultiPartParser
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import reverse

from bibliography.models import Author, Award, Paper, Venue
from tests.admin_forms import admin_form_data
from tests.factories import make_author, make_paper, make_venue

pytestmark = pytest.mark.django_db

IMPORT = "admin:bibliography_paper_import_bibtex"
MB = 1024 * 1024
INPUT = r"\input{/etc/passwd}"
SCRIPT = "<script>alert(1)</script>"
HOSTILE = f"{INPUT} {SCRIPT}"


@pytest.fixture
def editor(client):
    """A logged-in superuser (force_login: django-axes wants a request for a real login)."""
    user = User.objects.create_superuser("boss", "boss@example.org", None)
    client.force_login(user)
    return client


def database_state() -> dict:
    """Every row of the bibliography, to compare before and after a refused action."""
    return {
        model.__name__: sorted(map(repr, model.objects.values_list()))
        for model in (Paper, Author, Venue, Award, Paper.awards.through)
    }


def import_command(text: str | bytes, tmp_path, *args):
    path = tmp_path / "hostile.bib"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    out, err = StringIO(), StringIO()
    call_command("import_bibtex", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- A 50 MB upload --------------------------------------------------------------------


def test_a_50_mb_upload_is_refused_before_its_body_is_read(monkeypatch):
    """Refused on its Content-Length, before the CSRF check would spool it to disk."""
    parsed = []
    real_parse = MultiPartParser.parse
    monkeypatch.setattr(MultiPartParser, "parse", lambda self: parsed.append(1) or real_parse(self))
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", None))
    token = get_token(client.get(reverse(IMPORT)).wsgi_request)
    upload = SimpleUploadedFile("huge.bib", b"@misc{x, title={" + b"x" * (50 * MB) + b"}}")
    response = client.post(reverse(IMPORT), {"file": upload, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == reverse(IMPORT)
    assert not parsed, "the 50 MB body was parsed before it was refused"
    page = client.get(reverse(IMPORT)).content.decode()
    assert "The upload is 50.0 MB; the limit is 2.0 MB" in page and "import_bibtex" in page
    assert not Paper.objects.exists()


def test_a_large_upload_without_a_csrf_token_is_still_refused_on_its_size():
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", None))
    upload = SimpleUploadedFile("huge.bib", b"x" * (21 * MB))
    response = client.post(reverse(IMPORT), {"file": upload}, follow=True)
    assert response.status_code == 200 and "the limit is 2.0 MB" in response.content.decode()


def test_pasting_more_than_a_form_field_holds_is_a_message_not_a_400(editor, settings):
    """Django refuses a text field over DATA_UPLOAD_MAX_MEMORY_SIZE; say so in plain words."""
    settings.BIBTEX_IMPORT_WEB_MAX_BYTES = 20 * MB  # a page limit above Django's field limit
    text = "@misc{big, title={" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + "}}"
    response = editor.post(reverse(IMPORT), {"text": text}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "too long to paste" in page and "upload it as a file" in page
    assert not Paper.objects.exists()


def test_a_file_under_the_limit_but_over_the_memory_limit_imports(editor, settings):
    """Uploads above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file and still work."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
    padding = "%" + "x" * 100 + "\n"
    count = settings.FILE_UPLOAD_MAX_MEMORY_SIZE // len(padding) + 10
    text = padding * count + "@misc{padded, title={After the padding}}\n"
    response = editor.post(reverse(IMPORT), {"file": SimpleUploadedFile("big.bib", text.encode())})
    assert response.status_code == 200 and "import-create" in response.content.decode()


# --- Deep braces, huge values, long keys ------------------------------------------------

NESTED = "@misc{deep, title={" + "{" * 100_000 + "x" + "}" * 100_000 + "}}\n"
UNCLOSED = "@misc{open, title={" + "{" * 100_000 + "x}\n@misc{after, title={After}}\n"


@pytest.mark.parametrize("text", [NESTED, UNCLOSED], ids=["balanced", "unclosed"])
def test_100000_nested_braces_are_reported_by_the_command(tmp_path, text):
    before = database_state()
    with pytest.raises(CommandError) as refused:
        import_command(text, tmp_path)
    assert "nothing was written" in str(refused.value) or "not BibTeX" in str(refused.value)
    assert database_state() == before


@pytest.mark.parametrize("text", [NESTED, UNCLOSED], ids=["balanced", "unclosed"])
def test_100000_nested_braces_are_reported_by_the_admin_page(editor, text):
    response = editor.post(reverse(IMPORT), {"file": SimpleUploadedFile("deep.bib", text.encode())})
    assert response.status_code == 200
    page = response.content.decode()
    assert "import-error" in page or "errornote" in page
    assert not Paper.objects.exists()


def test_a_1_mb_title_is_a_form_error_in_the_admin(editor):
    data = admin_form_data(editor.get(reverse("admin:bibliography_paper_add")))
    data.update(title="T" * MB, citation_key="big")
    response = editor.post(reverse("admin:bibliography_paper_add"), data)
    assert response.status_code == 200
    assert "Ensure this value has at most 1000 characters" in response.content.decode()
    assert not Paper.objects.exists()


def test_a_1_mb_title_is_reported_by_the_admin_import(editor):
    text = "@misc{big, title={" + "T" * MB + "}}\n@misc{fine, title={Fine}}\n"
    response = editor.post(reverse(IMPORT), {"file": SimpleUploadedFile("big.bib", text.encode())})
    page = response.content.decode()
    assert response.status_code == 200
    assert "title is 1,048,576 characters long; the limit is 1000" in page
    assert len(page) < 200_000, "the preview should not echo the whole title"


def test_a_10000_character_key_is_a_form_error_in_the_admin(editor):
    data = admin_form_data(editor.get(reverse("admin:bibliography_paper_add")))
    data.update(title="Long key", citation_key="k" * 10_000)
    response = editor.post(reverse("admin:bibliography_paper_add"), data)
    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters" in response.content.decode()


def test_a_10000_character_key_is_reported_by_the_admin_import(editor):
    text = "@misc{" + "k" * 10_000 + ", title={Long key}}\n"
    response = editor.post(reverse(IMPORT), {"text": text})
    assert response.status_code == 200
    assert "citation key is 10,000 characters long" in response.content.decode()


def test_a_10000_character_key_in_a_public_url_is_a_404(client):
    make_paper(title="Exists")
    key = "k" * 10_000
    for url in (f"/papers/{key}/", f"/papers/{key}.bib", f"/authors/{key}/"):
        assert client.get(url).status_code == 404


# --- Invalid UTF-8 and NUL --------------------------------------------------------------

LATIN1 = "@misc{latin, title={Caf\xe9 na\xefve}, author={M\xfcller, J\xfcrgen}}\n".encode("latin-1")


def test_invalid_utf8_is_read_with_a_note_by_the_command(tmp_path):
    out, err = import_command(LATIN1, tmp_path)
    assert "not valid UTF-8" in err
    assert Paper.objects.get().title == "Café naïve"


def test_invalid_utf8_is_read_with_a_note_by_the_admin_page(editor):
    response = editor.post(reverse(IMPORT), {"file": SimpleUploadedFile("l1.bib", LATIN1)})
    assert response.status_code == 200 and "not valid UTF-8" in response.content.decode()


def test_invalid_utf8_in_an_admin_form_is_stored_as_replacement_characters(editor):
    data = admin_form_data(editor.get(reverse("admin:bibliography_paper_add")))
    data.update(title="placeholder", citation_key="bytes")
    body = "&".join(
        f"{name}={value}" for name, value in data.items() if not isinstance(value, list)
    ).replace("title=placeholder", "title=Bad%FF%FEbytes")
    response = editor.generic(
        "POST",
        reverse("admin:bibliography_paper_add"),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert Paper.objects.get().title == "Bad\ufffd\ufffdbytes"


def test_invalid_utf8_in_query_strings_is_not_an_error(client):
    author = make_author("Byte")
    make_paper(authors=[author], venue=make_venue())
    for url in ("/", "/papers.bib", f"/authors/{author.slug}/", "/feed/", "/sitemap.xml"):
        response = client.get(url + "?q=%FF%FE&year=%C0&author=%80&page=%FF")
        assert response.status_code == 200, url
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "data",
    [
        b"@misc{nul, title={A\x00B}}\n",
        b"%" + b"x" * 10_000 + b"\n@misc{late, title={Late \x00 NUL}}\n",
        b"@misc{nul, title={Fine}, note={a\x00b}}\n",
    ],
    ids=["in-the-first-bytes", "after-8-KB", "in-an-extra-field"],
)
def test_nul_bytes_in_a_file_are_a_clear_error(tmp_path, editor, data):
    before = database_state()
    with pytest.raises(CommandError, match="NUL"):
        import_command(data, tmp_path)
    response = editor.post(reverse(IMPORT), {"file": SimpleUploadedFile("nul.bib", data)})
    assert response.status_code == 200 and "NUL" in response.content.decode()
    assert database_state() == before


def test_nul_in_pasted_bibtex_is_a_form_error(editor):
    response = editor.post(reverse(IMPORT), {"text": "@misc{nul, title={A\x00B}}"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    assert not Paper.objects.exists()


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("paper", "title"),
        ("paper", "abstract"),
        ("paper", "citation_key"),
        ("paper", "pages"),
        ("author", "family_name"),
        ("venue", "name"),
        ("award", "description"),
    ],
)
def test_nul_in_an_admin_text_field_is_a_form_error(editor, model, field):
    url = reverse(f"admin:bibliography_{model}_add")
    data = admin_form_data(editor.get(url))
    data.update({"title": "T", "family_name": "F", "name": "N", field: "before\x00after"})
    before = database_state()
    response = editor.post(url, data)
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    assert database_state() == before


def test_nul_in_the_extra_fields_json_is_a_form_error(editor):
    url = reverse("admin:bibliography_paper_add")
    data = admin_form_data(editor.get(url))
    data.update(title="T", extra_fields=json.dumps({"note": "a\x00b"}))
    response = editor.post(url, data)
    assert response.status_code == 200
    assert "NUL" in response.content.decode()
    assert not Paper.objects.exists()


def test_nul_in_query_strings_is_ignored_with_a_notice(client):
    make_paper(title="Anything")
    for url in ("/", "/papers.bib", "/papers.ris", "/papers.json", "/feed/", "/sitemap.xml"):
        response = client.get(url + "?q=a%00b&venue=%00&year=20%0022&page=%00&sort=%00")
        assert response.status_code == 200, url


def test_nul_in_the_admin_search_is_not_a_server_error(editor):
    make_paper(title="Anything")
    for model in ("paper", "author", "venue", "award"):
        response = editor.get(reverse(f"admin:bibliography_{model}_changelist") + "?q=a%00b")
        assert response.status_code == 200, model


# --- \input and <script> in every field -------------------------------------------------


def hostile_paper_through_the_admin(editor) -> Paper:
    """A paper whose every free-text field (and its author, venue and award) is hostile."""
    for model, fields in (
        ("venue", {"name": HOSTILE, "short_name": SCRIPT, "slug": "venue-x"}),
        ("award", {"name": HOSTILE, "description": HOSTILE, "slug": "award-x"}),
        (
            "author",
            {
                "given_name": INPUT,
                "family_name": SCRIPT,
                "display_name": "",
                "slug": "author-x",
                "particle": "",
            },
        ),
    ):
        url = reverse(f"admin:bibliography_{model}_add")
        data = admin_form_data(editor.get(url))
        data.update(fields)
        assert editor.post(url, data).status_code == 302, model
    url = reverse("admin:bibliography_paper_add")
    data = admin_form_data(editor.get(url))
    data.update(
        {
            "title": HOSTILE,
            "slug": "hostile",
            "year": "2022",
            "entry_type": "inproceedings",
            "venue": str(Venue.objects.get().pk),
            "awards": [str(Award.objects.get().pk)],
            "abstract": f"{HOSTILE}\n\n{SCRIPT} second paragraph",
            "citation_text": HOSTILE,
            "citation_key": "hostile",
            "booktitle": HOSTILE,
            "publisher": HOSTILE,
            "volume": SCRIPT[:50],
            "number": INPUT,
            "pages": INPUT,
            "arxiv_primary_class": SCRIPT[:40],
            "extra_fields": json.dumps({"note": HOSTILE, "address": SCRIPT}),
            "authorships-0-position": "1",
            "authorships-0-author": str(Author.objects.get().pk),
        }
    )
    response = editor.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Paper.objects.get()


def test_hostile_text_is_stored_as_typed(editor):
    paper = hostile_paper_through_the_admin(editor)
    assert paper.title == paper.citation_text == paper.booktitle == HOSTILE
    assert paper.extra_fields == {"note": HOSTILE, "address": SCRIPT}
    assert paper.listed_authors[0].name == f"{INPUT} {SCRIPT}"


def test_hostile_text_is_escaped_on_every_public_page(editor, client):
    paper = hostile_paper_through_the_admin(editor)
    pages = [
        "/",
        paper.get_absolute_url(),
        paper.listed_authors[0].get_absolute_url(),
        paper.venue.get_absolute_url(),
        paper.awards.get().get_absolute_url(),
        "/?q=input",
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert SCRIPT not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
    feed = client.get("/feed/").content.decode()
    assert SCRIPT not in feed and "&lt;script&gt;" in feed


def test_hostile_text_is_exported_escaped_and_reads_back(editor, client):
    hostile_paper_through_the_admin(editor)
    bib = b"".join(client.get("/papers.bib").streaming_content).decode()
    assert r"\input{" not in bib, "a LaTeX command must not reach the .bib as a command"
    entry = pybtex.database.parse_string(bib, "bibtex").entries["hostile"]
    assert "script" in entry.fields["title"] and "etc/passwd" in entry.fields["title"]

    # Our own importer reads every hostile value back exactly as it was typed.
    Paper.objects.all().delete()
    response = client.get("/papers.bib")
    assert response.status_code == 200
    from bibliography.importing import Source, apply_plan, prepare_import

    apply_plan(prepare_import([Source("export.bib", bib)]))
    again = Paper.objects.get(citation_key="hostile")
    assert again.title == again.booktitle == again.publisher == HOSTILE
    assert again.extra_fields["note"] == HOSTILE

    ris = b"".join(client.get("/papers.ris").streaming_content).decode()
    assert f"TI  - {HOSTILE}" in ris, "RIS is plain text: no HTML escaping"
    csl = json.loads(b"".join(client.get("/papers.json").streaming_content))
    assert csl[0]["title"] == HOSTILE


def test_hostile_values_in_an_imported_file_are_data_only(tmp_path, client):
    text = (
        '@preamble{"\\input{/etc/passwd}"}\n'
        f"@misc{{evil, title={{{HOSTILE}}}, author={{{SCRIPT} and Doe, {INPUT}}}, "
        f"note={{{HOSTILE}}}, howpublished={{{SCRIPT}}}}}\n"
    )
    import_command(text, tmp_path)
    paper = Paper.objects.get()
    assert "<script>" in paper.title and "passwd" in paper.title
    page = client.get(paper.get_absolute_url()).content.decode()
    assert SCRIPT not in page


@pytest.mark.parametrize("field", ["venue", "awards", "authorships-0-author"])
def test_an_autocomplete_value_that_is_not_an_id_is_a_form_error(editor, field):
    """Django's autocomplete widget used to look such a value up when it redrew the form."""
    url = reverse("admin:bibliography_paper_add")
    data = admin_form_data(editor.get(url))
    data.update({"title": "T", "authorships-0-position": "1", field: ":"})
    response = editor.post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode() or "valid value" in (
        response.content.decode()
    )
    assert not Paper.objects.exists()
