"""Several app servers on one PostgreSQL and one Redis (README, "Several machines"): two
gunicorn instances on two ports share the page cache (CACHE_URL) and the database; an edit
made through either shows on the other's next request, a login lockout earned on one holds
on the other, and an instance with DATABASE_REPLICA_URL serves its public pages from the
replica. Real PostgreSQL and Redis (both run on the development machines and in CI)."""

import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("MULTI_INSTANCE_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("MULTI_INSTANCE_REDIS", "redis://127.0.0.1:6379/3")
PREFIX = "bib_perfmulti_instances"


def psql(*args: str) -> None:
    host = urllib.parse.urlsplit(SERVER)
    base = ["-h", host.hostname, "-p", str(host.port or 5432), "-U", host.username]
    subprocess.run([args[0], *base, *args[1:]], check=True, capture_output=True, timeout=120)


def python(code: str, env: dict) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def migrate(env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=300)  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Instance:
    """One gunicorn (1 worker) on its own port."""

    def __init__(self, env: dict):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "site_config.wsgi",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=5)
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise AssertionError("gunicorn did not start")

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=60) as response:
            return response.read().decode()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def site():
    """A migrated PostgreSQL database of its own and the environment of its instances."""
    name = f"{PREFIX}_{secrets.token_hex(4)}"
    psql("createdb", name)
    key_prefix = f"bib_perfmulti_{secrets.token_hex(4)}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="site_config.settings",
        DATABASE_URL=f"{SERVER}/{name}",
        CACHE_URL=REDIS,
        CACHE_KEY_PREFIX=key_prefix,
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        LOGIN_FAILURE_LIMIT="3",
    )
    env.pop("DATABASE_REPLICA_URL", None)
    migrate(env)
    yield {"name": name, "env": env}
    store = redis.Redis.from_url(REDIS)
    for key in store.scan_iter(f"{key_prefix}:*"):
        store.delete(key)
    psql("dropdb", "--if-exists", "--force", name)


@pytest.fixture(scope="module")
def two_instances(site):
    first, second = Instance(site["env"]), Instance(site["env"])
    yield first, second
    first.stop()
    second.stop()


def add_paper(title: str, env: dict) -> None:
    python(
        f"from bibliography.models import Paper\nPaper.objects.create(title={title!r}, year=2021)",
        env,
    )


def test_an_edit_through_one_instance_shows_on_the_other(site, two_instances):
    first, second = two_instances
    add_paper("Before the edit", site["env"])
    assert "Before the edit" in first.get("/")
    assert "Before the edit" in second.get("/")  # both have the page cached now
    # The edit, as a third process (the shell of another machine) writes it.
    add_paper("Written elsewhere", site["env"])
    assert "Written elsewhere" in second.get("/")
    assert "Written elsewhere" in first.get("/")


def test_the_instances_share_one_page_cache(site, two_instances):
    first, second = two_instances
    add_paper("Cached once", site["env"])
    first.get("/?q=cached")
    keys = redis.Redis.from_url(REDIS).keys(f"{site['env']['CACHE_KEY_PREFIX']}:*page:*")
    assert keys, "the page is in Redis, where the other instance reads it"


def log_in(instance: Instance, password: str) -> int:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(instance.url + "/admin/login/", timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "editor", "password": password}
    ).encode()
    request = urllib.request.Request(
        instance.url + "/admin/login/", data, headers={"Referer": instance.url + "/admin/login/"}
    )
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_login_lockout_earned_on_one_instance_holds_on_the_other(site, two_instances):
    first, second = two_instances
    python(
        "from django.contrib.auth.models import User\n"
        "User.objects.create_superuser('editor', password='right-password-1')",
        site["env"],
    )
    assert [log_in(first, "wrong") for _ in range(3)] == [200, 200, 429]
    assert log_in(second, "right-password-1") == 429


def test_an_instance_with_a_replica_serves_public_pages_from_it(site):
    """The 'replica' here is a second database with a row the primary lacks: what the
    instance shows proves where it read (scripts/replica-up.sh builds a real standby)."""
    copy = f"{site['name']}_copy"
    psql("createdb", copy)
    try:
        replica_env = {**site["env"], "DATABASE_URL": f"{SERVER}/{copy}"}
        migrate(replica_env)
        add_paper("Only on the replica", replica_env)
        instance = Instance({**site["env"], "DATABASE_REPLICA_URL": f"{SERVER}/{copy}"})
        try:
            assert "Only on the replica" in instance.get("/")
            # Health checks and every write still use the primary, which lacks the row.
            add_paper("Only on the primary", site["env"])
            assert "Only on the primary" not in instance.get("/")
        finally:
            instance.stop()
    finally:
        psql("dropdb", "--if-exists", "--force", copy)
