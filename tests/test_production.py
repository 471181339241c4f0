"""Production mode: settings that pass `check --deploy`, error pages, the 503 on a database
outage, /healthz, and the site served the way `make serve` serves it (gunicorn + whitenoise)."""

import re
import subprocess
import sys
import time

import pytest
from django.db import OperationalError, connection
from django.test import Client

from tests.factories import make_paper
from tests.servers import HOST, ROOT, fetch, free_port, manage, production_env


def test_check_deploy_reports_nothing_under_the_production_settings():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    # The one silenced check is Django's reminder that HSTS preload is off (see below).
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_hsts_preload_is_sent_only_when_asked_for():
    result = manage("check", "--deploy", "--fail-level", "DEBUG",
                    env=production_env(HSTS_PRELOAD="true"))  # fmt: skip
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stderr


def test_check_deploy_asks_how_many_proxies_stand_in_front():
    result = manage("check", "--deploy", env=production_env(TRUSTED_PROXY_COUNT=None))
    assert "(bibliography.W001) TRUSTED_PROXY_COUNT is not set." in result.stderr
    assert "1 behind nginx or Caddy, 0 when clients connect to gunicorn directly" in result.stderr
    stated = manage("check", "--deploy", env=production_env(TRUSTED_PROXY_COUNT="0"))
    assert "bibliography.W001" not in stated.stdout + stated.stderr


@pytest.mark.parametrize("secret", ["", "   ", "django-insecure-development-only-key"])
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    result = manage("check", env=production_env(SECRET_KEY=secret))
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize("variable", ["LOGIN_FAILURE_LIMIT", "CACHE_MAX_ENTRIES"])
def test_a_malformed_number_in_the_environment_names_the_variable(variable):
    result = manage("check", env=production_env(**{variable: "five"}))
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable} must be a number, not 'five'" in result.stderr


# -- error pages and the database outage -------------------------------------------------------


def refuse_queries(*_args, **_kwargs):
    """Stands in for a database that has gone away: every query fails as psycopg2 reports it."""
    raise OperationalError("could not connect to server: Connection refused")


def fail_with_a_bug(*_args, **_kwargs):
    raise RuntimeError("a bug, not an outage")


def looks_like_the_site(response) -> bool:
    text = response.content.decode()
    return 'class="site-header"' in text and "Traceback" not in text


@pytest.fixture
def browser_client():
    """A client that gets the error page a visitor gets, instead of the exception."""
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_database_outage_gives_a_503_page_with_retry_after(browser_client):
    make_paper(title="A paper nobody can see while the database is down")
    with connection.execute_wrapper(refuse_queries):
        response = browser_client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Briefly unavailable" in response.content.decode()
    assert looks_like_the_site(response)
    # The site recovers by itself once the database answers again.
    assert browser_client.get("/").status_code == 200


@pytest.mark.django_db
def test_an_error_that_is_not_an_outage_gives_the_500_page(browser_client):
    make_paper(title="Some paper")
    with connection.execute_wrapper(fail_with_a_bug):
        response = browser_client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong" in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_not_found_uses_the_site_design(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert looks_like_the_site(response)


@pytest.mark.django_db
def test_a_bad_host_gets_the_400_page(client):
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
    assert looks_like_the_site(response)


@pytest.mark.django_db
def test_a_failed_csrf_check_gets_the_403_page_in_the_site_design():
    response = Client(enforce_csrf_checks=True).post(
        "/admin/login/", {"username": "a", "password": "b"}
    )
    assert response.status_code == 403
    assert "The form could not be sent" in response.content.decode()
    assert looks_like_the_site(response)


# -- /healthz ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client):
    with connection.execute_wrapper(refuse_queries):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert response["Retry-After"] == "30"
    assert "Connection refused" not in response.content.decode()  # details stay in the log


@pytest.mark.django_db
def test_healthz_only_answers_reads(client):
    assert client.post("/healthz").status_code == 405


# -- the site as `make serve` runs it ----------------------------------------------------------


@pytest.fixture(scope="module")
def gunicorn_site(tmp_path_factory):
    """collectstatic + migrate + gunicorn with the production settings, on a free port."""
    tmp = tmp_path_factory.mktemp("production")
    env = production_env(
        STATIC_ROOT=str(tmp / "static"), DATABASE_URL=f"sqlite:///{tmp / 'site.sqlite3'}"
    )
    for command in (["collectstatic", "--noinput"], ["migrate", "--noinput"]):
        result = manage(*command, env=env)
        assert result.returncode == 0, result.stderr
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "site_config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if fetch(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_served_over_https_only_with_hsts(gunicorn_site):
    status, headers, _ = fetch(f"{gunicorn_site}/")
    assert status == 301 and headers["Location"] == f"https://{HOST}/"
    # The reverse proxy in front says the visitor came over HTTPS (gunicorn trusts 127.0.0.1).
    status, headers, body = fetch(f"{gunicorn_site}/", {"X-Forwarded-Proto": "https"})
    assert status == 200
    # No `preload` unless HSTS_PRELOAD asks for it: being on browsers' list is hard to undo.
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert b"Traceback" not in body


def test_healthz_is_reachable_over_plain_http_for_the_load_balancer(gunicorn_site):
    status, _, body = fetch(f"{gunicorn_site}/healthz")
    assert status == 200 and b'"ok"' in body


def test_static_files_have_hashed_names_and_are_compressed(gunicorn_site):
    _, _, body = fetch(f"{gunicorn_site}/", {"X-Forwarded-Proto": "https"})
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body.decode())
    assert stylesheet, "the page links the stylesheet by its hashed name"
    status, headers, _ = fetch(
        gunicorn_site + stylesheet.group(1),
        {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"},
    )
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]


def test_production_error_page_shows_no_traceback(gunicorn_site):
    status, _, body = fetch(f"{gunicorn_site}/no/such/page/", {"X-Forwarded-Proto": "https"})
    assert status == 404
    assert b'class="site-header"' in body and b"Traceback" not in body


def test_the_embed_script_answers_at_the_unhashed_name_the_snippet_gives(gunicorn_site):
    # Snippets pasted into other sites name js/embed.js, whatever the deploy's hash.
    status, headers, body = fetch(
        f"{gunicorn_site}/static/js/embed.js", {"X-Forwarded-Proto": "https"}
    )
    assert status == 200
    assert b"publications-embed:height" in body
    assert "immutable" not in headers.get("Cache-Control", "")
