"""Plain Unicode text to BibTeX-safe LaTeX (the importer reads it back: importing/latex.py).

BibTeX counts braces without looking at backslashes, so a literal `{` or `}` in a
title cannot be written as `\\{`: an unpaired one would end the field early. It is
written `{\\textbraceleft}` instead, which keeps every field balanced whatever an
editor typed. The other LaTeX specials get their usual escapes, so nothing in a
field is ever read as a command (`\\input{x}` stays text).
"""

import re

from pylatexenc.latexencode import UnicodeToLatexEncoder

# One replacement per special character, all pure ASCII and brace-balanced.
SPECIAL_CHARACTERS = {
    "\\": "{\\textbackslash}",
    "{": "{\\textbraceleft}",
    "}": "{\\textbraceright}",
    "&": "\\&",
    "%": "\\%",
    "$": "\\$",
    "#": "\\#",
    "_": "\\_",
    "~": "{\\textasciitilde}",
    "^": "{\\textasciicircum}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(char) for char in SPECIAL_CHARACTERS))
# TeX reads "--" as an en dash and "---" as an em dash; a hyphen pair an editor typed is
# kept literal by breaking the ligature ("-{}-"), so the text reads back exactly as stored.
_HYPHEN_LIGATURE_RE = re.compile(r"-(?=-)")
_SPACE_RE = re.compile(r"\s+")
# Between page numbers: any run of dashes, with spaces or not (95-136, 95 – 136, 95--136).
_DASH_CHARACTERS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH_RUN_RE = re.compile(rf"\s*[{_DASH_CHARACTERS}]+\s*")
# A run that cannot be a hyphen inside a page id: "--", an en or em dash, a minus sign.
_RANGE_DASH_RE = re.compile(
    rf"\s*[{_DASH_CHARACTERS}]*(?:--|[\u2012-\u2015\u2212])[{_DASH_CHARACTERS}]*\s*"
)
_PARAGRAPH_BREAK_RE = re.compile(r"\n\s*\n")

_ascii_encoder = UnicodeToLatexEncoder(
    non_ascii_only=True,
    replacement_latex_protection="braces-all",
    # Characters LaTeX has no ASCII spelling for (emoji, Arabic) stay visible as U+XXXX.
    unknown_char_policy=lambda char: f"{{\\texttt{{U+{ord(char):04X}}}}}",
    unknown_char_warning=False,
)


def one_line(text: str) -> str:
    """Collapse every run of white space (newlines, tabs) into one space."""
    return _SPACE_RE.sub(" ", text or "").strip()


def paragraphs(text: str) -> list[str]:
    """Split text at blank lines, each paragraph collapsed to one line."""
    return [p for p in (one_line(chunk) for chunk in _PARAGRAPH_BREAK_RE.split(text or "")) if p]


def page_parts(pages: str, maxsplit: int = 0) -> list[str]:
    """The pages of a range without its dashes: "95--136" and "95 – 136" give ["95", "136"].

    A dash that can only mean "to" (two hyphens, an en or em dash, a minus sign) is the
    separator when there is one, so that a hyphen inside a page id stays: "S-12--S-15"
    gives ["S-12", "S-15"]. Otherwise every hyphen separates ("1-5, 7-9").
    """
    pages = one_line(pages)
    splitter = _RANGE_DASH_RE if _RANGE_DASH_RE.search(pages) else _DASH_RUN_RE
    return splitter.split(pages, maxsplit=maxsplit)


def page_range(pages: str) -> tuple[str, str]:
    """First and last page of "95-136", "95--136" or "95 – 136"; ("e12", "") for one page."""
    first, *last = page_parts(pages, maxsplit=1)
    return first, last[0].rstrip(_DASH_CHARACTERS + " ") if last else ""


def escape(text: str) -> str:
    """Escape the LaTeX specials `& % $ # _ { } ~ ^ \\` of one line of text, and break
    hyphen ligatures so that "--" stays two hyphens."""
    escaped = _SPECIAL_RE.sub(lambda match: SPECIAL_CHARACTERS[match.group()], text)
    return _HYPHEN_LIGATURE_RE.sub("-{}", escaped)


def to_ascii(latex: str) -> str:
    """Write every non-ASCII character of already-escaped LaTeX as an accent command ({\\"o})."""
    if latex.isascii():
        return latex
    return _ascii_encoder.unicode_to_latex(latex)
