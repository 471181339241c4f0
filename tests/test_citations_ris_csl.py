"""RIS and CSL-JSON exports: read back by rispy, checked by the CSL schema, rendered by citeproc."""

import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from django.urls import reverse

from bibliography.citations.bibtex import papers_to_bibtex
from bibliography.citations.csl import paper_to_csl
from bibliography.citations.ris import ris_lines
from bibliography.citations.scholar import CONTAINER_TAGS, highwire_tags
from bibliography.citations.styles import STYLES, format_citations
from bibliography.models import Author, Paper
from tests.citation_library import HOSTILE_ABSTRACT, HOSTILE_TITLE, build_citation_library
from tests.factories import make_paper, make_venue

CSL_SCHEMA = json.loads((Path(__file__).parent / "data" / "csl-data.json").read_text())


@pytest.fixture
def library(db):
    return build_citation_library()


def body(response) -> str:
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8")


def test_ris_list_reads_back_in_rispy_with_every_paper(client, library):
    response = client.get(reverse("bibliography:paper-list-export", args=["ris"]))
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    records = rispy.loads(body(response))
    assert len(records) == Paper.objects.published().count()
    by_title = {record["title"]: record for record in records}
    neox = by_title["GPT-NeoX-20B: An Open-Source Autoregressive Language Model"]
    assert neox["type_of_reference"] == "CPAPER"
    assert neox["authors"] == ["Biderman, Stella", "Laurençon, Hugo", "EleutherAI"]
    assert (neox["start_page"], neox["end_page"]) == ("95", "136")
    assert neox["doi"] == "10.18653/v1/2022.bigscience-1.9"
    article = by_title["Quality at a glance: An audit of web-crawled multilingual datasets"]
    assert article["type_of_reference"] == "JOUR"
    assert article["authors"][1] == "van der Wal, Oskar, Jr"
    assert article["secondary_title"].startswith("Transactions of the Association")
    assert by_title["Towards Deconfusing Gradient Hacking"]["type_of_reference"] == "BLOG"
    laion = by_title[library["laion"].title]
    assert "Outstanding Paper Award" in laion["notes"]


def test_ris_is_plain_text_never_html_escaped(client, library):
    url = reverse("bibliography:paper-export", args=[library["hostile"].slug, "ris"])
    text = body(client.get(url, {"download": ""}))
    assert "&amp;" not in text and "&lt;" not in text
    (record,) = rispy.loads(text)
    assert record["title"] == HOSTILE_TITLE
    assert record["abstract"] == " ".join(HOSTILE_ABSTRACT.split())
    assert record["authors"][0] == "O'Brien {&} 100%, Zoë_~^"


def test_csl_json_validates_against_the_schema_and_renders(client, library):
    response = client.get(reverse("bibliography:paper-list-export", args=["json"]))
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    items = json.loads(body(response))
    jsonschema.Draft3Validator(CSL_SCHEMA).validate(items)
    assert len(items) == Paper.objects.published().count()
    assert len({item["id"] for item in items}) == len(items)
    by_title = {item["title"]: item for item in items}
    assert by_title[HOSTILE_TITLE]["abstract"] == HOSTILE_ABSTRACT
    article = by_title["Quality at a glance: An audit of web-crawled multilingual datasets"]
    assert article["type"] == "article-journal"
    assert article["issued"] == {"date-parts": [[2022, 1]]}
    assert article["author"][1] == {
        "family": "Wal",
        "given": "Oskar",
        "non-dropping-particle": "van der",
        "suffix": "Jr",
    }
    neox = by_title["GPT-NeoX-20B: An Open-Source Autoregressive Language Model"]
    assert neox["type"] == "paper-conference" and neox["author"][2] == {"literal": "EleutherAI"}
    assert by_title["Towards Deconfusing Gradient Hacking"]["type"] == "post-weblog"
    assert by_title[library["preprint"].title]["number"] == "arXiv:2206.04615"
    assert by_title[library["laion"].title]["note"] == "Outstanding Paper Award"


def test_each_paper_csl_json_validates(client, library):
    validator = jsonschema.Draft3Validator(CSL_SCHEMA)
    for paper in Paper.objects.published():
        url = reverse("bibliography:paper-export", args=[paper.slug, "json"])
        items = json.loads(body(client.get(url)))
        validator.validate(items)
        assert [item["title"] for item in items] == [paper.title]


def test_formatted_citations_in_four_styles(library):
    paper = Paper.objects.for_list().get(pk=library["article"].pk)
    citations = {c.style.key: c for c in format_citations(paper)}
    assert list(citations) == [style.key for style in STYLES]
    assert citations["apa"].text.startswith(
        "Biderman, S., van der Wal, O., Jr, & Schölkopf, B. (2022)."
    )
    assert "<i>Transactions of the Association for Computational Linguistics</i>" in (
        citations["apa"].html
    )
    assert "https://doi.org/10.1162/tacl_a_00447" in citations["apa"].text
    # Chicago spells given names out (its name element has initialize="false").
    assert citations["chicago"].text.startswith(
        "Biderman, Stella, Oskar van der Wal Jr, and Bernhard Schölkopf. 2022."
    )
    assert "pp. 50–72" in citations["mla"].text
    ieee = citations["ieee"].text
    assert ieee.startswith("[1] S. Biderman, O. van der Wal Jr, and B. Schölkopf,")


def test_formatted_citations_show_hostile_text_as_text(library):
    paper = Paper.objects.for_list().get(pk=library["hostile"].pk)
    for citation in format_citations(paper):
        assert "<script>" not in citation.html
        assert "&lt;script&gt;alert" in citation.html
        # The characters as text (citeproc-js curls their quotes, and title case capitalises
        # a "</Script>", as in any title).
        assert "<script>alert(" in citation.text


@pytest.mark.parametrize("stored", [["note", "x"], "a note", 7])
def test_extra_fields_that_are_not_a_json_object_are_ignored_by_every_export(
    client, library, stored
):
    """The admin form refuses such a value; one written by a shell or SQL must not be a 500."""
    paper = library["corporate"]
    Paper.objects.filter(pk=paper.pk).update(extra_fields=stored)
    for fmt in ("bib", "ris", "json"):
        text = body(client.get(reverse("bibliography:paper-export", args=[paper.slug, fmt])))
        assert "176B" in text and "Hugging Face" not in text
    page = client.get(paper.get_absolute_url())
    assert page.status_code == 200 and b"citation_technical_report_institution" not in page.content


def test_csl_ids_are_the_keys_the_bibtex_export_gives(client, db):
    """BibTeX compares keys without case, so `Smith2020` and `smith2020` are twins in both
    files: a document cites the same ids whichever file it reads."""
    for key in ("Smith2020", "smith2020", "SMITH2020"):
        make_paper(title=f"Paper {key}", citation_key=key)
    bib = body(client.get(reverse("bibliography:paper-list-export", args=["bib"])))
    items = json.loads(body(client.get(reverse("bibliography:paper-list-export", args=["json"]))))
    bib_keys = [entry.key for entry in bibtexparser.parse_string(bib).entries]
    assert sorted(item["id"] for item in items) == sorted(bib_keys)
    assert sorted(key.lower() for key in bib_keys) == ["smith2020", "smith2020-2", "smith2020-3"]


@pytest.mark.parametrize(
    ("entry_type", "venue_kind", "csl", "ris", "container_tag"),
    [
        ("inproceedings", "conference", "paper-conference", "CPAPER", "citation_conference_title"),
        ("article", "journal", "article-journal", "JOUR", "citation_journal_title"),
        # Google Scholar's .bib types an arXiv paper as @article: it is a preprint everywhere.
        ("article", "preprint", "article", "UNPB", None),
        ("misc", "journal", "article-journal", "JOUR", "citation_journal_title"),
        ("misc", "blog", "post-weblog", "BLOG", None),
        # The importer gives every booktitle a conference venue; a book is still a book.
        ("book", "conference", "book", "BOOK", None),
        ("incollection", "conference", "chapter", "CHAP", "citation_inbook_title"),
        ("phdthesis", None, "thesis", "THES", None),
    ],
)
def test_one_kind_of_work_for_csl_ris_and_highwire_tags(
    db, entry_type, venue_kind, csl, ris, container_tag
):
    venue = make_venue(name="Where it appeared", kind=venue_kind) if venue_kind else None
    paper = make_paper(title="A work", entry_type=entry_type, venue=venue)
    paper = Paper.objects.for_list().get(pk=paper.pk)
    assert paper_to_csl(paper)["type"] == csl
    assert dict(ris_lines(paper))["TY"] == ris
    tags = {name for name, _ in highwire_tags(paper, lambda url: url)}
    assert tags & set(CONTAINER_TAGS.values()) == ({container_tag} if container_tag else set())


def test_a_person_known_by_family_name_only_is_a_csl_family_name(db):
    paper = make_paper(
        title="Incl. co-authors",
        authors=[Author.objects.create(family_name="Jernite"), "Biderman"],
    )
    paper.authorships.create(
        author=Author.objects.create(family_name="BigScience Workshop"), position=3
    )
    item = paper_to_csl(Paper.objects.for_list().get(pk=paper.pk))
    assert item["author"] == [
        {"family": "Jernite"},
        {"family": "Biderman", "given": "Ada"},
        {"literal": "BigScience Workshop"},
    ]
    jsonschema.Draft3Validator(CSL_SCHEMA).validate([item])


@pytest.mark.parametrize(
    ("entry_type", "extra_fields", "publisher", "venue", "issuer"),
    [
        ("techreport", {"institution": "Hugging Face"}, "", None, "Hugging Face"),
        # With no institution field the venue issued it (ECCC, a report series), else the
        # publisher.
        ("techreport", {}, "", "Electronic Colloquium on Computational Complexity",
         "Electronic Colloquium on Computational Complexity"),
        ("techreport", {}, "Microsoft Research", None, "Microsoft Research"),
        ("phdthesis", {"school": "Universidad de Buenos Aires"}, "", None,
         "Universidad de Buenos Aires"),
        ("mastersthesis", {}, "", "Universiteit van Amsterdam", "Universiteit van Amsterdam"),
    ],
)  # fmt: skip
def test_the_issuer_of_a_report_or_thesis_in_every_format(
    db, entry_type, extra_fields, publisher, venue, issuer
):
    paper = make_paper(
        title="Issued", entry_type=entry_type, extra_fields=extra_fields, publisher=publisher,
        number="TR21-094", venue=make_venue(name=venue, kind="other") if venue else None,
    )  # fmt: skip
    paper = Paper.objects.for_list().get(pk=paper.pk)
    (entry,) = bibtexparser.parse_string(papers_to_bibtex([paper])).entries
    field = "institution" if entry_type == "techreport" else "school"
    assert entry[field] == issuer and "howpublished" not in entry.fields_dict
    item = paper_to_csl(paper)
    assert item["publisher"] == issuer and "container-title" not in item
    lines = ris_lines(paper)
    assert ("PB", issuer) in lines and "T2" not in dict(lines)
    if entry_type == "techreport":
        # The report number: CSL's `number`, RIS's SN (Zotero's reportNumber).
        assert item["number"] == "TR21-094" and ("SN", "TR21-094") in lines
    tags = dict(highwire_tags(paper, lambda url: url))
    tag = (
        "citation_technical_report_institution"
        if entry_type == "techreport"
        else "citation_dissertation_institution"
    )
    assert tags[tag] == issuer
