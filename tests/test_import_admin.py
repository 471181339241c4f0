"""The admin's Import BibTeX page, through the real admin with the test client."""

import html

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bibliography.models import Paper
from tests.factories import make_paper

URL = "admin:bibliography_paper_import_bibtex"
BIB = b"""
@article{one, title={First}, author={Doe, Jane}, journal={J}, year=2020}
@article{two, title={Known}, year=2021, pages={1--9}}
@article{bad, title={Bad}, year=2022, doi={not-a-doi}}
"""


def staff(client, *codenames):
    user = User.objects.create_user("editor", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_changelist_links_to_the_import_page(client):
    staff(client, "view_paper", "add_paper")
    response = client.get(reverse("admin:bibliography_paper_changelist"))
    assert reverse(URL) in response.content.decode()


@pytest.mark.django_db
def test_without_add_permission_the_page_is_forbidden(client):
    staff(client, "view_paper", "change_paper")
    assert client.get(reverse(URL)).status_code == 403
    upload = SimpleUploadedFile("refs.bib", BIB)
    assert client.post(reverse(URL), {"file": upload}).status_code == 403
    assert Paper.objects.count() == 0


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


# What an editor who may do everything the import does holds.
EDITOR = ("view_paper", "add_paper", "change_paper", "add_author", "add_venue")


@pytest.mark.django_db
def test_upload_preview_then_confirm(client):
    staff(client, *EDITOR)
    known = make_paper(title="Known", year=2021, entry_type="article")
    response = client.post(reverse(URL), {"file": SimpleUploadedFile("refs.bib", BIB)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "import-create" in page and "import-update" in page and "import-error" in page
    assert "doi `not-a-doi` is not a DOI" in page and "fills in its empty pages" in page
    assert Paper.objects.count() == 1  # a preview writes nothing
    digest = response.context["confirm_form"].initial["digest"]

    # All or nothing: with an error in the file and the box unticked, nothing is written.
    response = client.post(reverse(URL), {"confirm": "Import", "digest": digest})
    assert "cannot be imported" in response.content.decode()
    assert Paper.objects.count() == 1

    response = client.post(
        reverse(URL), {"confirm": "Import", "digest": digest, "skip_invalid": "on"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("admin:bibliography_paper_changelist")
    assert "1 created, 1 updated" in response.content.decode()
    assert set(Paper.objects.values_list("citation_key", flat=True)) == {
        known.citation_key,
        "one",
    }
    known.refresh_from_db()
    assert known.pages == "1--9"


@pytest.mark.django_db
def test_pasted_text_and_a_stale_confirm(client):
    staff(client, "view_paper", "add_paper")
    response = client.post(reverse(URL), {"text": "@misc{p, title={Pasted}}"})
    digest = response.context["confirm_form"].initial["digest"]
    response = client.post(reverse(URL), {"confirm": "Import", "digest": "0" * 64}, follow=True)
    assert "preview has expired" in response.content.decode() and not Paper.objects.exists()
    client.post(reverse(URL), {"confirm": "Import", "digest": digest})
    assert Paper.objects.get().title == "Pasted"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a .bib file or paste BibTeX."),
        ({"text": "just some words"}, "is not BibTeX"),
        ({"file": SimpleUploadedFile("x.bib", b"\x00\x01binary")}, "binary file"),
    ],
)
def test_bad_input_gets_a_message(client, data, message):
    staff(client, "view_paper", "add_paper")
    response = client.post(reverse(URL), data)
    assert response.status_code == 200 and message in response.content.decode()


@pytest.mark.django_db
def test_large_upload_is_refused_with_a_message(client, settings):
    settings.BIBTEX_IMPORT_MAX_BYTES = 1000
    staff(client, "view_paper", "add_paper")
    upload = SimpleUploadedFile("big.bib", b"@misc{x, title={" + b"x" * 200_000 + b"}}")
    response = client.post(reverse(URL), {"file": upload}, follow=True)
    assert "the limit is 1000 bytes" in response.content.decode().replace(",", "")
    assert not Paper.objects.exists()


@pytest.mark.django_db
def test_posts_need_the_csrf_token(client):
    user = staff(client, "view_paper", "add_paper")
    client = client.__class__(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse(URL), {"text": "@misc{p, title={Pasted}}"})
    assert response.status_code == 403 and not Paper.objects.exists()


# One problem of each kind the preview explains: an error (a DOI that is not one), a value
# left out (an address that is not one), notes (a month and a year it cannot read, an entry
# with no key).
PROBLEMS = b"""
@article{bad, title={Bad}, year=2022, doi={not-a-doi}}
@misc{link, title={Linked}, year=2021, url={not-an-address}}
@misc{web, title={Web}, year=2021, url={http://badhost/x}}
@misc{when, title={Sometime}, year={circa then}, month={Smarch}}
@misc{, title={Keyless}, year=2020}
"""

# What the preview says of them, in each language.
REASONS = {
    "en": [
        "doi `not-a-doi` is not a DOI",
        "url `not-an-address` is a path on the site (/not-an-address); give the site's address",
        "url `http://badhost/x` left out: Enter a valid web address",
        "month `Smarch` names no single month; kept as an extra field",
        "year `circa then` is not a year; kept as an extra field, no year",
        "entry has no citation key; imported as `",
    ],
    "de": [
        "doi `not-a-doi` ist keine DOI",
        "url `not-an-address` ist ein Pfad auf der Website (/not-an-address); geben Sie die",
        "url `http://badhost/x` ausgelassen: Geben Sie eine gültige Webadresse ein",
        "Monat `Smarch` nennt keinen einzelnen Monat; als zusätzliches Feld behalten",
        "Jahr `circa then` ist keine Jahreszahl; als zusätzliches Feld behalten, kein Jahr",
        "Eintrag hat keinen Zitierschlüssel; als `",
    ],
}


@pytest.mark.django_db
def test_the_preview_explains_each_entry_in_the_editor_s_language(client):
    staff(client, *EDITOR)
    pages = {}
    for language in ("de", "en"):
        upload = SimpleUploadedFile("refs.bib", PROBLEMS)
        response = client.post(reverse(URL), {"file": upload}, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        pages[language] = html.unescape(response.content.decode())
    for language, other in (("de", "en"), ("en", "de")):
        for reason in REASONS[language]:
            assert reason in pages[language], (language, reason)
        for reason in REASONS[other]:
            assert reason not in pages[language], (language, reason)
    assert Paper.objects.count() == 0
