"""A partial byline (co-authors known only as "incl.", `authors_partial`) in every format.

Every export names every known author, the site's owner among them, and the formatted
citations say "et al." (issue 14, blocker). Read through the real pages and exports.
"""

import html
import json
import re

import pytest
import rispy
from django.urls import reverse

from bibliography.citations.bylines import family_first
from bibliography.models import Author, Paper

FORMATTED_RE = re.compile(r'<p class="formatted-citation" id="cite-(\w+)-\d+">(.*?)</p>', re.S)
META_AUTHOR_RE = re.compile(r'<meta name="citation_author" content="([^"]*)">')
JSON_LD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def owner_papers(seed):
    """The seed's papers that list the owner only as "incl." (BigScience ROOTS, BLOOM, T0...)."""
    owner = Author.objects.get(is_site_owner=True)
    papers = [
        paper
        for paper in Paper.objects.published().for_list()
        if any(a.author == owner and not a.order_known for a in paper.ordered_authorships)
    ]
    assert len(papers) >= 3, "the seed lists the owner as 'incl.' on several papers"
    return owner, papers


def _get(client, paper, fmt):
    response = client.get(reverse("bibliography:paper-export", args=[paper.slug, fmt]))
    assert response.status_code == 200
    return b"".join(response.streaming_content if response.streaming else [response.content])


def test_ris_names_the_owner_after_the_positioned_authors_and_notes_the_et_al(client, owner_papers):
    owner, papers = owner_papers
    for paper in papers:
        (record,) = rispy.loads(_get(client, paper, "ris").decode())
        positioned = [family_first(a) for a in paper.listed_authors]
        assert record["authors"][: len(positioned)] == positioned
        assert family_first(owner) in record["authors"][len(positioned) :]
        assert "The author list is incomplete (et al.)." in record["notes"]


def test_csl_json_names_the_owner(client, owner_papers):
    owner, papers = owner_papers
    for paper in papers:
        (item,) = json.loads(_get(client, paper, "json"))
        assert {"family": owner.family_name, "given": owner.given_name} in item["author"]
        # The positioned authors keep their places at the head of the list.
        assert len(item["author"]) == len(paper.ordered_authorships) > len(paper.listed_authors)


def test_paper_page_tags_json_ld_and_styles_name_the_owner_and_say_et_al(client, owner_papers):
    owner, papers = owner_papers
    for paper in papers:
        page = client.get(paper.get_absolute_url()).content.decode()
        meta_authors = [html.unescape(a) for a in META_AUTHOR_RE.findall(page)]
        assert family_first(owner) in meta_authors, paper.title
        (json_ld,) = JSON_LD_RE.findall(page)
        names = [person.get("familyName") for person in json.loads(json_ld)["author"]]
        assert owner.family_name in names
        citations = {key: html.unescape(text) for key, text in FORMATTED_RE.findall(page)}
        assert set(citations) == {"apa", "chicago", "mla", "ieee"}
        for key, text in citations.items():
            assert "et al." in text, (key, text)


def test_complete_byline_has_no_et_al(client, seed):
    paper = next(
        p
        for p in Paper.objects.published().for_list()
        if 2 <= len(p.listed_authors) <= 2 and not p.byline_is_partial
    )
    page = client.get(paper.get_absolute_url()).content.decode()
    citations = dict(FORMATTED_RE.findall(page))
    assert "et al." not in citations["apa"] and "et al." not in citations["ieee"]
    (record,) = rispy.loads(_get(client, paper, "ris").decode())
    assert "The author list is incomplete (et al.)." not in record.get("notes", [])
