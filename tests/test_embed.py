"""The embeddable list (/embed/) through HTTP: its filters, the frame headers (only it may be
framed, and only by the listed origins), and the admin page with the snippet."""

import html
import re

import pytest
from django.urls import resolve, reverse

from tests.factories import make_author, make_paper, make_venue

pytestmark = pytest.mark.django_db


def directives(response) -> dict:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


@pytest.fixture
def library():
    venue = make_venue(name="Association for Computational Linguistics", short_name="ACL")
    stella = make_author("Biderman", given_name="Stella", slug="stella")
    lintang = make_author("Sutawika", given_name="Lintang", slug="lintang")
    make_paper(title="The Pile", year=2021, venue=venue, authors=[stella, lintang])
    make_paper(title="Pythia", year=2023, venue=venue, authors=[stella])
    make_paper(title="Lintang alone", year=2022, authors=[lintang])
    make_paper(title="A secret draft", year=2023, authors=[stella], published=False)


def titles(response) -> list[str]:
    return re.findall(r'class="embed-title" href="[^"]+">([^<]+)</a>', response.content.decode())


def test_the_embed_takes_the_lists_filters(client, library):
    assert titles(client.get("/embed/")) == ["Pythia", "Lintang alone", "The Pile"]
    assert titles(client.get("/embed/?author=stella")) == ["Pythia", "The Pile"]
    assert titles(client.get("/embed/?author=stella&year=2021")) == ["The Pile"]
    # As on the list page, an unusable value is ignored and said so.
    unknown = client.get("/embed/?author=nobody")
    assert "no such value" in unknown.content.decode()
    assert len(titles(unknown)) == 3


def test_by_default_the_embed_is_framed_by_no_one(client, library):
    response = client.get("/embed/")
    assert response["X-Frame-Options"] == "DENY"
    assert directives(response)["frame-ancestors"] == ["'none'"]


def test_the_listed_origins_may_frame_the_embed_and_nothing_else(client, library, settings):
    settings.EMBED_ALLOWED_ORIGINS = ["https://dept.example.edu", "http://127.0.0.2:8001"]
    embed = client.get("/embed/?author=stella")
    assert directives(embed)["frame-ancestors"] == [
        "https://dept.example.edu",
        "http://127.0.0.2:8001",
    ]
    assert "X-Frame-Options" not in embed
    # The rest of the policy is the site's.
    assert directives(embed)["script-src"] == ["'self'"]
    # Served again from the page cache, and as a 304: the same headers.
    again = client.get("/embed/?author=stella")
    assert directives(again)["frame-ancestors"] == directives(embed)["frame-ancestors"]
    not_modified = client.get("/embed/?author=stella", headers={"If-None-Match": embed["ETag"]})
    assert not_modified.status_code == 304
    assert "X-Frame-Options" not in not_modified
    for path in ("/", "/papers/the-pile/", "/authors/stella/", "/api/v1/papers/", "/admin/"):
        response = client.get(path, follow=True)
        assert response["X-Frame-Options"] == "DENY", path
        assert directives(response)["frame-ancestors"] == ["'none'"], path


def test_the_admin_shows_the_snippet_for_the_chosen_list(client, library, admin_user, settings):
    client.force_login(admin_user)
    changelist = client.get("/admin/bibliography/paper/")
    assert 'href="/admin/bibliography/paper/embed/"' in changelist.content.decode()

    page = client.get("/admin/bibliography/paper/embed/")
    assert "EMBED_ALLOWED_ORIGINS" in page.content.decode()  # no site may frame it yet
    settings.EMBED_ALLOWED_ORIGINS = ["https://dept.example.edu"]
    page = client.get(
        "/admin/bibliography/paper/embed/",
        {"list": "http://testserver/?author=stella&year=2021&page=2&utm_source=x"},
    )
    text = page.content.decode()
    assert "https://dept.example.edu" in text
    snippet = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", text, re.S).group(1))
    frame_src = re.search(r'<iframe data-publications-embed src="([^"]+)"', snippet).group(1)
    assert html.unescape(frame_src) == "http://testserver/embed/?author=stella&year=2021"
    script_src = re.search(r'<script src="([^"]+)" async></script>', snippet).group(1)
    assert script_src == "http://testserver/static/js/embed.js"
    # The frame shows that list (the browser test loads the script from the live site).
    assert titles(client.get(html.unescape(frame_src))) == ["The Pile"]


def test_the_admin_says_which_filters_it_could_not_use(client, library, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/bibliography/paper/embed/", {"list": "?author=nobody"})
    assert "no such value" in page.content.decode()


def test_visitors_cannot_open_the_snippet_page(client):
    response = client.get("/admin/bibliography/paper/embed/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_url_names():
    assert reverse("bibliography:embed") == "/embed/"
    assert resolve("/embed/").view_name == "bibliography:embed"
    assert reverse("admin:bibliography_paper_embed") == "/admin/bibliography/paper/embed/"
