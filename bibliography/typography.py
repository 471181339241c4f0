"""How typed text reads when shown: an editor's `--` is an en dash and `---` an em dash.

TeX's convention, which editors type in titles ("Episode #5 -- Workshop"). Used for the
pages and for the formatted citations (through CSL-JSON); never inside a web address or
a DOI, where hyphens are characters of the identifier. The stored text is unchanged, so
BibTeX still writes what was typed.
"""

import re

# A run of two or three hyphens that is not part of a longer run.
_DASHES_RE = re.compile(r"(?<!-)-{2,3}(?!-)")
# A word that is an address or identifier: left as typed.
_IDENTIFIER_RE = re.compile(r"^\W*(?:[a-z][a-z0-9+.-]*://|www\.|doi:|10\.\d{4,}/)", re.I)


def dashes(text: str) -> str:
    """`text` with `--` as an en dash and `---` as an em dash, outside addresses and DOIs."""
    if "--" not in text:
        return text
    words = re.split(r"(\s+)", text)
    return "".join(
        word if _IDENTIFIER_RE.match(word) else _DASHES_RE.sub(_dash, word) for word in words
    )


def _dash(match: re.Match) -> str:
    return "\u2013" if len(match.group()) == 2 else "\u2014"
