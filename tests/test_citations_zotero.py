"""What Zotero makes of the RIS export and of the paper page's meta tags, by its own rules.

Zotero is not run here: its translators are read, and the lines that decide what a record
or a tag becomes are quoted beside the Python that applies them. Sources:
- zotero/translators `RIS.js`, commit f50d4465fc40623d76d23d0690b71008ba4186c0
  ("lastUpdated": "2023-07-28 09:46:04");
- zotero/translators `Embedded Metadata.js`, commit dcd14d6f47d3f3db90943d79abdfde17240cc38c,
  and `RDF.js`, commit 0dd0169088ece4129ef516f9bf21718509b6d16b (which reads `DC.creator`);
- zotero/zotero-schema `schema.json`, commit b5b3f51217a99b3c41585d468ee1dc0837233d13 (which
  fields each item type has).
"""

import html
import re

import pytest
import rispy
from django.core.management import call_command
from django.urls import reverse

from bibliography.citations.bylines import cited_authors, is_organization
from bibliography.citations.ris import ris_lines
from bibliography.models import Paper
from tests.citation_library import build_citation_library, get_bib
from tests.factories import make_author, make_paper, make_venue

# RIS.js: `var importTypeMap = { ... CPAPER: "conferencePaper", ... PAMP: "manuscript", ...
# STAND: "report", ... }` supplemented by `for (ty in exportTypeMap) importTypeMap[
# exportTypeMap[ty]] = ty;` (blogPost: "BLOG", book: "BOOK", bookSection: "CHAP",
# conferencePaper: "CONF", journalArticle: "JOUR", report: "RPRT", thesis: "THES"), and
# `GEN: "journalArticle"`. A TY it does not know (UNPB) gets `DEFAULT_IMPORT_TYPE =
# 'journalArticle'`.
ZOTERO_ITEM_TYPES = {
    "JOUR": "journalArticle", "CPAPER": "conferencePaper", "CONF": "conferencePaper",
    "CHAP": "bookSection", "BOOK": "book", "THES": "thesis", "RPRT": "report",
    "STAND": "report", "PAMP": "manuscript", "BLOG": "blogPost", "GEN": "journalArticle",
}  # fmt: skip
DEFAULT_IMPORT_TYPE = "journalArticle"
# RIS.js `fieldMap` (and `degenerateImportFieldMap` for ID: "__ignore"), the tags this site
# writes: a string is the field for every item type; a dict maps item types to a field, with
# "__default" for the others.
ZOTERO_FIELDS = {
    "AB": "abstractNote",  # AB: "abstractNote",
    "AN": "archiveLocation",  # AN: "archiveLocation",
    "DO": "DOI",  # DO: "DOI",
    "J2": "journalAbbreviation",  # J2: "journalAbbreviation",
    "L1": "attachments",  # L1: "attachments/PDF",
    "N1": "notes",  # N1: "notes",
    "UR": "url",  # UR: "url",
    "ID": "__ignore",  # ID: "__ignore",
    "AU": "creators",  # AU: { __default: "creators/author", ...
    "TI": "title",  # TI: { __default: "title", ...
    "PY": "date",  # PY: { __default: "date", ...
    "DA": "date",  # DA: { __default: "date", ...
    "VL": "volume",  # VL: { __default: "volume", ...
    "SP": "pages",  # SP: { __default: "pages", ... numPages: ["book", "thesis", "manuscript"]
    "EP": "pages",  # EP: "pages" (degenerate)
    "LA": "language",  # LA: { __default: "language", ...
    "ET": "edition",  # ET: { __default: "edition", ...
    # T2: { ... bookTitle: ["bookSection"], blogTitle: ["blogPost"], conferenceName:
    #   ["conferencePaper"], seriesTitle: [..., "report"], series: ["book"],
    #   publicationTitle: ["journalArticle", "magazineArticle", "newspaperArticle"] },
    "T2": {
        "bookSection": "bookTitle",
        "blogPost": "blogTitle",
        "conferencePaper": "conferenceName",
        "report": "seriesTitle",
        "book": "series",
        "journalArticle": "publicationTitle",
    },
    # C3: { artworkSize: ["artwork"], proceedingsTitle: ["conferencePaper"], ... },
    "C3": {"conferencePaper": "proceedingsTitle"},
    # T3: { ... series: ["bookSection", "conferencePaper", "journalArticle"], ... }
    "T3": {"bookSection": "series", "conferencePaper": "series", "journalArticle": "series"},
    # IS: { __default: "issue", numberOfVolumes: ["bookSection"], ... }
    "IS": {"__default": "issue", "bookSection": "numberOfVolumes"},
    # PB: { __default: "publisher", ... institution: ["report"], university: ["thesis"], ... }
    "PB": {"__default": "publisher", "report": "institution", "thesis": "university"},
    # SN: { __default: "ISBN", ISSN: ["journalArticle", ...], reportNumber: ["report"] },
    "SN": {"__default": "ISBN", "journalArticle": "ISSN", "report": "reportNumber"},
    # CY: { __default: "place", __exclude: ["conferencePaper"] } then, for conference papers,
    # the degenerate map's CY: "place".
    "CY": "place",
}
# schema.json: the fields of the item types above that these tags can reach. applyValue
# drops a value whose field its item type lacks (`!ZU.fieldIsValidForType(zField,
# item.itemType)`), unless it is a creator, tag, note, attachment or DOI.
COMMON = {"title", "abstractNote", "date", "url", "language", "archiveLocation", "pages"}
ZOTERO_ITEM_FIELDS = {
    "journalArticle": COMMON | {"publicationTitle", "journalAbbreviation", "volume", "issue",
                                "series", "ISSN"},
    "conferencePaper": COMMON | {"proceedingsTitle", "conferenceName", "place", "publisher",
                                 "volume", "series", "ISBN"},
    "bookSection": COMMON | {"bookTitle", "series", "volume", "numberOfVolumes", "edition",
                             "place", "publisher", "ISBN"},
    "book": (COMMON - {"pages"}) | {"series", "volume", "edition", "place", "publisher",
                                    "numPages", "ISBN"},
    "thesis": (COMMON - {"pages"}) | {"university", "place", "numPages"},
    "report": COMMON | {"institution", "seriesTitle", "reportNumber", "place"},
    "manuscript": (COMMON - {"pages"}) | {"place", "numPages"},
    "blogPost": (COMMON - {"pages", "archiveLocation"}) | {"blogTitle"},
}  # fmt: skip
ALWAYS_KEPT = {"creators", "notes", "attachments", "DOI", "__ignore"}
# A journal article's publisher: Zotero's journalArticle has no such field, EndNote's and
# Mendeley's have, so PB stays in the record and Zotero alone drops it.
DROPPED_ON_PURPOSE = {("journalArticle", "PB")}
META_RE = re.compile(r'<meta name="(citation_author|DC\.creator)" content="([^"]*)">')


def zotero_field(item_type: str, tag: str) -> str | None:
    """The Zotero field a RIS tag fills for `item_type` (TagMapper.getField), or None."""
    mapping = ZOTERO_FIELDS.get(tag)
    if isinstance(mapping, dict):
        return mapping.get(item_type) or mapping.get("__default")
    # SP of a book, thesis or manuscript is its number of pages.
    if tag == "SP" and item_type in ("book", "thesis", "manuscript"):
        return "numPages"
    return mapping


def zotero_import(lines: list[tuple[str, str]]) -> tuple[str, dict, list]:
    """(item type, fields, the lines Zotero drops) for one RIS record's (tag, value) lines.

    applyValue's default branch: "check if value already exists. Don't overwrite existing
    values" - a second value of a plain field is dropped too.
    """
    tags = dict(lines)
    item_type = ZOTERO_ITEM_TYPES.get(tags["TY"], DEFAULT_IMPORT_TYPE)
    item, dropped = {}, []
    for tag, value in lines[1:]:
        field = zotero_field(item_type, tag)
        if field in ALWAYS_KEPT:
            item.setdefault(field, []).append(value)
        elif field not in ZOTERO_ITEM_FIELDS[item_type] or _second_value(item, field, tag):
            dropped.append((tag, value))
        else:
            item.setdefault(field, value)
    return item_type, item, dropped


def _second_value(item: dict, field: str, tag: str) -> bool:
    # PY and DA both give the date, SP and EP the pages: completeItem joins them.
    return field in item and tag not in ("PY", "DA", "SP", "EP")


def zotero_creator(value: str) -> tuple[str, str]:
    """(lastName, firstName) of one citation_author or DC.creator value.

    Embedded Metadata.js, processHighwireCreators: `creator = ZU.cleanAuthor(creator, role,
    creator.includes(","));` and RDF.js, for dc:creator: `return ZU.cleanAuthor(obj,
    creatorType, obj.includes(','));`. Zotero's cleanAuthor: `if(useComma) { ... var
    splitNames = author.split(/, ?/); if(splitNames.length > 1) { var lastName =
    splitNames[0]; var firstName = splitNames[1]; } else { var lastName = author; } } else {
    var spaceIndex = author.lastIndexOf(" "); var lastName = author.substring(spaceIndex+1);
    var firstName = author.substring(0, spaceIndex); }`.
    """
    if "," in value:
        last, first, *_ = [*re.split(r", ?", value), ""]
        return last, first
    space = value.rfind(" ")
    return value[space + 1 :], value[:space] if space >= 0 else ""


def zotero_creators(values: list[str]) -> list[tuple[str, str]]:
    """All the creators of one kind of tag: processHighwireCreators first splits each value
    at semicolons, and a lone value at commas when "there are at least two words on either
    side of a comma" (`authorsByComma[0].includes(" ") && authorsByComma[1].includes(" ")`)."""
    names = [part for value in values for part in re.split(r"\s*;\s*", value)]
    if len(values) == 1 and len(names) == 1:
        by_comma = re.split(r"\s*,\s*", names[0])
        if len(by_comma) > 1 and " " in by_comma[0] and " " in by_comma[1]:
            names = by_comma
    return [zotero_creator(name) for name in names]


def expected_creator(author) -> tuple[str, str]:
    family = " ".join(p for p in (author.particle, author.family_name) if p.strip())
    return family, author.given_name


@pytest.fixture
def library(db):
    return build_citation_library()


def records_and_papers(client):
    _, text = get_bib(client, reverse("bibliography:paper-list-export", args=["ris"]))
    records = rispy.loads(text)
    papers = {p.title: p for p in Paper.objects.published().for_list()}
    return [(record, papers[record["title"]]) for record in records]


def load(source: str) -> None:
    """The seed's 20 works, or the library of every entry type and name form."""
    if source == "seed":
        call_command("loaddata", "seed", verbosity=0)
    else:
        build_citation_library()


@pytest.mark.parametrize("source", ["seed", "library"])
def test_zotero_reads_every_ris_line_into_a_field_and_no_url_twice(db, source):
    load(source)
    for paper in Paper.objects.published().for_list():
        lines = ris_lines(paper)
        item_type, item, dropped = zotero_import(lines)
        unexpected = [line for line in dropped if (item_type, line[0]) not in DROPPED_ON_PURPOSE]
        assert not unexpected, (paper.title, item_type, unexpected)
        assert item["title"] == paper.title
        urls = [value for tag, value in lines if tag in ("UR", "L1", "L2")]
        urls += [value for tag, value in lines if tag == "N1" and "://" in value]
        assert len(urls) == len(set(urls)), (paper.title, urls)
        assert [tag for tag, _ in lines].count("UR") <= 1


def test_conference_papers_give_zotero_their_proceedings_title(client, library):
    for record, paper in records_and_papers(client):
        if record["type_of_reference"] != "CPAPER":
            continue
        # rispy's name for C3 is custom3; Zotero's is proceedingsTitle.
        assert record["custom3"] == paper.container_title
        _, item, _ = zotero_import(ris_lines(paper))
        assert item["proceedingsTitle"] == paper.container_title
        if paper.booktitle and paper.venue.name != paper.booktitle:
            assert item["conferenceName"] == paper.venue.name
        else:
            assert "conferenceName" not in item
        assert "alternate_title1" not in record  # J2: conferencePaper has no abbreviation


def test_one_url_per_record_the_pdf_attached_and_the_arxiv_page_in_a_note(db):
    arxiv = make_venue(name="arXiv", kind="preprint")
    same = make_paper(
        title="Same page twice", venue=arxiv, arxiv_id="2201.07311",
        url="https://arxiv.org/abs/2201.07311",
    )  # fmt: skip
    both = make_paper(
        title="Landing page and preprint", arxiv_id="2204.06745",
        url="https://aclanthology.org/2022.bigscience-1.9",
        pdf_url="https://aclanthology.org/2022.bigscience-1.9.pdf",
    )  # fmt: skip
    (same_record,) = rispy.loads(_ris(same))
    assert same_record["urls"] == ["https://arxiv.org/abs/2201.07311"]
    (record,) = rispy.loads(_ris(both))
    assert record["urls"] == ["https://aclanthology.org/2022.bigscience-1.9"]
    assert record["file_attachments1"] == "https://aclanthology.org/2022.bigscience-1.9.pdf"
    assert "Also at https://arxiv.org/abs/2204.06745" in record["notes"]
    _, item, dropped = zotero_import(ris_lines(Paper.objects.for_list().get(pk=both.pk)))
    assert item["url"] == "https://aclanthology.org/2022.bigscience-1.9" and not dropped


def test_journal_abbreviation_only_for_journal_articles(db):
    tacl = make_venue(name="Transactions of the ACL", short_name="TACL", kind="journal")
    neurips = make_venue(
        name="Advances in Neural Information Processing Systems", short_name="NeurIPS"
    )
    article = make_paper(title="An article", entry_type="article", venue=tacl)
    conference = make_paper(title="A conference paper", entry_type="inproceedings", venue=neurips)
    assert ("J2", "TACL") in ris_lines(Paper.objects.for_list().get(pk=article.pk))
    assert "J2" not in dict(ris_lines(Paper.objects.for_list().get(pk=conference.pk)))


def test_issuers_of_reports_and_theses_are_publishers_to_zotero(client, library):
    for name, field in (("corporate", "institution"), ("phdthesis", "university")):
        paper = Paper.objects.for_list().get(pk=library[name].pk)
        (record,) = rispy.loads(_ris(paper))
        _, item, _ = zotero_import(ris_lines(paper))
        issuer = paper.extra_fields["institution" if name == "corporate" else "school"]
        assert record["publisher"] == issuer and item[field] == issuer


def test_contribution_roles_are_ris_notes_and_names_stay_clean(library):
    paper = Paper.objects.for_list().get(pk=library["gpt_neox"].pk)
    (record,) = rispy.loads(_ris(paper))
    assert record["authors"] == ["Biderman, Stella", "Laurençon, Hugo", "EleutherAI"]
    assert "Equal contribution: Biderman, Stella; Laurençon, Hugo" in record["notes"]
    assert "Corresponding author: Laurençon, Hugo" in record["notes"]


@pytest.mark.parametrize("source", ["seed", "library"])
def test_zotero_splits_every_meta_author_into_its_family_and_given_name(client, db, source):
    """citation_author and DC.creator, split by Embedded Metadata's and RDF's rules, give each
    person's family and given name: "Le Scao, Teven" is Le Scao, never Scao. (A corporate
    body has no comma and Zotero splits it at its last space: Highwire cannot say "one
    field", so bodies are left out of the comparison.)"""
    load(source)
    if source == "library":
        make_paper(
            title="Two words each",
            authors=[make_author("Fuente", "María José", particle="de la"), "Le Scao"],
        )
    checked = 0
    for paper in Paper.objects.published().for_list():
        page = client.get(paper.get_absolute_url()).content.decode()
        tags = [(name, html.unescape(value)) for name, value in META_RE.findall(page)]
        authors = cited_authors(paper)
        for tag_name in ("citation_author", "DC.creator"):
            values = [value for name, value in tags if name == tag_name]
            creators = zotero_creators(values)
            assert len(creators) == len(values) == len(authors), (paper.title, tag_name)
            for creator, author in zip(creators, authors, strict=True):
                if not is_organization(author):
                    assert creator == expected_creator(author), (paper.title, tag_name)
                    checked += 1
    assert checked


def _ris(paper) -> str:
    return (
        "".join(
            f"{tag}  - {value}\r\n"
            for tag, value in ris_lines(Paper.objects.for_list().get(pk=paper.pk))
        )
        + "ER  - \r\n"
    )
