"""Turns bench/RESULTS.json (written by bench/run.py) into the tables of bench/RESULTS.md.

The prose of RESULTS.md (the choices behind the figures) lives in bench/NOTES.md and is
copied in below the tables, so a re-run never loses it.
"""

import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PAGES = [
    "reference",
    "list",
    "list_two_facets",
    "search",
    "deep_page",
    "paper",
    "author",
    "paper_bib",
    "list_cold",
    "list_two_facets_cold",
    "search_cold",
    "paper_cold",
]
TARGET_FRACTIONS = {"list": 0.10, "list_two_facets": 0.10, "paper": 1 / 3}


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def list_bib(download) -> str:
    if not isinstance(download, dict):  # older results: seconds only
        return f"{download:.2f} s"
    if download["error"]:
        return f"broken off after {download['seconds']:.0f} s ({download['error']})"
    return f"{download['seconds']:.2f} s"


def ms(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def page_table(run: dict) -> list[str]:
    reference = run["pages"]["reference"]["rps"]
    lines = [
        f"### {run['engine']}, {run['size']:,} papers",
        "",
        "| page | URL | req/s (median) | p50 ms | p95 ms | p99 ms | errors | x reference |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in PAGES:
        row = run["pages"].get(name)
        if not row:
            continue
        fraction = row["rps"] / reference
        target = TARGET_FRACTIONS.get(name)
        mark = f" (target {target:.2f}: {verdict(fraction >= target)})" if target else ""
        lines.append(
            f"| {name} | `{run['urls'][name]}` | {row['rps']:.1f} | {ms(row['p50_ms'])} | "
            f"{ms(row['p95_ms'])} | {ms(row['p99_ms'])} | {row['errors']} | "
            f"{fraction:.3f}{mark} |"
        )
    export = run["export"]
    first = run.get("export_first")
    writing = (
        f" (the first export with no entry stored, writing and storing every one: "
        f"{first['seconds']:.2f} s, peak RSS growth {first['rss_growth_mb']:.0f} MB)"
        if first
        else ""
    )
    lines += [
        "",
        f"Whole-list BibTeX: `export_bibtex` {export['seconds']:.2f} s, peak RSS growth "
        f"{export['rss_growth_mb']:.0f} MB{writing}; "
        f"`/papers.bib` over HTTP {list_bib(run['list_bib_http_s'])}.",
        "",
    ]
    return lines


def query_table(results: dict) -> list[str]:
    """SQL queries per page at every size: on a cache miss / on a hit."""
    runs = [run for run in results["runs"] if "queries" in run]
    if not runs:
        return []
    header = " | ".join(f"{run['engine']} {run['size']:,}" for run in runs)
    lines = [
        "## SQL queries per page (cache miss / hit)",
        "",
        f"| page | {header} |",
        "|---|" + "---:|" * len(runs),
    ]
    for name in runs[0]["queries"]:
        cells = " | ".join(
            "{cold} / {warm}".format(**run["queries"][name]) if name in run["queries"] else "-"
            for run in runs
        )
        lines.append(f"| {name} | {cells} |")
    return [*lines, ""]


def queries_constant(results: dict) -> list[str]:
    lines = []
    for engine in dict.fromkeys(run["engine"] for run in results["runs"]):
        counts = [
            (
                run["size"],
                {name: (row["cold"], row["warm"]) for name, row in run["queries"].items()},
            )
            for run in results["runs"]
            if run["engine"] == engine and "queries" in run
        ]
        if len(counts) > 1:
            same = all(pages == counts[0][1] for _, pages in counts)
            sizes = ", ".join(f"{size:,}" for size, _ in counts)
            lines.append(
                f"| SQL queries of every page the same at {sizes} papers ({engine}) | "
                f"{'the same' if same else 'they differ'} | {verdict(same)} |"
            )
    return lines


def targets(results: dict) -> list[str]:
    lines = ["## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    for run in results["runs"]:
        reference = run["pages"]["reference"]["rps"]
        where = f"{run['engine']} {run['size']:,}"
        if run["size"] == 10_000:
            for name, target in TARGET_FRACTIONS.items():
                fraction = run["pages"][name]["rps"] / reference
                lines.append(
                    f"| {name} >= {target:.2f} x reference ({where}) | {fraction:.2f} "
                    f"| {verdict(fraction >= target)} |"
                )
            seconds = run["export"]["seconds"]
            lines.append(
                f"| whole-list BibTeX < 1 s ({where}) | {seconds:.2f} s | {verdict(seconds < 1)} |"
            )
            if "export_first" in run:
                lines.append(
                    f"| (not a target) the first export with no entry stored ({where}) "
                    f"| {run['export_first']['seconds']:.2f} s | writes and stores each entry |"
                )
        if run["size"] == 100_000:
            growth = max(
                run[key]["rss_growth_mb"] for key in ("export", "export_first") if key in run
            )
            lines.append(
                f"| export peak RSS growth < 100 MB ({where}) | {growth:.0f} MB | "
                f"{verdict(growth < 100)} |"
            )
            if run["engine"] == "postgres":
                for name in ("list_two_facets", "search"):
                    p95 = run["pages"][name]["p95_ms"]
                    lines.append(
                        f"| {name} p95 < 150 ms ({where}) | {p95:.0f} ms | {verdict(p95 < 150)} |"
                    )
                    cold = run["pages"].get(f"{name}_cold")
                    if cold:
                        p95 = cold["p95_ms"]
                        ok = p95 is not None and p95 < 150
                        lines.append(
                            f"| (not a target) {name}, every request a cache miss, p95 "
                            f"({where}) | {ms(p95)} ms | {'under' if ok else 'over'} 150 ms |"
                        )
    lines += queries_constant(results)
    for engine, rows in results["imports"].items():
        fresh, again = rows["fresh"], rows["again"]
        lines.append(
            f"| import >= 1,000 entries/s ({engine}, fresh) | "
            f"{fresh['entries_per_s']:.0f}/s | {verdict(fresh['entries_per_s'] >= 1000)} |"
        )
        lines.append(
            f"| re-import no slower ({engine}) | {again['entries_per_s']:.0f}/s | "
            f"{verdict(again['seconds'] <= fresh['seconds'] * 1.1)} |"
        )
        created = again["papers_after"] - fresh["papers_after"]
        lines.append(
            f"| re-import creates nothing ({engine}) | {created} papers created | "
            f"{verdict(created == 0)} |"
        )
    return [*lines, ""]


def main(path: str) -> None:
    results = json.loads(Path(path).read_text())
    lines = [
        "# Benchmark results",
        "",
        f"Measured {results['date']} by `make bench` (bench/run.py) on: {results['machine']}.",
        "gunicorn with 2 workers on 127.0.0.1, wrk with 2 threads and 8 connections; each page",
        "is driven in several rounds, interleaved, and the median round is reported.",
        "",
        *targets(results),
        *query_table(results),
        "## Pages",
        "",
    ]
    for run in results["runs"]:
        lines += page_table(run)
    lines += [
        "## Import of the TUGboat bibliography (tugboat-biber.bib)",
        "",
        "| database | run | entries | seconds | entries/s | peak RSS growth MB |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for engine, rows in results["imports"].items():
        for label, row in (
            ("into an empty database", rows["fresh"]),
            ("over itself (all duplicates)", rows["again"]),
        ):
            lines.append(
                f"| {engine} | {label} | {row['entries']} | {row['seconds']:.2f} | "
                f"{row['entries_per_s']:.0f} | {row['rss_growth_mb']:.0f} |"
            )
    notes = BENCH / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text()]
    (BENCH / "RESULTS.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(BENCH / "RESULTS.json"))
