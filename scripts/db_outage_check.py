"""Database outage and recovery, for real: stop PostgreSQL under a running site, then start it.

    .venv/bin/python scripts/db_outage_check.py [--papers 500] [--output FILE]

Runs a throwaway PostgreSQL cluster of its own (initdb in a temporary directory, a free port
on 127.0.0.1; run as root it uses the `postgres` account), so the machine's server and anyone
using it are never touched. It fills it with demo papers, serves the site as `make serve`
does (production settings, gunicorn, 2 workers), and checks that:

- with the database up, pages and /healthz answer 200;
- with the database stopped, pages answer the 503 page (Retry-After, no traceback) and
  /healthz answers 503, each within a second;
- once the database is back, the same gunicorn (no restart) answers 200 again, within seconds.

It prints a report (and writes it to --output) and exits non-zero when a check fails.
Not part of the unit suite: it takes ~30 s and starts servers.
"""

import argparse
import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PAGES = ["/", "/?q=language+model", "/healthz"]
RECOVERY_LIMIT_SECONDS = 10


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin(name: str) -> str:
    found = shutil.which(name) or sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        sys.exit(f"PostgreSQL's {name} is not installed (apt-get install postgresql).")
    return str(found[-1] if isinstance(found, list) else found)


class Cluster:
    """A private PostgreSQL cluster in a temporary directory."""

    def __init__(self, directory: Path, port: int):
        self.directory, self.port = directory, port
        self.data = directory / "data"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(directory, "postgres")

    def run(self, *args):
        subprocess.run([*self.as_postgres, *args], check=True, capture_output=True, text=True)

    def init(self):
        self.run(postgres_bin("initdb"), "-D", self.data, "-U", "postgres", "--auth=trust")

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        self.run(
            postgres_bin("pg_ctl"), "-D", self.data, "-o", options,
            "-l", self.directory / "server.log", "-w", "start",
        )  # fmt: skip

    def stop(self):
        self.run(postgres_bin("pg_ctl"), "-D", self.data, "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


def get(url: str) -> tuple[int, dict, str, float]:
    """(status, headers, body, seconds) of a GET, whatever the status."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    return status, dict(headers), body.decode("utf-8", "replace"), time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=500)
    parser.add_argument("--output", type=Path, help="Also write the report to this file.")
    options = parser.parse_args()

    report, failures = [], []

    def check(ok: bool, what: str):
        report.append(f"- {'PASS' if ok else 'FAIL'}: {what}")
        if not ok:
            failures.append(what)

    directory = Path(tempfile.mkdtemp(prefix="db-outage-"))
    cluster = Cluster(directory, free_port())
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="site_config.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=cluster.url,
        STATIC_ROOT=str(directory / "static"),
        LOG_LEVEL="WARNING",
    )
    server = None
    try:
        cluster.init()
        cluster.start()
        for command in (
            ["collectstatic", "--noinput", "-v0"],
            ["migrate", "--noinput", "-v0"],
            ["generate_demo_data", "--papers", str(options.papers), "--seed", "1"],
        ):
            subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True,
                           capture_output=True)  # fmt: skip
        port = free_port()
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "site_config.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", "2", "--no-control-socket"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)

        report.append("Database up:")
        for path in PAGES:
            status, _, _, seconds = get(base + path)
            check(status == 200, f"{path} answers {status} ({seconds * 1000:.0f} ms)")

        cluster.stop()
        report.append("Database stopped (gunicorn keeps running):")
        for path in PAGES * 2:  # twice: both workers, fresh and pooled connections
            status, headers, body, seconds = get(base + path)
            ok = status == 503 and headers.get("Retry-After") == "30" and "Traceback" not in body
            if path != "/healthz":
                ok = ok and "Briefly unavailable" in body
            check(ok and seconds < 1, f"{path} answers {status} in {seconds * 1000:.0f} ms")

        cluster.start()
        back = time.perf_counter()
        report.append("Database started again (no restart of gunicorn):")
        first = None
        while first is None and time.perf_counter() - back < 30:
            if get(base + "/healthz")[0] == 200:
                first = time.perf_counter() - back
            else:
                time.sleep(0.1)
        check(
            first is not None and first < RECOVERY_LIMIT_SECONDS,
            f"/healthz answers 200 again {first:.2f} s after the database is back"
            if first is not None
            else "the site did not recover within 30 s",
        )
        for path in PAGES * 2:  # both workers
            status, _, _, seconds = get(base + path)
            check(status == 200, f"then {path} answers {status} ({seconds * 1000:.0f} ms)")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)

    header = (
        f"# Database outage check ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)\n\n"
        f"`scripts/db_outage_check.py --papers {options.papers}`: PostgreSQL stopped and "
        "started under gunicorn (production settings, 2 workers).\n"
    )
    text = header + "\n" + "\n".join(report) + "\n"
    print(text)
    if options.output:
        options.output.write_text(text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
