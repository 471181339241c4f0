"""Which person each name on an import's bylines means, when it is not spelt as a record is.

A name spelt exactly as an author (or one of their recorded variants) is that author
(planning.ExistingRecords). Any other name may still be someone known: "Quentin G Anthony"
beside the seed's "Quentin Anthony", "S. Biderman" beside "Stella Biderman". The names that
may be one person are bibliography/people.py's rule (`matching_people`), not a second one
here; a compatible name alone is not enough to file a paper under someone, so it is taken
as that person only when it is safe:

- the two share a co-author (someone on the name's byline in this import has a paper with
  that person, in the database or in this import), and are never on one byline together;
- exactly one person passes, after the names this import itself spells more fully are
  settled (fullest first, so "Q. G. Anthony" follows "Quentin Gregory Anthony").

A name that may be someone but is not safely so becomes a record of its own, and the plan
says who it may be, so that the editor can merge them (Authors > Likely duplicates).
"""

from collections import defaultdict
from dataclasses import replace

from django.utils.translation import gettext, gettext_lazy

from bibliography.importing.names import PersonName
from bibliography.models import Authorship, person_name
from bibliography.people import family_key, given_parts, matching_people

MERGE_HINT = gettext_lazy("merge in Authors > Likely duplicates")


def spelt(person: PersonName) -> str:
    """The name as the source spells it, for messages."""
    return person_name(person.given_name, person.particle, person.family_name, person.suffix)


def _name(person: PersonName) -> tuple:
    return (person.given_name, person.particle, person.family_name, person.suffix)


def _fullness(person: PersonName) -> tuple:
    """Fuller names first: more given names, then longer ones (then the key, for a fixed
    order)."""
    given = given_parts(person.given_name)
    return (len(given), sum(map(len, given)), person.match_key)


def existing_coauthors(author_ids) -> dict[int, set[int]]:
    """Each author's co-authors in the database. One query, and none for no authors."""
    if not author_ids:
        return {}
    papers = Authorship.objects.filter(author__in=author_ids).values("paper")
    on_paper = defaultdict(set)
    for paper_id, author_id in Authorship.objects.filter(paper__in=papers).values_list(
        "paper", "author"
    ):
        on_paper[paper_id].add(author_id)
    coauthors = defaultdict(set)
    for people in on_paper.values():
        for author_id in people & set(author_ids):
            coauthors[author_id] |= people - {author_id}
    return coauthors


class _Bylines:
    """The import's names and who appears beside whom, as identities: ("author", id) for a
    name spelt as a record, ("name", match key) for any other."""

    def __init__(self, items, existing):
        self.existing = existing
        self.new: dict[str, PersonName] = {}
        self.first_item: dict[str, object] = {}
        self.beside: dict[tuple, set[tuple]] = defaultdict(set)
        for item in items:
            identities = [self.identity(person) for person in item.data.authors]
            for person, identity in zip(item.data.authors, identities, strict=True):
                if identity[0] == "name":
                    self.new.setdefault(person.match_key, person)
                    self.first_item.setdefault(person.match_key, item)
                self.beside[identity].update(other for other in identities if other != identity)

    def identity(self, person: PersonName) -> tuple:
        author_id = self.existing.authors.get(person.match_key)
        return ("author", author_id) if author_id is not None else ("name", person.match_key)

    def label(self, identity: tuple) -> str:
        kind, value = identity
        return self.existing.author_names[value] if kind == "author" else spelt(self.new[value])


def resolve_bylines(items, existing) -> list[str]:
    """Take each safely matched name as its person, in place (planning's ExistingRecords
    learns the spelling, or the byline gets the fuller spelling of this import); return
    what the plan should say about names matched, and names that may be someone."""
    bylines = _Bylines(items, existing)
    if not bylines.new:
        return []
    new_by_family = defaultdict(list)
    for key, person in bylines.new.items():
        new_by_family[family_key(person.particle, person.family_name)].append(key)

    candidates: dict[str, set[tuple]] = {}
    for key, person in bylines.new.items():
        family = family_key(person.particle, person.family_name)
        spellings = [
            (("author", pk), name) for pk, name in existing.spellings_by_family.get(family, ())
        ]
        spellings += [
            (("name", other), _name(bylines.new[other]))
            for other in new_by_family[family]
            if other != key
        ]
        if found := matching_people(spellings, _name(person)):
            candidates[key] = found
    if not candidates:
        return []
    known = {pk for found in candidates.values() for kind, pk in found if kind == "author"}
    for author_id, coauthors in existing_coauthors(known).items():
        bylines.beside[("author", author_id)] |= {("author", pk) for pk in coauthors}

    # A co-author spelt otherwise counts as the people it may be: "L. Gao and S. Biderman"
    # shares a co-author with Leo Gao through Stella Biderman, and with her through him.
    may_be = {
        ("name", key): {c for c in found if c[0] == "author"} for key, found in candidates.items()
    }

    taken_as: dict[str, tuple] = {}  # new name -> the identity it is
    remarks: dict[str, str] = {}
    unsettled: dict[str, tuple[list, str]] = {}
    for key in sorted(candidates, key=lambda k: _fullness(bylines.new[k]), reverse=True):
        person, mine = bylines.new[key], ("name", key)
        coauthors = set(bylines.beside[mine])
        for other in bylines.beside[mine]:
            coauthors |= may_be.get(other, set())
        # A less full spelling follows this one, never leads it (and is reported from its side).
        eligible = [
            (kind, value)
            for kind, value in candidates[key]
            if kind == "author" or _fullness(bylines.new[value]) > _fullness(person)
        ]
        passing: dict[tuple, tuple] = {}  # the person it would be -> a shared co-author
        apart = 0
        for candidate in eligible:
            if candidate in bylines.beside[mine]:
                apart += 1  # one byline names each person once: these are two
                continue
            shared = (coauthors & bylines.beside[candidate]) - {mine, candidate}
            if shared:
                settled = taken_as.get(candidate[1], candidate)
                passing.setdefault(settled, min(shared))
        where = bylines.first_item[key].where
        if len(passing) == 1:
            ((target, coauthor),) = passing.items()
            taken_as[key] = target
            remarks[key] = gettext(
                "`%(name)s` (%(where)s) is taken as %(person)s: same family name, "
                "compatible given names, shared co-author %(coauthor)s"
            ) % {
                "name": spelt(person),
                "where": where,
                "person": bylines.label(target),
                "coauthor": bylines.label(coauthor),
            }
        elif eligible:
            why = gettext("more than one fits") if passing else gettext("no shared co-author")
            if apart == len(eligible):
                why = gettext("they share a byline")
            unsettled[key] = (eligible, why)
    for key, (eligible, why) in unsettled.items():
        maybe = {bylines.label(taken_as.get(value, (kind, value))) for kind, value in eligible}
        remarks[key] = gettext(
            "`%(name)s` (%(where)s) may be %(people)s: not merged (%(why)s); %(hint)s"
        ) % {
            "name": spelt(bylines.new[key]),
            "where": bylines.first_item[key].where,
            "people": (" " + gettext("or") + " ").join(sorted(maybe)),
            "why": why,
            "hint": MERGE_HINT,
        }
    _keep_bylines_apart(items, bylines, taken_as, remarks)
    for item in items:
        item.data.authors = [_as_taken(p, existing, bylines, taken_as) for p in item.data.authors]
    return list(remarks.values())


def _keep_bylines_apart(items, bylines, taken_as, remarks) -> None:
    """Where two names of one byline would become one person (a byline names each person
    once), the later one stays as written: a record of its own, everywhere."""
    for item in items:
        seen = set()
        for person in item.data.authors:
            identity = taken_as.get(person.match_key) or bylines.identity(person)
            if identity in seen:
                taken_as.pop(person.match_key, None)
                remarks[person.match_key] = gettext(
                    "`%(name)s` (%(where)s) may be %(person)s, who is on that byline "
                    "already: not merged; %(hint)s"
                ) % {
                    "name": spelt(person),
                    "where": item.where,
                    "person": bylines.label(identity),
                    "hint": MERGE_HINT,
                }
                identity = ("name", person.match_key)
            seen.add(identity)


def _as_taken(person: PersonName, existing, bylines, taken_as) -> PersonName:
    target = taken_as.get(person.match_key)
    if target is None:
        return person
    kind, value = target
    if kind == "author":
        existing.authors[person.match_key] = value  # this spelling is that author now
        return person
    fuller = bylines.new[value]
    return replace(
        person,
        given_name=fuller.given_name,
        particle=fuller.particle,
        family_name=fuller.family_name,
        suffix=fuller.suffix,
    )
