"""Papers as CSL-JSON, the input of citation processors (citeproc-js, Zotero, pandoc).

`paper_to_csl` gives one item (a dict); `iter_csl_json` the whole file piece by
piece, for streaming. The formatted citations on the paper page (`styles.py`) are
rendered from these items.

CSL-JSON cannot say that a list of authors goes on (a `literal` "others" would be printed
as a name), so an item lists every known author (`bylines.cited_authors`) and the
formatted citations add the style's "et al." for a partial byline.
"""

import json
from collections.abc import Iterable, Iterator

from bibliography.citations.bibtex import entry_key, unique_key
from bibliography.citations.bylines import cited_authors, is_organization
from bibliography.citations.kinds import WorkKind, issuer, work_kind
from bibliography.citations.latex import one_line, page_parts, paragraphs
from bibliography.models import Author, Paper, Venue
from bibliography.typography import dashes

# The CSL item type of each kind of work.
CSL_TYPES = {
    WorkKind.JOURNAL_ARTICLE: "article-journal",
    WorkKind.CONFERENCE_PAPER: "paper-conference",
    WorkKind.CHAPTER: "chapter",
    WorkKind.BOOK: "book",
    WorkKind.PROCEEDINGS: "book",
    WorkKind.PHD_THESIS: "thesis",
    WorkKind.MASTERS_THESIS: "thesis",
    WorkKind.REPORT: "report",
    WorkKind.MANUAL: "report",
    WorkKind.BOOKLET: "pamphlet",
    WorkKind.UNPUBLISHED: "manuscript",
    WorkKind.PREPRINT: "article",  # CSL's type for preprints and other unreviewed papers
    WorkKind.BLOG_POST: "post-weblog",
    WorkKind.OTHER: "article",
}
# Variables that are prose, where a typed `--` stands for an en dash (not numbers or ids).
PROSE_VARIABLES = ("title", "container-title", "container-title-short", "collection-title")
THESIS_GENRES = {WorkKind.PHD_THESIS: "PhD thesis", WorkKind.MASTERS_THESIS: "Master's thesis"}
# Imported BibTeX fields that have a CSL variable of their own.
EXTRA_FIELD_VARIABLES = {
    "address": "publisher-place",
    "edition": "edition",
    "isbn": "ISBN",
    "issn": "ISSN",
    "note": "note",
    "series": "collection-title",
    "chapter": "chapter-number",
    "school": "publisher",
    "institution": "publisher",
    "organization": "publisher",
    "language": "language",
}


def iter_csl_json(papers: Iterable[Paper]) -> Iterator[str]:
    """Yield the JSON array item by item; ids are the keys the BibTeX export gives them."""
    used: set[str] = set()
    yield "["
    for index, paper in enumerate(papers):
        item = paper_to_csl(paper)
        item["id"] = unique_key(item["id"], used)
        yield ("\n" if index == 0 else ",\n") + item_text(item)
    yield "\n]\n"


def item_text(item: dict) -> str:
    """The item as `json.dumps(item, ensure_ascii=False, indent=2)` writes it.

    With an indent, the json module encodes through its pure-Python encoder, a token at a
    time: a third of writing a 10,000-paper list. Here each scalar goes through its C
    encoder and the layout is joined per container (tests/test_export_writer.py holds the
    two to the same bytes over the seed and the corpus).
    """
    return _indented(item, "\n")


def _indented(value, newline: str) -> str:
    if isinstance(value, dict) and value and all(isinstance(key, str) for key in value):
        inner = newline + "  "
        members = [f"{_scalar(key)}: {_indented(member, inner)}" for key, member in value.items()]
        return "{" + inner + ("," + inner).join(members) + newline + "}"
    if isinstance(value, list | tuple) and value:
        inner = newline + "  "
        return "[" + inner + ("," + inner).join(_indented(v, inner) for v in value) + newline + "]"
    if isinstance(value, dict | list | tuple):
        # Empty, or keys json turns into strings itself: its own text, indented to here
        # (a JSON string never holds a raw newline, so every newline is layout).
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline)
    return _scalar(value)


def _scalar(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def paper_to_csl(paper: Paper) -> dict:
    """One paper as a CSL-JSON item."""
    venue, kind = paper.venue, work_kind(paper)
    item = {"id": entry_key(paper), "type": CSL_TYPES[kind], "title": one_line(paper.title)}
    authors = [csl_name(author) for author in cited_authors(paper)]
    if authors:
        item["author"] = authors
    if paper.year:
        item["issued"] = {
            "date-parts": [[paper.year, paper.month] if paper.month else [paper.year]]
        }
    is_arxiv = bool(paper.arxiv_id) and (venue is None or venue.kind == Venue.Kind.PREPRINT)
    if is_arxiv:
        # How Zotero and arXiv describe a preprint: the server publishes it under a number.
        item["publisher"] = venue.name if venue else "arXiv"
        item["number"] = f"arXiv:{paper.arxiv_id}"
    elif issued_by := issuer(paper):
        # A report's or thesis's issuer is CSL's publisher (the venue, if that is it, too).
        item["publisher"] = one_line(issued_by)
    elif paper.container_title and item["type"] != "book":
        item["container-title"] = one_line(paper.container_title)
    if "container-title" in item and venue and venue.short_name not in ("", venue.name):
        item["container-title-short"] = one_line(venue.short_name)
    for variable, value in (
        ("publisher", item.get("publisher") or paper.publisher),
        ("volume", paper.volume),
        # A report's number is its report number (CSL `number`), not an issue.
        ("number" if kind == WorkKind.REPORT else "issue", paper.number),
        ("page", "-".join(page_parts(paper.pages))),
        ("DOI", paper.doi),
        ("URL", paper.url or paper.arxiv_url),
    ):
        if value:
            item[variable] = one_line(value)
    extra = paper.extra_fields_dict
    for field, variable in EXTRA_FIELD_VARIABLES.items():
        value = extra.get(field)
        if isinstance(value, str) and value.strip() and variable not in item:
            item[variable] = one_line(value)
    if kind in THESIS_GENRES:
        item["genre"] = THESIS_GENRES[kind]
    if paper.abstract:
        item["abstract"] = "\n\n".join(paragraphs(paper.abstract))
    for variable in PROSE_VARIABLES:
        if variable in item:
            item[variable] = dashes(item[variable])
    awards = [award.name for award in paper.awards.all()]
    if awards:
        item["note"] = "; ".join([*awards, *([item["note"]] if "note" in item else [])])
    return item


def csl_name(author: Author) -> dict:
    """A CSL name: family/given with particle and suffix, or `literal` for a corporate body;
    a person known by family name only is `family` alone."""
    family = one_line(author.family_name)
    given = one_line(author.given_name)
    if is_organization(author):
        return {"literal": family}
    name = {"family": family}
    if given:
        name["given"] = given
    if author.particle:
        name["non-dropping-particle"] = one_line(author.particle)
    if author.suffix:
        name["suffix"] = one_line(author.suffix)
    return name
