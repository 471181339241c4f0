"""The paper page's citation block and its head metadata (Highwire tags, JSON-LD)."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bibliography.models import Author, Paper
from tests.citation_library import HOSTILE_TITLE, build_citation_library
from tests.factories import make_paper, make_venue


class HeadReader(HTMLParser):
    """Collects meta tags, JSON-LD blocks and the text of elements with an id."""

    def __init__(self):
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.meta_all: list[tuple[str, str]] = []
        self.json_ld: list[str] = []
        self.scripts: list[dict] = []
        self.copy_targets: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name", "").startswith("citation_"):
            self.meta.append((attrs["name"], attrs["content"]))
        if tag == "meta" and "name" in attrs:
            self.meta_all.append((attrs["name"], attrs.get("content", "")))
        if tag == "script":
            self.scripts.append(attrs)
            self._in_json_ld = attrs.get("type") == "application/ld+json"
            if self._in_json_ld:
                self.json_ld.append("")
        if "data-copy-target" in attrs:
            self.copy_targets.append(attrs["data-copy-target"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


@pytest.fixture
def library(db):
    return build_citation_library()


def read_page(client, paper):
    response = client.get(paper.get_absolute_url())
    assert response.status_code == 200
    reader = HeadReader()
    html = response.content.decode()
    reader.feed(html)
    return html, reader


def test_highwire_tags_name_every_author_in_order_with_absolute_pdf_url(client, library):
    paper = library["article"]
    _, page = read_page(client, paper)
    meta = page.meta
    assert ("citation_title", paper.title) in meta
    assert [v for k, v in meta if k == "citation_author"] == [
        # Family first, as Google Scholar's example: Zotero then splits the names right.
        "Biderman, Stella",
        "van der Wal, Oskar, Jr",
        "Schölkopf, Bernhard",
    ]
    values = dict(meta)
    assert values["citation_publication_date"] == "2022/01"
    assert values["citation_journal_title"].startswith("Transactions of the Association")
    assert "citation_conference_title" not in values
    assert values["citation_doi"] == "10.1162/tacl_a_00447"
    assert (values["citation_firstpage"], values["citation_lastpage"]) == ("50", "72")
    assert values["citation_pdf_url"] == "https://aclanthology.org/2022.tacl-1.4.pdf"
    assert values["citation_abstract_html_url"] == f"http://testserver{paper.get_absolute_url()}"
    assert "citation_date" not in values


def test_conference_paper_tags_and_arxiv_id(client, library):
    _, page = read_page(client, library["gpt_neox"])
    values = dict(page.meta)
    assert values["citation_conference_title"].startswith("Proceedings of BigScience Episode #5")
    assert values["citation_arxiv_id"] == "2204.06745"
    assert (values["citation_firstpage"], values["citation_lastpage"]) == ("95", "136")
    assert "citation_journal_title" not in values


def test_relative_pdf_url_is_made_absolute(client, library):
    paper = library["laion"]
    Paper.objects.filter(pk=paper.pk).update(pdf_url="/media/laion.pdf")
    _, page = read_page(client, paper)
    assert dict(page.meta)["citation_pdf_url"] == "http://testserver/media/laion.pdf"


def test_json_ld_is_a_scholarly_article_with_awards(client, library):
    _, page = read_page(client, library["laion"])
    (block,) = page.json_ld
    data = json.loads(block)
    assert data["@type"] == "ScholarlyArticle" and data["@context"] == "https://schema.org"
    assert data["award"] == ["Outstanding Paper Award"]
    assert [a["name"] for a in data["author"]] == ["Ada Schuhmann", "Stella Biderman"]
    assert data["url"].startswith("http://testserver/")
    # No script of the page runs inline: the JSON-LD is a data block, the rest is external.
    assert all(s.get("src") or s.get("type") == "application/ld+json" for s in page.scripts)


def test_hostile_title_cannot_break_out_of_the_page(client, library):
    html, page = read_page(client, library["hostile"])
    assert '<script>alert("x")</script>' not in html
    assert "</script> and" not in html.split("application/ld+json")[1].split("</script>")[0]
    (block,) = page.json_ld
    assert json.loads(block)["name"] == HOSTILE_TITLE
    assert dict(page.meta)["citation_title"] == HOSTILE_TITLE
    # The BibTeX block shows the escaped entry as text.
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; \\&amp; \\$5" in html


def test_citation_block_has_bibtex_exports_and_four_styles_with_copy_buttons(client, library):
    paper = library["gpt_neox"]
    html, page = read_page(client, paper)
    assert re.search(r'<pre class="bibtex" id="bibtex-\d+"[^>]*><code>@inproceedings\{', html)
    assert "title = {{GPT-NeoX-20B}: An Open-Source Autoregressive Language Model}" in html
    for fmt in ("bib", "ris", "json"):
        assert reverse("bibliography:paper-export", args=[paper.slug, fmt]) in html
    assert len(page.copy_targets) == 5
    for target in page.copy_targets:
        assert f'id="{target}"' in html
    for label in ("APA", "Chicago (author-date)", "MLA", "IEEE"):
        assert f"<dt>{label}</dt>" in html


def test_paper_page_runs_the_same_queries_for_short_and_long_bylines(client, library):
    counts = []
    client.get("/venues/")  # reads the site's title, once per data version: not measured
    for paper in (library["manual"], library["article"], library["preprint"]):
        with CaptureQueriesContext(connection) as queries:
            read_page(client, paper)
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]


def test_json_ld_nests_volume_and_issue_and_a_family_only_name_is_a_person(client, db):
    tacl = make_venue(name="Transactions of the ACL", kind="journal")
    paper = make_paper(
        title="Volumes and issues",
        entry_type="article",
        venue=tacl,
        volume="10",
        number="1",
        authors=[Author.objects.create(family_name="Laurençon"), "Biderman"],
    )
    paper.authorships.create(
        author=Author.objects.create(family_name="BigScience Workshop"), position=3
    )
    _, page = read_page(client, paper)
    (block,) = page.json_ld
    data = json.loads(block)
    # schema.org: volumeNumber belongs to a PublicationVolume, issueNumber to a
    # PublicationIssue, each part of the next, the periodical last.
    assert data["isPartOf"] == {
        "@type": "PublicationIssue",
        "issueNumber": "1",
        "isPartOf": {
            "@type": "PublicationVolume",
            "volumeNumber": "10",
            "isPartOf": {"@type": "Periodical", "name": "Transactions of the ACL"},
        },
    }
    assert "volumeNumber" not in data and "issueNumber" not in data
    laurencon, _, body = data["author"]
    assert laurencon["@type"] == "Person" and laurencon["familyName"] == "Laurençon"
    assert "givenName" not in laurencon
    assert body == {"@type": "Organization", "name": "BigScience Workshop"}
    creators = [value for name, value in page.meta_all if name == "DC.creator"]
    assert creators == ["Laurençon", "Biderman, Ada", "BigScience Workshop"]
