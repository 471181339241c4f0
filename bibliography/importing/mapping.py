"""One parsed entry mapped to a Paper's fields (the same field names the BibTeX export
writes, bibliography/citations/bibtex.py).

The mapping refuses, with a reason, whatever the models would refuse (a DOI that
is not a DOI, a year like `19??`, a key or title longer than its column), so that
nothing reaches the database that would fail there half-way through an import.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext

from bibliography.importing.latex import latex_to_plain, latex_to_unicode, undecoded_latex
from bibliography.importing.names import PersonName, parse_names
from bibliography.importing.parsing import ParsedEntry
from bibliography.importing.site_fields import (
    IDENTIFIER_FIELDS,
    SITE_ONLY_FIELDS,
    SiteData,
    is_housekeeping,
    read_site_fields,
    resolve_paper_url,
    validation_message,
)
from bibliography.models import (
    ARXIV_PATTERN,
    DOI_PATTERN,
    MAX_YEAR,
    MIN_YEAR,
    Author,
    Paper,
    Venue,
    normalize_arxiv_id,
    normalize_doi,
    validate_web_url,
)
from bibliography.months import MONTH_NUMBERS

KNOWN_TYPES = set(Paper.EntryType.values)
# Types BibTeX or biblatex define under another name, read as ours.
TYPE_ALIASES = {
    "conference": "inproceedings",
    "report": "techreport",
    "thesis": "phdthesis",
    "mvbook": "book",
    "collection": "book",
    "mvcollection": "book",
    "mvproceedings": "proceedings",
    "inreference": "incollection",
}
# Fields with a column of their own (the rest go to extra_fields).
TEXT_COLUMNS = {"publisher": "publisher", "volume": "volume", "number": "number"}
URL_COLUMNS = {"url": "url", "pdf": "pdf_url", "code": "code_url"}
HANDLED_FIELDS = {
    "title", "author", "year", "month", "date", "journal", "journaltitle", "booktitle",
    "howpublished", "doi", "eprint", "archiveprefix", "eprinttype", "primaryclass",
    "eprintclass", "pages", "abstract", "subtitle", "booksubtitle", "journalsubtitle", "arxiv",
    *TEXT_COLUMNS, *URL_COLUMNS, *SITE_ONLY_FIELDS,
}  # fmt: skip
_ARXIV_IN_TEXT = re.compile(
    r"(?:arxiv[:\s/]*|arxiv\.org/(?:abs|pdf)/|abs/)"
    r"([0-9]{4}\.[0-9]{4,5}(?:v[0-9]+)?|[a-z][a-z.-]*(?:\.[A-Z]{2})?/[0-9]{7}(?:v[0-9]+)?)",
    re.IGNORECASE,
)
# arXiv by every name sources give it: "arXiv", "ArXiv e-prints", "arXiv preprint arXiv:…",
# "arxiv.org", DBLP's "CoRR", "Computing Research Repository (CoRR)".
_ARXIV_VENUE = re.compile(
    r"^\s*(?:arxiv|corr\b|computing\s+research\s+repository\b)", re.IGNORECASE
)
_YEAR = re.compile(r"^\s*(\d{4})(?:[a-z]|\s*[-–/]\s*\d{2,4})?\s*$")
_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?")
# A date written in `year` (`2013-02-21`, `2013/02`): its year, the rest noted.
_DATE_IN_YEAR = re.compile(r"^\s*(\d{4})[-/.]\d{1,2}(?:[-/.]\d{1,2})?\s*$")
# A biblatex date that says no more than its year and month (anything else is kept).
_YEAR_MONTH_DATE = re.compile(r"^\s*\d{4}(?:-\d{1,2})?\s*$")
_DOI_RE = re.compile(DOI_PATTERN)
_WHITE_SPACE = re.compile(r"\s")
_CATEGORY_RECORD = re.compile(r"\bid='([^']+)'")
_ARXIV_RE = re.compile(ARXIV_PATTERN)


class EntryError(Exception):
    """The entry cannot become a paper; the message says why, for the report."""


@dataclass
class EntryData:
    """What one entry becomes: the paper's column values, its people and its venue."""

    paper: dict
    authors: list[PersonName]
    venue_name: str = ""
    venue_kind: str = ""
    notes: list[str] = field(default_factory=list)
    # What the entry says about the site (al-folio's fields): see site_fields.py.
    site: SiteData = field(default_factory=SiteData)
    # Each author's contribution roles (role ids or built-in slugs), set by the planner.
    author_roles: list[tuple] = field(default_factory=list)
    # Values left out because the model refuses them (a `javascript:` URL), and LaTeX kept
    # as written because it could not be decoded: the entry imports without the former, and
    # the report shows both at every verbosity.
    warnings: list[str] = field(default_factory=list)


@cache
def max_length(name: str) -> int:
    return Paper._meta.get_field(name).max_length


def _fit_or_keep_aside(column, bibtex_name, value, extra, notes) -> str:
    """A value too long for its column goes to extra_fields (kept, exported) instead."""
    if len(value) <= max_length(column):
        return value
    notes.append(
        gettext("%(field)s too long for its column; kept as an extra field")
        % {"field": bibtex_name}
    )
    extra[bibtex_name] = value
    return ""


def _check_length(name: str, value: str, label: str | None = None) -> str:
    limit = max_length(name)
    if len(value) > limit:
        raise EntryError(
            gettext("%(what)s is %(length)s characters long; the limit is %(limit)s")
            % {"what": label or name, "length": intcomma(len(value)), "limit": limit}
        )
    return value


# biblatex's `pubstate` words, as people write them in `year` instead.
_PUBLICATION_STATE = re.compile(
    r"^\W*(in\s*press|to\s+appear|forthcoming|accepted|submitted|in\s+preparation)\W*$",
    re.IGNORECASE,
)


def parse_year(text: str, notes: list[str], extra: dict[str, str]) -> int | None:
    """The year of `text`, or None with the text kept aside in `extra` (never an error).

    `in press` and its kin become biblatex's `pubstate` (so exports keep saying it); a full
    date gives its year; anything else is kept as the extra field `year`, and noted.
    """
    if not text:
        return None
    match = _YEAR.match(text) or _DATE_IN_YEAR.match(text)
    if match is None:
        if _PUBLICATION_STATE.match(text):
            notes.append(
                gettext("year `%(text)s` is a publication state; kept as pubstate, no year")
                % {"text": text}
            )
            extra["pubstate"] = text.strip()
        else:
            notes.append(
                gettext("year `%(text)s` is not a year; kept as an extra field, no year")
                % {"text": text[:40]}
            )
            extra["year"] = text
        return None
    year = int(match.group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        notes.append(
            gettext("year %(year)s is outside %(min)s..%(max)s; kept as an extra field")
            % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR}
        )
        extra["year"] = text
        return None
    if match.group(0).strip() != match.group(1):
        notes.append(gettext("year `%(text)s` stored as %(year)s") % {"text": text, "year": year})
    return year


def parse_month(text: str) -> int | None:
    """1-12 from `jan`, `January`, `1`, `01`, `Jan.`, `23--29 Jul`; None unless one month."""
    cleaned = text.strip().rstrip(".").lower()
    if cleaned.isdigit():
        number = int(cleaned)
        return number if 1 <= number <= 12 else None
    if cleaned in MONTH_NUMBERS:
        return MONTH_NUMBERS[cleaned]
    named = {
        MONTH_NUMBERS[word] for word in re.findall(r"[a-z]+", cleaned) if word in MONTH_NUMBERS
    }
    return named.pop() if len(named) == 1 else None


# Entry types whose booktitle names a book (an edited volume), not a conference.
BOOK_PART_TYPES = {"incollection", "inbook"}


def venue_kind_for(name: str, *, is_journal: bool, entry_type: str = "") -> str:
    if _ARXIV_VENUE.match(name):
        return Venue.Kind.PREPRINT
    if is_journal:
        return Venue.Kind.JOURNAL
    if entry_type in BOOK_PART_TYPES:
        return Venue.Kind.BOOK
    if "workshop" in name.lower():
        return Venue.Kind.WORKSHOP
    return Venue.Kind.CONFERENCE


def _eprint_prefix(fields: dict[str, str]) -> str:
    """Which server the entry's `eprint` is on, lower-cased ("arxiv", "eccc"), or ""."""
    return latex_to_plain(fields.get("archiveprefix", fields.get("eprinttype", ""))).lower()


def _arxiv_id(fields: dict[str, str], journal: str) -> str:
    """The arXiv id from al-folio's `arxiv`, eprint (+ archiveprefix), an `arXiv:` journal
    or note, or an arxiv.org URL."""
    if given := normalize_arxiv_id(latex_to_plain(fields.get("arxiv", ""))):
        if not _ARXIV_RE.match(given):
            raise EntryError(
                gettext("arxiv `%(value)s` is not an arXiv identifier") % {"value": given[:60]}
            )
        return given
    eprint = latex_to_plain(fields.get("eprint", ""))
    prefix = _eprint_prefix(fields)
    if eprint and prefix == "arxiv":
        arxiv_id = normalize_arxiv_id(eprint)
        if not _ARXIV_RE.match(arxiv_id):
            raise EntryError(
                gettext("eprint `%(value)s` is not an arXiv identifier") % {"value": eprint[:60]}
            )
        return arxiv_id
    # DBLP writes arXiv papers as journal = {CoRR}, volume = {abs/2211.01786}.
    volume = latex_to_plain(fields.get("volume", "")) if _ARXIV_VENUE.match(journal) else ""
    texts = (journal, volume, latex_to_unicode(fields.get("note", "")))
    for text in (*texts, latex_to_plain(fields.get("url", "")), "" if prefix else eprint):
        match = _ARXIV_IN_TEXT.search(text)
        if match and _ARXIV_RE.match(match.group(1)):
            return match.group(1)
    return ""


def map_entry(
    entry: ParsedEntry, link_base: str = "", preview_dir: Path | None = None
) -> EntryData:
    """The paper an entry describes, or EntryError with the reason it cannot be one.

    `link_base` is the address of the site the file comes from, for al-folio's paths
    (`pdf = {paper.pdf}`); without it such a path is left out with a warning. `preview_dir`
    is the folder of the site's preview images (see site_fields.read_preview).
    """
    fields = entry.fields
    notes = list(entry.notes)
    paper: dict = {}

    key = entry.key
    if len(key) > max_length("citation_key"):
        raise EntryError(
            gettext("citation key is %(length)s characters long; the limit is %(limit)s")
            % {"length": intcomma(len(key)), "limit": max_length("citation_key")}
        )
    if _WHITE_SPACE.search(key):
        raise EntryError(gettext("citation key contains white space"))
    paper["citation_key"] = key

    entry_type = TYPE_ALIASES.get(entry.entry_type, entry.entry_type)
    if entry_type not in KNOWN_TYPES:
        notes.append(
            gettext("unknown entry type @%(type)s imported as @misc") % {"type": entry.entry_type}
        )
        entry_type = Paper.EntryType.MISC
    paper["entry_type"] = entry_type

    title = _with_subtitle(fields, "title", "subtitle")
    if not title:
        raise EntryError(gettext("entry has no title"))
    paper["title"] = _check_length("title", title)

    extra: dict[str, str] = {}
    year_text = latex_to_unicode(fields.get("year", ""))
    date_text = latex_to_plain(fields.get("date", ""))
    date_match = _DATE.match(date_text)
    if date_text and not _YEAR_MONTH_DATE.match(date_text):
        # A day, a range (`2019-03-01/2019-03-05`) or `2020~` say more than year and month.
        extra["date"] = date_text
        if not year_text:
            if date_match:
                read = gettext("date `%(date)s` kept as written; its year and month read from it")
            else:
                read = gettext("date `%(date)s` kept as written; no year read from it")
            notes.append(read % {"date": date_text[:40]})
    if not year_text and date_match:
        year_text = date_match.group(1)
    paper["year"] = parse_year(year_text, notes, extra)

    month_text = latex_to_unicode(fields.get("month", ""))
    month = parse_month(month_text) if month_text else None
    if month is None and not month_text and date_match and date_match.group(2):
        month = parse_month(date_match.group(2))
    paper["month"] = month
    if month_text and month is None:
        notes.append(
            gettext("month `%(month)s` names no single month; kept as an extra field")
            % {"month": month_text}
        )
        extra["month"] = month_text

    journal = _with_subtitle(fields, "journal", "journalsubtitle") or _with_subtitle(
        fields, "journaltitle", "journalsubtitle"
    )
    booktitle = _with_subtitle(fields, "booktitle", "booksubtitle")
    howpublished = latex_to_unicode(fields.get("howpublished", ""))
    paper["booktitle"] = ""
    venue_name, venue_kind = "", ""
    if journal:
        venue_name, venue_kind = journal, venue_kind_for(journal, is_journal=True)
        if booktitle:
            paper["booktitle"] = _fit_or_keep_aside(
                "booktitle", "booktitle", booktitle, extra, notes
            )
    elif booktitle:
        paper["booktitle"] = _fit_or_keep_aside("booktitle", "booktitle", booktitle, extra, notes)
        venue_name = booktitle
        venue_kind = venue_kind_for(booktitle, is_journal=False, entry_type=entry_type)
    warnings: list[str] = []
    # A howpublished that is one \url{...} is a link that exports write back as one.
    link = fields.get("howpublished", "").lstrip("{ ").startswith("\\url")
    if link and (refusal := validation_message(validate_web_url, latex_to_plain(howpublished))):
        warnings.append(
            gettext("howpublished `%(value)s` left out: %(why)s")
            % {"value": howpublished[:80], "why": refusal}
        )
    elif howpublished:
        if venue_name or "\\url" in fields["howpublished"] or "://" in howpublished:
            extra["howpublished"] = howpublished
        else:
            venue_name, venue_kind = howpublished, Venue.Kind.BLOG

    doi = normalize_doi(latex_to_plain(fields.get("doi", "")))
    if doi and not _DOI_RE.match(doi):
        raise EntryError(gettext("doi `%(doi)s` is not a DOI") % {"doi": doi[:60]})
    paper["doi"] = _check_length("doi", doi, "DOI")

    arxiv_id = _arxiv_id(fields, journal)
    paper["arxiv_id"] = _check_length("arxiv_id", arxiv_id, "arXiv id")
    primary = latex_to_unicode(fields.get("primaryclass", "") or fields.get("eprintclass", ""))
    # arXiv's own export once wrote the whole category record: {id='cs.CL' full_name=...}.
    record = _CATEGORY_RECORD.search(primary)
    primary = record.group(1) if record else primary
    paper["arxiv_primary_class"] = _fit_or_keep_aside(
        "arxiv_primary_class", "primaryclass", primary, extra, notes
    )
    prefix = _eprint_prefix(fields)
    if not arxiv_id or (fields.get("eprint") and prefix not in ("", "arxiv")):
        # A non-arXiv eprint (`eprinttype = {ECCC}`) is kept with its type, beside an arXiv
        # id that came from `arxiv` or a URL.
        for name in ("eprint", "archiveprefix", "eprinttype"):
            if fields.get(name):
                extra[name] = latex_to_plain(fields[name])
    if arxiv_id and _ARXIV_VENUE.match(venue_name):
        venue_name = "arXiv"  # "arXiv preprint arXiv:2304.14108" names the server, not a venue

    for bibtex_name, column in TEXT_COLUMNS.items():
        value = latex_to_unicode(fields.get(bibtex_name, ""))
        paper[column] = _fit_or_keep_aside(column, bibtex_name, value, extra, notes)
    if fields.get("issue"):
        # al-folio and biblatex writers put a journal's issue number in `issue`.
        if paper["number"]:
            extra["issue"] = latex_to_unicode(fields["issue"])
        else:
            value = latex_to_unicode(fields["issue"])
            paper["number"] = _fit_or_keep_aside("number", "issue", value, extra, notes)
    for bibtex_name, column in URL_COLUMNS.items():
        value = latex_to_plain(fields.get(bibtex_name, ""))
        if value:
            value = resolve_paper_url(bibtex_name, value, link_base, warnings)
        paper[column] = _fit_or_keep_aside(column, bibtex_name, value, extra, notes)
    if not paper["url"]:
        paper["url"] = _href_url(fields, warnings)
    pages = latex_to_plain(fields.get("pages", ""))
    paper["pages"] = _fit_or_keep_aside("pages", "pages", pages, extra, notes)
    paper["abstract"] = latex_to_unicode(fields.get("abstract", ""), paragraphs=True)

    site = read_site_fields(
        fields, link_base=link_base, notes=notes, warnings=warnings, preview_dir=preview_dir
    )
    paper["featured"] = site.featured
    for column in IDENTIFIER_FIELDS.values():
        paper[column] = site.identifiers.get(column, "")
    for name, value in fields.items():
        if name not in HANDLED_FIELDS and name != "issue" and not is_housekeeping(name):
            extra[name] = latex_to_unicode(value)
    paper["extra_fields"] = {name: extra[name] for name in sorted(extra)}

    authors, partial = parse_names(fields.get("author", ""), notes)
    authors = _without_repeats(authors, notes)
    for person in authors:
        _check_name_lengths(person)
    paper["authors_partial"] = partial

    if venue_name and len(venue_name) > Venue._meta.get_field("name").max_length:
        notes.append(gettext("venue name too long for a venue record; kept as the booktitle only"))
        venue_name = venue_kind = ""
    for column, label in CHECKED_COLUMNS.items():
        if refusal := model_refusal(column, paper[column]):
            raise EntryError(
                gettext("%(field)s `%(value)s`: %(why)s")
                % {"field": label, "value": str(paper[column])[:60], "why": refusal}
            )
    warnings += _undecoded_warnings(
        paper, venue_name, "journal" if journal else "booktitle", authors
    )
    return EntryData(
        paper=paper,
        authors=authors,
        venue_name=venue_name,
        venue_kind=venue_kind,
        notes=notes,
        site=site,
        warnings=warnings,
    )


# The columns whose model validators (and database constraints) a value must pass, checked
# once more on the mapped value whatever road it took: the admin form's rules, not a copy.
CHECKED_COLUMNS = {"year": "year", "month": "month", "doi": "DOI", "arxiv_id": "arXiv id"}


def model_refusal(column: str, value) -> str:
    """Why the Paper field `column` refuses `value` (its validators, as a form runs them), or ""."""
    return validation_message(Paper._meta.get_field(column).run_validators, value)


_HREF = re.compile(r"\\href\s*\{([^{}]+)\}")


def _href_url(fields: dict[str, str], warnings: list[str]) -> str:
    """The address of the first `\\href{URL}{text}` in the title, note or howpublished, for
    an entry without a url: a web address the model takes, or "" with a warning."""
    for name in ("howpublished", "note", "title"):
        match = _HREF.search(fields.get(name, ""))
        if match:
            address = latex_to_plain(match.group(1))
            refusal = validation_message(validate_web_url, address)
            if not refusal and len(address) <= max_length("url"):
                return address
            warnings.append(
                gettext("\\href address `%(address)s` in %(field)s not used as the url: %(why)s")
                % {"address": address[:80], "field": name, "why": refusal}
            )
    return ""


# Values decoded as text (not identifiers or URLs), checked for LaTeX left undecoded.
DECODED_COLUMNS = ("title", "booktitle", "publisher", "volume", "number", "abstract")


def _undecoded_warnings(paper: dict, venue_name: str, venue_field: str, authors) -> list[str]:
    """One warning per field that still holds LaTeX the decoder did not know (kept as
    written, so nothing is lost, but an editor should look)."""
    values = {column: paper[column] for column in DECODED_COLUMNS}
    values[venue_field] = values.get(venue_field) or venue_name
    values.update(paper["extra_fields"])
    values["author"] = " and ".join(
        " ".join((p.given_name, p.particle, p.family_name, p.suffix)) for p in authors
    )
    warnings = []
    for name, value in values.items():
        if isinstance(value, str) and (found := undecoded_latex(value)):
            shown = ", ".join(f"`{fragment[:60]}`" for fragment in found[:3])
            warnings.append(
                gettext("%(field)s: LaTeX %(fragments)s not decoded; kept as the source wrote it")
                % {"field": name, "fragments": shown}
            )
    return warnings


def _without_repeats(authors: list[PersonName], notes: list[str]) -> list[PersonName]:
    """One person once per byline (the database allows no more); repeats are reported."""
    seen, unique = set(), []
    for person in authors:
        if person.match_key in seen:
            notes.append(
                gettext("author %(given)s %(family)s listed twice; kept once")
                % {"given": person.given_name, "family": person.family_name}
            )
            continue
        seen.add(person.match_key)
        unique.append(person)
    return unique


def _check_name_lengths(person: PersonName) -> None:
    for part in ("given_name", "particle", "family_name", "suffix"):
        limit = Author._meta.get_field(part).max_length
        if len(getattr(person, part)) > limit:
            raise EntryError(
                gettext(
                    "an author's %(part)s is %(length)s characters long; the limit is %(limit)s"
                )
                % {
                    "part": part.replace("_", " "),
                    "length": intcomma(len(getattr(person, part))),
                    "limit": limit,
                }
            )


def _with_subtitle(fields: dict, name: str, subtitle_name: str) -> str:
    """A title with its BibLaTeX subtitle joined as "Title: Subtitle" (as citations print it)."""
    title = latex_to_unicode(fields.get(name, ""))
    subtitle = latex_to_unicode(fields.get(subtitle_name, "")) if title else ""
    return f"{title}: {subtitle}" if subtitle else title
