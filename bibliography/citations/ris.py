"""Papers as RIS, the tagged format EndNote, Zotero, Mendeley and RefWorks import.

Plain text built in Python, never through a template: nothing is HTML-escaped
(`&` stays `&`). Every value is one line, so no value can start a tag of its own.
"""

from collections.abc import Iterable, Iterator

from bibliography.citations.bylines import cited_authors, family_first
from bibliography.citations.kinds import WorkKind, issuer, work_kind
from bibliography.citations.latex import one_line, page_range, paragraphs
from bibliography.models import ContributionRole, Paper

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
    """The (tag, value) lines of a record, `TY` first, without the closing `ER`.

    The tags are those Zotero's RIS translator reads into the item type each `TY` becomes
    (zotero/translators `RIS.js`, tests/test_citations_ris_zotero.py holds its lines).
    """
    kind = work_kind(paper)
    ris_type = RIS_TYPES[kind]
    lines = [("TY", ris_type), ("ID", paper.citation_key)]
    lines += [("AU", family_first(author)) for author in cited_authors(paper)]
    lines.append(("TI", paper.title))
    issued_by = issuer(paper)
    lines += _container_lines(paper, kind, issued_by)
    if paper.year:
        lines.append(("PY", str(paper.year)))
        lines.append(
            ("DA", f"{paper.year}/{paper.month:02d}//" if paper.month else f"{paper.year}///")
        )
    # A report's number is its report number, which Zotero reads from SN ("IS" it drops).
    number_tag = "SN" if kind == WorkKind.REPORT else "IS"
    lines += [
        ("VL", paper.volume),
        (number_tag, paper.number),
        ("PB", issued_by or paper.publisher),
    ]
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
    lines += _link_lines(paper)
    if paper.abstract:
        # A RIS value is one line: the paragraphs run on.
        lines.append(("AB", " ".join(paragraphs(paper.abstract))))
    if paper.byline_is_partial:
        # RIS has no "et al." of its own; a note is what Zotero and EndNote keep.
        lines.append(("N1", INCOMPLETE_BYLINE_NOTE))
    lines += [("N1", note) for note in role_notes(paper)]
    lines += [("N1", award.name) for award in paper.awards.all()]
    return [(tag, one_line(value)) for tag, value in lines if value and one_line(value)]


def role_notes(paper: Paper) -> list[str]:
    """One note per contribution role on the byline: "Equal contribution: Biderman, Stella;
    Laurençon, Hugo". RIS has no field for roles, and the names stay clean."""
    holders: dict[ContributionRole, list[str]] = {}
    authorships = sorted(paper.ordered_authorships, key=lambda a: not a.order_known)
    for authorship in authorships:
        for role in authorship.role_list:
            holders.setdefault(role, []).append(family_first(authorship.author))
    ordered = sorted(holders, key=lambda role: (role.order, role.name))
    return [
        f"{role.name[:1].upper()}{role.name[1:]}: {'; '.join(holders[role])}" for role in ordered
    ]


def _container_lines(paper: Paper, kind: WorkKind, issued_by: str) -> list[tuple[str, str]]:
    """Where the paper appeared, in the tags Zotero reads for its item type."""
    venue, container = paper.venue, paper.container_title
    if kind == WorkKind.CONFERENCE_PAPER:
        # conferencePaper: C3 is proceedingsTitle, T2 conferenceName (the venue, when the
        # proceedings have a title of their own).
        lines = [("C3", container)]
        if paper.booktitle and venue and venue.name != paper.booktitle:
            lines.append(("T2", venue.name))
        return lines
    if issued_by or kind in (WorkKind.BOOK, WorkKind.PROCEEDINGS):
        # The venue of a report or thesis is its issuer (PB); a book's T2 is its series.
        return []
    lines = [("T2", container)]
    if kind == WorkKind.JOURNAL_ARTICLE and venue and venue.short_name not in ("", venue.name):
        # journalAbbreviation, the one item type of these that has it.
        lines.append(("J2", venue.short_name))
    return lines


def _link_lines(paper: Paper) -> list[tuple[str, str]]:
    """One UR (the landing page, else the arXiv page), the PDF in L1, another page in a
    note; no address twice."""
    pages = list(dict.fromkeys(url for url in (paper.url, paper.arxiv_url) if url))
    lines = [("UR", pages[0])] if pages else []
    if paper.pdf_url and paper.pdf_url not in pages:
        lines.append(("L1", paper.pdf_url))
    lines += [("N1", f"Also at {url}") for url in pages[1:] if url != paper.pdf_url]
    return lines
