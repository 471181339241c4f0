"""How typed text reads when shown: an editor's `--` is an en dash and `---` an em dash;
sub- and superscripts are Unicode's characters where it has them.

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


# Sub- and superscripts that Unicode has: Cu$_2$O is Cu₂O, mm$^2$ is mm² (the importer), and
# a citation's <sup>0</sup> reads AC⁰ as plain text, as citeproc-js writes it.
SUPERSCRIPTS = dict(zip("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", strict=True))
SUBSCRIPTS = dict(
    zip("0123456789+-=()aeoxhklmnpstijruv", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ", strict=True)
)


def in_script(text: str, table: dict[str, str]) -> str:
    """`text` in Unicode sub- or superscript characters, or "" when Unicode lacks one."""
    if text and all(char in table for char in text):
        return "".join(table[char] for char in text)
    return ""
