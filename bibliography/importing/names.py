"""BibTeX name lists split into people, and people into name parts.

Names are split on the LaTeX text (braces decide what is one word, as in BibTeX)
and only then decoded, so `{\\"O}zt{\\"u}rk, Ali` and `{BigScience Workshop}` come out
right. Every form BibTeX knows is read: `Given Family`, `Family, Given`,
`von Family, Jr, Given`, `{Corporate Name}`, and `and others` for a partial list.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from django.utils.translation import gettext

from bibliography.importing.latex import latex_to_unicode
from bibliography.importing.marks import split_marks

SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "jnr", "snr"}


@dataclass(frozen=True)
class PersonName:
    given_name: str
    particle: str
    family_name: str
    suffix: str
    # Contribution marks written on the name (`Biderman*`), taken off it: see marks.py.
    marks: tuple[str, ...] = ()

    @property
    def match_key(self) -> str:
        """What two spellings of one person share: see `name_match_key`."""
        return name_match_key(self.given_name, self.particle, self.family_name, self.suffix)


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w]+", " ", folded.casefold()).split())


def name_match_key(given: str, particle: str, family: str, suffix: str) -> str:
    """Case, accents, dots and the particle/family boundary do not tell people apart.

    "Biderman, Stella" and "Stella Biderman" share a key; so do "van der Berg, Jan"
    and "Jan van der Berg". Initials are not expanded: "S. Biderman" may be someone else.
    """
    return f"{_fold(given)}|{_fold(particle + ' ' + family)}|{_fold(suffix)}"


_INITIAL = re.compile(r"^[A-Z]\.?(?:-?[A-Z]\.?)*$")


def _is_suffix(piece: str) -> bool:
    return piece.strip().lower() in SUFFIXES


def _suffix_form(pieces: list[str]) -> list[str] | None:
    """BibTeX's three parts `von Last, Jr, First` for a name that has a suffix, or None.

    `Sherry, John F., Jr.` (the suffix written last, as people and some tools do) is put
    back in BibTeX's order: one person, not three.
    """
    if len(pieces) != 3:
        return None
    if _is_suffix(pieces[1]):
        return pieces
    if _is_suffix(pieces[2]) and not _is_suffix(pieces[0]):
        return [pieces[0], pieces[2], pieces[1]]
    return None


def _looks_like_comma_separated_list(pieces: list[str]) -> bool:
    """'Hu Xu, Saining Xie, Po-Yao Huang' or 'A. Smith, B. Jones': people joined by commas
    instead of `and`, where no reading as `Last, First` or `Last, Jr, First` fits."""
    if len(pieces) >= 3:
        return _suffix_form(pieces) is None
    if len(pieces) != 2 or any(_is_suffix(piece) for piece in pieces):
        return False
    # A family name never starts with an initial: "A. Smith, B. Jones" is two people, while
    # "van der Berg, Jan" and "De La Cruz, Maria" are one.
    words = [piece.split() for piece in pieces]
    return all(len(w) >= 2 and _INITIAL.match(w[0]) for w in words)


_INITIALS = re.compile(r"^(?:[A-Z]\.?(?:-?[A-Z]\.?)*\s*)+$")


def _comma_separated_names(pieces: list[str]) -> list[str]:
    """The names of a list joined by commas: `Hu Xu, Saining Xie` is two full names, while
    `Doe, J., Smith, K.` and `Doe, John, Smith, Kate` are `Family, Given` pairs (every
    second piece initials, or every piece one word)."""
    if len(pieces) % 2 == 0:
        givens = pieces[1::2]
        if all(_INITIALS.match(g) for g in givens) or all(len(p.split()) == 1 for p in pieces):
            return [f"{family}, {given}" for family, given in zip(pieces[::2], givens, strict=True)]
    return pieces


def _split_top_level_commas(text: str) -> list[str]:
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == "," and depth == 0:
            pieces.append(text[start:index])
            start = index + 1
    pieces.append(text[start:])
    return pieces


# TeX's control space (`Christina A. L.\ Thiele`): a space between words, not a backslash.
_CONTROL_SPACE = re.compile(r"(?<!\\)\\(?=\s)")
# `Frank G. {Bennett, Jr.}`: the suffix braced into the family name, so that BibTeX's own
# styles print the comma; the person's suffix all the same.
_BRACED_SUFFIX = re.compile(r"^(.+?),\s*([^,]+)$")


def _person(raw: str, notes: list[str]) -> PersonName | None:
    raw, marks = split_marks(raw)
    raw = _CONTROL_SPACE.sub("", raw)
    try:
        parts = parse_single_name_into_parts(raw, strict=False)
    except InvalidNameError:
        notes.append(
            gettext("could not split the name `%(name)s`; kept whole as a family name")
            % {"name": raw}
        )
        return PersonName("", "", latex_to_unicode(raw), "", marks)
    person = PersonName(
        given_name=latex_to_unicode(" ".join(parts.first)),
        particle=latex_to_unicode(" ".join(parts.von)),
        family_name=latex_to_unicode(" ".join(parts.last)),
        suffix=latex_to_unicode(" ".join(parts.jr)),
        marks=marks,
    )
    braced = _BRACED_SUFFIX.match(person.family_name)
    if braced and not person.suffix and _is_suffix(braced.group(2)):
        person = PersonName(
            person.given_name, person.particle, braced.group(1), braced.group(2), marks
        )
    if not person.family_name and person.given_name:
        # "Vasu" alone, or a name whose last word is lower-case: BibTeX calls it the family.
        person = PersonName("", person.particle, person.given_name, person.suffix, marks)
    if not (person.family_name or person.particle):
        return None
    return person


def parse_names(value: str, notes: list[str]) -> tuple[list[PersonName], bool]:
    """The people of an author/editor field, and whether the list ends in `and others`."""
    partial = False
    people: list[PersonName] = []
    raw_names = [name.strip() for name in split_multiple_persons_names(value)]
    if raw_names and raw_names[-1].lower() in ("others", "{others}", "et al.", "et al"):
        partial = True
        raw_names.pop()
    for raw in raw_names:
        # "May, Keith," (a stray comma before `and`) means Keith May, not a suffix "Keith".
        raw = raw.rstrip(", \t\n")
        if not raw:
            continue
        pieces = [piece.strip() for piece in _split_top_level_commas(raw) if piece.strip()]
        if _looks_like_comma_separated_list(pieces):
            notes.append(
                gettext("authors separated by commas instead of `and`; split at the commas")
            )
            for name in _comma_separated_names(pieces):
                if person := _person(name, notes):
                    people.append(person)
            continue
        if (ordered := _suffix_form(pieces)) is not None:
            raw = ", ".join(ordered)
        person = _person(raw, notes)
        if person:
            people.append(person)
    return people, partial
