"""Cache-miss timings per page kind, in-process (Django test client, dummy cache).

    DATABASE_URL=... python bench/cold_profile.py [--n 30] [--kinds list,author]

Each kind is driven over distinct URLs so that no request is a cache hit; prints p50/p95
in milliseconds and the ratio to a trivial view (the health check) in the same run.
Not the benchmark harness (bench/run.py): a quick before/after probe for one change.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")

import django  # noqa: E402

django.setup()

from django.test import Client, override_settings  # noqa: E402

from bibliography.models import Author, Paper, Venue  # noqa: E402


def urls(kind, n):
    papers = Paper.objects.published()
    if kind == "trivial":
        return ["/healthz"] * n
    if kind == "list":
        return [f"/?page={k}" for k in range(1, n + 1)]
    if kind == "deep":
        last = papers.count() // 25
        return [f"/?page={last - 37 * k}" for k in range(n)]
    if kind == "facets":
        venues = list(Venue.objects.public().values_list("slug", flat=True)[:n])
        return [f"/?venue={v}&year={2000 + i % 24}" for i, v in enumerate(venues)]
    if kind == "search_rare":
        titles = papers.order_by("?").values_list("title", flat=True)[:n]
        return ["/?q=" + "+".join(t.split()[:2]) for t in titles]
    if kind == "search_common":
        words = ["language", "model", "learning", "neural", "data", "translation"]
        return [f"/?q={words[i % 6]}&page={1 + i // 6}" for i in range(n)]
    if kind == "author":
        slugs = Author.objects.public().order_by("?").values_list("slug", flat=True)[:n]
        return [f"/authors/{s}/" for s in slugs]
    if kind == "paper":
        slugs = papers.order_by("?").values_list("slug", flat=True)[:n]
        return [f"/papers/{s}/" for s in slugs]
    raise SystemExit(f"unknown kind {kind!r}")


def measure(client, url_list):
    times = []
    for url in url_list:
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code >= 400:
            print(f"  {url}: {response.status_code}", file=sys.stderr)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument(
        "--kinds", default="list,facets,search_rare,search_common,author,paper,deep"
    )
    args = parser.parse_args()
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy, ALLOWED_HOSTS=["*"], DEBUG=False):
        client = Client()
        trivial, _ = measure(client, urls("trivial", 50))
        print(f"load {os.getloadavg()[0]:.2f}; trivial view p50 {trivial:.2f} ms")
        for kind in args.kinds.split(","):
            p50, p95 = measure(client, urls(kind, args.n))
            print(
                f"{kind:14} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms"
                f"  ({p50 / trivial:5.0f}x / {p95 / trivial:5.0f}x)"
            )


if __name__ == "__main__":
    main()
