"""The static build's benchmark: a full `manage.py build_static` and a rebuild after one edit.

    .venv/bin/python bench/static_build.py [--papers 1000,10000]

For each size it reuses (or makes) bench/data/bench-N.sqlite3, the SQLite database of
generated demo papers that bench/run.py makes, then in a fresh directory: builds the whole
site, retitles one paper as the admin would (`save()`), rebuilds, and rebuilds once more
with nothing changed. Each build runs in its own `manage.py` process; its CPU time (user +
system) and wall time are measured, with the numbers of files rendered and written. The
figures go to bench/STATIC_RESULTS.json and to the "Static build" section at the end of
bench/RESULTS.md (`make bench` writes the rest of that file first).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.run import DATA, PYTHON, environment, machine, prepare_database  # noqa: E402

BENCH = ROOT / "bench"
RESULTS_MD = BENCH / "RESULTS.md"
SECTION = "## Static build (bench/static_build.py)"
# One paper's edit, as the admin saves it: the paper in the middle of the list's order.
RETITLE = """
from bibliography.models import Paper
papers = Paper.objects.published().order_by("pk")
paper = papers[papers.count() // 2]
paper.title = paper.title + " (revised)"
paper.save()
print(paper.slug)
"""


def timed(args: list[str], env: dict) -> dict:
    """Run a command; its wall time, its CPU time (user + system) and its last line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "said": result.stdout.strip()}


def measure(size: int) -> dict:
    env = environment("sqlite", size)
    # The site's own settings: the build sets what a production render needs itself.
    env["DJANGO_SETTINGS_MODULE"] = "site_config.settings"
    prepare_database("sqlite", size, env)
    with tempfile.TemporaryDirectory(prefix="bench-static-") as scratch:
        out = str(Path(scratch) / "site")
        build = [PYTHON, "manage.py", "build_static", out]
        print(f"static {size}: full build", flush=True)
        full = timed(build, env)
        print(f"static {size}: one edit", flush=True)
        edited = timed([PYTHON, "manage.py", "shell", "-c", RETITLE], env)["said"].splitlines()[-1]
        print(f"static {size}: rebuild after editing {edited}", flush=True)
        rebuild = timed(build, env)
        print(f"static {size}: rebuild, nothing changed", flush=True)
        unchanged = timed(build, env)
        files = sum(1 for path in Path(out).rglob("*") if path.is_file())
        size_mb = sum(path.stat().st_size for path in Path(out).rglob("*") if path.is_file())
    # The edit stays for the next run, harmless: the next full build starts from nothing.
    return {
        "papers": size,
        "load_average": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
        "files": files,
        "out_mb": round(size_mb / 1e6, 1),
        "edited": edited,
        "full": full,
        "rebuild_one_paper": rebuild,
        "rebuild_nothing_changed": unchanged,
    }


def report(results: dict) -> str:
    lines = [
        SECTION,
        "",
        f"{results['date']}, {results['machine']}. SQLite; each build is its own "
        "`manage.py build_static` process (CPU = user + system time). The machine may be "
        "shared (the load average after each size is in the last column): then the wall "
        "times are several times the CPU times.",
        "",
        "| papers | files | full build | one-paper rebuild | nothing changed | load after |",
        "| ---: | ---: | --- | --- | --- | --- |",
    ]

    def cell(run):
        counts = run["said"].split(": ")[-1].rstrip(".")
        return f"{run['cpu_s']} s CPU, {run['wall_s']} s wall: {counts}"

    for run in results["runs"]:
        lines.append(
            f"| {run['papers']:,} | {run['files']:,} | {cell(run['full'])} | "
            f"{cell(run['rebuild_one_paper'])} | {cell(run['rebuild_nothing_changed'])} | "
            f"{run['load_average']} |"
        )
    return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
    """Replace (or add) the static build's section at the end of bench/RESULTS.md."""
    current = RESULTS_MD.read_text() if RESULTS_MD.exists() else ""
    kept = current.split(SECTION, 1)[0].rstrip()
    RESULTS_MD.write_text((kept + "\n\n" if kept else "") + text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", default="1000,10000", help="sizes, comma-separated")
    parser.add_argument("--output", default=str(BENCH / "STATIC_RESULTS.json"))
    options = parser.parse_args()
    try:
        sizes = [int(size) for size in options.papers.split(",")]
    except ValueError:
        sys.exit(
            f"--papers takes sizes separated by commas (e.g. 1000,10000), not {options.papers!r}"
        )
    DATA.mkdir(exist_ok=True)
    results = {
        "machine": machine(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": [],
    }
    for size in sizes:
        results["runs"].append(measure(size))
        Path(options.output).write_text(json.dumps(results, indent=2))
    write_section(report(results))
    print(report(results))


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
