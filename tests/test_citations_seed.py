"""Every export of every seed work, and of the whole seed list, read back by real tools."""

import json
from pathlib import Path

import jsonschema
import pytest
import rispy
from django.urls import reverse

from bibliography.citations.styles import STYLES, format_item
from bibliography.models import Paper
from tests.citation_library import get_bib, read_both, run_bibtex

CSL_SCHEMA = json.loads((Path(__file__).parent / "data" / "csl-data.json").read_text())


@pytest.fixture
def seed_papers(seed):
    papers = list(Paper.objects.published().for_list())
    assert len(papers) == 20
    return papers


def test_seed_list_bibtex_reads_back_and_passes_real_bibtex_silently(client, seed_papers, tmp_path):
    url = reverse("bibliography:paper-list-export", args=["bib"])
    _, text = get_bib(client, url)
    entries = read_both(text)
    assert len(entries) == 20
    log = run_bibtex(tmp_path, text)
    assert "Warning" not in log and "error" not in log.lower(), log
    _, ascii_text = get_bib(client, url, ascii="")
    assert ascii_text.isascii() and len(read_both(ascii_text)) == 20
    log = run_bibtex(tmp_path, ascii_text)
    assert "Warning" not in log and "error" not in log.lower(), log
    # The identifiers public sources confirm are all there.
    by_title = {entry["title"]: entry for entry in read_both(text).values()}
    neox = next(e for t, e in by_title.items() if t.startswith("{GPT-NeoX-20B}"))
    assert neox["doi"] == "10.18653/v1/2022.bigscience-1.9"
    assert neox["eprint"] == "2204.06745" and neox["pages"] == "95--136"
    partial = [p for p in seed_papers if p.listed_authors and p.byline_is_partial]
    assert partial, "the seed has abbreviated bylines"
    for paper in partial:
        assert entries[paper.citation_key]["author"].endswith(" and others")


def test_every_seed_paper_exports_in_every_format(client, seed_papers):
    _, whole = get_bib(client, reverse("bibliography:paper-list-export", args=["bib"]))
    listed = read_both(whole)
    validator = jsonschema.Draft3Validator(CSL_SCHEMA)
    for paper in seed_papers:
        _, text = get_bib(client, reverse("bibliography:paper-export", args=[paper.slug, "bib"]))
        (entry,) = read_both(text).values()
        assert entry in listed.values()
        _, text = get_bib(client, reverse("bibliography:paper-export", args=[paper.slug, "ris"]))
        (record,) = rispy.loads(text)
        assert record["title"] == paper.title
        assert len(record.get("authors", [])) == len(paper.ordered_authorships)
        _, text = get_bib(client, reverse("bibliography:paper-export", args=[paper.slug, "json"]))
        items = json.loads(text)
        validator.validate(items)
        # citeproc-js reads the item (one style here; test_citations_citeproc_js does all).
        assert paper.title.split()[0] in format_item(items[0], STYLES[0]).text
    _, text = get_bib(client, reverse("bibliography:paper-list-export", args=["ris"]))
    assert len(rispy.loads(text)) == 20
    _, text = get_bib(client, reverse("bibliography:paper-list-export", args=["json"]))
    items = json.loads(text)
    jsonschema.Draft3Validator(CSL_SCHEMA).validate(items)
    assert len(items) == 20


@pytest.mark.parametrize("style", ["plain", "alpha", "abbrv", "ieeetr", "unsrtnat", "plainnat"])
def test_every_bibtex_style_prints_the_arxiv_identifier_of_a_preprint(
    client, seed_papers, tmp_path, style
):
    """A @misc preprint carries `howpublished`, which every style prints (eprint is kept)."""
    _, text = get_bib(client, reverse("bibliography:paper-list-export", args=["bib"]))
    log = run_bibtex(tmp_path, text, style)
    assert "error" not in log.lower(), log
    bbl = " ".join((tmp_path / "doc.bbl").read_text().split())
    assert "arXiv:2211.01786" in bbl
    entries = read_both(text)
    crosslingual = next(e for e in entries.values() if e.get("eprint") == "2211.01786")
    assert crosslingual["archiveprefix"] == "arXiv"
