"""Issue 10's holes in the import, through the command and the admin page as real users.

Macro bombs stay small in memory; an editor with only "add paper" cannot change (or read)
existing papers; `javascript:` and friends never reach a stored link; the page takes only
what it can handle within a worker's timeout, and keeps previews out of the session.
"""

import os
import time
import tracemalloc
from io import StringIO

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.forms.models import model_to_dict
from django.urls import reverse

from bibliography.importing import pending, splitting
from bibliography.models import Author, Authorship, Paper, Venue
from tests.admin_forms import admin_form_data
from tests.factories import make_author, make_paper, make_venue

pytestmark = pytest.mark.django_db

URL = "admin:bibliography_paper_import_bibtex"
MB = 1024 * 1024
EVERYTHING = ("view_paper", "add_paper", "change_paper", "add_author", "add_venue")


def staff(client, *codenames, name="editor"):
    user = User.objects.create_user(name, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


def upload(client, text: str, name="refs.bib"):
    return client.post(reverse(URL), {"file": SimpleUploadedFile(name, text.encode())})


def confirm(client, preview, skip_invalid=True):
    digest = preview.context["confirm_form"].initial["digest"]
    data = {"confirm": "Import", "digest": digest} | (
        {"skip_invalid": "on"} if skip_invalid else {}
    )
    return client.post(reverse(URL), data, follow=True)


def run_command(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_bibtex", str(path), "--no-progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, text, name="refs.bib"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- 1. Macro expansion is capped --------------------------------------------------------


def doubling_macros(lines: int) -> str:
    """The 1 KB bomb: each @string doubles the one before; an entry uses the last."""
    macros = ['@string{s0 = "xx"}'] + [
        f"@string{{s{n} = s{n - 1} # s{n - 1}}}" for n in range(1, lines)
    ]
    entries = [f"@misc{{boom, title = s{lines - 1}}}", "@misc{fine, title = {Fine}}"]
    return "\n".join(macros + entries) + "\n"


def peak_memory(action) -> int:
    tracemalloc.start()
    try:
        result = action()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, result


# 27 lines asked for 2^28 characters before (16 s, +260 MB); 40 lines for 2^41.
@pytest.mark.parametrize("lines", [27, 40])
def test_doubling_macros_through_the_command_stay_small(tmp_path, lines):
    path = write(tmp_path, doubling_macros(lines))
    assert path.stat().st_size < 1100
    peak, (out, err) = peak_memory(lambda: run_command(path, "--skip-invalid"))
    assert peak < 50 * MB, f"peak {peak / MB:.0f} MB"
    # s0 is 2 characters, so s16 is the first past 100,000: line 17 names it and its macro.
    assert (
        "refs.bib, line 17: error `s16`: @string s16: macro `s15` takes the value past "
        "100,000 characters (setting BIBTEX_IMPORT_MAX_FIELD_CHARS)" in err
    )
    assert "@string s17: macro `s16` was refused (@string s16 at" in err
    assert f"error `boom`: field `title` of @misc{{boom}}: macro `s{lines - 1}` was refused" in err
    assert list(Paper.objects.values_list("citation_key", flat=True)) == ["fine"]


def test_doubling_macros_through_the_admin_preview_and_confirm(client):
    staff(client, *EVERYTHING)
    peak, preview = peak_memory(lambda: upload(client, doubling_macros(40)))
    assert peak < 50 * MB, f"peak {peak / MB:.0f} MB"
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "@string s16: macro `s15` takes the value past 100,000 characters" in page
    assert "import-create" in page and len(page) < 100_000
    peak, done = peak_memory(lambda: confirm(client, preview))
    assert peak < 50 * MB and "1 created" in done.content.decode()
    assert Paper.objects.get().citation_key == "fine"


def test_the_field_cap_is_a_setting(tmp_path, settings):
    settings.BIBTEX_IMPORT_MAX_FIELD_CHARS = 10
    text = '@string{j = "Journal"}\n@misc{a, title = {T}, journal = j # { of } # j}\n'
    with pytest.raises(CommandError):
        _out, err = run_command(write(tmp_path, text))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_bibtex", str(tmp_path / "refs.bib"), stderr=err, stdout=StringIO())
    assert "line 2: error `a`: field `journal` of @misc{a}: macro `j` takes the value past 10" in (
        err.getvalue()
    )


def test_a_long_concatenation_chain_in_one_field_is_refused_before_it_is_built(tmp_path):
    chain = " # ".join(["k"] * 5_000)  # 5,000 x 1,000 characters asked for by a 20 KB field
    text = (
        '@string{k = "' + "x" * 1000 + '"}\n' + f"@misc{{chain, title = {{T}}, note = {chain}}}\n"
    )
    peak, (_out, err) = peak_memory(lambda: run_command(write(tmp_path, text), "--skip-invalid"))
    assert peak < 50 * MB
    assert "field `note` of @misc{chain}: macro `k` takes the value past 100,000" in err


def test_many_uses_of_a_long_macro_are_held_to_the_library_budget(tmp_path):
    """Each value is under the cap, but 2,000 entries x 90,000 characters would be 180 M."""
    macros = (
        '@string{a = "'
        + "x" * 900
        + '"}\n'
        + "".join(
            f"@string{{a{n} = a{n - 1 if n > 1 else ''} # a{n - 1 if n > 1 else ''}}}\n"
            for n in range(1, 7)
        )
    )  # a6 is 57,600 characters
    entries = "".join(
        f"@misc{{e{n}, title = {{T{n}}}, abstract = a6 # {{{n}}}}}\n" for n in range(2000)
    )
    path = write(tmp_path, macros + entries)
    peak, (out, err) = peak_memory(lambda: run_command(path, "--skip-invalid", "--dry-run"))
    assert peak < 50 * MB, f"peak {peak / MB:.0f} MB"
    assert "would take the import's expanded text past 10 times the size of its files" in err
    assert "would create 16," in out  # 1,000,000 characters, less the macros, hold 16


def test_crossref_inheritance_counts_against_the_budget(tmp_path):
    parent = '@string{big = "' + "y" * 90_000 + '"}\n@proceedings{p, title={Proc}, note=big}\n'
    children = "".join(
        f"@inproceedings{{c{n}, title={{C{n}}}, crossref={{p}}}}\n" for n in range(30)
    )
    _out, err = run_command(write(tmp_path, parent + children), "--skip-invalid")
    assert "@inproceedings{c" in err and "crossref `p` would take the import's expanded text" in err
    assert 0 < Paper.objects.filter(extra_fields__note__startswith="yyy").count() < 30


def test_a_crossref_loop_and_a_deep_chain_end(tmp_path):
    chain = "".join(f"@misc{{n{i}, title={{N{i}}}, crossref={{n{i + 1}}}}}\n" for i in range(20))
    loop = "@misc{x, title={X}, crossref={y}}\n@misc{y, title={Y}, crossref={x}, note={from y}}\n"
    out, _err = run_command(write(tmp_path, chain + loop), "-v", "2")
    assert "crossref chain loops back on itself" in out
    assert Paper.objects.get(citation_key="x").extra_fields == {"note": "from y"}
    assert Paper.objects.count() == 22


# --- 2. Only what the editor may do ---------------------------------------------------------

FILE_FOR_EXISTING = r"""
@article{fills, title = {Known work}, year = 2021, author = {Ada Lovelace},
  url = {https://evil.example/landing}, pdf = {https://evil.example/x.pdf},
  code = {https://evil.example/code}, publisher = {Evil Press}, pages = {1--9}}
@article{drafted, title = {Secret Draft}, doi = {10.5555/secret}, year = 2020,
  url = {https://evil.example/draft}}
"""


@pytest.fixture
def existing():
    """A published paper with empty links, and a draft with a DOI (and a secret title)."""
    ada = make_author("Lovelace", "Ada")
    known = make_paper(title="Known work", year=2021, entry_type="article", authors=[ada])
    draft = make_paper(
        title="Secret draft title", citation_key="secretkey2020", doi="10.5555/secret",
        published=False, year=2020, entry_type="article",
    )  # fmt: skip
    return known, draft


def snapshot(*papers) -> list:
    """Each paper's row and its byline, to compare byte for byte."""
    return [
        (
            model_to_dict(Paper.objects.get(pk=paper.pk)),
            Paper.objects.get(pk=paper.pk).updated_at,
            list(Authorship.objects.filter(paper=paper).values_list()),
        )
        for paper in papers
    ]


@pytest.mark.parametrize(
    "codenames",
    [("add_paper",), ("add_paper", "add_author", "add_venue"), ("add_paper", "view_paper")],
    ids=["add-only", "add-with-authors-and-venues", "add-and-view"],
)
def test_an_editor_without_change_permission_leaves_existing_papers_as_they_are(
    client, existing, codenames
):
    staff(client, *codenames)
    before = snapshot(*existing)
    preview = upload(client, FILE_FOR_EXISTING)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert page.count("skip (you may not change this paper)") == 2
    if "view_paper" in codenames:
        assert "secretkey2020" in page  # may view the drafts in the admin anyway
    else:
        assert "Secret draft title" not in page and "secretkey2020" not in page
        assert "matches an existing paper (same DOI)" in page
    assert not preview.context["plan"].has_changes  # nothing to confirm
    response = client.post(reverse(URL), {"confirm": "Import", "digest": "0" * 64}, follow=True)
    assert "preview has expired" in response.content.decode()
    assert snapshot(*existing) == before
    assert Paper.objects.count() == 2


def test_with_change_permission_the_same_file_fills_the_empty_fields(client, existing):
    staff(client, *EVERYTHING)
    known, draft = existing
    preview = upload(client, FILE_FOR_EXISTING)
    assert "fills in its empty code_url, pages, pdf_url, publisher, url" in preview.content.decode()
    confirm(client, preview)
    known.refresh_from_db()
    draft.refresh_from_db()
    assert (known.url, known.publisher) == ("https://evil.example/landing", "Evil Press")
    assert draft.url == "https://evil.example/draft"


def test_new_authors_and_venues_need_their_add_permission(client):
    make_author("Known", "Ann")
    make_venue(name="Journal of Known Things")
    text = r"""
    @article{ok, title = {Fine}, author = {Ann Known}, journal = {Journal of Known Things}}
    @article{newperson, title = {Person}, author = {Ann Known and Bo Newcomer}}
    @article{newvenue, title = {Venue}, author = {Ann Known}, journal = {Brand New Journal}}
    """
    user = staff(client, "add_paper")
    preview = upload(client, text)
    page = preview.content.decode()
    assert "needs 1 new author(s) (Bo Newcomer); you may not add authors" in page
    assert "needs a new venue (Brand New Journal); you may not add venues" in page
    assert "1 created" in confirm(client, preview).content.decode()
    assert list(Paper.objects.values_list("citation_key", flat=True)) == ["ok"]
    assert Author.objects.count() == Venue.objects.count() == 1

    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_author", "add_venue"]))
    preview = upload(client, text)
    assert "2 created" in confirm(client, preview).content.decode()
    assert Author.objects.count() == Venue.objects.count() == 2


def test_an_update_that_needs_a_new_venue_leaves_the_venue_out(client):
    paper = make_paper(title="Known work", year=2021, entry_type="article", pages="")
    staff(client, "add_paper", "change_paper", "view_paper")
    preview = upload(
        client, "@article{k, title={Known work}, year=2021, pages={3--4}, journal={New}}"
    )
    assert "its venue is not filled in: you may not add venues" in preview.content.decode()
    confirm(client, preview)
    paper.refresh_from_db()
    assert paper.pages == "3--4" and paper.venue is None and not Venue.objects.exists()


def test_the_command_may_still_do_everything(tmp_path, existing):
    known, draft = existing
    out, _err = run_command(write(tmp_path, FILE_FOR_EXISTING), "-v", "2")
    assert "same DOI as `secretkey2020` (Secret draft title)" in out
    known.refresh_from_db()
    assert known.url == "https://evil.example/landing"


# --- 3. Only web addresses ------------------------------------------------------------------

BAD_LINKS = r"""
@misc{links, title = {Links}, year = 2020, author = {Ann Known},
  url = {javascript:alert(document.cookie)}, pdf = {data:text/html,<script>alert(1)</script>},
  code = {vbscript:msgbox(1)}, howpublished = {\url{javascript:alert(2)}}, note = {kept}}
@misc{good, title = {Good}, url = {\url{https://example.org/a_b}}, pdf = {ftp://example.org/x}}
"""


def assert_no_bad_link_anywhere(client):
    paper = Paper.objects.get(citation_key="links")
    assert (paper.url, paper.pdf_url, paper.code_url) == ("", "", "")
    assert paper.extra_fields == {"note": "kept"} and paper.year == 2020
    good = Paper.objects.get(citation_key="good")
    assert (good.url, good.pdf_url) == ("https://example.org/a_b", "")
    for url in (paper.get_absolute_url(), "/papers.bib", "/papers.ris", "/papers.json", "/"):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        for scheme in (b"javascript:", b"data:text", b"vbscript:", b"ftp:"):
            assert scheme not in body, (url, scheme)


def test_the_command_drops_links_that_are_not_web_addresses(tmp_path, client):
    _out, err = run_command(write(tmp_path, BAD_LINKS))
    assert "refs.bib, line 2: `links`: url `javascript:alert(document.cookie)` left out" in err
    assert "`links`: pdf `data:text/html,<script>alert(1)</script>` left out" in err
    assert "`links`: code `vbscript:msgbox(1)` left out" in err
    assert "`links`: howpublished `javascript:alert(2)` left out" in err
    assert "refs.bib, line 5: `good`: pdf `ftp://example.org/x` left out" in err
    assert_no_bad_link_anywhere(client)


def test_the_admin_import_drops_them_and_says_so(client):
    staff(client, *EVERYTHING)
    preview = upload(client, BAD_LINKS)
    page = preview.content.decode()
    assert "url `javascript:alert(document.cookie)` left out" in page
    assert "<script>alert(1)" not in page  # shown, escaped
    confirm(client, preview, skip_invalid=False)
    assert_no_bad_link_anywhere(client)


def test_the_admin_form_refuses_them_with_the_same_validator(client):
    user = User.objects.create_superuser("boss", "boss@example.org", None)
    client.force_login(user)
    url = reverse("admin:bibliography_paper_add")
    data = admin_form_data(client.get(url))
    for bad in ("ftp://example.org/x", "javascript:alert(1)"):
        data.update(title="T", pdf_url=bad)
        response = client.post(url, data)
        assert response.status_code == 200 and not Paper.objects.exists()
        assert response.context["adminform"].form.errors["pdf_url"]


def test_identifiers_filled_in_twice_are_one_work_not_a_database_error(tmp_path):
    """Entry one fills a DOI into a matched paper; entry two, another title, has that DOI."""
    known = make_paper(title="Known", year=2020, entry_type="article")
    text = r"""
    @article{a, title = {Known}, year = 2020, doi = {10.1234/same}, eprint = {2101.00001},
      archiveprefix = {arXiv}}
    @article{b, title = {Known, extended}, year = 2020, doi = {10.1234/SAME}}
    @article{c, title = {Known: third look}, year = 2020, eprint = {2101.00001v2},
      archiveprefix = {arXiv}}
    """
    out, _err = run_command(write(tmp_path, text), "-v", "2")
    assert "`b`: same DOI as" in out and "already updated by `a`" in out
    known.refresh_from_db()
    assert (known.doi, known.arxiv_id) == ("10.1234/same", "2101.00001")
    assert Paper.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("doi = {10.12/short}", "doi `10.12/short` is not a DOI"),
        ("eprint = {12345}, archiveprefix = {arXiv}", "eprint `12345` is not an arXiv identifier"),
    ],
)
def test_bad_identifiers_are_clear_entry_errors(tmp_path, client, field, message):
    text = f"@misc{{bad, title = {{Bad}}, {field}}}\n@misc{{ok, title = {{OK}}}}\n"
    _out, err = run_command(write(tmp_path, text), "--skip-invalid")
    assert f"refs.bib, line 1: error `bad`: {message}" in err
    staff(client, *EVERYTHING, name="other")
    assert message in upload(client, text).content.decode()


def test_the_database_check_finds_unsafe_links_already_stored():
    paper = make_paper(title="Stored before the fix")
    venue = make_venue(name="Venue")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE bibliography_paper SET pdf_url = %s WHERE id = %s", ["data:x", paper.pk]
        )
        cursor.execute(
            "UPDATE bibliography_venue SET url = %s WHERE id = %s", ["JavaScript:1", venue.pk]
        )
    err = StringIO()
    call_command("check", "--database", "default", stderr=err, stdout=StringIO())
    report = err.getvalue()
    assert (
        f"(bibliography.W002) paper {paper.pk} has a link that is not an http(s) address: "
        "pdf_url 'data:x'" in report
    )
    assert (
        f"venue {venue.pk} has a link that is not an http(s) address: url 'JavaScript:1'" in report
    )
    assert "HTTPS://fine.example" not in report


def test_the_database_check_is_quiet_on_web_links():
    make_paper(title="Fine", url="HTTPS://fine.example/", pdf_url="http://fine.example/x.pdf")
    out = StringIO()
    call_command("check", "--database", "default", stdout=out, stderr=out)
    assert "W002" not in out.getvalue()


# --- 6. What the page can handle, and where previews wait ---------------------------------


def tiny_entries(count: int) -> str:
    return "".join(f"@misc{{k{n}, title={{T{n}}}}}\n" for n in range(count))


def test_a_preview_keeps_the_session_small(client):
    staff(client, *EVERYTHING)
    text = "%" + "x" * (MB + 500_000) + "\n" + tiny_entries(3)  # 1.5 MB
    preview = upload(client, text)
    assert preview.status_code == 200 and "import-create" in preview.content.decode()
    row = Session.objects.get(session_key=client.session.session_key)
    assert len(row.session_data) < 2_000
    assert "3 created" in confirm(client, preview).content.decode()


def test_a_pending_upload_is_one_per_user_and_purged_on_confirm_and_cancel(client, settings):
    user = staff(client, *EVERYTHING)
    directory = settings.BIBTEX_IMPORT_PENDING_DIR
    upload(client, tiny_entries(1))
    second = upload(client, tiny_entries(2))
    assert len(list(directory.glob(f"{user.pk}-*"))) == 1  # the second replaced the first
    confirm(client, second)
    assert not list(directory.iterdir()) and Paper.objects.count() == 2

    upload(client, tiny_entries(5))
    response = client.post(reverse(URL), {"cancel": "Cancel"}, follow=True)
    assert "Import cancelled; nothing was written." in response.content.decode()
    assert not list(directory.iterdir()) and Paper.objects.count() == 2


def test_a_pending_upload_expires(client, settings):
    staff(client, *EVERYTHING)
    preview = upload(client, tiny_entries(2))
    (stored,) = settings.BIBTEX_IMPORT_PENDING_DIR.iterdir()
    an_hour_ago = time.time() - settings.BIBTEX_IMPORT_PENDING_SECONDS - 1
    os.utime(stored, (an_hour_ago, an_hour_ago))
    response = confirm(client, preview)
    assert "That preview has expired" in response.content.decode()
    assert not Paper.objects.exists() and not stored.exists()


def test_expired_uploads_of_other_users_are_purged_on_the_next_preview(client, settings):
    staff(client, *EVERYTHING)
    directory = settings.BIBTEX_IMPORT_PENDING_DIR
    directory.mkdir(parents=True)
    old = directory / f"999-{'a' * 32}.json"
    old.write_text('{"name": "old.bib", "text": ""}')
    long_ago = time.time() - 2 * settings.BIBTEX_IMPORT_PENDING_SECONDS
    os.utime(old, (long_ago, long_ago))
    upload(client, tiny_entries(1))
    assert not old.exists() and len(list(directory.iterdir())) == 1


def test_the_100000_entry_upload_is_sent_to_the_command(client):
    """12 MB (under the old 20 MB limit): refused from its size, with a message, no 500."""
    staff(client, *EVERYTHING)
    text = "".join(
        f"@misc{{key{n:06}, title={{Title number {n} of many}}, year=2020}}\n"
        for n in range(100_000)
    )
    assert len(text) > 5 * MB
    response = client.post(
        reverse(URL), {"file": SimpleUploadedFile("big.bib", text.encode())}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200 and "the limit is 2.0 MB" in page
    assert "manage.py import_bibtex FILE" in page and not Paper.objects.exists()


def test_a_file_over_the_byte_limit_gets_the_message_from_the_form(client, settings):
    settings.BIBTEX_IMPORT_WEB_MAX_BYTES = 10_000
    staff(client, *EVERYTHING)
    response = upload(client, tiny_entries(700))  # ~17 KB, under the request overhead
    page = response.content.decode()
    assert response.status_code == 200
    assert "this page imports files of at most 9.8 KB (setting BIBTEX_IMPORT_WEB_MAX_BYTES)" in page
    assert "manage.py import_bibtex FILE" in page


def test_too_many_entries_are_refused_before_any_is_parsed(client, monkeypatch):
    staff(client, *EVERYTHING)
    split = []
    real_split = splitting.split_blocks
    monkeypatch.setattr(
        "bibliography.importing.parsing.split_blocks",
        lambda text: split.append(1) or real_split(text),
    )
    text = "".join(f"@misc{{{n},title={n}}}\n" for n in range(80_000))
    assert len(text.encode()) < 2 * MB
    response = upload(client, text)
    page = response.content.decode()
    assert response.status_code == 200
    assert "refs.bib holds more than 5,000 entries; this page imports at most 5,000" in page
    assert "(setting BIBTEX_IMPORT_WEB_MAX_ENTRIES)" in page and not split
    assert not Paper.objects.exists() and not Session.objects.get().get_decoded().get(
        "bibtex_import"
    )


def test_too_many_author_names_are_refused(client, settings):
    settings.BIBTEX_IMPORT_WEB_MAX_NAMES = 10
    staff(client, *EVERYTHING)
    people = " and ".join(f"Person{n}, Ann" for n in range(11))
    response = upload(client, f"@misc{{many, title={{Many}}, author={{{people}}}}}\n")
    page = response.content.decode()
    assert "The new papers name 11 authors; this page imports at most 10" in page
    assert "(setting BIBTEX_IMPORT_WEB_MAX_NAMES)" in page
    assert not Paper.objects.exists() and not list(settings.BIBTEX_IMPORT_PENDING_DIR.glob("*"))


def test_the_command_takes_what_the_page_does_not(tmp_path, settings):
    settings.BIBTEX_IMPORT_WEB_MAX_ENTRIES = 10
    out, _err = run_command(write(tmp_path, tiny_entries(50)))
    assert "50 created" in out


@pytest.mark.parametrize("count", [3, 300])
def test_the_preview_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    staff(client, *EVERYTHING)
    make_paper(title="Existing", authors=["Someone"], venue=make_venue())
    text = "".join(
        f"@article{{e{n}, title={{Paper {n}}}, author={{Person{n}, Ann}}, journal={{J{n % 3}}}}}\n"
        for n in range(count)
    )
    # The same for 3 entries or 300 (the existing papers, authors, their name variants,
    # venues... read once each; the site's title for the admin's header once).
    with django_assert_num_queries(13):
        assert upload(client, text).status_code == 200


def test_a_pending_upload_that_cannot_be_written_is_a_message(client, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.BIBTEX_IMPORT_PENDING_DIR = blocker / "pending"
    staff(client, *EVERYTHING)
    response = upload(client, tiny_entries(1))
    assert response.status_code == 200
    assert "The upload could not be kept for the preview" in response.content.decode()


def test_a_token_from_a_forged_session_finds_nothing(settings):
    assert pending.load(1, "../../etc/passwd") is None
    assert pending.load(1, "0" * 32) is None
