"""Whole-list exports under a database outage, through gunicorn as `make serve` runs it:
an outage before the stream is the 503 page, and a connection lost mid-stream ends in an
incomplete transfer the client sees, never in a 200 that looks complete."""

import http.client
import os
import subprocess
import sys
import time
from urllib.parse import urlsplit

import psycopg2
import pytest
from django.conf import settings

from tests.servers import HOST, ROOT, fetch, free_port, manage, production_env

HTTPS = {"X-Forwarded-Proto": "https"}


def start_gunicorn(env) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "site_config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            fetch(f"{base}/robots.txt", HTTPS)
            return server, base
        except OSError:
            time.sleep(0.1)
    server.terminate()
    pytest.fail("gunicorn did not start")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Starts gunicorn with the production settings and `DATABASE_URL` (static files
    collected once for the module); stops every server it started after the module."""
    static_root = tmp_path_factory.mktemp("static")
    collected = False
    servers = []

    def serve(database_url):
        nonlocal collected
        env = production_env(STATIC_ROOT=str(static_root), DATABASE_URL=database_url)
        if not collected:
            result = manage("collectstatic", "--noinput", env=env)
            assert result.returncode == 0, result.stderr
            collected = True
        server, base = start_gunicorn(env)
        servers.append(server)
        return env, base

    yield serve
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def unreachable_database_site(served):
    """A site whose database refuses every connection (nothing listens on its port)."""
    _, base = served(f"postgres://postgres@127.0.0.1:{free_port()}/nothing")
    return base


@pytest.mark.parametrize("path", ["/papers.bib", "/papers.ris?year=2020", "/papers.json"])
def test_an_unreachable_database_gives_the_503_page_not_a_bare_500(unreachable_database_site, path):
    status, headers, body = fetch(unreachable_database_site + path, HTTPS)
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert b"Briefly unavailable" in body and b"Traceback" not in body


def postgres_server() -> str:
    """The PostgreSQL server the suite runs on, or the machine's (as scripts/ do)."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT'] or 5432}"
    return "postgres://postgres@127.0.0.1:5432"


@pytest.fixture(scope="module")
def stream_database():
    """A database of its own on the PostgreSQL server, with 3,000 papers (an export of
    several megabytes), made once for the module and dropped afterwards."""
    server = postgres_server()
    # Per process: CI runs the SQLite and PostgreSQL suites at once against one server.
    name = f"bib_exports_stream_{os.getpid()}"
    try:
        admin = psycopg2.connect(f"{server}/postgres", connect_timeout=3)
    except psycopg2.OperationalError as error:
        pytest.skip(f"needs a PostgreSQL server at {server}: {error}")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
    url = f"{server}/{name}"
    for command in (["migrate", "--noinput"], ["generate_demo_data", "--papers", "3000"]):
        result = manage(*command, env=production_env(DATABASE_URL=url))
        assert result.returncode == 0, result.stderr
    yield admin, url
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


@pytest.mark.parametrize("path", ["/papers.ris", "/papers.bib"])
def test_a_connection_lost_mid_stream_is_an_incomplete_transfer(served, stream_database, path):
    admin, url = stream_database
    application = f"export-stream-{os.getpid()}-{path.rsplit('.', 1)[-1]}"
    _, base = served(f"{url}?application_name={application}")
    # Once in full: a complete transfer, and every entry stored for the next one.
    status, _, complete = fetch(base + path, HTTPS)
    assert status == 200 and len(complete) > 1_000_000

    connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=30)
    connection.request("GET", path, headers={"Host": HOST, **HTTPS})
    response = connection.getresponse()
    assert response.status == 200
    received = response.read(20_000)  # the worker is now blocked writing the rest
    with admin.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            [application],
        )
        assert cursor.fetchall(), "the worker's database connection was found"
    with pytest.raises(http.client.IncompleteRead) as lost:
        while chunk := response.read(65536):
            received += chunk
    received += lost.value.partial
    assert len(received) < len(complete)
    connection.close()
