"""One person, one record: when two spellings name the same person, and merging two records.

The matching rule lives here alone, for the admin's duplicate report, the merge action and
the importer (`matching_people`): two names may be one person when their family names (with
particles) are the same, letter for letter once case and accents are set aside, and their
given names are compatible: each given name read in order either spells the other's, is
its initial ("S." and "Stella", "Stephen" and "Stephen H."), its short form (three letters
or more, two or more left off: "Sid" and "Sidney") or the same name with one letter left
out inside it (a typo in a long name: "Dhableswar" and "Dhabaleswar"). An empty given name
(a source that cites the family name only) is compatible with any.

Compatible is "may be one person": the duplicate report lists such pairs for an editor, and
the importer takes a compatible spelling as an existing person only with more evidence
(a shared co-author: bibliography/importing/bylines.py).
"""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext

from bibliography.models import Author, AuthorNameVariant, Authorship, AuthorSlugRedirect


class MergeRefused(Exception):
    """Two records cannot be merged; the message says why, in an editor's words."""


def _fold(text: str) -> str:
    """Lower case without accents: 'Laurençon' and 'laurencon' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def family_key(particle: str, family_name: str) -> str:
    """What two spellings of one family name share: 'van der Berg' is 'van der berg'."""
    return " ".join(_fold(f"{particle} {family_name}").split())


def given_parts(given_name: str) -> list[str]:
    """'Stella Rose' -> ['stella', 'rose']; 'S.R.' -> ['s', 'r']; 'Zheng-Xin' -> ['zheng',
    'xin']."""
    spaced = _fold(given_name).replace(".", ". ").replace("-", " ")
    return [part.strip(".") for part in spaced.split() if part.strip(".")]


# A short form ("Sid" for "Sidney") has at least this many letters ("Jo" says too little),
# and leaves off at least two ("Andrea" is not short for "Andreas").
SHORT_FORM_LETTERS = 3
SHORT_FORM_SHORTER_BY = 2
# A name this long with one letter missing inside it is taken for a typo of the longer.
TYPO_LETTERS = 6


def _part_compatible(short: str, long: str) -> bool:
    if long.startswith(short) and (
        len(short) == 1
        or (len(short) >= SHORT_FORM_LETTERS and len(long) - len(short) >= SHORT_FORM_SHORTER_BY)
    ):
        return True
    # One letter dropped inside (not at either end: "Andrea" and "Andreas" are two names).
    return (
        len(long) == len(short) + 1
        and len(short) >= TYPO_LETTERS
        and any(long[:i] + long[i + 1 :] == short for i in range(1, len(long) - 1))
    )


def given_names_compatible(first: str, second: str) -> bool:
    """True when each given name, part by part in order, spells the other, is its initial,
    its short form or the other with one letter missing inside; extra parts on one side (a
    middle name) are allowed."""
    for mine, theirs in zip(given_parts(first), given_parts(second), strict=False):
        if mine == theirs:
            continue
        short, long = sorted((mine, theirs), key=len)
        if not _part_compatible(short, long):
            return False
    return True


def names_compatible(first: tuple, second: tuple) -> bool:
    """Whether two names (given, particle, family, suffix) may be one person."""
    given_a, particle_a, family_a, suffix_a = first
    given_b, particle_b, family_b, suffix_b = second
    if family_key(particle_a, family_a) != family_key(particle_b, family_b):
        return False
    if suffix_a and suffix_b and _fold(suffix_a) != _fold(suffix_b):
        return False
    return given_names_compatible(given_a, given_b)


def _name_of(record) -> tuple:
    return (record.given_name, record.particle, record.family_name, record.suffix)


def find_person(given_name: str, particle: str, family_name: str, suffix: str = ""):
    """The Author a name in a source means, or None when no record (or more than one) fits.

    A record whose own name or one of whose name variants is spelt exactly so wins; else
    the one person whose name or variants are compatible (see the module's rule). Two
    compatible people ('S. Smith' when there are a Sarah and a Sam) give None: the caller
    creates a record rather than guess. Two queries.
    """
    wanted = (given_name.strip(), particle.strip(), family_name.strip(), suffix.strip())
    if not wanted[2]:
        return None
    same_family = Q(family_name__iexact=wanted[2])
    candidates = {author.pk: author for author in Author.objects.filter(same_family)}
    spellings = [(author.pk, _name_of(author)) for author in candidates.values()]
    variants = AuthorNameVariant.objects.filter(same_family).select_related("author")
    for variant in variants:
        candidates.setdefault(variant.author_id, variant.author)
        spellings.append((variant.author_id, _name_of(variant)))
    found = matching_people(spellings, wanted)
    return candidates[found.pop()] if len(found) == 1 else None


def matching_people(spellings, wanted: tuple) -> set:
    """Who among `spellings` ((person, name) pairs: a person may have several) the name
    `wanted` may mean: the one person spelt exactly so, else everyone whose spelling is
    compatible (the module's rule). More than one is for the caller to settle, or not."""
    exact = {person for person, name in spellings if name == wanted}
    if len(exact) == 1:
        return exact
    return {person for person, name in spellings if names_compatible(name, wanted)}


@dataclass
class DuplicatePair:
    """Two author records that may be one person, and why the report thinks so."""

    first: Author
    second: Author
    reason: str


def likely_duplicates() -> list[DuplicatePair]:
    """Pairs of authors with the same ORCID iD, or the same family name and compatible given
    names. Two queries (the authors, then who shares a paper with whom among those paired,
    since two people on one byline are two people); the names are grouped in memory by
    family name, so the work grows with the size of each family, not with the square of
    all authors."""
    authors = list(Author.objects.order_by("family_name", "given_name", "pk"))
    pairs: dict[tuple[int, int], DuplicatePair] = {}

    by_orcid = defaultdict(list)
    by_family = defaultdict(list)
    for author in authors:
        if author.orcid:
            by_orcid[author.orcid].append(author)
        by_family[family_key(author.particle, author.family_name)].append(author)

    for orcid, group in by_orcid.items():
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                pairs[(first.pk, second.pk)] = DuplicatePair(first, second, f"same ORCID {orcid}")
    for group in by_family.values():
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                if (first.pk, second.pk) in pairs or _orcids_conflict([first, second]):
                    continue
                if names_compatible(_name_of(first), _name_of(second)):
                    pairs[(first.pk, second.pk)] = DuplicatePair(
                        first, second, "same family name, compatible given names"
                    )
    paired = {pk for pair in pairs for pk in pair}
    together = set(
        Authorship.objects.filter(
            author__in=paired, paper__authorships__author__in=paired
        ).values_list("author", "paper__authorships__author")
    )
    return [pair for key, pair in pairs.items() if key not in together]


def _orcids_conflict(authors) -> bool:
    return len({author.orcid for author in authors if author.orcid}) > 1


def choose_kept(authors) -> Author:
    """The record a merge keeps: a site owner, else the one on most papers, else the oldest."""
    counted = Author.objects.filter(pk__in=[a.pk for a in authors]).annotate(
        papers=Count("authorships")
    )
    return max(counted, key=lambda a: (a.is_site_owner, a.papers, -a.pk))


# Profile fields a merge fills in on the kept record when it has none of its own.
PROFILE_FIELDS = ("orcid", "homepage", "affiliation", "position")


def merge_authors(authors, keep: Author) -> Author:
    """Make `authors` one record, `keep`: every byline of the others moves to it (position
    and roles unchanged: the byline rows themselves move), their spellings and name
    variants become its variants, it is a site owner if any was, blank profile fields are
    filled from the others, and their slugs redirect to its page. The others are deleted.

    Refused (MergeRefused, nothing written) for fewer than two records, two different
    ORCID iDs (two people, by their own account) or two of them on one paper (a byline
    names each person once).
    """
    authors = list({author.pk: author for author in authors}.values())
    if keep.pk not in {author.pk for author in authors}:
        authors.append(keep)
    others = [author for author in authors if author.pk != keep.pk]
    if not others:
        raise MergeRefused(gettext("Choose at least two authors to merge."))
    if _orcids_conflict(authors):
        shown = ", ".join(f"{a.name} ({a.orcid})" for a in authors if a.orcid)
        raise MergeRefused(
            gettext("These authors have different ORCID iDs: %(authors)s.") % {"authors": shown}
        )
    shared = (
        Authorship.objects.filter(author__in=authors)
        .values("paper__title")
        .annotate(people=Count("author"))
        .filter(people__gt=1)
        .order_by("paper__title")
    )
    if titles := [row["paper__title"] for row in shared[:3]]:
        shown = "; ".join(f"“{title}”" for title in titles)
        raise MergeRefused(
            gettext("These authors are on the same paper, so they are two people: %(titles)s.")
            % {"titles": shown}
        )

    with transaction.atomic():
        known = {_name_of(keep)} | {
            _name_of(v) for v in AuthorNameVariant.objects.filter(author=keep)
        }
        spellings = [_name_of(other) for other in others]
        spellings += [_name_of(v) for v in AuthorNameVariant.objects.filter(author__in=others)]
        new = []
        for name in spellings:
            if name not in known:
                known.add(name)
                new.append(name)
        AuthorNameVariant.objects.filter(author__in=others).delete()
        AuthorNameVariant.objects.bulk_create(
            AuthorNameVariant(
                author=keep, given_name=given, particle=particle, family_name=family, suffix=suffix
            )
            for given, particle, family, suffix in new
        )
        Authorship.objects.filter(author__in=others).update(author=keep)
        AuthorSlugRedirect.objects.filter(author__in=others).update(author=keep)
        # Merged back into a record that was once merged away: its own old address is live.
        AuthorSlugRedirect.objects.filter(old_slug=keep.slug).delete()
        AuthorSlugRedirect.objects.bulk_create(
            AuthorSlugRedirect(old_slug=other.slug, author=keep) for other in others
        )
        keep.is_site_owner = any(author.is_site_owner for author in authors)
        for name in PROFILE_FIELDS:
            if not getattr(keep, name):
                setattr(
                    keep, name, next((getattr(o, name) for o in others if getattr(o, name)), "")
                )
        Author.objects.filter(pk__in=[other.pk for other in others]).delete()
        keep.save()
    return keep
