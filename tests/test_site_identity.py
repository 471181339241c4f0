"""Whose site this is and how its links look when shared: the title made from the site
owner (or SITE_TITLE) in the header, `<title>`, feed and admin; the description, Open
Graph and Twitter card tags of every public page; /favicon.ico; the admin's paper form and
changelist."""

import io
from html.parser import HTMLParser

import pytest
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from bibliography.models import Award, Topic
from tests.factories import make_author, make_paper, make_venue

HOSTILE = '"><script>alert(1)</script> & <b>'


class HeadTags(HTMLParser):
    """The page's `<title>` and its meta tags by name or property."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.meta, self.title, self._in_title = {}, "", False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("name") or attrs.get("property")):
            self.meta[attrs.get("name") or attrs.get("property")] = attrs.get("content")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


@pytest.fixture
def site(db):
    owner = make_author("Lovelace", given_name="Ada", slug="ada", is_site_owner=True)
    venue = make_venue(name="Analytical Engines " + HOSTILE, short_name="AE", slug="ae")
    paper = make_paper(
        title="Notes " + HOSTILE, slug="notes", venue=venue, authors=[owner],
        abstract="On the engine " + HOSTILE + " and more. " * 40,
    )  # fmt: skip
    award = Award.objects.create(name="Best Note", slug="best-note")
    paper.awards.add(award)
    topic = Topic.objects.create(name="Engines", slug="engines")
    paper.topics.add(topic)
    return paper


PUBLIC_PAGES = [
    "/",
    "/?q=notes",
    "/papers/notes/",
    "/authors/",
    "/authors/ada/",
    "/venues/",
    "/venues/ae/",
    "/awards/",
    "/awards/best-note/",
    "/topics/engines/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_has_a_description_and_card_tags(client, site, url):
    html = client.get(url).content.decode()
    head = HeadTags(html.split("</head>")[0])
    for name in ("description", "og:title", "og:description", "og:site_name", "og:url"):
        assert head.meta.get(name), f"{url}: no {name}"
    assert head.meta["twitter:card"] == "summary"
    assert (
        head.meta["og:description"] == head.meta["description"] == head.meta["twitter:description"]
    )
    assert len(head.meta["description"]) <= 200
    assert head.meta["og:site_name"] == "Ada Lovelace: publications"
    assert head.meta["og:url"].startswith("http://testserver/")
    # Escaped: the hostile text is the attribute's value, never markup.
    assert "<script>" not in html.split("</head>")[0]


def test_paper_card_shows_the_paper(client, site):
    head = HeadTags(client.get("/papers/notes/").content.decode())
    assert head.meta["og:type"] == "article"
    assert head.meta["og:title"] == head.meta["twitter:title"] == "Notes " + HOSTILE
    assert head.meta["description"].startswith("On the engine " + HOSTILE)
    author = HeadTags(client.get("/authors/ada/").content.decode())
    assert author.meta["description"].startswith("1 paper by Ada Lovelace")


def test_the_site_is_named_after_its_owner(client, site):
    html = client.get("/").content.decode()
    assert HeadTags(html).title.endswith("· Ada Lovelace: publications")
    assert '<a class="site-title" href="/">Ada Lovelace: publications</a>' in html
    assert (
        "<title>Ada Lovelace: publications: newest papers</title>"
        in client.get("/feed/").content.decode()
    )
    # A second owner shares the title; a third makes it a lab's list, named by SITE_TITLE.
    make_author("Babbage", given_name="Charles", is_site_owner=True)
    assert (
        "Charles Babbage and Ada Lovelace: publications" in client.get("/venues/").content.decode()
    )
    make_author("Somerville", given_name="Mary", is_site_owner=True)
    assert HeadTags(client.get("/awards/").content.decode()).title == "Awards · Publications"
    with override_settings(SITE_TITLE="The Engine Lab"):
        assert HeadTags(client.get("/authors/").content.decode()).title == "People · The Engine Lab"


def test_a_page_served_from_the_cache_reads_no_owner(client, site, django_assert_num_queries):
    client.get("/venues/")
    with django_assert_num_queries(1):  # the data version alone
        client.get("/venues/")


def test_admin_is_named_after_the_site(admin_client, site):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert '<div id="site-name"><a href="/admin/">Ada Lovelace: publications</a></div>' in html
    assert "<title>Curate Ada Lovelace: publications | Ada Lovelace: publications</title>" in html
    assert "Django administration" not in html


def test_favicon_is_a_real_icon_on_every_page(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=86400" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]


def test_paper_form_puts_the_byline_near_the_top(admin_client, site):
    html = admin_client.get(
        reverse("admin:bibliography_paper_change", args=[site.pk])
    ).content.decode()
    byline = html.index('id="authorships-group"')
    assert html.index('name="title"') < byline < html.index('name="abstract"')
    assert byline < html.index('id="links-group"')
    assert html.count('id="authorships-group"') == 1


def test_changelist_gives_the_title_its_room(admin_client, site):
    html = admin_client.get(reverse("admin:bibliography_paper_changelist")).content.decode()
    assert 'href="/static/admin/bibliography/paper.css"' in html
