"""The benchmark harness: serves the site with gunicorn and measures it with wrk.

    .venv/bin/python bench/run.py [--sizes 1000,10000,100000] [--databases sqlite,postgres]

For each database and size it builds (once, then reuses) a database of generated demo
papers, starts gunicorn (2 workers) on 127.0.0.1 under bench.settings, drives each page
with wrk (8 connections, several rounds, the median round kept), times the whole-list
BibTeX export and the TUGboat import outside the server, and writes bench/RESULTS.md.
"""

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import distinct  # noqa: E402

BENCH = ROOT / "bench"
DATA = BENCH / "data"
PYTHON = sys.executable
POSTGRES_BASE = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
# The benchmark's PostgreSQL databases are PREFIX_1000, PREFIX_10000...
POSTGRES_PREFIX = os.environ.get("BENCH_POSTGRES_PREFIX", "bench")
TUGBOAT = ROOT / "tests" / "data" / "corpus" / "scale" / "tugboat-biber.bib"

# How long gunicorn lets a worker run one request (a whole-list export too) before killing it.
GUNICORN_TIMEOUT_S = 120
# Throughput targets, as fractions of the reference view's requests/s (issue 5).
TARGET_FRACTIONS = {"list": 0.10, "list_two_facets": 0.10, "paper": 1 / 3}


def database_url(engine: str, size: int) -> str:
    if engine == "sqlite":
        return f"sqlite:///{DATA / f'bench-{size}.sqlite3'}"
    return f"{POSTGRES_BASE}/{POSTGRES_PREFIX}_{size}"


def run(args, env, **kwargs):
    """Run a command in the project, failing loudly with its output when it fails."""
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def environment(engine: str, size: int) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(engine, size),
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY="benchmark-only-secret-key-not-for-production-use-0123456789",
        PYTHONPATH=str(ROOT),
    )
    return env


def prepare_database(engine: str, size: int, env: dict) -> None:
    """Create the database with `size` demo papers, unless an earlier run left it ready."""
    marker = DATA / f"ready-{engine}-{size}"
    if marker.exists():
        # A database from an earlier run gets the migrations added since.
        run([PYTHON, "manage.py", "migrate", "--noinput"], env)
        vacuum(engine, size)
        return
    if engine == "postgres":
        name = f"{POSTGRES_PREFIX}_{size}"
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name])
        run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], env)
    else:
        (DATA / f"bench-{size}.sqlite3").unlink(missing_ok=True)
    run([PYTHON, "manage.py", "migrate", "--noinput"], env)
    started = time.perf_counter()
    run([PYTHON, "manage.py", "generate_demo_data", "--papers", str(size), "--seed", "1"], env)
    print(f"  generated {size} papers in {time.perf_counter() - started:.0f} s", flush=True)
    vacuum(engine, size)
    marker.write_text(datetime.now(UTC).isoformat())


def vacuum(engine: str, size: int) -> None:
    """What autovacuum does on a server soon after a bulk load (it is off on this machine):
    fresh planner statistics and, on PostgreSQL, the visibility map that lets the facet
    counts read only the paper_facet_columns index (index-only scans). Without it every such scan
    also reads the table."""
    if engine == "postgres":
        command = ["psql", "-h", "127.0.0.1", "-U", "postgres", f"{POSTGRES_PREFIX}_{size}"]
        subprocess.run([*command, "-qc", "VACUUM (ANALYZE)"], check=True)
    else:
        with sqlite3.connect(DATA / f"bench-{size}.sqlite3") as db:
            db.execute("ANALYZE")


TARGETS_SCRIPT = """
import json, django
django.setup()
from django.db.models import Count
from bibliography.models import Author, Paper, Venue
papers = Paper.objects.published()
venue = Venue.objects.annotate(n=Count("papers")).order_by("-n").first()
year = papers.values_list("year", flat=True).annotate(n=Count("id")).order_by("-n").first()
author = Author.objects.annotate(n=Count("authorships")).order_by("-n").first()
paper = papers.order_by("-year", "title").first()
total = papers.count()
print(json.dumps({"venue": venue.slug, "year": year, "author": author.slug,
                  "paper": paper.slug, "pages": max(1, (total + 24) // 25)}))
"""


def targets(env: dict) -> dict:
    """The URLs to drive, chosen from the data: a busy venue and year, a prolific author."""
    facts = json.loads(run([PYTHON, "-c", TARGETS_SCRIPT], env).strip().splitlines()[-1])
    return {
        "reference": "/bench/reference/",
        "list": "/",
        "list_two_facets": f"/?venue={facts['venue']}&year={facts['year']}",
        "search": "/?q=language+model",
        "deep_page": f"/?page={max(1, facts['pages'] // 2)}",
        "paper": f"/papers/{facts['paper']}/",
        "author": f"/authors/{facts['author']}/",
        "paper_bib": f"/papers/{facts['paper']}.bib",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with 2 workers on 127.0.0.1, as the issue fixes it."""

    def __init__(self, env: dict):
        self.env, self.port = env, free_port()

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each gunicorn worker, in MB."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        sizes = []
        for child in children:
            status = Path(f"/proc/{child}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        return sizes

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "site_config.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "--timeout",
                str(GUNICORN_TIMEOUT_S),
            ],
            cwd=ROOT,
            env={**self.env, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/bench/reference/", timeout=2)
                return self
            except OSError:
                time.sleep(0.3)
        self.process.kill()
        sys.exit("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def drive(url: str, seconds: int) -> dict:
    """One wrk round: 2 threads, 8 connections."""
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c8",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(BENCH / "latency.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = json.loads(re.search(r"WRK_JSON (\{.*\})", output).group(1))
    figures["rps"] = figures["requests"] / figures["seconds"]
    if not figures["requests"]:  # wrk reports no latency without a completed request
        figures.update(p50_ms=None, p95_ms=None, p99_ms=None)
    return figures


def measure_pages(server: Server, urls: dict, rounds: int, seconds: int) -> dict:
    """Median of `rounds` rounds per page; rounds interleave pages so drift hits all alike."""
    base = f"http://127.0.0.1:{server.port}"
    samples = {name: [] for name in urls}
    for _round in range(rounds):
        for name, path in urls.items():
            # Warm the page before each of its rounds, a few times so that both workers
            # (each with its own page cache) have most likely served it.
            for _ in range(4):
                urllib.request.urlopen(base + path, timeout=300).read()
            samples[name].append(drive(base + path, seconds))
            row = samples[name][-1]
            print(f"    {name}: {row['rps']:.1f} req/s, p95 {row['p95_ms']} ms", flush=True)
            # wrk stops, but requests it left queued still hold the workers: wait for them,
            # or the next page's round would measure this one's backlog.
            urllib.request.urlopen(base + urls["reference"], timeout=600).read()
    results = {}
    for name, rows in samples.items():
        median_row = sorted(rows, key=lambda row: row["rps"])[len(rows) // 2]
        results[name] = {**median_row, "rps_rounds": [round(r["rps"], 1) for r in rows]}
    return results


MEASURE_SCRIPT = """
import json, resource, sys, time, io, django
django.setup()
from django.core.management import call_command
def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20
from django.db import connection
connection.ensure_connection()
before = rss_mb()
started = time.perf_counter()
job = sys.argv[1]
if job == "export":
    call_command("export_bibtex", output=sys.argv[2], force=True)
else:
    call_command("import_bibtex", *sys.argv[2:], stdout=io.StringIO(), stderr=io.StringIO())
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
from bibliography.models import Paper
print("MEASURE_JSON " + json.dumps({"seconds": seconds, "rss_growth_mb": peak - before,
                                    "papers_after": Paper.objects.count()}))
"""


QUERIES_SCRIPT = """
import json, sys, django
django.setup()
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1")
counts = {}
for name, path in json.loads(sys.argv[1]).items():
    cache.clear()
    row = {}
    for state in ("cold", "warm"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            b"".join(response.streaming_content) if response.streaming else response.content
        row[state] = len(queries)
        row["status"] = response.status_code
    counts[name] = row
print("QUERIES_JSON " + json.dumps(counts))
"""


def count_queries(env: dict, urls: dict) -> dict:
    """SQL queries per page, on a cache miss and on a hit (tests pin them at small N; this
    shows they stay the same at every size)."""
    pages = {name: path for name, path in urls.items() if name != "reference"}
    output = run([PYTHON, "-c", QUERIES_SCRIPT, json.dumps(pages)], env)
    return json.loads(re.search(r"QUERIES_JSON (\{.*\})", output).group(1))


def forget_stored_entries(env: dict) -> None:
    """Empty the stored BibTeX entries, so that the next export writes every one."""
    script = (
        "import django; django.setup(); from django.db import connection\n"
        "with connection.cursor() as cursor: cursor.execute('DELETE FROM citation_cache')"
    )
    run([PYTHON, "-c", script], env)


STORED_COUNTS_SCRIPT = """
import json, django
django.setup()
from django.db import connection
from bibliography.models import Paper
with connection.cursor() as cursor:
    cursor.execute("SELECT style, count(*) FROM citation_cache GROUP BY style")
    counts = dict(cursor.fetchall())
print("STORED_JSON " + json.dumps({"published": Paper.objects.published().count(), **counts}))
"""


def stored_counts(env: dict) -> dict:
    """Stored texts per style, and the published papers (what a whole-list export stores)."""
    output = run([PYTHON, "-c", STORED_COUNTS_SCRIPT], env)
    return json.loads(re.search(r"STORED_JSON (\{.*\})", output).group(1))


def measure_job(env: dict, *job: str) -> dict:
    output = run([PYTHON, "-c", MEASURE_SCRIPT, *job], env)
    return json.loads(re.search(r"MEASURE_JSON (\{.*\})", output).group(1))


def measure_import(engine: str) -> dict:
    """import_bibtex on the TUGboat file into an empty database, then over itself."""
    env = environment(engine, 0)
    prepare_empty = database_url(engine, 0)
    if engine == "postgres":
        subprocess.run(
            [
                "dropdb",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "--if-exists",
                database_url(engine, 0).rsplit("/", 1)[1],
            ]
        )
        run(
            [
                "createdb",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                database_url(engine, 0).rsplit("/", 1)[1],
            ],
            env,
        )
    else:
        Path(prepare_empty.removeprefix("sqlite:///")).unlink(missing_ok=True)
    run([PYTHON, "manage.py", "migrate", "--noinput"], env)
    entries = sum(
        1
        for line in TUGBOAT.open(encoding="utf-8", errors="replace")
        if re.match(r"\s*@(?!string|comment|preamble)\w+\s*[{(]", line, re.I)
    )
    fresh = measure_job(env, "import", str(TUGBOAT))
    again = measure_job(env, "import", str(TUGBOAT))
    for row in (fresh, again):
        row["entries"] = entries
        row["entries_per_s"] = entries / row["seconds"]
    return {"fresh": fresh, "again": again}


def time_download(server: Server, path: str) -> dict:
    """Seconds to download `path` whole; a download the server breaks off (gunicorn kills a
    worker after --timeout seconds, streaming or not) is reported, not fatal."""
    started = time.perf_counter()
    try:
        url = f"http://127.0.0.1:{server.port}{path}"
        with urllib.request.urlopen(url, timeout=300) as response:
            while response.read(1 << 16):
                pass
    except (OSError, http.client.HTTPException) as error:
        return {"seconds": time.perf_counter() - started, "error": repr(error)[:200]}
    return {"seconds": time.perf_counter() - started, "error": None}


def measure_misses(env: dict, servers: list, per_kind: int) -> dict:
    """The headline: distinct URLs, every one a cache miss (bench/distinct.py), then the
    whole-list exports and the workers' memory after 1,000 mixed requests."""
    urls = distinct.parse_urls(run([PYTHON, "-c", distinct.URLS_SCRIPT, str(per_kind)], env))
    port = servers[0].port
    result = {"urls": {kind: paths[:3] for kind, paths in urls.items()}}
    result["reference"] = distinct.reference(port)
    result["alone"] = distinct.alone(port, urls)
    result["mixed"] = distinct.mixed([port], urls)
    print(f"    misses: {json.dumps(result['alone'])}", flush=True)
    result["rss_before_mb"] = servers[0].worker_rss_mb()
    result["warm_1000"] = distinct.warm_run(port, urls, 1000)
    result["rss_after_1000_mb"] = servers[0].worker_rss_mb()
    exports = {}
    for state in ("nothing stored", "stored"):
        if state == "nothing stored":
            forget_stored_entries(env)
        exports[state] = {
            path: distinct.first_byte_and_total(port, path)
            for path in ("/papers.bib", "/papers.ris", "/papers.json")
        }
        if state == "nothing stored":
            result["stored_after_first_exports"] = stored_counts(env)
    result["exports"] = exports
    result["gunicorn_timeout_s"] = GUNICORN_TIMEOUT_S
    load_average = Path("/proc/loadavg").read_text().split()[:3]
    result["load_average"] = " ".join(load_average)
    return result


def measure_two_instances(env: dict, per_kind: int) -> dict:
    """The mixed run of distinct URLs spread over two instances sharing one Redis."""
    shared = {
        **env,
        "CACHE_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4"),
        "CACHE_KEY_PREFIX": f"bib_perfmulti_bench_{os.getpid()}",
    }
    urls = distinct.parse_urls(run([PYTHON, "-c", distinct.URLS_SCRIPT, str(per_kind)], env))
    with Server(shared) as first, Server(shared) as second:
        return {
            "ports": [first.port, second.port],
            "mixed": distinct.mixed([first.port, second.port], urls),
            "load_average": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
        }


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    postgres = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "show server_version"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    import django

    return (
        f"{os.cpu_count()} cores ({cpu}), {int(memory) // 2**20} GiB RAM, "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {sqlite3.sqlite_version}, PostgreSQL {postgres or 'n/a'}, {platform.platform()}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8, help="length of one wrk round")
    parser.add_argument("--output", default=str(BENCH / "RESULTS.json"))
    parser.add_argument(
        "--distinct", type=int, default=40, help="distinct URLs per page kind (x2: alone, mixed)"
    )
    parser.add_argument("--skip-import", action="store_true", help="no TUGboat import timing")
    parser.add_argument(
        "--skip-hits", action="store_true", help="only the cache-miss headline, no wrk rounds"
    )
    options = parser.parse_args()
    if not options.skip_hits and not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk (make bench installs it)")
    DATA.mkdir(exist_ok=True)
    results = {
        "machine": machine(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": [],
        "imports": {},
    }
    for engine in options.databases.split(","):
        for size in [int(s) for s in options.sizes.split(",")]:
            print(f"{engine} {size}: preparing", flush=True)
            env = environment(engine, size)
            prepare_database(engine, size, env)
            urls = targets(env)
            queries = count_queries(env, urls)
            with tempfile.TemporaryDirectory() as scratch:
                # The first export finds no stored entry and writes every one, as after a
                # change to every paper; the second finds them stored, as every export does
                # until papers change (entry_cache.py).
                forget_stored_entries(env)
                export_first = measure_job(env, "export", str(Path(scratch) / "all.bib"))
                export = measure_job(env, "export", str(Path(scratch) / "all.bib"))
            with Server(env) as server:
                print(f"{engine} {size}: {options.distinct} distinct URLs per kind", flush=True)
                misses = measure_misses(env, [server], options.distinct)
            two_instances = None
            if engine == "postgres":
                print(f"{engine} {size}: two instances, one Redis", flush=True)
                two_instances = measure_two_instances(env, options.distinct)
            pages, list_bib = {}, None
            if not options.skip_hits:
                with Server(env) as server:
                    print(f"{engine} {size}: cache hits, {len(urls)} pages", flush=True)
                    pages = measure_pages(server, urls, options.rounds, options.seconds)
                    list_bib = time_download(server, "/papers.bib")
            results["runs"].append(
                {
                    "engine": engine,
                    "size": size,
                    "urls": urls,
                    "misses": misses,
                    "two_instances": two_instances,
                    "pages": pages,
                    "list_bib_http_s": list_bib,
                    "export": export,
                    "export_first": export_first,
                    "queries": queries,
                }
            )
            Path(options.output).write_text(json.dumps(results, indent=2))
        if options.skip_import:
            continue
        print(f"{engine}: import", flush=True)
        results["imports"][engine] = measure_import(engine)
        Path(options.output).write_text(json.dumps(results, indent=2))
    subprocess.run([PYTHON, str(BENCH / "report.py"), options.output], check=True)


if __name__ == "__main__":
    main()
