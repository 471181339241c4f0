"""Fixtures every test module may use; data builders are in tests/factories.py."""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

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


@pytest.fixture
def seed(db, django_db_blocker):
    """The 20 seed works, loaded from fixtures/seed.json."""
    from django.core.management import call_command

    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture(autouse=True)
def _private_pending_imports(settings, tmp_path):
    """Each test's previewed imports wait in its own directory, not in the project's var/."""
    settings.BIBTEX_IMPORT_PENDING_DIR = tmp_path / "pending-imports"


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
def _playwright():
    """Playwright's driver, started once: its sync API runs an event loop in this thread."""
    # The live server runs in a thread next to Playwright's event loop.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    """Debian's chromium driven by Playwright (its own browser download does not work here)."""
    browser = _playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def bfcache_browser(_playwright):
    """Chromium as visitors run it, with the back/forward cache that Playwright turns off by
    default: Back and Forward show the page kept in memory, as it was left, without loading
    it (so wait for URLs with wait_until="commit": no load event comes)."""
    browser = _playwright.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    yield browser
    browser.close()


@dataclass(frozen=True)
class StaticSite:
    """A static build (bibliography/static_build.py) served by a plain file server: the
    directory, the URL it was built for and is served at, and what the build did."""

    out: Path
    base: str
    report: object


def build_and_serve(root: Path, django_db_blocker, load) -> Iterator[StaticSite]:
    """Builds the site from the rows `load()` writes, for http://127.0.0.1:PORT/repo/, and
    serves `root` at that port. The rows are rolled back after the build: other tests
    start from an empty database, and those that read them write them again."""
    from django.db import transaction

    from bibliography.static_build import build_static
    from tests.servers import file_server, free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}/repo/"
    with django_db_blocker.unblock(), transaction.atomic():
        load()
        report = build_static(root / "repo", base)
        transaction.set_rollback(True)
    with file_server(root, port):
        yield StaticSite(root / "repo", base, report)


@pytest.fixture(scope="session")
def static_seed_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The seed's static build, made once per session (a build renders hundreds of pages)
    and shared by tests/test_static_build*.py; tests that read the rows use `seed` too."""
    from django.core.management import call_command

    yield from build_and_serve(
        tmp_path_factory.mktemp("static-seed"),
        django_db_blocker,
        lambda: call_command("loaddata", "seed", verbosity=0),
    )
