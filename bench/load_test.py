"""Load and fault test (issue 6): 50 clients for 60 s, then PostgreSQL stopped under load.

    .venv/bin/python bench/load_test.py [--seconds 60] [--clients 50] [--outage 10] [--no-fault]

1. Builds (once; bench/data/ marks it ready) the PostgreSQL database `bench_load` with
   10,000 generated demo papers (`generate_demo_data --papers 10000 --seed 1`).
2. Serves it with gunicorn, 2 workers, under bench.settings (DEBUG off, persistent
   connections with health checks, as production) on 127.0.0.1.
3. Drives it with wrk (bench/load_mix.lua): 50 connections for 60 s, each request drawn
   from a mix of list, filter, search, paper and .bib URLs taken from the data. Expected:
   no error of any kind.
4. The fault test: under the same load, stops PostgreSQL for --outage seconds and starts it
   again, while a probe asks for a paper page every 0.25 s. Expected: a 503 page (never a
   500 or a traceback) while the database is down, and 200s again within seconds of its
   return, with no restart of gunicorn. The database server is shared, so the script first
   checks that no test suite is using it, and a `finally` always starts it again.

Prints the figures and writes them to bench/data/load_results.json; bench/LOAD.md records a
run. All traffic stays on 127.0.0.1.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import DATA, POSTGRES_BASE, PYTHON, Server, run  # noqa: E402

DATABASE = "bench_load"
PAPERS = 10_000
CLUSTER = ["15", "main"]
URLS_FILE = DATA / "load_urls.txt"

URLS_SCRIPT = """
import json, random, django
django.setup()
from django.db.models import Count
from bibliography.models import Author, Paper, Venue
rng = random.Random(1)
papers = list(Paper.objects.published().values_list("slug", flat=True))
venues = Venue.objects.annotate(n=Count("papers")).filter(n__gt=0)
venues = list(venues.values_list("slug", flat=True))
authors = Author.objects.annotate(n=Count("authorships")).filter(n__gt=2)
authors = list(authors.values_list("slug", flat=True))
years = sorted(set(Paper.objects.published().exclude(year=None).values_list("year", flat=True)))
print(json.dumps({"papers": rng.sample(papers, 300), "venues": venues[:40],
                  "authors": rng.sample(authors, min(100, len(authors))), "years": years}))
"""

SEARCHES = ["language model", "neural", "data", "learning", "benchmark", "translation"]


def environment() -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{POSTGRES_BASE}/{DATABASE}",
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY="benchmark-only-secret-key-not-for-production-use-0123456789",
        PYTHONPATH=str(ROOT),
    )
    return env


def prepare_database(env: dict) -> None:
    marker = DATA / f"ready-load-{PAPERS}"
    if marker.exists():
        run([PYTHON, "manage.py", "migrate", "--noinput"], env)  # the code may have moved on
        return
    DATA.mkdir(exist_ok=True)
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE])
    run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], env)
    run([PYTHON, "manage.py", "migrate", "--noinput"], env)
    started = time.perf_counter()
    run([PYTHON, "manage.py", "generate_demo_data", "--papers", str(PAPERS), "--seed", "1"], env)
    print(f"generated {PAPERS} papers in {time.perf_counter() - started:.0f} s", flush=True)
    marker.write_text("ready\n")


def write_url_mix(env: dict) -> dict[str, int]:
    """The mix of paths, weighted like a visit: lists and filters, searches, papers, .bib."""
    facts = json.loads(run([PYTHON, "-c", URLS_SCRIPT], env).strip().splitlines()[-1])
    rng = random.Random(1)
    mix = {
        "list": ["/", "/?page=2", "/?sort=oldest", "/?sort=title&page=5"],
        "filter": [f"/?year={rng.choice(facts['years'])}" for _ in range(20)]
        + [f"/?venue={v}" for v in facts["venues"][:20]]
        + [f"/?venue={v}&year={rng.choice(facts['years'])}" for v in facts["venues"][:20]]
        + [f"/?author={a}" for a in facts["authors"][:30]]
        + [f"/authors/{a}/" for a in facts["authors"][30:60]]
        + ["/?kind=journal&type=article&year_from=2015&year_to=2020"],
        "search": [f"/?q={quote(term)}" for term in SEARCHES]
        + [f"/?q={quote(term)}&year={rng.choice(facts['years'])}" for term in SEARCHES],
        "paper": [f"/papers/{slug}/" for slug in facts["papers"][:200]],
        "bib": [f"/papers/{slug}.bib" for slug in facts["papers"][200:]]
        + [f"/papers.bib?venue={v}&year={rng.choice(facts['years'])}" for v in facts["venues"][:5]],
    }
    # Share of requests per kind (each path in a kind equally likely).
    weights = {"list": 20, "filter": 25, "search": 15, "paper": 25, "bib": 15}
    lines = []
    for kind, paths in mix.items():
        repeat = max(1, round(weights[kind] * 20 / len(paths)))
        lines += paths * repeat
    URLS_FILE.write_text("\n".join(lines) + "\n")
    return {kind: len(paths) for kind, paths in mix.items()}


def quote(text: str) -> str:
    return urllib.request.quote(text, safe="")


def wrk(port: int, seconds: int, clients: int) -> dict:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{clients}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "load_mix.lua"),
            f"http://127.0.0.1:{port}",
            "--",
            str(URLS_FILE),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = json.loads(re.search(r"WRK_JSON (\{.*\})", output).group(1))
    figures["rps"] = round(figures["requests"] / figures["seconds"], 1)
    figures["errors"] = sum(
        figures[key]
        for key in ("connect_errors", "read_errors", "write_errors", "timeouts", "non_2xx")
    )
    return figures


# --- The fault test -------------------------------------------------------------------


def postgres_is_shared_right_now() -> str:
    """Why stopping PostgreSQL now would hurt someone else's tests, or '' when it would not."""
    tests = subprocess.run(["pgrep", "-af", "pytest"], capture_output=True, text=True).stdout
    tests = [line for line in tests.splitlines() if "load_test" not in line]
    sessions = subprocess.run(
        [
            "psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc",
            "select datname from pg_stat_activity where datname is not null "
            f"and datname not in ('postgres', '{DATABASE}')",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()  # fmt: skip
    if tests:
        return f"pytest is running: {tests[0][:120]}"
    if sessions:
        return f"other databases are in use: {', '.join(sorted(set(sessions)))}"
    return ""


def pg_ctl(action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", "-m", "fast", *CLUSTER, action],
        check=True,
        capture_output=True,
    )


class Probe(threading.Thread):
    """Asks for one page every `interval` seconds; records (time, status, kind of body)."""

    def __init__(self, url: str, interval: float = 0.25):
        super().__init__(daemon=True)
        self.url, self.interval = url, interval
        self.samples: list[tuple[float, int, str]] = []
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            started = time.monotonic()
            try:
                with urllib.request.urlopen(self.url, timeout=10) as response:
                    status, body = response.status, response.read()
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read()
            except OSError as error:
                status, body = 0, str(error).encode()
            self.samples.append((started, status, describe(status, body)))
            self.stopping.wait(max(0.0, self.interval - (time.monotonic() - started)))


def describe(status: int, body: bytes) -> str:
    text = body.decode("utf-8", "replace")
    if "Traceback" in text or "Exception Value" in text:
        return "traceback"
    if status == 503 and "<html" in text.lower():
        return "503 page"
    return "page" if status == 200 else text[:60]


def fault_test(port: int, paper_path: str, clients: int, outage: float) -> dict:
    reason = postgres_is_shared_right_now()
    if reason:
        return {"skipped": f"PostgreSQL not stopped: {reason}"}
    probe = Probe(f"http://127.0.0.1:{port}{paper_path}")
    load = {}
    load_thread = threading.Thread(
        target=lambda: load.update(wrk(port, int(outage) + 25, clients)), daemon=True
    )
    t0 = time.monotonic()
    probe.start()
    load_thread.start()
    time.sleep(8)
    stopped = started = None
    try:
        pg_ctl("stop")
        stopped = time.monotonic()
        time.sleep(outage)
    finally:
        pg_ctl("start")  # always, whatever happened
        started = time.monotonic()
    load_thread.join()
    probe.stopping.set()
    probe.join()

    during = [s for s in probe.samples if stopped + 1 <= s[0] < started]
    after = [s for s in probe.samples if s[0] >= started]
    first_ok = next((s[0] for s in after if s[1] == 200), None)
    kinds = {}
    for _, status, kind in probe.samples:
        kinds[f"{status} {kind}"] = kinds.get(f"{status} {kind}", 0) + 1
    # Each change of answer, in seconds from the start: when the 503s began and ended.
    timeline, last = [], None
    for at, status, kind in probe.samples:
        if (status, kind) != last:
            timeline.append(f"{at - t0:6.2f} s: {status} {kind}")
            last = (status, kind)
    return {
        "timeline": timeline,
        "database_stopped_at_s": round(stopped - t0, 2),
        "database_started_at_s": round(started - t0, 2),
        "outage_s": round(started - stopped, 2),
        "probe_during_outage": sorted({f"{s[1]} {s[2]}" for s in during}),
        "probe_answers": kinds,
        "first_200_after_start_s": round(first_ok - started, 2) if first_ok else None,
        "non_503_failures": sum(
            1 for s in probe.samples if s[1] not in (200, 503) or s[2] == "traceback"
        ),
        "load_during_fault": load,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--outage", type=float, default=10.0, help="seconds, under 30")
    parser.add_argument("--no-fault", action="store_true", help="skip stopping PostgreSQL")
    parser.add_argument("--no-load", action="store_true", help="only the fault test")
    args = parser.parse_args()
    if not 0 < args.outage < 30:
        parser.error("--outage must be under 30 seconds: the server is shared")

    env = environment()
    prepare_database(env)
    mix = write_url_mix(env)
    paper_path = next(line for line in URLS_FILE.read_text().splitlines() if "/papers/" in line)
    results = {"papers": PAPERS, "clients": args.clients, "mix": mix}
    with Server(env) as server:
        for path in set(URLS_FILE.read_text().splitlines()[:50]):  # warm both workers
            urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=60).read()
        if not args.no_load:
            results["load"] = wrk(server.port, args.seconds, args.clients)
            print(json.dumps(results["load"], indent=2), flush=True)
        if not args.no_fault:
            results["fault"] = fault_test(server.port, paper_path, args.clients, args.outage)
            print(json.dumps(results["fault"], indent=2), flush=True)
    name = "fault_results.json" if args.no_load else "load_results.json"
    (DATA / name).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
