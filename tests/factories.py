"""Builders of test data: each test makes what it needs (the seed fixture has its own tests)."""

import itertools

from bibliography.models import Author, Authorship, ContributionRole, Paper, Venue

_counter = itertools.count(1)


def make_venue(**fields) -> Venue:
    n = next(_counter)
    fields.setdefault("name", f"Conference {n}")
    fields.setdefault("short_name", f"CONF{n}")
    return Venue.objects.create(**fields)


def make_author(family_name: str | None = None, given_name: str = "Ada", **fields) -> Author:
    family_name = family_name or f"Author{next(_counter)}"
    return Author.objects.create(family_name=family_name, given_name=given_name, **fields)


def make_paper(*, authors=(), title: str | None = None, **fields) -> Paper:
    """A published paper with the given authors in order (Author objects or family names)."""
    fields.setdefault("year", 2022)
    paper = Paper.objects.create(title=title or f"A study of things {next(_counter)}", **fields)
    for position, author in enumerate(authors, start=1):
        if isinstance(author, str):
            author = make_author(author)
        Authorship.objects.create(paper=paper, author=author, position=position)
    return paper


def give_role(paper, positions, slug=ContributionRole.EQUAL_CONTRIBUTION):
    """Mark the authors at `positions` of `paper` with a contribution role, by slug."""
    if slug in ContributionRole.BUILT_IN:
        role = ContributionRole.objects.built_in(slug)
    else:
        role = ContributionRole.objects.get(slug=slug)
    for authorship in paper.authorships.filter(position__in=positions):
        authorship.roles.add(role)
