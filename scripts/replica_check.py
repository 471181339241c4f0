"""The live check of reads from a streaming replica (scripts/replica-up.sh builds it): a
site whose DATABASE_REPLICA_URL is the standby serves its public pages from the standby and
its health check and writes from the primary, and the lag a visitor can see is measured
(write a paper on the primary, poll the standby until it is there).

    scripts/replica-up.sh && .venv/bin/python scripts/replica_check.py > scripts/replica_check.md

A script rather than a test: building a standby needs root (runuser, the primary's
pg_hba.conf). The router's rules are tested in tests/test_routers.py, and
tests/test_multi_instance.py shows an instance reading its public pages from its replica.
"""

import os
import secrets
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.test_multi_instance import Instance  # noqa: E402

NAME = "bib_perfmulti_replica_check"
PRIMARY = "postgres://postgres@127.0.0.1:5432"
STANDBY = os.environ.get("REPLICA_SERVER", "postgres://postgres@127.0.0.1:5433")


def transactions(server: str) -> int:
    with psycopg2.connect(f"{server}/postgres") as db, db.cursor() as cursor:
        cursor.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = %s", [NAME])
        return cursor.fetchone()[0]


def main():
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", NAME])
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", NAME], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=f"{PRIMARY}/{NAME}", DEBUG="false", ALLOWED_HOSTS="127.0.0.1")
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env,
                   check=True, capture_output=True)  # fmt: skip
    subprocess.run([sys.executable, "manage.py", "generate_demo_data", "--papers", "200",
                    "--seed", "1"], cwd=ROOT, env=env, check=True, capture_output=True)  # fmt: skip
    primary = psycopg2.connect(f"{PRIMARY}/{NAME}")
    primary.autocommit = True
    standby = None
    while standby is None:  # the new database reaches the standby a moment later
        try:
            standby = psycopg2.connect(f"{STANDBY}/{NAME}")
        except psycopg2.OperationalError:
            time.sleep(0.05)
    standby.autocommit = True

    print(f"# Reads from a streaming replica ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)\n")
    print("Output of `scripts/replica_check.py` against the standby `scripts/replica-up.sh`")
    print(f"builds ({STANDBY}, pg_basebackup of the primary at {PRIMARY}).\n")
    with standby.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        print(f"- the standby is in recovery (read-only): {cursor.fetchone()[0]}")

    site = Instance({**env, "DATABASE_REPLICA_URL": f"{STANDBY}/{NAME}"})
    try:
        before = (transactions(PRIMARY), transactions(STANDBY))
        for page in ("/", "/?page=2", "/?q=model"):
            urllib.request.urlopen(site.url + page, timeout=60).read()
    finally:
        site.stop()  # a backend reports its statistics when it ends, or every second
    time.sleep(1.5)
    after = (transactions(PRIMARY), transactions(STANDBY))
    print(
        f"- three public pages: {after[1] - before[1]} transactions on the standby, "
        f"{after[0] - before[0]} on the primary"
    )

    lags = []
    for _ in range(50):
        token = secrets.token_hex(8)
        with primary.cursor() as cursor:
            cursor.execute(
                "UPDATE bibliography_paper SET title = %s WHERE id = "
                "(SELECT min(id) FROM bibliography_paper)",
                [token],
            )
        written = time.perf_counter()
        while True:
            with standby.cursor() as cursor:
                cursor.execute("SELECT 1 FROM bibliography_paper WHERE title = %s", [token])
                if cursor.fetchone():
                    break
        lags.append((time.perf_counter() - written) * 1000)
        time.sleep(0.05)
    lags.sort()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(
        f"- replication lag, a write on the primary until the standby shows it, 50 writes "
        f"(load average {load}): median {statistics.median(lags):.1f} ms, "
        f"p95 {lags[int(0.95 * len(lags)) - 1]:.1f} ms, max {lags[-1]:.1f} ms"
    )
    primary.close()
    standby.close()
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", NAME])


if __name__ == "__main__":
    main()
