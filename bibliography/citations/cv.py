"""A publication list for a CV: each paper as one numbered entry with its whole byline (the
site's owners marked), title, venue, year, pages, awards and identifiers.

`cv_entry` decides what an entry says, once, for every place that prints one: the printed
list page (`templates/includes/_paper_print.html`), the PDF (`cv_pdf.py`) and the LaTeX
fragment a CV template `\\input`s (`latex_fragment`). Papers are read with `for_list()`,
so an entry costs no query.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

from bibliography.citations.latex import escape, one_line, page_parts, to_ascii
from bibliography.models import Paper
from bibliography.typography import dashes

EN_DASH = "\u2013"
# What \url may print as it is; everything else is percent-encoded.
URL_VERBATIM = ":/?#[]@!$&'()*+,;=%-._~"


@dataclass(frozen=True)
class CvAuthor:
    name: str
    is_owner: bool


@dataclass(frozen=True)
class CvEntry:
    authors: list[CvAuthor]
    # The byline goes on past the named authors ("et al.").
    et_al: bool
    title: str
    # "Proceedings of ACL 2023, 2023, pp. 15991–16111": the venue, year and pages.
    source: str
    awards: list[str]
    # ("DOI", "10.18653/..."), ("arXiv", "2211.01786"), ("URL", "https://...").
    identifiers: list[tuple[str, str]]
    # How the paper's author cites it, when given (the paper page's "as the author gives it").
    citation_text: str


def cv_entry(paper: Paper) -> CvEntry:
    """What the CV says about `paper` (fetched with `for_list()`)."""
    pages = EN_DASH.join(page_parts(paper.pages)) if paper.pages else ""
    # Typed `--` reads as the dash it stands for, as on the pages (the BibTeX keeps it).
    source_parts = [one_line(dashes(paper.container_title)), str(paper.year or "")]
    if pages:
        source_parts.append(f"pp. {pages}" if EN_DASH in pages else f"p. {pages}")
    identifiers = []
    if paper.doi:
        identifiers.append(("DOI", paper.doi))
    if paper.arxiv_id:
        identifiers.append(("arXiv", paper.arxiv_id))
    if paper.url:
        identifiers.append(("URL", paper.url))
    return CvEntry(
        authors=[
            CvAuthor(one_line(authorship.author.name), authorship.author.is_site_owner)
            for authorship in paper.ordered_authorships
        ],
        et_al=paper.authors_partial,
        title=one_line(dashes(paper.title)),
        source=", ".join(part for part in source_parts if part),
        awards=[one_line(award.name) for award in paper.awards.all()],
        identifiers=identifiers,
        citation_text=one_line(paper.citation_text),
    )


def iter_latex_fragment(papers: Iterable[Paper]) -> Iterator[str]:
    """The papers as a LaTeX `enumerate`, piece by piece; ASCII only (accents as commands),
    every special character escaped, so that pdflatex reads any title as text. An empty
    list is a comment, since an `enumerate` without items is a LaTeX error."""
    yield (
        "% Publications, from the publication list's /papers.tex.\n"
        "% In a CV: \\input{papers} (the owner's name is in \\textbf). Needs \\usepackage{url}.\n"
    )
    first = True
    for paper in papers:
        if first:
            yield "\\begin{enumerate}\n"
            first = False
        yield _latex_item(cv_entry(paper))
    if not first:
        yield "\\end{enumerate}\n"


def _latex(text: str) -> str:
    return to_ascii(escape(text))


def _latex_item(entry: CvEntry) -> str:
    names = [
        f"\\textbf{{{_latex(author.name)}}}" if author.is_owner else _latex(author.name)
        for author in entry.authors
    ]
    if entry.et_al:
        names.append("et~al.")
    parts = [", ".join(names)] if names else []
    parts.append(f"\\emph{{{_latex(entry.title)}}}")
    if entry.source:
        parts.append(_latex(entry.source))
    parts += [_latex(award) for award in entry.awards]
    for label, value in entry.identifiers:
        # \url reads its argument verbatim (`%`, `#`, `&` included: it is not inside
        # another command's argument here), except braces and backslashes, which are
        # percent-encoded with spaces and non-ASCII characters.
        parts.append(f"{label}: \\url{{{quote(value, safe=URL_VERBATIM)}}}")
    return "  \\item " + ". ".join(parts) + ".\n"
