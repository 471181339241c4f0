"""Which database alias each kind of query uses when a replica is configured: public pages'
reads the replica, the admin, sessions, writes and reads in a transaction or after a write
the primary (bibliography/routers.py)."""

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import router, transaction
from django.test import RequestFactory

from bibliography.models import Paper
from bibliography.routers import ReplicaReadsMiddleware

TWO_ALIASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
    "replica": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
}


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = TWO_ALIASES


def aliases_during(method: str, path: str, work) -> list:
    """The aliases `work()` picks, run as the view of a request."""
    picked = []

    def view(request):
        picked.extend(work())
        return None

    request = getattr(RequestFactory(), method.lower())(path)
    ReplicaReadsMiddleware(view)(request)
    return picked


def reads():
    return [router.db_for_read(Paper)]


def test_a_public_page_reads_from_the_replica(with_replica):
    assert aliases_during("GET", "/", reads) == ["replica"]
    assert aliases_during("HEAD", "/papers/x/", reads) == ["replica"]


def test_the_admin_reads_from_the_primary(with_replica):
    assert aliases_during("GET", "/admin/bibliography/paper/", reads) == ["default"]


def test_a_post_reads_and_writes_on_the_primary(with_replica):
    def both():
        return [router.db_for_read(Paper), router.db_for_write(Paper)]

    assert aliases_during("POST", "/", both) == ["default", "default"]


def test_after_a_write_the_same_request_reads_from_the_primary(with_replica):
    def write_then_read():
        return [router.db_for_read(Paper), router.db_for_write(Paper), router.db_for_read(Paper)]

    assert aliases_during("GET", "/", write_then_read) == ["replica", "default", "default"]
    # and the next request starts afresh
    assert aliases_during("GET", "/", reads) == ["replica"]


@pytest.mark.django_db
def test_reads_inside_a_transaction_go_to_the_primary(with_replica):
    def in_transaction():
        with transaction.atomic():
            return [router.db_for_read(Paper)]

    assert aliases_during("GET", "/", in_transaction) == ["default"]


def test_sessions_and_users_are_read_from_the_primary_even_on_public_pages(with_replica):
    def accounts():
        return [router.db_for_read(Session), router.db_for_read(User)]

    assert aliases_during("GET", "/", accounts) == ["default", "default"]


def test_outside_a_request_everything_uses_the_primary(with_replica):
    assert reads() == ["default"]


def test_without_a_replica_public_pages_read_from_the_primary():
    assert aliases_during("GET", "/", reads) == ["default"]


def test_migrations_run_on_the_primary_only(with_replica):
    assert router.allow_migrate("default", "bibliography")
    assert not router.allow_migrate("replica", "bibliography")
