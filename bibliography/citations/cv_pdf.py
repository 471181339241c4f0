"""The publication list as a PDF (`/papers.pdf`), set with fpdf2 in the vendored DejaVu Sans
(`bibliography/fonts/`): pure Python, so it works wherever the site runs, no TeX needed.

Each entry is what `cv.cv_entry` says, numbered with a hanging indent; the site's owners
are in bold, identifiers are links. About 1 ms an entry (and 40 ms a file, the font's
subsetting); the view caches the file under the data version.
"""

from collections.abc import Iterable
from datetime import date
from itertools import groupby
from pathlib import Path

from fpdf import FPDF

from bibliography.citations.cv import CvEntry, cv_entry
from bibliography.models import Paper

FONTS = Path(__file__).resolve().parent.parent / "fonts"
FAMILY = "DejaVu"
FONT_SIZE = 10
LINE_HEIGHT = 5
NUMBER_WIDTH = 10
IDENTIFIER_LINKS = {
    "DOI": "https://doi.org/{}",
    "arXiv": "https://arxiv.org/abs/{}",
    "URL": "{}",
}


def publication_list_pdf(papers: Iterable[Paper], title: str, note: str = "") -> bytes:
    """The PDF of `papers` (fetched with `for_list()`), in the order given, under `title`;
    `note` says which papers (the list's filters), under the title."""
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creator("bibliography-site")
    pdf.add_font(FAMILY, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 16)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(
        0, 5, " · ".join(p for p in (note, f"As of {date.today():%d %B %Y}") if p),
        new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip
    pdf.ln(3)
    for number, paper in enumerate(papers, 1):
        _write_entry(pdf, number, cv_entry(paper))
    return bytes(pdf.output())


def _write_entry(pdf: FPDF, number: int, entry: CvEntry) -> None:
    left = pdf.l_margin
    pdf.set_font(FAMILY, "", FONT_SIZE)
    pdf.cell(NUMBER_WIDTH, LINE_HEIGHT, f"{number}.")
    # write() wraps to the left margin: moved right, it gives the entry a hanging indent.
    pdf.set_left_margin(left + NUMBER_WIDTH)
    names = [(author.name, author.is_owner) for author in entry.authors]
    if entry.et_al:
        names.append(("et al.", False))
    # Consecutive names of one weight are written at once (a byline may hold 400 names).
    for index, (is_owner, group) in enumerate(groupby(names, key=lambda name: name[1])):
        pdf.set_font(FAMILY, "B" if is_owner else "", FONT_SIZE)
        _write(pdf, (", " if index else "") + ", ".join(name for name, _ in group))
    pdf.set_font(FAMILY, "", FONT_SIZE)
    pieces = [piece for piece in (entry.title, entry.source, *entry.awards) if piece]
    _write(pdf, (". " if names else "") + ". ".join(pieces))
    for label, value in entry.identifiers:
        _write(pdf, f". {label}: ")
        _write(pdf, value, link=IDENTIFIER_LINKS[label].format(value))
    _write(pdf, ".")
    pdf.ln(LINE_HEIGHT + 2)
    pdf.set_left_margin(left)


def _write(pdf: FPDF, text: str, link: str = "") -> None:
    """Write `text` on from where the last piece ended. fpdf2 breaks a piece's first word
    where the line ends when it does not fit there; such a word starts the next line."""
    first_word = text.split(" ", 1)[0]
    room = pdf.w - pdf.r_margin - pdf.get_x()
    if pdf.get_string_width(first_word) > room and pdf.get_x() > pdf.l_margin:
        pdf.ln(LINE_HEIGHT)
    pdf.write(LINE_HEIGHT, text, link=link)
