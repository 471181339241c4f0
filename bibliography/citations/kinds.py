"""What kind of work a paper is, decided once for every format (CSL-JSON, RIS, the tags
search engines read), each of which only names the kind in its own vocabulary.

The entry type the editor chose says it, with two exceptions. A paper whose venue is a
preprint server is a preprint, however it is typed: a .bib file from Google Scholar
types an arXiv paper as @article. And @misc says nothing, so its venue's kind decides.
"""

from enum import StrEnum

from bibliography.models import Paper, Venue


class WorkKind(StrEnum):
    JOURNAL_ARTICLE = "journal article"
    CONFERENCE_PAPER = "conference paper"
    CHAPTER = "chapter"
    BOOK = "book"
    PROCEEDINGS = "proceedings"
    PHD_THESIS = "PhD thesis"
    MASTERS_THESIS = "master's thesis"
    REPORT = "report"
    MANUAL = "manual"
    BOOKLET = "booklet"
    UNPUBLISHED = "unpublished"
    PREPRINT = "preprint"
    BLOG_POST = "blog post"
    OTHER = "other"


BY_ENTRY_TYPE = {
    Paper.EntryType.ARTICLE: WorkKind.JOURNAL_ARTICLE,
    Paper.EntryType.INPROCEEDINGS: WorkKind.CONFERENCE_PAPER,
    Paper.EntryType.INCOLLECTION: WorkKind.CHAPTER,
    Paper.EntryType.INBOOK: WorkKind.CHAPTER,
    Paper.EntryType.BOOK: WorkKind.BOOK,
    Paper.EntryType.PROCEEDINGS: WorkKind.PROCEEDINGS,
    Paper.EntryType.PHDTHESIS: WorkKind.PHD_THESIS,
    Paper.EntryType.MASTERSTHESIS: WorkKind.MASTERS_THESIS,
    Paper.EntryType.TECHREPORT: WorkKind.REPORT,
    Paper.EntryType.MANUAL: WorkKind.MANUAL,
    Paper.EntryType.BOOKLET: WorkKind.BOOKLET,
    Paper.EntryType.UNPUBLISHED: WorkKind.UNPUBLISHED,
    Paper.EntryType.MISC: WorkKind.OTHER,
}
# What a @misc is, by the kind of its venue.
MISC_BY_VENUE_KIND = {
    Venue.Kind.JOURNAL: WorkKind.JOURNAL_ARTICLE,
    Venue.Kind.BLOG: WorkKind.BLOG_POST,
    Venue.Kind.CONFERENCE: WorkKind.CONFERENCE_PAPER,
    Venue.Kind.WORKSHOP: WorkKind.CONFERENCE_PAPER,
}


def work_kind(paper: Paper) -> WorkKind:
    """The kind of work `paper` is (see the module's docstring for the rule)."""
    venue_kind = paper.venue.kind if paper.venue else None
    if venue_kind == Venue.Kind.PREPRINT:
        return WorkKind.PREPRINT
    if paper.entry_type == Paper.EntryType.MISC and venue_kind in MISC_BY_VENUE_KIND:
        return MISC_BY_VENUE_KIND[venue_kind]
    return BY_ENTRY_TYPE.get(paper.entry_type, WorkKind.OTHER)


# The kinds a body issues rather than publishes, and the imported field that names it.
ISSUER_FIELDS = {
    WorkKind.REPORT: ("institution", "organization"),
    WorkKind.MANUAL: ("organization", "institution"),
    WorkKind.PHD_THESIS: ("school", "institution"),
    WorkKind.MASTERS_THESIS: ("school", "institution"),
}


def issuer(paper: Paper) -> str:
    """Who issued a report, manual or thesis (the institution, the school), or "" for the
    other kinds: the imported `institution`/`school` field, else the venue, else the
    publisher. BibTeX writes it as `institution`/`school`, CSL as `publisher`, RIS as `PB`."""
    kind = work_kind(paper)
    if kind not in ISSUER_FIELDS:
        return ""
    extra = paper.extra_fields_dict
    for field in ISSUER_FIELDS[kind]:
        value = extra.get(field)
        if isinstance(value, str) and value.strip():
            return value
    if paper.venue is not None:
        return paper.venue.name
    return paper.publisher
