"""Public HTML goes out gzip-compressed; the admin and anything with a CSRF token or a user
never does (BREACH)."""

import gzip

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.factories import make_paper

pytestmark = pytest.mark.django_db


def test_the_list_page_is_sent_gzipped_and_decompresses_to_the_plain_page():
    make_paper(title="Compressed gladly")
    visitor = Client()
    plain = visitor.get("/")
    zipped = visitor.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert "Accept-Encoding" in plain["Vary"]  # a shared proxy must not mix the two
    assert not plain.has_header("Content-Encoding")
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content)


def test_a_paper_page_is_sent_gzipped():
    paper = make_paper()
    response = Client().get(paper.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


def test_the_admin_login_page_with_its_csrf_token_is_not_compressed():
    response = Client().get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")


def test_an_admin_page_is_not_compressed():
    editor = Client()
    editor.force_login(User.objects.create_superuser("editor"))
    response = editor.get("/admin/bibliography/paper/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_a_logged_in_editor_gets_public_pages_uncompressed():
    make_paper()
    editor = Client()
    editor.force_login(User.objects.create_superuser("editor"))
    response = editor.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
