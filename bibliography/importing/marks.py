"""Contribution marks on authors' names, and the legend that says what they mean.

al-folio, jekyll-scholar and Hugo Blox sites mark their authors in the name itself:
`Biderman*, Stella`, `Einstein*†, A.`, `Doe$^*$`, `Doe\\textsuperscript{\\dag}`,
`Doe$^{1,*}$`, and say what the marks mean in `annotation` or `additional_info`
("* Equal contribution<br>† Corresponding author"). The marks are taken off the name (so
the person is one person on every paper, spelled cleanly) and become contribution roles
on the byline (`resolve_role`).
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext

from bibliography.models import ContributionRole

# LaTeX commands that print a mark, and what they print.
_MARK_COMMANDS = {
    "dag": "†", "dagger": "†", "textdagger": "†",
    "ddag": "‡", "ddagger": "‡", "textdaggerdbl": "‡",
    "ast": "*", "textasteriskcentered": "*", "star": "⋆",
    "S": "§", "textsection": "§", "P": "¶", "textparagraph": "¶", "#": "#",
}  # fmt: skip
# Marks written as characters; the look-alike asterisks are one mark.
_MARK_CHARACTERS = {"*": "*", "∗": "*", "⋆": "⋆", "★": "⋆", "†": "†", "‡": "‡", "§": "§", "¶": "¶"}
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

_COMMAND = r"\\(?:" + "|".join(sorted(map(re.escape, _MARK_COMMANDS), key=len, reverse=True))
_COMMAND += r")(?![A-Za-z])(?:\{\})?"
_CHARACTER = "[" + re.escape("".join(_MARK_CHARACTERS)) + "]"
# One mark, or several run together ("*†", "1,*"), as a superscript may hold them.
_ATOM = rf"(?:{_COMMAND}|{_CHARACTER})"
_SUPERSCRIPT_CONTENT = rf"(?:{_ATOM}|[0-9]|[\s,])+"
_MARKED = re.compile(
    "|".join(
        (
            # \textsuperscript{*}, \textsuperscript{1,\dag}, \textsuperscript*
            rf"\\textsuperscript\s*(?:\{{(?P<sup>{_SUPERSCRIPT_CONTENT})\}}|(?P<supone>{_ATOM}))",
            # $^*$, $^{1,*}$, ${}^\dagger$, $\dagger$, $\ast$
            rf"\$\s*(?:\{{\}})?\s*(?:\^\s*)?(?:\{{(?P<math>{_SUPERSCRIPT_CONTENT})\}}"
            rf"|(?P<mathone>{_ATOM}|[0-9]))\s*\$",
            # {\dag}, {*}
            rf"\{{(?P<group>(?:{_ATOM}|\s)+)\}}",
            rf"(?P<bare>{_ATOM})",
            "(?P<digits>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)",
        )
    )
)
_ONE_MARK = re.compile(rf"{_COMMAND}|{_CHARACTER}|[0-9]")


def _symbols(text: str) -> list[str]:
    found = []
    for match in _ONE_MARK.finditer(text.translate(_SUPERSCRIPT_DIGITS)):
        token = match.group(0)
        if token.startswith("\\"):
            token = _MARK_COMMANDS[token[1:].removesuffix("{}")]
        found.append(_MARK_CHARACTERS.get(token, token))
    return found


def split_marks(raw_name: str) -> tuple[str, tuple[str, ...]]:
    """The name without its marks, and the marks in the order written (each once).

    Works on the BibTeX text of one person, before it is split into parts: `Biderman*,
    Stella` is `Biderman, Stella` with `*`. Digits count as marks only where they are
    raised (`$^1$`, `\\textsuperscript{2}`, `³`): a plain digit is part of the name.
    """
    marks: list[str] = []

    def take(match: re.Match) -> str:
        for symbol in _symbols(next(group for group in match.groups() if group is not None)):
            if symbol not in marks:
                marks.append(symbol)
        return " "

    cleaned = _MARKED.sub(take, raw_name)
    if not marks:
        return raw_name, ()
    cleaned = re.sub(r"\s+,", ",", " ".join(cleaned.split()))
    return cleaned, tuple(marks)


_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"\n|;")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])[^*\n]*[^\s*]\*(?![\w*])")
_LEGEND_ITEM = re.compile(
    rf"(?:^|(?<=[\s,(]))(?P<marks>(?:{_CHARACTER}|[⁰¹²³⁴⁵⁶⁷⁸⁹0-9])+)[\s:=.)-]*"
    r"(?P<meaning>[^\W\d_][^,*†‡§¶⋆∗★]*)"
)


def parse_legend(text: str) -> dict[str, str]:
    """What each mark means, from an al-folio `annotation` ("* Equal contribution<br>†
    Corresponding author") or a line such as "* equal contribution, † corresponding".

    `text` is already decoded from LaTeX, its line breaks (`<br>`) written as `;`. Markdown
    emphasis (`*More information*`) is not a legend; a mark with no words after it says
    nothing.
    """
    legend: dict[str, str] = {}
    for line in _BREAK.split(text):
        line = _EMPHASIS.sub(" ", _TAG.sub(" ", line))
        for match in _LEGEND_ITEM.finditer(line):
            meaning = " ".join(match.group("meaning").split()).strip(" .:-")
            for symbol in _symbols(match.group("marks")):
                if meaning:
                    legend.setdefault(symbol, meaning)
    return legend


_EQUAL = re.compile(r"equal|contributed equally|joint first|co-?first|shared first", re.I)
_CORRESPONDING = re.compile(r"correspond", re.I)


@dataclass(frozen=True)
class KnownRoles:
    """The roles in the database, by symbol and by folded name (see ExistingRecords)."""

    by_symbol: dict
    by_name: dict


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def resolve_role(symbol: str, legend: dict[str, str], known: KnownRoles) -> tuple[object, str]:
    """(the role a mark stands for, "") or (None, why not).

    The role is an existing role's id, or the slug of a built-in role (made on import if an
    editor removed it). With a legend, its words decide: "equal contribution" and its kin,
    "corresponding", or the name of a role the site has. Without one, the site's role with
    that symbol (built in: `*` equal contribution, `†` corresponding author).
    """
    meaning = legend.get(symbol)
    if meaning is not None:
        if (role_id := known.by_name.get(fold(meaning))) is not None:
            return role_id, ""
        if _EQUAL.search(meaning):
            return ContributionRole.EQUAL_CONTRIBUTION, ""
        if _CORRESPONDING.search(meaning):
            return ContributionRole.CORRESPONDING_AUTHOR, ""
        said = f"“{meaning[:60]}”"
        return None, gettext(
            "the legend says `%(mark)s` is %(meaning)s, which is no contribution role"
        ) % {"mark": symbol, "meaning": said}
    if (role_id := known.by_symbol.get(symbol)) is not None:
        return role_id, ""
    for slug, (_name, built_in_symbol, _order) in ContributionRole.BUILT_IN.items():
        if built_in_symbol == symbol:
            return slug, ""
    return None, gettext("no legend says what `%(mark)s` means") % {"mark": symbol}
