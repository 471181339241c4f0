"""Papers as RIS, the tagged format EndNote, Zotero, Mendeley and RefWorks import.

Plain text built in Python, never through a template: nothing is HTML-escaped
(`&` stays `&`). Every value is one line, so no value can start a tag of its own.
"""

from collections.abc import Iterable, Iterator

from bibliography.citations.bylines import cited_authors, family_first
from bibliography.citations.kinds import WorkKind, work_kind
from bibliography.citations.latex import one_line, page_range, paragraphs
from bibliography.models import Paper

# The RIS reference type of each kind of work.
RIS_TYPES = {
    WorkKind.JOURNAL_ARTICLE: "JOUR",
    WorkKind.CONFERENCE_PAPER: "CPAPER",
    WorkKind.CHAPTER: "CHAP",
    WorkKind.BOOK: "BOOK",
    WorkKind.PROCEEDINGS: "CONF",
    WorkKind.PHD_THESIS: "THES",
    WorkKind.MASTERS_THESIS: "THES",
    WorkKind.REPORT: "RPRT",
    WorkKind.MANUAL: "STAND",
    WorkKind.BOOKLET: "PAMP",
    WorkKind.UNPUBLISHED: "UNPB",
    WorkKind.PREPRINT: "UNPB",
    WorkKind.BLOG_POST: "BLOG",
    WorkKind.OTHER: "GEN",
}
# Imported BibTeX fields that have a RIS tag of their own.
EXTRA_FIELD_TAGS = {
    "address": "CY",
    "edition": "ET",
    "isbn": "SN",
    "issn": "SN",
    "series": "T3",
    "school": "PB",
    "institution": "PB",
    "organization": "PB",
    "note": "N1",
    "language": "LA",
}
# The spec ends each line with CR LF; reference managers read either.
EOL = "\r\n"
INCOMPLETE_BYLINE_NOTE = "The author list is incomplete (et al.)."


def iter_ris(papers: Iterable[Paper]) -> Iterator[str]:
    """Yield the file one record at a time, for streaming."""
    for index, paper in enumerate(papers):
        record = paper_to_ris(paper)
        yield record if index == 0 else EOL + record


def paper_to_ris(paper: Paper) -> str:
    """One paper as a RIS record, from `TY` to `ER`."""
    return "".join(f"{tag}  - {value}{EOL}" for tag, value in ris_lines(paper)) + f"ER  - {EOL}"


def ris_lines(paper: Paper) -> list[tuple[str, str]]:
    """The (tag, value) lines of a record, `TY` first, without the closing `ER`."""
    venue = paper.venue
    lines = [("TY", RIS_TYPES[work_kind(paper)]), ("ID", paper.citation_key)]
    lines += [("AU", family_first(author)) for author in cited_authors(paper)]
    lines.append(("TI", paper.title))
    if paper.container_title:
        lines.append(("T2", paper.container_title))
    if venue and venue.short_name and venue.short_name != venue.name:
        lines.append(("J2", venue.short_name))
    if paper.year:
        lines.append(("PY", str(paper.year)))
        lines.append(
            ("DA", f"{paper.year}/{paper.month:02d}//" if paper.month else f"{paper.year}///")
        )
    lines += [("VL", paper.volume), ("IS", paper.number), ("PB", paper.publisher)]
    first, last = page_range(paper.pages)
    lines += [("SP", first), ("EP", last)]
    extra = paper.extra_fields_dict
    taken = {tag for tag, value in lines if value}
    for field, tag in EXTRA_FIELD_TAGS.items():
        value = extra.get(field)
        if isinstance(value, str) and tag not in taken:
            lines.append((tag, value))
            taken.add(tag)
    if paper.doi:
        lines.append(("DO", paper.doi))
    if paper.arxiv_id:
        lines.append(("AN", f"arXiv:{paper.arxiv_id}"))
    if paper.url:
        lines.append(("UR", paper.url))
    if paper.arxiv_id:
        lines.append(("UR", paper.arxiv_url))
    if paper.pdf_url:
        lines.append(("L1", paper.pdf_url))
    if paper.abstract:
        # A RIS value is one line: the paragraphs run on.
        lines.append(("AB", " ".join(paragraphs(paper.abstract))))
    if paper.byline_is_partial:
        # RIS has no "et al." of its own; a note is what Zotero and EndNote keep.
        lines.append(("N1", INCOMPLETE_BYLINE_NOTE))
    lines += [("N1", award.name) for award in paper.awards.all()]
    return [(tag, one_line(value)) for tag, value in lines if value and one_line(value)]
