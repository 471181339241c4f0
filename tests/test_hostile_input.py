"""Property-based tests (hypothesis): whatever a visitor or an editor sends, no 500.

Arbitrary query strings at every public URL, arbitrary text in every admin form field, and
arbitrary bytes and BibTeX-like text into the importer (command and admin page). The client
re-raises any unhandled exception, so "no 500" also means "no traceback". Each example that
writes rolls its writes back, so the examples of one test do not see each other's data.

Example counts come from the hypothesis profile in conftest.py (HYPOTHESIS_PROFILE).
"""

import contextlib
from io import StringIO
from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from bibliography.models import Author, Authorship, Award, Paper, Venue
from tests.admin_forms import admin_form_data
from tests.factories import make_author, make_paper, make_venue

pytestmark = pytest.mark.django_db

LIST_PARAMETERS = ["q", "year", "year_from", "year_to", "venue", "kind", "author", "award"]
LIST_PARAMETERS += ["type", "sort", "page", "download", "ascii", "p"]


@contextlib.contextmanager
def rolled_back():
    """Run the block in a savepoint that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def database_state() -> dict:
    return {
        model.__name__: sorted(map(repr, model.objects.values_list()))
        for model in (Paper, Author, Venue, Award, Authorship, Paper.awards.through)
    }


def read_body(response) -> bytes:
    """The whole body; a streamed export runs its generator (and any error in it) here."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def library():
    """A paper with an author, a venue and an award, plus a draft: every public URL exists."""
    venue = make_venue(name="Journal of Tests", short_name="JoT")
    author = make_author("Curie", "Marie")
    award = Award.objects.create(name="Best Paper")
    paper = make_paper(
        authors=[author, "Skłodowska"], venue=venue, title="On Radium", doi="10.1234/x"
    )
    paper.awards.add(award)
    make_paper(authors=[author], title="Hidden draft", published=False)
    return {"paper": paper, "author": author, "venue": venue, "award": award}


def public_urls(library) -> list[str]:
    paper = library["paper"]
    return [
        "/",
        "/papers.bib",
        "/papers.ris",
        "/papers.json",
        paper.get_absolute_url(),
        f"/papers/{paper.slug}.bib",
        f"/papers/{paper.slug}.ris",
        f"/papers/{paper.slug}.json",
        library["author"].get_absolute_url(),
        library["venue"].get_absolute_url(),
        library["award"].get_absolute_url(),
        "/feed/",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
        "/authors/",
        "/venues/",
        "/awards/",
    ]


# A value a visitor might send: anything at all, or something close to a real value.
values = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        ["2022", "1499", "2101", "0", "-1", "99999999999999999999", "1e3", "newest", "relevance"]
    ),
    st.sampled_from(["curie-marie", "jot", "best-paper", "journal", "article", "inproceedings"]),
    st.integers().map(str),
    st.text(alphabet="\x00\t\n\r %&=+#?/\\<>\"'{}[]", max_size=10),
)
query_pairs = st.lists(
    st.tuples(st.one_of(st.sampled_from(LIST_PARAMETERS), st.text(max_size=12)), values),
    max_size=8,
)
# Raw bytes, percent-encoded: not necessarily UTF-8 at all.
raw_query = st.binary(max_size=40).map(lambda data: "q=" + quote_from_bytes(data))


@pytest.mark.parametrize("url_index", range(15))
@given(pairs=query_pairs, raw=st.one_of(st.none(), raw_query))
@settings(max_examples=25)
def test_any_query_string_at_any_public_url_is_answered(client, library, url_index, pairs, raw):
    url = public_urls(library)[url_index]
    query = urlencode(pairs)
    if raw:
        query = f"{query}&{raw}" if query else raw
    response = client.get(f"{url}?{query}")
    read_body(response)
    # The sitemap answers a `p` that is not a page with a 404; every other page lists anyway.
    expected = {200, 404} if url == "/sitemap.xml" else {200}
    assert response.status_code in expected, (url, query)


@given(slug=st.text(min_size=1, max_size=80))
def test_any_slug_in_a_public_url_is_a_page_or_a_404(client, library, slug):
    for pattern in ("/papers/{}/", "/papers/{}.bib", "/authors/{}/", "/venues/{}/", "/awards/{}/"):
        response = client.get(pattern.format(quote(slug, safe="")))
        read_body(response)
        assert response.status_code in {200, 404}


# --- The admin's forms ------------------------------------------------------------------


@pytest.fixture
def editor(client):
    user = User.objects.create_superuser("boss", "boss@example.org", None)
    client.force_login(user)
    return client


# What an editor (or an attacker with an editor's password) might type into a field.
field_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="\x00\\{}%$&#_^~<>\"'\n\r\t", max_size=20),
    st.sampled_from(
        [
            r"\input{/etc/passwd}",
            "<script>alert(1)</script>",
            "{{ settings.SECRET_KEY }}",
            '{"note": "x"}',
            '["a", 1]',
            "null",
            "1e400",
            "-5",
            "2022",
            "https://doi.org/10.1234/x",
            "javascript:alert(1)",
            "x" * 1001,
        ]
    ),
)
# Every field of each admin add form, as the browser names them (inline rows included).
FORM_FIELDS = {
    "paper": [
        "title", "slug", "entry_type", "year", "month", "venue", "abstract", "citation_text",
        "citation_key", "doi", "arxiv_id", "arxiv_primary_class", "url", "pdf_url", "code_url",
        "booktitle", "publisher", "volume", "number", "pages", "extra_fields", "awards",
        "authorships-0-position", "authorships-0-author", "authorships-TOTAL_FORMS",
    ],
    "author": [
        "given_name", "particle", "family_name", "suffix", "display_name", "slug", "orcid",
        "homepage",
    ],
    "venue": ["name", "short_name", "kind", "url", "slug"],
    "award": ["name", "slug", "kind", "description"],
}  # fmt: skip
BASELINE = {
    "paper": {"title": "Baseline", "authorships-0-position": "1"},
    "author": {"family_name": "Baseline"},
    "venue": {"name": "Baseline venue"},
    "award": {"name": "Baseline award"},
}


@pytest.fixture
def blank_form(editor, library, request):
    """The add page's form data for the test's `model`, read once for all its examples."""
    model = request.node.callspec.params["model"]
    return admin_form_data(editor.get(reverse(f"admin:bibliography_{model}_add")))


@pytest.mark.parametrize("model", list(FORM_FIELDS))
@given(data=st.data())
@settings(max_examples=40)
def test_any_text_in_any_admin_form_field_is_saved_or_refused(
    editor, library, blank_form, model, data
):
    url = reverse(f"admin:bibliography_{model}_add")
    chosen = data.draw(
        st.dictionaries(st.sampled_from(FORM_FIELDS[model]), field_text, min_size=1, max_size=6)
    )
    with rolled_back():
        before = {m: m.objects.count() for m in (Paper, Author, Venue, Award)}
        post = {**blank_form, **BASELINE[model], **chosen}
        if model == "paper" and "authorships-0-author" not in chosen:
            post["authorships-0-author"] = str(library["author"].pk)
        response = editor.post(url, post)
        assert response.status_code in {200, 302}
        if response.status_code == 200:
            # Refused: the page says why, and nothing was written.
            assert response.context["errors"], chosen
            assert {m: m.objects.count() for m in before} == before
        else:
            # Saved: what was stored is shown on the public site without an error.
            model_class = {"paper": Paper, "author": Author, "venue": Venue, "award": Award}[model]
            saved = model_class.objects.order_by("-pk").first()
            for public in (saved.get_absolute_url(), "/papers.bib"):
                page = editor.get(public)
                read_body(page)
                assert page.status_code in {200, 404}, public


@given(query=query_pairs)
@settings(max_examples=20)
def test_any_query_string_at_the_admin_changelists_is_answered(editor, library, query):
    for model in FORM_FIELDS:
        response = editor.get(reverse(f"admin:bibliography_{model}_changelist"), dict(query))
        # The admin answers parameters it cannot use with a redirect to ?e=1.
        assert response.status_code in {200, 302}


# --- The importer -----------------------------------------------------------------------

BIBTEX_TOKENS = [
    "@article{", "@inproceedings{", "@misc(", "@string{", "@comment{", "@preamble{", "@",
    "key,", "title = ", "author = ", "year = ", "month = ", "doi = ", "journal = ",
    "booktitle = ", "eprint = ", "archiveprefix = {arXiv}", "crossref = ", "pages = ",
    "note = ", "{", "}", "(", ")", ",", "=", "#", '"', "\\", "\\'", '\\"{o}', "$x^2$", "--",
    " and ", "others", "jan", "2022", "19??", "10.1234/abc", "2204.06745", "\n", " ",
    "%", "~", "{\\relax Ch}", "\\input{/etc/passwd}", "<script>",
]  # fmt: skip
bibtex_like = st.lists(
    st.one_of(st.sampled_from(BIBTEX_TOKENS), st.text(max_size=12)), max_size=60
).map("".join)
any_file = st.one_of(bibtex_like, st.binary(max_size=300))


def as_bytes(content) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


@given(content=any_file, skip_invalid=st.booleans())
def test_any_file_given_to_the_import_command_is_a_report_or_a_clear_error(
    client, tmp_path, content, skip_invalid
):
    path = tmp_path / "any.bib"
    path.write_bytes(as_bytes(content))
    args = [str(path), "--no-progress"] + (["--skip-invalid"] if skip_invalid else [])
    with rolled_back():
        before = database_state()
        try:
            call_command("import_bibtex", *args, stdout=StringIO(), stderr=StringIO())
        except CommandError:
            assert database_state() == before, "a refused import changed the database"
            return
        # Imported: every paper it made is shown and exported without an error.
        for paper in Paper.objects.all():
            assert client.get(paper.get_absolute_url()).status_code == 200
        read_body(client.get("/papers.bib"))


@given(content=any_file, as_upload=st.booleans())
@settings(max_examples=40)
def test_any_file_given_to_the_admin_import_is_a_preview_or_a_message(editor, content, as_upload):
    url = reverse("admin:bibliography_paper_import_bibtex")
    with rolled_back():
        before = database_state()
        if as_upload:
            data = {"file": SimpleUploadedFile("any.bib", as_bytes(content))}
        else:
            text = content.decode("latin-1") if isinstance(content, bytes) else content
            data = {"text": text}
        response = editor.post(url, data)
        assert response.status_code in {200, 302}
        assert database_state() == before, "a preview wrote to the database"
        if response.status_code != 200 or "confirm_form" not in response.context:
            return
        digest = response.context["confirm_form"].initial["digest"]
        response = editor.post(url, {"confirm": "Import", "digest": digest, "skip_invalid": "on"})
        assert response.status_code == 302
