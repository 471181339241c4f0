"""Every request a cache miss: per page kind, distinct URLs drawn from the database, each
requested once (issue 16's headline), alone (1 client) and at 8 clients in a mixed run.

The client is Python (a thread per client, one keep-alive connection each) rather than wrk,
because each request's latency is kept with its page kind and its `X-Cache` header (on under
bench.settings), which counts the cache hits that must stay at 0. The trivial reference view
is driven by the same client in the same run, so the ratios compare like with like.
"""

import http.client
import json
import random
import threading
import time

# Page kinds and how many distinct URLs of each a run asks for (alone; the mixed run takes
# as many again, different ones).
URLS_SCRIPT = """
import json, random, sys, re, django
django.setup()
from django.db.models import Count
from bibliography.models import Author, Authorship, Paper
count = int(sys.argv[1])
rng = random.Random(1)
papers = Paper.objects.published()
total = papers.count()
pages = max(1, (total + 24) // 25)
pairs = list(papers.exclude(venue=None).values_list("venue__slug", "year")
             .annotate(n=Count("id")).order_by("-n")[: count * 4])
rng.shuffle(pairs)
titles = list(papers.order_by("?").values_list("title", flat=True)[:2000])
words = {}
for title in titles:
    for word in set(re.findall(r"[a-z]{4,}", title.lower())):
        words[word] = words.get(word, 0) + 1
ranked = sorted(words, key=lambda w: (-words[w], w))
common = ranked[:6]
# Two of a title's rarest words: a search that finds that paper and few others.
rare = []
for title in titles:
    own = sorted(set(re.findall(r"[a-z]{4,}", title.lower())), key=lambda w: (words[w], w))
    if len(own) >= 2 and (own[0], own[1]) not in rare:
        rare.append((own[0], own[1]))
def pairs_of(pool, n):
    every = [(a, b) for a in pool for b in pool if a != b] + [(a, a) for a in pool]
    rng.shuffle(every)
    return [every[i % len(every)] for i in range(n)]
sorts = ["newest", "oldest", "title"]
lists = [f"/?sort={s}&page={k}" for k in range(2, 40) for s in sorts][: count * 2]
rng.shuffle(lists)
deep = rng.sample(range(max(2, pages // 4), pages + 1), min(count * 2, max(1, pages - pages // 4)))
paper_slugs = list(papers.order_by("?").values_list("slug", flat=True)[: count * 2])
# Authors of published papers (the others' pages are 404s).
bylines = Authorship.objects.filter(paper__in=papers.values("id")).values("author_id")
author_slugs = list(Author.objects.filter(id__in=bylines).order_by("?")
                    .values_list("slug", flat=True)[: count * 2])
urls = {
    "list": lists,
    "two_facets": [f"/?venue={v}&year={y}" for v, y, _ in pairs[: count * 2]],
    "search_rare": [f"/?q={a}+{b}" for a, b in rare[: count * 2]],
    # One or two of the commonest title words, each with a page of its own: distinct URLs.
    "search_common": [f"/?q={a}+{b}&page={1 + i // 30}"
                      for i, (a, b) in enumerate(pairs_of(common, count * 2))],
    "deep_page": [f"/?page={k}" for k in deep],
    "paper": [f"/papers/{s}/" for s in paper_slugs],
    "author": [f"/authors/{s}/" for s in author_slugs],
}
print("URLS_JSON " + json.dumps(urls))
"""
KINDS = ["list", "two_facets", "search_rare", "search_common", "deep_page", "paper", "author"]


class Client:
    """One keep-alive connection; `get` returns (ms, status, x-cache)."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path: str):
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = self.connection.getresponse()
            response.read()
            status, cache = response.status, response.getheader("X-Cache", "")
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            status, cache = 0, ""
        return (time.perf_counter() - started) * 1000, status, cache


def percentile(values: list[float], q: float):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summary(samples: list[tuple]) -> dict:
    times = [ms for ms, _, _ in samples]
    return {
        "requests": len(samples),
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "p99_ms": percentile(times, 99),
        "errors": sum(1 for _, status, _ in samples if status != 200),
        "cache_hits": sum(1 for _, _, cache in samples if cache == "hit"),
    }


def reference(port: int, requests: int = 200) -> dict:
    client = Client(port)
    for _ in range(20):
        client.get("/bench/reference/")
    return summary([client.get("/bench/reference/") for _ in range(requests)])


def alone(port: int, urls: dict) -> dict:
    """Each kind's first half of URLs, one client, one request at a time, kinds interleaved."""
    client = Client(port)
    samples = {kind: [] for kind in KINDS}
    for round_urls in zip(*(urls[kind][: len(urls[kind]) // 2] for kind in KINDS), strict=False):
        for kind, path in zip(KINDS, round_urls, strict=True):
            samples[kind].append(client.get(path))
    return {kind: summary(rows) for kind, rows in samples.items()}


def mixed(ports: list[int], urls: dict, clients: int = 8) -> dict:
    """The other halves of the URLs, shuffled together, shared out over `clients` threads
    (client i talks to ports[i % len(ports)]: several instances share the load)."""
    work = [(kind, path) for kind in KINDS for path in urls[kind][len(urls[kind]) // 2 :]]
    random.Random(2).shuffle(work)
    lock, samples = threading.Lock(), {kind: [] for kind in KINDS}

    def client_loop(port):
        client = Client(port)
        while True:
            with lock:
                if not work:
                    return
                kind, path = work.pop()
            row = client.get(path)
            with lock:
                samples[kind].append(row)

    started = time.perf_counter()
    threads = [
        threading.Thread(target=client_loop, args=(ports[i % len(ports)],)) for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results = {kind: summary(rows) for kind, rows in samples.items()}
    results["_seconds"] = time.perf_counter() - started
    return results


def warm_run(port: int, urls: dict, requests: int) -> dict:
    """`requests` mixed requests that may hit the cache (URLs repeat): the RSS run."""
    client, rng = Client(port), random.Random(3)
    pool = [path for kind in KINDS for path in urls[kind]]
    return summary([client.get(rng.choice(pool)) for _ in range(requests)])


def first_byte_and_total(port: int, path: str) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        first = response.read(1)
        first_byte = time.perf_counter() - started
        size = len(first) + len(response.read())
        return {
            "status": response.status,
            "first_byte_s": first_byte,
            "total_s": time.perf_counter() - started,
            "bytes": size,
        }
    except (OSError, http.client.HTTPException) as error:
        return {"status": 0, "error": repr(error)[:200], "total_s": time.perf_counter() - started}
    finally:
        connection.close()


def parse_urls(output: str) -> dict:
    return json.loads(output.split("URLS_JSON ", 1)[1].splitlines()[0])


def ratio(row: dict, ref: dict, key: str):
    if row.get(key) is None or not ref.get(key):
        return None
    return row[key] / ref[key]
