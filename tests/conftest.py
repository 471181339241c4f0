"""Shared test builders. Tests make their own data; the seed fixture has its own tests."""

import itertools
import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from bibliography.models import Author, Authorship, ContributionRole, Paper, Venue

_counter = itertools.count(1)

# Property-based tests (hypothesis): few examples by default so the suite stays quick on two
# cores; HYPOTHESIS_PROFILE=thorough for a long hunt. No deadline: a first request is slow.
# pytest-django's database fixtures are per test, shared by a test's examples on purpose
# (each example rolls its own writes back), hence the suppressed health check.
_shared = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
hypothesis_settings.register_profile("default", max_examples=50, **_shared)
hypothesis_settings.register_profile("thorough", max_examples=2_000, **_shared)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


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


@pytest.fixture
def seed(db, django_db_blocker):
    """The 20 seed works, loaded from fixtures/seed.json."""
    from django.core.management import call_command

    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Tests must not see each other's cached pages or citations: the data version they
    are keyed on comes back with each test's rolled-back database."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


# Browser tests (tests/test_*browser*.py): one chromium for the whole session. Playwright's
# sync API runs an event loop in this thread, so two sessions of it cannot be open at once.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (its own browser download does not work here)."""
    # The live server runs in a thread next to Playwright's event loop.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
