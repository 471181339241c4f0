"""What the public site must not give away: which authors, venues and awards exist only on
drafts, and editor text read as markup by a feed reader."""

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bibliography.models import Award
from tests.factories import make_author, make_paper, make_venue

pytestmark = pytest.mark.django_db

# A slug that names something only drafts reach, and one that was never used.
DRAFT_ONLY = "hidden-draft-slug"
UNKNOWN = "never-used-a-slug"


@pytest.fixture
def library(db):
    """One public paper (author, venue, award) and one draft with its own of each."""
    ada = make_author("Lovelace", slug="ada")
    acl = make_venue(name="ACL", short_name="ACL", slug="acl")
    best = Award.objects.create(name="Best Paper", slug="best")
    make_paper(title="Public paper", authors=[ada], venue=acl).awards.add(best)
    secret_author = make_author("Secretperson", slug=DRAFT_ONLY)
    secret_venue = make_venue(name="Secret Venue", short_name="SECRETV", slug=DRAFT_ONLY)
    secret_award = Award.objects.create(name="Secret Award", slug=DRAFT_ONLY)
    draft = make_paper(
        title="Draft paper", authors=[secret_author], venue=secret_venue, published=False
    )
    draft.awards.add(secret_award)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


PAGES = [
    "/",
    "/authors/ada/",
    "/venues/acl/",
    "/awards/best/",
    "/papers.bib",
    "/papers.ris",
    "/papers.json",
]
# Every parameter of bibliography/filters.py that takes a slug.
SLUG_PARAMETERS = ["author", "venue", "award"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("parameter", SLUG_PARAMETERS)
def test_a_draft_only_slug_reads_exactly_like_an_unknown_one(client, library, page, parameter):
    draft_only = client.get(page, {parameter: DRAFT_ONLY})
    unknown = client.get(page, {parameter: UNKNOWN})
    assert draft_only.status_code == unknown.status_code == 200
    assert draft_only["Content-Type"] == unknown["Content-Type"]
    # The slug asked for is echoed back ("no such value ..."), so it is swapped before comparing.
    assert body(draft_only).replace(DRAFT_ONLY.encode(), UNKNOWN.encode()) == body(unknown)
    assert b"Secret" not in body(draft_only)


@pytest.mark.parametrize("kind", ["authors", "venues", "awards"])
def test_the_page_of_a_draft_only_slug_is_the_404_of_an_unknown_one(client, library, kind):
    draft_only = client.get(f"/{kind}/{DRAFT_ONLY}/")
    unknown = client.get(f"/{kind}/{UNKNOWN}/")
    assert draft_only.status_code == unknown.status_code == 404
    assert draft_only.content.replace(DRAFT_ONLY.encode(), UNKNOWN.encode()) == unknown.content


def test_a_draft_only_slug_among_known_ones_is_ignored_like_an_unknown_one(client, library):
    page = client.get("/", {"author": ["ada", DRAFT_ONLY]}).content.decode()
    assert f"no such value “{DRAFT_ONLY}”" in page
    assert "Public paper" in page and "Secretperson" not in page


def test_a_draft_only_slug_does_not_empty_an_export(client, library):
    papers = json.loads(body(client.get("/papers.json", {"author": DRAFT_ONLY})))
    assert [paper["title"] for paper in papers] == ["Public paper"]


def test_a_draft_only_slug_costs_the_queries_an_unknown_one_costs(client, library):
    counts = []
    client.get("/")  # the list's Cite texts are written on its first view: not measured
    for slug in (UNKNOWN, DRAFT_ONLY):
        cache.clear()  # both rendered, not served from the page cache
        with CaptureQueriesContext(connection) as queries:
            client.get("/", {"author": slug})
        counts.append(len(queries))
    assert counts[0] == counts[1]


# -- the Atom feed -----------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE_ABSTRACT = (
    'We show <svg onload="alert(document.domain)"> runs nowhere.\n\n'
    "The effect is significant (p < 0.05) & robust: <b>bold</b> claims."
)


class FeedReaderView(HTMLParser):
    """What a feed reader renders from an HTML summary: its elements and its text blocks."""

    def __init__(self):
        super().__init__()
        self.elements, self.paragraphs = [], []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))
        if tag == "p":
            self.paragraphs.append("")

    def handle_data(self, data):
        self.paragraphs[-1] += data


def test_the_feed_summary_is_the_editor_text_as_text_never_as_markup(client, db):
    author = make_author("Lovelace", given_name="Ada <i>x</i>")
    make_paper(title="Risky <svg onload=alert(1)> title", authors=[author], year=2024,
               abstract=HOSTILE_ABSTRACT)  # fmt: skip
    feed = ET.fromstring(client.get("/feed/").content)
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Risky <svg onload=alert(1)> title (2024)"
    assert entry.find(f"{ATOM}title").get("type", "text") == "text"
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    reader = FeedReaderView()
    reader.feed(summary.text)
    # Only the paragraphs the site writes are markup; everything the editor typed is text.
    assert reader.elements == [("p", [])] * 3
    assert reader.paragraphs == [
        "Ada <i>x</i> Lovelace · 2024",
        'We show <svg onload="alert(document.domain)"> runs nowhere.',
        "The effect is significant (p < 0.05) & robust: <b>bold</b> claims.",
    ]
