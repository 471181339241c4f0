"""Papers as BibTeX, built with bibtexparser's model and written as its writer writes it.

The field mapping is the contract shared with the importer
(`bibliography/importing/mapping.py`): exporting, importing into an empty database and
exporting again gives the same bytes (tests/test_import_roundtrip.py). Every text value goes through
`latex.escape`, so the file stays valid BibTeX whatever an editor typed.

Public functions: `paper_entry` (one Entry), `iter_bibtex` (a stream of entry
texts) and `papers_to_bibtex` (the whole file as one string). Long lists are exported
from stored entries (`entry_cache.py`), written by these same functions.
"""

import functools
import re
from collections.abc import Iterable, Iterator

from bibtexparser.model import Entry, Field

from bibliography.citations.bylines import is_organization
from bibliography.citations.kinds import issuer
from bibliography.citations.latex import escape, one_line, page_parts, paragraphs, to_ascii
from bibliography.importing.site_fields import NOT_EXPORTED_FIELDS, is_housekeeping
from bibliography.keys import numbered
from bibliography.models import Author, ContributionRole, Paper, Venue
from bibliography.months import MONTH_MACROS

# Where the venue's name goes, by entry type; the types not named use `howpublished`.
# journal, booktitle and howpublished are read back into the venue. A report's or thesis's
# institution and school name its issuer (`kinds.issuer`); they are plain fields to the
# importer, so they are written among the sorted extras.
CONTAINER_FIELD = {
    "article": "journal",
    "inproceedings": "booktitle",
    "incollection": "booktitle",
    "inbook": "booktitle",
    "techreport": "institution",
    "phdthesis": "school",
    "mastersthesis": "school",
}
ISSUER_FIELDS = {"institution", "school"}
# biblatex's data annotation names for the built-in roles (`author+an = {1=equal}`); an
# editor's own role is annotated by its slug.
ROLE_ANNOTATIONS = {
    ContributionRole.EQUAL_CONTRIBUTION: "equal",
    ContributionRole.CORRESPONDING_AUTHOR: "corresponding",
}
ANNOTATION_UNSAFE_RE = re.compile(r"[^a-z0-9]+")
VENUE_FIELDS = {"journal", "booktitle", "howpublished"}
# Read once: an enum's `values` is built anew on every access.
ENTRY_TYPES = frozenset(Paper.EntryType.values)

# Fields written from the model's own columns: an `extra_fields` key with one of these names
# is stale and skipped (`eprint` is kept: the importer stores only non-arXiv ones, with their
# eprinttype). crossref/xref neither: the entry they point to is not in the file.
NEVER_FROM_EXTRA_FIELDS = {
    "author", "title", "publisher", "volume", "number", "pages", "year", "month", "doi",
    "primaryclass", "url", "pdf", "code", "abstract",
    "crossref", "xref",
}  # fmt: skip
FIELD_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
# A key may not hold white space, braces, quotes, commas, `#`, `%`, `=`, `\` or parentheses.
KEY_UNSAFE_RE = re.compile(r"[^A-Za-z0-9_:.+/-]")
# LaTeX and URLs both break on these; the verbatim fields (url, doi) percent-encode them.
VERBATIM_UNSAFE = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}
# A title word whose capitals a sentence-case style must not lower: any capital after the
# first character (LAION, GPT-NeoX, BigScience, iPhone) or a capital with a digit (T0, 5B).
WORD_EDGE_RE = re.compile(r"^(\W*)(.*?)(\W*)$", re.UNICODE | re.DOTALL)
# Short words that stay lower case in a title written in Title Case.
MINOR_WORDS = {
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on",
    "or", "over", "per", "the", "to", "up", "via", "vs", "with", "without",
}  # fmt: skip


def papers_to_bibtex(papers: Iterable[Paper], *, ascii: bool = False) -> str:
    """The BibTeX file for `papers` (fetch them with `for_list()`), in the order given."""
    return "".join(iter_bibtex(papers, ascii=ascii))


def iter_bibtex(papers: Iterable[Paper], *, ascii: bool = False) -> Iterator[str]:
    """Yield the file entry by entry, so a response can stream a list of any length.

    Keys are made safe for BibTeX and kept unique within the file (a key that only
    differs by a character BibTeX cannot hold gets a numbered twin).
    """
    used_keys: set[str] = set()
    for index, paper in enumerate(papers):
        key = unique_key(entry_key(paper), used_keys)
        text = write_entry(paper_entry(paper, ascii=ascii, key=key))
        yield text if index == 0 else "\n" + text


def write_entry(entry: Entry) -> str:
    """One entry as text, as bibtexparser's writer lays it out with a two-space indent and
    no middlewares (the values arrive escaped and delimited, so nothing may touch them).

    Written here rather than through `bibtexparser.write_string`, whose Library, format and
    middleware stack cost as much as building the entry; tests/test_export_writer.py holds
    the two to the same bytes over the seed and the corpus.
    """
    lines = [f"@{entry.entry_type}{{{entry.key},\n"]
    lines += [f"  {field.key} = {field.value},\n" for field in entry.fields]
    if entry.fields:
        lines[-1] = lines[-1][:-2] + "\n"  # no comma after the last field
    lines.append("}\n")
    return "".join(lines)


def paper_entry(
    paper: Paper, *, ascii: bool = False, key: str | None = None, abstract: bool = True
) -> Entry:
    """The BibTeX Entry of one paper, fields in a fixed order; `abstract=False` leaves the
    abstract out (the entry a page shows to copy, which the abstract would make ten times
    longer)."""
    text = _Text(ascii)
    entry_type = paper.entry_type if paper.entry_type in ENTRY_TYPES else "misc"
    extra = _extra_fields(paper)
    fields: dict[str, str] = {}

    authors = paper.listed_authors
    if authors:
        # Names only: the contribution roles go in biblatex's annotation of the list, which
        # BibTeX styles ignore.
        names = [format_name(author, ascii=ascii) for author in authors]
        if paper.byline_is_partial:
            names.append("others")
        fields["author"] = text.braced_raw(" and ".join(names))
        annotation = role_annotation(paper)
        # An annotation imported with the paper (its roles are not read back) is kept.
        imported = paper.extra_fields_dict.get("author+an")
        if annotation:
            fields["author+an"] = f"{{{annotation}}}"
        elif isinstance(imported, str) and imported.strip():
            fields["author+an"] = text.braced(imported)
    fields["title"] = text.braced_raw(protect_capitals(paper.title, ascii=ascii))
    container_field, container = _container(paper, entry_type)
    if entry_type == "book" and _as_book_series(paper, extra):
        # A book's styles print no booktitle or howpublished: its venue is its series.
        container = ""
    elif paper.booktitle:
        fields["booktitle"] = text.braced(paper.booktitle)
    if container and container_field in VENUE_FIELDS and container_field not in fields:
        fields[container_field] = text.braced(container)
    elif container and container_field not in VENUE_FIELDS:
        extra.setdefault(container_field, container)
    for name in ("publisher", "volume", "number"):
        if getattr(paper, name):
            fields[name] = text.braced(getattr(paper, name))
    if paper.pages:
        # The page range's "--" is the one en dash meant as such: escaped first, joined after.
        pages = page_parts(paper.pages)
        fields["pages"] = text.braced_raw("--".join(text.latex(part) for part in pages))
    if paper.year:
        fields["year"] = f"{{{paper.year}}}"
    if paper.month:
        fields["month"] = MONTH_MACROS[paper.month - 1]
    if not authors:
        # plain.bst and its kin sort and label an entry without authors by its `key` field,
        # and natbib prints it as the author: the title, not the venue ("arXiv.").
        extra.setdefault("key", one_line(paper.title))
    for name in sorted(extra):
        if name not in fields:
            fields[name] = text.braced(extra[name])
    if paper.doi:
        fields["doi"] = _verbatim(paper.doi)
    if paper.arxiv_id and "eprint" in fields:
        # The paper's other eprint (an ECCC report, say) holds `eprint` with its eprinttype:
        # the arXiv id goes in al-folio's `arxiv`, so neither is read as the other's.
        fields["arxiv"] = _verbatim(paper.arxiv_id)
        if paper.arxiv_primary_class:
            fields["primaryclass"] = _verbatim(paper.arxiv_primary_class)
    elif paper.arxiv_id:
        fields["eprint"] = _verbatim(paper.arxiv_id)
        fields["archiveprefix"] = "{arXiv}"
        if paper.arxiv_primary_class:
            fields["primaryclass"] = _verbatim(paper.arxiv_primary_class)
    for name, value in (("url", paper.url), ("pdf", paper.pdf_url), ("code", paper.code_url)):
        if value:
            fields[name] = _verbatim(value)
    if abstract and paper.abstract_paragraphs:
        fields["abstract"] = text.braced_raw(
            "\n\n".join(text.latex(p) for p in paragraphs(paper.abstract))
        )
    return Entry(
        entry_type,
        key or entry_key(paper),
        [Field(name, value) for name, value in fields.items()],
    )


def format_name(author: Author, *, ascii: bool = False) -> str:
    """`von Family, Jr, Given` in BibTeX's name syntax; a corporate name braced whole."""
    parts = (author.given_name, author.particle, author.family_name, author.suffix)
    return _format_name(*parts, is_organization(author), ascii)


# An author's name is written once per list (each appears on many of its papers), not per
# paper: the name is a function of these columns alone.
@functools.lru_cache(maxsize=8192)
def _format_name(
    given: str, particle: str, family: str, suffix: str, organization: bool, ascii: bool
) -> str:
    text = _Text(ascii)
    given, particle, family, suffix = (
        one_line(given),
        one_line(particle),
        one_line(family),
        one_line(suffix),
    )
    if not family:
        family, given = given, ""
    # A body's name of several words is braced whole, or BibTeX would split it into parts.
    corporate = " " in family and (organization or not (given or particle or suffix))
    last = text.latex(family)
    if corporate or _splits_a_name(family):
        last = f"{{{last}}}"
    if particle:
        last = f"{_protect_name_part(text.latex(particle), particle)} {last}"
    parts = [last]
    if suffix:
        parts.append(_protect_name_part(text.latex(suffix), suffix))
    if given or suffix:
        parts.append(_protect_name_part(text.latex(given), given))
    return ", ".join(parts)


def role_annotation(paper: Paper) -> str:
    """biblatex's annotation of the author list: `1=equal; 2=equal,corresponding`.

    Counted over the names the `author` field writes (the authors with a known place).
    """
    items = []
    positioned = [a for a in paper.ordered_authorships if a.order_known]
    for index, authorship in enumerate(positioned, start=1):
        names = [
            ROLE_ANNOTATIONS.get(role.slug) or ANNOTATION_UNSAFE_RE.sub("", role.slug.lower())
            for role in authorship.role_list
        ]
        names = [name for name in names if name]
        if names:
            items.append(f"{index}={','.join(names)}")
    return "; ".join(items)


def protect_capitals(title: str, *, ascii: bool = False) -> str:
    """The title as LaTeX, with braces around words whose capitals must survive.

    BibTeX styles lower-case titles ("sentence case") except what is braced, so
    acronyms and names such as {LAION-5B} or {GPT-NeoX-20B} are braced. In a title
    written in sentence case, a capitalised word after the first is a proper name
    ("Beyond the {Imitation} {Game}: ...") and is braced too; in a title written in
    Title Case that cannot be told, so those words are left to the style.
    """
    text = _Text(ascii)
    words = one_line(title).split(" ")
    sentence_case = _is_sentence_case(words)
    out = []
    starts_sentence = True
    for word in words:
        lead, core, trail = WORD_EDGE_RE.match(word).groups()
        if core and _keeps_capitals(core, sentence_case=sentence_case, first=starts_sentence):
            latex = text.latex_of_line(core)
            # A group that starts with a command is a BibTeX "special character", whose
            # letters styles still change; a second brace makes it plain protected text.
            protected = f"{{{{{latex}}}}}" if latex.startswith("\\") else f"{{{latex}}}"
            out.append(text.latex_of_line(lead) + protected + text.latex_of_line(trail))
        else:
            out.append(text.latex_of_line(word))
        # BibTeX's change.case$ keeps the capital that follows a colon, and only that one.
        starts_sentence = word.endswith(":")
    return " ".join(out)


def entry_key(paper: Paper) -> str:
    """The paper's citation key with what BibTeX cannot hold in a key replaced by `-`."""
    return safe_key(paper.citation_key, paper.pk)


def safe_key(citation_key: str, pk: int) -> str:
    """`entry_key` from the two columns it needs (the stored-entry export reads no model)."""
    key = KEY_UNSAFE_RE.sub("-", citation_key.strip()).strip("-")
    return key or f"paper{pk}"


def unique_key(key: str, used: set[str]) -> str:
    """`key`, or a numbered twin of it if the file already has it (in any case, as BibTeX
    compares keys); records it, lower-cased, in `used`."""
    candidate = numbered(key, used, ignore_case=True)
    used.add(candidate.lower())
    return candidate


def _container(paper: Paper, entry_type: str) -> tuple[str, str]:
    """The field that names where the paper appeared, and its value."""
    venue = paper.venue
    field = CONTAINER_FIELD.get(entry_type, "howpublished")
    if field in ISSUER_FIELDS:
        return field, issuer(paper)
    if field == "booktitle":
        return field, paper.container_title
    if venue is None:
        return field, ""
    # By name, whatever its kind: the importer makes "arXiv" of what this writes.
    if paper.arxiv_id and venue.name.lower() == "arxiv":
        # How Google Scholar and DBLP cite a preprint: plain.bst and its kin print journal
        # and howpublished but not eprint (which biblatex reads, and which is kept too).
        if field in ("journal", "howpublished"):
            return field, f"arXiv preprint arXiv:{paper.arxiv_id}"
        return field, ""
    return field, venue.name


def _as_book_series(paper: Paper, extra: dict[str, str]) -> bool:
    """Write a book's venue (its booktitle, else its venue's name) as its `series`, which
    @book styles print ("volume 2 of The Art of Computer Programming") and biblatex's @book
    has; True when that is done or the series already says it."""
    if paper.venue and paper.venue.kind == Venue.Kind.PREPRINT:
        return False  # an arXiv book: howpublished carries its identifier
    venue = paper.booktitle or (paper.venue.name if paper.venue else "")
    if not venue:
        return False
    extra.setdefault("series", venue)
    return one_line(extra["series"]) == one_line(venue)


def _extra_fields(paper: Paper) -> dict[str, str]:
    """The imported fields we keep verbatim (editor, series, note...), by lower-case name."""
    extra = paper.extra_fields_dict
    cleaned = {}
    for name, value in extra.items():
        name = str(name).strip().lower()
        exported = name not in NEVER_FROM_EXTRA_FIELDS and name not in NOT_EXPORTED_FIELDS
        if FIELD_NAME_RE.match(name) and exported and not is_housekeeping(name):
            value = value if isinstance(value, str) else str(value)
            if value.strip():
                cleaned[name] = value
    return cleaned


def _verbatim(value: str) -> str:
    """A URL-like value as it is, except the characters that would break the field."""
    value = value.strip()
    for char, replacement in VERBATIM_UNSAFE.items():
        value = value.replace(char, replacement)
    return f"{{{value}}}"


def _keeps_capitals(core: str, *, sentence_case: bool, first: bool) -> bool:
    if core.islower():
        return False  # no capital at all (most words): what the tests below all find
    if not any(c.isalpha() for c in core):
        return False
    # Judged per hyphenated part: "Open-Source" is Title Case, "GPT-NeoX-20B" is a name.
    for part in core.split("-"):
        if any(c.isupper() for c in part[1:]):
            return True
        if part[:1].isupper() and any(c.isdigit() for c in part):
            return True
    return sentence_case and not first and core[0].isupper()


def _is_sentence_case(words: list[str]) -> bool:
    """True when most words that Title Case would capitalise are in lower case.

    The first word and the word after a colon are capitalised in both cases, minor
    words in neither, and acronyms say nothing; a tie counts as Title Case.
    """
    lower = upper = 0
    for previous, word in zip(words, words[1:], strict=False):
        core = WORD_EDGE_RE.match(word).group(2)
        if previous.endswith(":") or not core or not core[0].isalpha():
            continue
        if core.lower() in MINOR_WORDS or any(c.isupper() for c in core[1:]):
            continue
        if core[0].islower():
            lower += 1
        else:
            upper += 1
    return lower > upper


def _splits_a_name(part: str) -> bool:
    """Would BibTeX read this name part as several (a comma, an `and`, the word `others`)?"""
    return (
        "," in part
        or bool(re.search(r"(^|\s)and(\s|$)", part, re.IGNORECASE))
        or (part.lower() == "others")
    )


def _protect_name_part(latex: str, raw: str) -> str:
    return f"{{{latex}}}" if _splits_a_name(raw) else latex


class _Text:
    """Escaping for one export: UTF-8 as typed, or ASCII with LaTeX accents."""

    def __init__(self, ascii: bool):
        self.ascii = ascii

    def latex(self, value: str) -> str:
        return self.latex_of_line(one_line(value))

    def latex_of_line(self, line: str) -> str:
        """`latex()` of text that is one line already (the words of a `one_line` title)."""
        latex = escape(line)
        return to_ascii(latex) if self.ascii else latex

    def braced(self, value: str) -> str:
        return f"{{{self.latex(value)}}}"

    def braced_raw(self, latex: str) -> str:
        """Brace a value that is LaTeX already (built from `latex()` pieces)."""
        return f"{{{latex}}}"
