"""Cached pages are never stale: every write, by any writer, changes the data version they
are keyed on, and the stored search document follows every edit that changes what a search
finds. A page's key is the request normalised: junk parameters and their order are cache
hits; scheme and host are not. A revisit with a current ETag is a 304."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
import redis
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from bibliography.caching import data_version
from bibliography.models import Paper, Venue
from site_config.settings import cache_settings
from tests.admin_forms import BYLINE, PAPER_CHANGELIST, admin_form_data, change_url
from tests.factories import make_author, make_paper, make_venue
from tests.trigger_checks import assert_every_table_bumps_the_data_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    """A logged-in superuser; the visitor is another client."""
    client.force_login(User.objects.create_superuser("editor"))
    return client


LIST = "/"


def venue_counts(visitor) -> dict[str, int]:
    facet = next(f for f in visitor.get(LIST).context["facets"] if f.name == "venue")
    return {value.value: value.count for value in facet.values}


def titles(response) -> list[str]:
    return [paper.title for paper in response.context["papers"]]


def test_an_admin_edit_changes_the_cached_counts_at_once(editor):
    visitor = Client()
    acl, emnlp = make_venue(slug="acl"), make_venue(slug="emnlp")
    paper = make_paper(venue=acl)
    make_paper(venue=acl)
    assert venue_counts(visitor) == {"acl": 2}
    cached = visitor.get(LIST).content
    assert visitor.get(LIST).content == cached  # served from the cache

    data = admin_form_data(editor.get(change_url(paper)))
    data["venue"] = str(emnlp.pk)
    assert editor.post(change_url(paper), data).status_code == 302

    assert venue_counts(visitor) == {"acl": 1, "emnlp": 1}


def test_an_admin_action_without_signals_changes_the_cached_list(editor):
    visitor = Client()
    papers = [make_paper(title=f"Paper {i}") for i in range(3)]
    assert len(titles(visitor.get(LIST))) == 3
    editor.post(
        reverse(PAPER_CHANGELIST),
        {"action": "unpublish", "_selected_action": [str(papers[0].pk)]},
    )
    assert sorted(titles(visitor.get(LIST))) == ["Paper 1", "Paper 2"]
    paper_page = visitor.get(papers[0].get_absolute_url())
    assert paper_page.status_code == 404


def test_a_bulk_import_changes_the_cached_list(tmp_path: Path):
    visitor = Client()
    make_paper(title="Already here")
    assert titles(visitor.get(LIST)) == ["Already here"]
    bib = tmp_path / "new.bib"
    bib.write_text(
        "@article{knuth84, author = {Donald E. Knuth}, title = {Literate Programming},"
        " journal = {The Computer Journal}, year = {1984}}\n",
        encoding="utf-8",
    )
    call_command("import_bibtex", str(bib), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(titles(visitor.get(LIST))) == ["Already here", "Literate Programming"]
    # The imported paper is found by its author and venue, in bulk-written rows.
    assert titles(visitor.get(LIST, {"q": "knuth computer"})) == ["Literate Programming"]


def test_a_paper_page_changes_with_its_venue():
    visitor = Client()
    venue = make_venue(name="Old Name Conference")
    paper = make_paper(venue=venue)
    assert "Old Name Conference" in visitor.get(paper.get_absolute_url()).content.decode()
    Venue.objects.filter(pk=venue.pk).update(name="New Name Conference")
    assert "New Name Conference" in visitor.get(paper.get_absolute_url()).content.decode()


def test_search_follows_renamed_authors_and_bylines(editor):
    visitor = Client()
    ada, grace = make_author("Lovelace"), make_author("Hopper")
    paper = make_paper(title="Notes on the engine", authors=[ada])
    assert titles(visitor.get(LIST, {"q": "lovelace"})) == ["Notes on the engine"]

    response = editor.get(reverse("admin:bibliography_author_change", args=[ada.pk]))
    data = admin_form_data(response)
    data["family_name"] = "Byron"
    assert (
        editor.post(reverse("admin:bibliography_author_change", args=[ada.pk]), data).status_code
        == 302
    )
    assert titles(visitor.get(LIST, {"q": "lovelace"})) == []
    assert titles(visitor.get(LIST, {"q": "byron"})) == ["Notes on the engine"]

    data = admin_form_data(editor.get(change_url(paper)))
    data[f"{BYLINE}-0-DELETE"] = "on"
    data[f"{BYLINE}-1-author"] = str(grace.pk)  # the empty extra row
    data[f"{BYLINE}-1-position"] = "2"
    assert editor.post(change_url(paper), data).status_code == 302
    assert titles(visitor.get(LIST, {"q": "byron"})) == []
    assert titles(visitor.get(LIST, {"q": "hopper engine"})) == ["Notes on the engine"]


def test_a_crawler_walking_the_paper_pages_does_not_push_the_list_out(
    client, django_assert_num_queries
):
    papers = [make_paper(title=f"Paper {i}") for i in range(400)]
    client.get(LIST)
    # More distinct pages than Django's default cache holds (300), each cached on its visit.
    for paper in papers:
        assert client.get(paper.get_absolute_url()).status_code == 200
    with django_assert_num_queries(1):  # the data version: the list is still cached
        assert client.get(LIST).status_code == 200


def test_every_table_of_the_app_bumps_the_data_version():
    # The tables come from the models: a model added later is covered, or this fails.
    assert_every_table_bumps_the_data_version()


def test_a_write_the_old_sql_sniffing_missed_changes_the_page(client):
    paper = make_paper(title="Old title")
    assert "Old title" in client.get(paper.get_absolute_url()).content.decode()
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH renamed AS (SELECT %s AS title)"
            " UPDATE bibliography_paper SET title = (SELECT title FROM renamed) WHERE id = %s",
            ["New title", paper.pk],
        )
    assert "New title" in client.get(paper.get_absolute_url()).content.decode()


def test_writing_stored_entries_is_not_a_data_change(client):
    make_paper()
    version = data_version()
    response = client.get(reverse("bibliography:paper-list-export", args=["bib"]))
    b"".join(response.streaming_content)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM citation_cache")
        assert cursor.fetchone()[0] == 1
    assert data_version() == version


def outside_connection():
    """A connection of the database's own client library, not Django's."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        return psycopg2.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            password=settings["PASSWORD"],
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
        )
    # The test database lives in memory, shared by name within this process.
    return sqlite3.connect(settings["NAME"], uri=settings["NAME"].startswith("file:"))


@pytest.mark.django_db(transaction=True)
def test_a_write_made_outside_django_shows_on_the_next_request(client):
    paper = make_paper(title="Title before the fix")
    assert "Title before the fix" in client.get(paper.get_absolute_url()).content.decode()
    assert "Title before the fix" in client.get(LIST).content.decode()
    outside = outside_connection()
    try:
        with outside:  # commits
            cursor = outside.cursor()
            cursor.execute(
                "UPDATE bibliography_paper SET title = 'Title after the fix'"
                f" WHERE id = {paper.pk:d}"
            )
    finally:
        outside.close()
    assert "Title after the fix" in client.get(paper.get_absolute_url()).content.decode()
    assert "Title after the fix" in client.get(LIST).content.decode()


def test_junk_parameters_and_their_order_are_cache_hits(client, django_assert_num_queries):
    acl = make_venue(slug="acl")
    make_paper(venue=acl, year=2022)
    assert client.get("/?x=1").status_code == 200
    for url in ("/?x=2", "/", "/?utm_source=feed&q=&page="):
        with django_assert_num_queries(1):  # the data version
            assert client.get(url).status_code == 200
    first = client.get("/?venue=acl&year=2022")
    with django_assert_num_queries(1):
        again = client.get("/?year=2022&junk=1&venue=acl&sort=")
    assert again.content == first.content


def test_a_cached_page_links_only_to_what_was_asked_for(client):
    for i in range(30):  # two pages
        make_paper(title=f"Paper {i}")
    client.get("/?tracking=abc&sort=title")
    page = client.get("/?sort=title&tracking=xyz").content.decode()
    assert "page=2" in page and "sort=title" in page
    assert "tracking" not in page


def test_a_bad_value_of_a_known_parameter_is_part_of_the_key(client):
    make_paper(year=2022)
    assert "“abc”" in client.get("/?year=abc").content.decode()
    page = client.get("/?year=abd").content.decode()
    assert "“abd”" in page and "“abc”" not in page
    assert "no such value" not in client.get("/").content.decode()


def test_pages_are_cached_per_scheme_and_host(client):
    paper = make_paper()
    url = paper.get_absolute_url()
    canonical = '<link rel="canonical" href="{}">'
    page = client.get(url, HTTP_HOST="localhost").content.decode()
    assert canonical.format(f"http://localhost{url}") in page
    page = client.get(url, HTTP_HOST="127.0.0.1").content.decode()
    assert canonical.format(f"http://127.0.0.1{url}") in page
    page = client.get(url, HTTP_HOST="127.0.0.1", secure=True).content.decode()
    assert canonical.format(f"https://127.0.0.1{url}") in page


def test_a_revisit_with_a_current_etag_is_not_modified(client, django_assert_num_queries):
    paper = make_paper(title="Unchanged")
    url = paper.get_absolute_url()
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    with django_assert_num_queries(1):
        revisit = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert revisit.status_code == 304 and revisit["ETag"] == etag and revisit.content == b""
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    # The same page under another query is another representation.
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 200

    Paper.objects.filter(pk=paper.pk).update(title="Changed")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "Changed" in changed.content.decode()
    assert changed["ETag"] != etag


REDIS_URL = "redis://127.0.0.1:6379/0"
# Per process: CI runs the SQLite and PostgreSQL suites at once against the one Redis.
REDIS_PREFIX = f"bib_datacache_{os.getpid()}"


@pytest.fixture
def redis_cache(settings):
    """The page cache in the real Redis, under this suite's key prefix; the raw client."""
    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"No Redis at {REDIS_URL}: CI must have one.")
        pytest.skip(f"No Redis at {REDIS_URL}.")
    settings.CACHES = {"default": cache_settings(REDIS_URL, REDIS_PREFIX, 0)}
    yield server
    stored = server.keys(f"{REDIS_PREFIX}:*")
    if stored:
        server.delete(*stored)


def test_pages_are_shared_through_redis(redis_cache, client, django_assert_num_queries):
    paper = make_paper(title="Shared by every worker")
    assert "Shared by every worker" in client.get(paper.get_absolute_url()).content.decode()
    assert redis_cache.keys(f"{REDIS_PREFIX}:*page:*")
    with django_assert_num_queries(1):
        assert "Shared by every worker" in Client().get(paper.get_absolute_url()).content.decode()
    Paper.objects.filter(pk=paper.pk).update(title="Renamed")
    assert "Renamed" in client.get(paper.get_absolute_url()).content.decode()


def test_cache_url_chooses_the_cache():
    def backend(cache_url: str) -> str:
        code = (
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.CACHES['default']['BACKEND'])"
        )
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "site_config.settings"}
        env["CACHE_URL"] = cache_url
        result = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        return result.stdout.strip()

    assert backend("") == "django.core.cache.backends.locmem.LocMemCache"
    assert backend(REDIS_URL) == "django.core.cache.backends.redis.RedisCache"
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_settings("memcache://127.0.0.1:11211", REDIS_PREFIX, 0)
