"""Plain Unicode text to BibTeX-safe LaTeX (the importer reads it back: importing/latex.py).

BibTeX counts braces without looking at backslashes, so a literal `{` or `}` in a
title cannot be written as `\\{`: an unpaired one would end the field early. It is
written `{\\textbraceleft}` instead, which keeps every field balanced whatever an
editor typed. The other LaTeX specials get their usual escapes, so nothing in a
field is ever read as a command (`\\input{x}` stays text).
"""

import re
import unicodedata

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
# Whether `escape` has anything to do: most words of a list have nothing to escape.
_NEEDS_ESCAPE_RE = re.compile(f"{_SPECIAL_RE.pattern}|--")
_SPACE_RE = re.compile(r"\s+")
# Between page numbers: any run of dashes, with spaces or not (95-136, 95 – 136, 95--136).
_DASH_CHARACTERS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH_RUN_RE = re.compile(rf"\s*[{_DASH_CHARACTERS}]+\s*")
# A run that cannot be a hyphen inside a page id: "--", an en or em dash, a minus sign.
_RANGE_DASH_RE = re.compile(
    rf"\s*[{_DASH_CHARACTERS}]*(?:--|[\u2012-\u2015\u2212])[{_DASH_CHARACTERS}]*\s*"
)
_PARAGRAPH_BREAK_RE = re.compile(r"\n\s*\n")

# LaTeX2e's text accents (every one in the kernel, for T1 and OT1 fonts alike, except \\k,
# which needs T1) by the combining mark each draws. pylatexenc knows the common precomposed
# letters; these spell the rest of Latin Extended Additional (Ḥ \\d{H}, ṯ \\b{t}, ộ
# \\^{\\d{o}}) and a letter an editor typed with combining marks. A mark missing here
# (the breve below of ḫ, say) has no LaTeX text command, and the letter stays U+XXXX.
COMBINING_ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=",
    "\u0306": "u", "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H",
    "\u030c": "v", "\u0323": "d", "\u0326": "textcommabelow", "\u0327": "c",
    "\u0328": "k", "\u0331": "b",
}  # fmt: skip
# Transliteration's ʿayn and hamza (and the Hawaiian ʻokina) are set as the quotes they
# look like: LaTeX has no other text spelling for them.
MODIFIER_LETTERS = {
    "\u02bf": "{\\textquoteleft}",
    "\u02bb": "{\\textquoteleft}",
    "\u02be": "{\\textquoteright}",
    "\u02bc": "{\\textquoteright}",
}
# An ASCII letter followed by combining marks that no precomposed character holds.
_LETTER_WITH_MARKS_RE = re.compile(r"([A-Za-z])([\u0300-\u036f]+)")


def _accented(base: str, marks: str) -> str | None:
    """`base` under the accent commands of `marks`, innermost first ({\\^{\\d{o}}}), or None
    when a mark has no LaTeX command."""
    latex = base
    for mark in marks:
        command = COMBINING_ACCENTS.get(mark)
        if command is None:
            return None
        latex = f"\\{command}{{{latex}}}"
    return f"{{{latex}}}"


def _unknown_char(char: str) -> str:
    """What pylatexenc has no spelling for: an accented Latin letter, a modifier letter, or
    (emoji, Arabic, a mark LaTeX cannot draw) the code point, visible as U+XXXX."""
    if char in MODIFIER_LETTERS:
        return MODIFIER_LETTERS[char]
    base, *marks = unicodedata.normalize("NFD", char)
    if marks and base.isascii() and base.isalpha():
        accented = _accented(base, "".join(marks))
        if accented:
            return accented
    return f"{{\\texttt{{U+{ord(char):04X}}}}}"


def _accent_letter_with_marks(match: re.Match) -> str:
    return _accented(match.group(1), match.group(2)) or match.group()


_ascii_encoder = UnicodeToLatexEncoder(
    non_ascii_only=True,
    replacement_latex_protection="braces-all",
    unknown_char_policy=_unknown_char,
    unknown_char_warning=False,
)


def one_line(text: str) -> str:
    """Collapse every run of white space (newlines, tabs) into one space."""
    text = text or ""
    if text.isprintable() and "  " not in text:
        # No white space but single spaces (any other is unprintable): only the ends to trim.
        return text.strip()
    return _SPACE_RE.sub(" ", text).strip()


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
    if not _NEEDS_ESCAPE_RE.search(text):
        return text
    escaped = _SPECIAL_RE.sub(lambda match: SPECIAL_CHARACTERS[match.group()], text)
    return _HYPHEN_LIGATURE_RE.sub("-{}", escaped)


def to_ascii(latex: str) -> str:
    """Write every non-ASCII character of already-escaped LaTeX as an accent command ({\\"o})."""
    if latex.isascii():
        return latex
    # Composed first, so that "s" + a combining dot below is ṣ, which the encoder spells.
    latex = _LETTER_WITH_MARKS_RE.sub(
        _accent_letter_with_marks, unicodedata.normalize("NFC", latex)
    )
    return _ascii_encoder.unicode_to_latex(latex)
