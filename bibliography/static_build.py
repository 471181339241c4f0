"""The public site rendered to plain files (`manage.py build_static OUT/`), for GitHub Pages or
any web server that can only serve files.

Every page is rendered by the site's own views through Django's test client, so the files are
byte for byte what the live site answers, under the settings a production render needs: DEBUG
off, hashed static file names (ManifestStaticFilesStorage, collected first), the base URL's
host and scheme (the feed and the sitemap hold absolute URLs) and its path as the script
prefix (FORCE_SCRIPT_NAME), so every `reverse()`d link and `{% static %}` file works under
`https://user.github.io/repo/`. `settings.STATIC_BUILD` tells the list pages to show all their
papers on one page: a file server cannot answer `?page=2`. The live site never sets it.

A rebuild is incremental: `OUT/.build-manifest.json` keeps, for each file, its hash and a
digest of what it was rendered from (`plan_site`), and a rebuild renders only the files whose
inputs changed: the edited paper's page and exports, its neighbours' pages (they show its
title), the pages of its authors, venue, awards and topics, and the files that show every
paper (the home page, the lists, the whole-list exports, feed, sitemap, index). What a file
is rendered from is read from stored revisions, not from the pages: each paper's
`entry_revision` (raised by database triggers whenever the paper, its byline, an author, its
venue or its awards change), its topics and links, the rows of the author, venue, award and
topic, and, for every file, the build's own inputs (base URL, site title, the source code and
templates, the static files). A setting other than those that changes pages needs `--full`.
Of what is rendered, only files whose bytes differ are written; files the previous build
wrote that no page produces any more are deleted. Files in OUT that no build wrote are never
touched.

Browsing: list pages with query-string filters cannot be files, so the build writes
`static-index.json` (each paper's year, author, venue, topic and award slugs and the words
of its title and abstract) and the home page loads `js/static-browse.js`, which applies
`?year=&author=&q=...` in the browser and shows the list a page at a time (`?page=N`).
Without script the home page is the full list grouped by year.
"""

import hashlib
import json
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.db.models.expressions import RawSQL
from django.test import Client, override_settings
from django.urls import get_script_prefix, reverse, set_script_prefix

from bibliography.exports import paper_export_text
from bibliography.models import (
    Author,
    Authorship,
    Award,
    Paper,
    PaperLink,
    Topic,
    Venue,
    list_period,
)
from bibliography.site_title import site_title

MANIFEST_NAME = ".build-manifest.json"
# Raised whenever what a manifest's input digests mean changes: an older manifest then
# makes the next build render everything.
MANIFEST_FORMAT = 2
NOT_FOUND_URL = "/no-such-page-in-the-static-build/"
INDEX_NAME = "static-index.json"
EXPORT_FORMATS = ("bib", "ris", "json")
# Papers read at once for their exports.
EXPORT_CHUNK = 500
# Words of the title and abstract in the search index: letters and digits, as the list's
# search box splits them.
WORD = re.compile(r"\w+")


class BuildError(ValueError):
    """An argument the build cannot work with; the message says which and why."""


@dataclass
class BuildReport:
    """What a build did to OUT, file by file (paths relative to OUT)."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    # Files made this time (pages rendered, static files collected), written or not.
    rendered: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.written)} written, {len(self.unchanged)} unchanged, "
            f"{len(self.deleted)} deleted ({len(self.rendered)} rendered)"
        )


def parse_base_url(base_url: str) -> tuple[str, str, str]:
    """(scheme, host, path prefix ending in "/") of an http(s) base URL."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise BuildError(
            f"--base-url must be an http:// or https:// URL with a host, not {base_url!r}."
        )
    if parts.query or parts.fragment:
        raise BuildError(f"--base-url must not have a query or fragment: {base_url!r}.")
    prefix = parts.path if parts.path.endswith("/") else parts.path + "/"
    return parts.scheme, parts.netloc, prefix


def check_output_dir(out: Path) -> Path:
    """OUT, resolved: an existing directory (or one to create) outside the project's source."""
    out = Path(out).expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out} is not a directory.")
    if not out.exists() and not out.parent.is_dir():
        raise BuildError(f"{out.parent} does not exist: make it first, or choose another OUT.")
    source = Path(settings.BASE_DIR).resolve()
    if out == source or out.is_relative_to(source) or source.is_relative_to(out):
        raise BuildError(
            f"{out} is inside (or holds) the project's source at {source}: choose a directory "
            "elsewhere, e.g. a temporary one."
        )
    return out


@dataclass(frozen=True)
class PlannedFile:
    """A file of the build: the URL rendered into it (None for the files the build writes
    itself) and the digest of what it shows (`plan_site`)."""

    url: str | None
    inputs: str
    status: int = 200
    # (paper slug, format) of a paper's export, written without a request (`render_exports`).
    export: tuple[str, str] | None = None


def digest(*parts) -> str:
    """A short fingerprint of JSON-able parts (rows, revisions, other digests)."""
    text = json.dumps(parts, default=str, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def source_digest() -> str:
    """The code and templates pages are rendered with: a change to either renders all."""
    root = Path(settings.BASE_DIR)
    hasher = hashlib.sha256()
    for folder in ("bibliography", "templates"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                hasher.update(path.relative_to(root).as_posix().encode() + b"\0")
                hasher.update(hashlib.sha256(path.read_bytes()).digest())
    return hasher.hexdigest()


def _rows_by_pk(queryset) -> dict[int, dict]:
    return {row["id"]: row for row in queryset.values()}


def _grouped(pairs) -> dict[int, list[int]]:
    groups = defaultdict(list)
    for key, value in pairs:
        groups[key].append(value)
    return groups


def plan_site(build_inputs: str) -> dict[str, PlannedFile]:
    """{path in OUT: PlannedFile} of every public page and export, each with a digest of
    what it shows, read in a fixed number of queries whatever the number of papers (module
    docstring). `build_inputs` is the digest every file depends on."""
    published = Paper.objects.published()
    papers = list(
        published.annotate(revision=RawSQL("bibliography_paper.entry_revision", []))
        .annotate(period=list_period())
        .order_by("-period", "title", "pk")
        .values_list("pk", "slug", "title", "revision", "venue_id")
    )
    topic_rows = _rows_by_pk(Topic.objects.public())
    topics_of = _grouped(
        Paper.topics.through.objects.filter(paper__published=True)
        .order_by("paper_id", "topic_id")
        .values_list("paper_id", "topic_id")
    )
    links_of = defaultdict(list)
    for link in PaperLink.objects.filter(paper__published=True).order_by("pk").values():
        links_of[link["paper_id"]].append(link)
    # What a paper shows wherever it is listed: its revision covers its row, byline,
    # authors, venue and awards; its topics and links are not counted by it.
    entries = {pk: digest(revision, links_of[pk]) for pk, _s, _t, revision, _v in papers}
    stamps = {pk: digest(entries[pk], [topic_rows.get(t) for t in topics_of[pk]]) for pk in entries}

    def listing(pks) -> list:
        return sorted((pk, stamps[pk]) for pk in pks)

    plan = {}
    for place, (pk, slug, _title, _revision, _venue) in enumerate(papers):
        # The page links its neighbours in the list's order by their titles.
        neighbours = [papers[i][1:3] for i in (place - 1, place + 1) if 0 <= i < len(papers)]
        page = reverse("bibliography:paper-detail", kwargs={"slug": slug})
        plan[file_for_url(page)] = PlannedFile(page, digest(build_inputs, stamps[pk], neighbours))
        for fmt in EXPORT_FORMATS:
            export = reverse("bibliography:paper-export", kwargs={"slug": slug, "fmt": fmt})
            # An export is the paper's entry: no topics in it.
            plan[file_for_url(export)] = PlannedFile(
                export, digest(build_inputs, entries[pk]), export=(slug, fmt)
            )

    papers_of_venue = _grouped((venue, pk) for pk, _s, _t, _r, venue in papers if venue)
    venue_rows = _rows_by_pk(Venue.objects.public())
    members_of = _grouped(
        (row["series_id"], pk) for pk, row in venue_rows.items() if row["series_id"]
    )
    scoped = [
        (
            "author-detail",
            _rows_by_pk(Author.objects.public()),
            _grouped(
                Authorship.objects.filter(paper__published=True).values_list(
                    "author_id", "paper_id"
                )
            ),
            {},
        ),
        # A venue's page shows its series (by name) and a series' page its members' papers.
        ("venue-detail", venue_rows, papers_of_venue, members_of),
        (
            "award-detail",
            _rows_by_pk(Award.objects.public()),
            _grouped(
                Paper.awards.through.objects.filter(paper__published=True).values_list(
                    "award_id", "paper_id"
                )
            ),
            {},
        ),
        (
            "topic-detail",
            topic_rows,
            _grouped((t, p) for p, ts in topics_of.items() for t in ts),
            {},
        ),
    ]
    for name, rows, papers_of, members in scoped:
        for pk, row in sorted(rows.items()):
            related = [rows.get(row.get("series_id")), [rows[m] for m in members.get(pk, [])]]
            own = papers_of.get(pk, []) + [
                p for m in members.get(pk, []) for p in papers_of.get(m, [])
            ]
            page = reverse(f"bibliography:{name}", kwargs={"slug": row["slug"]})
            plan[file_for_url(page)] = PlannedFile(
                page, digest(build_inputs, row, related, listing(set(own)))
            )

    # The files that show every paper, or every author, venue...: anything any page shows.
    everything = digest(build_inputs, sorted((n, f.inputs) for n, f in plan.items()))
    whole_site = [
        reverse("bibliography:paper-list"),
        reverse("bibliography:author-list"),
        reverse("bibliography:venue-list"),
        reverse("bibliography:award-list"),
        reverse("bibliography:feed"),
        reverse("bibliography:sitemap"),
        # The embeddable list: every paper, filtered in the browser as the home page is.
        reverse("bibliography:embed"),
        # The publication list for a CV, whole (a file server cannot filter it).
        reverse("bibliography:paper-list-pdf"),
        reverse("bibliography:paper-list-latex"),
        *(reverse("bibliography:paper-list-export", kwargs={"fmt": f}) for f in EXPORT_FORMATS),
    ]
    plan.update({file_for_url(url): PlannedFile(url, everything) for url in whole_site})
    plan[INDEX_NAME] = PlannedFile(None, everything)
    robots = reverse("bibliography:robots")
    plan[file_for_url(robots)] = PlannedFile(robots, build_inputs)
    # GitHub Pages and most file servers answer a missing file with OUT/404.html.
    plan["404.html"] = PlannedFile(NOT_FOUND_URL, build_inputs, status=404)
    # GitHub Pages would otherwise run the files through Jekyll.
    plan[".nojekyll"] = PlannedFile(None, "")
    return plan


def file_for_url(url: str) -> str:
    """The path in OUT that a file server answers `url` (a path under the script prefix "/")
    from: a directory URL's index.html."""
    relative = url.lstrip("/")
    return relative + "index.html" if relative == "" or relative.endswith("/") else relative


def search_index() -> bytes:
    """The compact index the static home page filters with (js/static-browse.js)."""
    papers = Paper.objects.published().prefetch_related("authorships__author", "awards", "topics")
    rows = [
        {
            "slug": paper.slug,
            "year": paper.year,
            "authors": [a.author.slug for a in paper.authorships.all()],
            "venue": paper.venue.slug if paper.venue_id else None,
            "topics": [t.slug for t in paper.topics.all()],
            "awards": [a.slug for a in paper.awards.all()],
            "words": sorted(
                {w.casefold() for w in WORD.findall(f"{paper.title} {paper.abstract}")}
            ),
        }
        for paper in papers.select_related("venue").order_by("pk")
    ]
    return json.dumps({"papers": rows}, ensure_ascii=False, separators=(",", ":")).encode()


def render_exports(plan: dict[str, PlannedFile]) -> dict[str, bytes]:
    """{path in OUT: bytes} of the planned papers' exports, as their URLs answer them
    (`exports.paper_export_text`), with the papers read a chunk at a time: a request
    through the test client costs several times the text."""
    wanted = defaultdict(list)
    for name, planned in plan.items():
        if planned.export:
            wanted[planned.export[0]].append((name, planned.export[1]))
    files = {}
    slugs = sorted(wanted)
    for start in range(0, len(slugs), EXPORT_CHUNK):
        chunk = (
            Paper.objects.published()
            .for_list()
            .filter(slug__in=slugs[start : start + EXPORT_CHUNK])
        )
        for paper in chunk:
            for name, fmt in wanted[paper.slug]:
                files[name] = paper_export_text(paper, fmt).encode()
    return files


def render_files(scheme: str, host: str, plan: dict[str, PlannedFile]) -> dict[str, bytes]:
    """{path in OUT: bytes} of the planned files; raises BuildError if a page answers
    another status than planned. Runs under the base URL's script prefix."""
    client = Client(HTTP_HOST=host, headers={"Accept-Encoding": "identity"})
    secure = scheme == "https"
    files = render_exports(plan)
    for name, planned in plan.items():
        if planned.export:
            continue
        if name == INDEX_NAME:
            files[name] = search_index()
        elif planned.url is None:
            files[name] = b""
        else:
            response = client.get(planned.url, secure=secure)
            if response.status_code != planned.status:
                raise BuildError(
                    f"{planned.url} answered {response.status_code}, not {planned.status}."
                )
            files[name] = b"".join(response) if response.streaming else response.content
    return files


def collect_static(into: Path) -> dict[str, bytes]:
    """{path in OUT: bytes} of the site's own static files under hashed names. The admin's
    are left out: the static site has no admin."""
    call_command("collectstatic", interactive=False, verbosity=0)
    return {
        "static/" + path.relative_to(into).as_posix(): path.read_bytes()
        for path in sorted(into.rglob("*"))
        # The admin's own styles live under admin/ too (static/admin/bibliography/).
        if path.is_file() and path.relative_to(into).parts[0] != "admin"
    }


def read_manifest(out: Path) -> dict[str, dict]:
    """{path: {"sha": ..., "inputs": ...}} of the previous build into OUT; {} when there is
    none, or it is of another format or unreadable (the build then renders everything)."""
    try:
        manifest = json.loads((out / MANIFEST_NAME).read_text())
        if manifest["format"] != MANIFEST_FORMAT:
            return {}
        return {
            str(name): {"sha": str(entry["sha"]), "inputs": str(entry["inputs"])}
            for name, entry in manifest["files"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def still_current(out: Path, plan: dict[str, PlannedFile], previous: dict) -> set[str]:
    """The planned files the previous build wrote from the same inputs, still in OUT."""
    return {
        name
        for name, planned in plan.items()
        if name in previous
        and previous[name]["inputs"] == planned.inputs
        and (out / name).is_file()
    }


def write_changed(
    out: Path, plan: dict[str, PlannedFile], files: dict[str, bytes], previous: dict
) -> BuildReport:
    """Writes the rendered `files` whose bytes differ from what is in OUT, deletes those the
    previous build wrote that this one did not plan, and records the manifest."""
    report = BuildReport(rendered=sorted(files))
    entries = {}
    for name in sorted(plan):
        if name not in files:
            entries[name] = previous[name]
            report.unchanged.append(name)
            continue
        sha = hashlib.sha256(files[name]).hexdigest()
        entries[name] = {"sha": sha, "inputs": plan[name].inputs}
        target = out / name
        if previous.get(name, {}).get("sha") == sha and target.is_file():
            report.unchanged.append(name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[name])
        report.written.append(name)
    for name in sorted(set(previous) - set(plan)):
        target = out / name
        # Only a path inside OUT that the previous build wrote: a doctored manifest must
        # not make the build delete anything else.
        if target.resolve().is_relative_to(out) and target.is_file():
            target.unlink()
            report.deleted.append(name)
    manifest = {"format": MANIFEST_FORMAT, "files": entries}
    (out / MANIFEST_NAME).write_text(json.dumps(manifest, indent=0, sort_keys=True))
    return report


def render_settings(host: str, prefix: str, static_root: str) -> override_settings:
    """The settings a production render under the base URL needs (module docstring)."""
    return override_settings(
        DEBUG=False,
        STATIC_BUILD=True,
        ALLOWED_HOSTS=[urlsplit(f"//{host}").hostname],
        FORCE_SCRIPT_NAME=prefix,
        STATIC_URL=prefix + "static/",
        STATIC_ROOT=static_root,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            },
        },
        # A cache of its own: pages rendered under the base URL's prefix must never be
        # served by the live site from a shared cache.
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "static-build",
            }
        },
        SECURE_SSL_REDIRECT=False,
        # The limit keeps a live request's cost down; the build renders the whole list's CV
        # once, as its pages link it.
        PUBLICATION_LIST_MAX_PAPERS=max(
            settings.PUBLICATION_LIST_MAX_PAPERS, Paper.objects.published().count()
        ),
    )


def build_static(out: Path, base_url: str = "http://localhost/", full: bool = False) -> BuildReport:
    """Renders the public site into `out`, only what changed since the last build unless
    `full` (see the module's docstring)."""
    scheme, host, prefix = parse_base_url(base_url)
    out = check_output_dir(out)
    out.mkdir(exist_ok=True)
    previous = read_manifest(out)
    with (
        tempfile.TemporaryDirectory(prefix="static-build-") as collected,
        render_settings(host, prefix, collected),
    ):
        static_files = collect_static(Path(collected))
        build_inputs = digest(
            MANIFEST_FORMAT,
            [scheme, host, prefix],
            site_title(),
            settings.SITE_THUMBNAILS,
            source_digest(),
            sorted(static_files),
        )
        # The URLs are paths below the prefix, so they are reversed under "/"; the pages
        # are rendered under the prefix, which a WSGI server sets from SCRIPT_NAME (here
        # FORCE_SCRIPT_NAME) but the test client does not. The caller's prefix comes back
        # afterwards, or later reverse()s would carry the base's.
        callers_prefix = get_script_prefix()
        set_script_prefix("/")
        try:
            plan = plan_site(build_inputs)
            current = set() if full else still_current(out, plan, previous)
            set_script_prefix(prefix)
            files = render_files(scheme, host, {n: f for n, f in plan.items() if n not in current})
        finally:
            set_script_prefix(callers_prefix)
    plan.update({name: PlannedFile(None, "") for name in static_files})
    return write_changed(out, plan, {**files, **static_files}, previous)
