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
]
KIND_LABELS = {
    "list": "list `/` (sort x page k)",
    "two_facets": "two facets (venue + year)",
    "search_rare": "search, two rare title words",
    "search_common": "search, common title words",
    "deep_page": "deep page `?page=k`",
    "paper": "paper page, first view",
    "author": "author page",
}
# Issue 16's targets at 100,000 papers on PostgreSQL, p95 in ms.
ALONE_P95_MS = dict.fromkeys(KIND_LABELS, 150) | {"search_common": 300}
MIXED_P95_MS = 600
# At 10,000 papers: multiples of the trivial view (median, p95).
REFERENCE_MULTIPLES = (25, 50)
# The stored style (citation_cache.style) each whole-list export writes.
EXPORT_STYLES = {"/papers.bib": "bibtex", "/papers.ris": "ris", "/papers.json": "csl-json"}
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


def cell(row: dict) -> str:
    return f"{ms(row['p50_ms'])} / {ms(row['p95_ms'])} / {ms(row['p99_ms'])}"


def miss_table(run: dict) -> list[str]:
    """The headline: every request a cache miss on a distinct URL."""
    misses = run.get("misses")
    if not misses:
        return []
    ref = misses["reference"]
    lines = [
        f"### {run['engine']}, {run['size']:,} papers (load average {misses['load_average']})",
        "",
        f"Trivial view: p50 {ms(ref['p50_ms'])} ms, p95 {ms(ref['p95_ms'])} ms.",
        "",
        "| page, every request a miss | alone p50 / p95 / p99 ms | x trivial (p50, p95) "
        "| 8 clients mixed p50 / p95 / p99 ms | requests | errors | cache hits |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, label in KIND_LABELS.items():
        alone, mixed = misses["alone"][kind], misses["mixed"][kind]
        multiples = (
            f"{alone['p50_ms'] / ref['p50_ms']:.0f}x, {alone['p95_ms'] / ref['p95_ms']:.0f}x"
            if alone["p50_ms"]
            else "-"
        )
        lines.append(
            f"| {label} | {cell(alone)} | {multiples} | {cell(mixed)} | "
            f"{alone['requests']} + {mixed['requests']} | {alone['errors'] + mixed['errors']} | "
            f"{alone['cache_hits'] + mixed['cache_hits']} |"
        )
    warm = misses["warm_1000"]
    rss = ", ".join(
        f"{before:.0f} -> {after:.0f}"
        for before, after in zip(misses["rss_before_mb"], misses["rss_after_1000_mb"], strict=False)
    )
    lines += [
        "",
        f"Worker RSS (MB) before and after 1,000 mixed requests (repeating URLs, "
        f"{warm['cache_hits']} cache hits, {warm['errors']} errors): {rss}.",
        "",
        "| whole-list export | nothing stored: first byte / total s "
        "| stored: first byte / total s |",
        "|---|---:|---:|",
    ]
    for path in misses["exports"]["stored"]:
        cells = []
        for state in ("nothing stored", "stored"):
            row = misses["exports"][state][path]
            cells.append(
                f"{row['first_byte_s']:.2f} / {row['total_s']:.2f} (HTTP {row['status']})"
                if row.get("first_byte_s") is not None
                else f"failed after {row['total_s']:.0f} s: {row.get('error')}"
            )
        lines.append(f"| `{path}` | {cells[0]} | {cells[1]} |")
    two = run.get("two_instances")
    if two:
        lines += [
            "",
            f"Two instances (gunicorn, 2 workers each, ports {two['ports']}), one PostgreSQL, "
            f"one Redis page cache; the 8 clients alternate between them "
            f"(load average {two['load_average']}):",
            "",
            "| page, every request a miss | 8 clients over 2 instances p50 / p95 / p99 ms "
            "| errors | cache hits |",
            "|---|---:|---:|---:|",
        ]
        for kind, label in KIND_LABELS.items():
            row = two["mixed"][kind]
            lines.append(f"| {label} | {cell(row)} | {row['errors']} | {row['cache_hits']} |")
    return [*lines, ""]


def miss_targets(run: dict) -> list[str]:
    misses = run.get("misses")
    if not misses:
        return []
    where = f"{run['engine']} {run['size']:,}"
    lines = []
    errors = sum(
        misses[mode][kind]["errors"] for mode in ("alone", "mixed") for kind in KIND_LABELS
    )
    hits = sum(
        misses[mode][kind]["cache_hits"] for mode in ("alone", "mixed") for kind in KIND_LABELS
    )
    lines.append(
        f"| every request a miss, 0 errors ({where}) | {hits} hits, {errors} errors "
        f"| {verdict(errors == 0 and hits == 0)} |"
    )
    two = run.get("two_instances")
    if two:
        errors = sum(two["mixed"][kind]["errors"] for kind in KIND_LABELS)
        hits = sum(two["mixed"][kind]["cache_hits"] for kind in KIND_LABELS)
        lines.append(
            f"| two instances, every request a miss, 0 errors ({where}) | {hits} hits, "
            f"{errors} errors | {verdict(errors == 0 and hits == 0)} |"
        )
    if run["size"] == 10_000:
        ref = misses["reference"]
        median_limit, p95_limit = REFERENCE_MULTIPLES
        for kind in KIND_LABELS:
            row = misses["alone"][kind]
            median, p95 = row["p50_ms"] / ref["p50_ms"], row["p95_ms"] / ref["p95_ms"]
            ok = median <= median_limit and p95 <= p95_limit
            lines.append(
                f"| {kind} <= {median_limit}x median, {p95_limit}x p95 of the trivial view "
                f"({where}) | {median:.0f}x, {p95:.0f}x | {verdict(ok)} |"
            )
        first = misses["exports"]["nothing stored"]["/papers.bib"]
        lines.append(
            f"| first `/papers.bib` (nothing stored) <= 3 s ({where}) | {first['total_s']:.2f} s "
            f"| {verdict(first.get('status') == 200 and first['total_s'] <= 3)} |"
        )
    if run["size"] == 100_000 and run["engine"] == "postgres":
        for kind, limit in ALONE_P95_MS.items():
            p95 = misses["alone"][kind]["p95_ms"]
            lines.append(
                f"| {kind} alone p95 <= {limit} ms ({where}) | {ms(p95)} ms "
                f"| {verdict(p95 is not None and p95 <= limit)} |"
            )
        worst = max(misses["mixed"][kind]["p95_ms"] or 0 for kind in KIND_LABELS)
        lines.append(
            f"| every kind at 8 clients p95 <= {MIXED_P95_MS} ms ({where}) | worst {worst:.0f} ms "
            f"| {verdict(worst <= MIXED_P95_MS)} |"
        )
        for path, row in misses["exports"]["nothing stored"].items():
            first = row.get("first_byte_s")
            ok = first is not None and first <= 1 and row.get("status") == 200
            lines.append(
                f"| `{path}` starts within 1 s, nothing stored ({where}) | "
                f"{'-' if first is None else f'{first:.2f} s'} | {verdict(ok)} |"
            )
            # Whole, as the stored file is (a worker killed at gunicorn's timeout breaks the
            # body off), and stored: the next download reads what this one wrote.
            stored = misses["exports"]["stored"][path]
            whole = row.get("status") == 200 and row.get("bytes") == stored.get("bytes")
            lines.append(
                f"| `{path}` nothing stored finishes within gunicorn's "
                f"{misses.get('gunicorn_timeout_s', '?')} s "
                f"timeout ({where}) | {row['total_s']:.1f} s, "
                f"{row.get('bytes', 0):,} of {stored.get('bytes', 0):,} bytes | {verdict(whole)} |"
            )
            counts = misses.get("stored_after_first_exports")
            if counts:
                style = EXPORT_STYLES[path]
                kept, published = counts.get(style, 0), counts["published"]
                lines.append(
                    f"| `{path}` stores what it wrote ({where}) | {kept:,} `{style}` texts for "
                    f"{published:,} papers | {verdict(whole and kept == published)} |"
                )
    return lines


def page_table(run: dict) -> list[str]:
    if not run["pages"]:
        return []
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
        f"`/papers.bib` over HTTP {list_bib(run['list_bib_http_s'])}."
        if run["list_bib_http_s"]
        else "",
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
        lines += miss_targets(run)
    for run in results["runs"]:
        if not run["pages"]:
            continue
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
        "gunicorn with 2 workers on 127.0.0.1. The headline (every request a cache miss) is",
        "driven by bench/distinct.py: distinct URLs from the database, each asked once, alone",
        "and by 8 clients at once; the cache-hit tables below it by wrk (2 threads, 8",
        "connections, several rounds, the median round reported).",
        "",
        *([f"**{results['note']}**", ""] if results.get("note") else []),
        *targets(results),
        "## Every request a cache miss (the headline)",
        "",
        *[line for run in results["runs"] for line in miss_table(run)],
        *query_table(results),
        "## Cache hits (one URL driven thousands of times)",
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
