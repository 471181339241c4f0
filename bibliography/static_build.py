"""The public site rendered to plain files (`manage.py build_static OUT/`), for GitHub Pages or
any web server that can only serve files.

Every page is rendered by the site's own views through Django's test client, so the files are
byte for byte what the live site answers, under the settings a production render needs: DEBUG
off, hashed static file names (ManifestStaticFilesStorage, collected first), the base URL's
host and scheme (the feed and the sitemap hold absolute URLs) and its path as the script
prefix (FORCE_SCRIPT_NAME), so every `reverse()`d link and `{% static %}` file works under
`https://user.github.io/repo/`. `settings.STATIC_BUILD` tells the list pages to show all their
papers on one page: a file server cannot answer `?page=2`. The live site never sets it.

A rebuild is incremental: every page is rendered again (that is what tells what changed), but
only files whose bytes differ are written, and files the previous build wrote that no page
produces any more are deleted; `OUT/.build-manifest.json` keeps each file's hash. Files in
OUT that no build wrote are never touched.

Browsing: list pages with query-string filters cannot be files, so the build writes
`static-index.json` (each paper's year, author, venue, topic and award slugs and its title
words) and the home page loads `js/static-browse.js`, which applies `?year=&author=&q=...` in
the browser. Without script the home page is the full list grouped by year.
"""

import hashlib
import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import get_script_prefix, reverse, set_script_prefix

from bibliography.models import Author, Award, Paper, Topic, Venue

MANIFEST_NAME = ".build-manifest.json"
INDEX_NAME = "static-index.json"
EXPORT_FORMATS = ("bib", "ris", "json")
# Title words in the search index: letters and digits, as the list's search box splits them.
WORD = re.compile(r"\w+")


class BuildError(ValueError):
    """An argument the build cannot work with; the message says which and why."""


@dataclass
class BuildReport:
    """What a build did to OUT, file by file (paths relative to OUT)."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.written)} written, {len(self.unchanged)} unchanged, "
            f"{len(self.deleted)} deleted"
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


def page_urls() -> list[str]:
    """Every public URL of the site that is a file of its own, as reverse() gives it."""
    urls = [
        reverse("bibliography:paper-list"),
        reverse("bibliography:author-list"),
        reverse("bibliography:venue-list"),
        reverse("bibliography:award-list"),
        reverse("bibliography:feed"),
        reverse("bibliography:sitemap"),
        reverse("bibliography:robots"),
        # The publication list for a CV, whole (a file server cannot filter it).
        reverse("bibliography:paper-list-pdf"),
        reverse("bibliography:paper-list-latex"),
    ]
    urls += [reverse("bibliography:paper-list-export", kwargs={"fmt": f}) for f in EXPORT_FORMATS]
    for slug in Paper.objects.published().order_by("pk").values_list("slug", flat=True):
        urls.append(reverse("bibliography:paper-detail", kwargs={"slug": slug}))
        urls += [
            reverse("bibliography:paper-export", kwargs={"slug": slug, "fmt": f})
            for f in EXPORT_FORMATS
        ]
    for model, name in [
        (Author, "author-detail"),
        (Venue, "venue-detail"),
        (Award, "award-detail"),
        (Topic, "topic-detail"),
    ]:
        for slug in model.objects.public().order_by("pk").values_list("slug", flat=True):
            urls.append(reverse(f"bibliography:{name}", kwargs={"slug": slug}))
    return urls


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
            "words": sorted({w.casefold() for w in WORD.findall(paper.title)}),
        }
        for paper in papers.select_related("venue").order_by("pk")
    ]
    return json.dumps({"papers": rows}, ensure_ascii=False, separators=(",", ":")).encode()


def render_site(scheme: str, host: str, prefix: str) -> dict[str, bytes]:
    """{path in OUT: bytes} of every public page; raises BuildError if a page is not a 200."""
    # The URLs asked for are paths below the prefix, so they are reversed under "/"; the
    # pages are rendered under the prefix, which a WSGI server sets from SCRIPT_NAME (here
    # FORCE_SCRIPT_NAME) but the test client does not. The caller's prefix comes back
    # afterwards, or later reverse()s would carry the base's.
    callers_prefix = get_script_prefix()
    set_script_prefix("/")
    try:
        urls = page_urls()
        set_script_prefix(prefix)
        client = Client(HTTP_HOST=host, headers={"Accept-Encoding": "identity"})
        secure = scheme == "https"
        files = {}
        for url in urls:
            response = client.get(url, secure=secure)
            if response.status_code != 200:
                raise BuildError(f"{url} answered {response.status_code}, not 200.")
            body = b"".join(response) if response.streaming else response.content
            files[file_for_url(url)] = body
        # GitHub Pages and most file servers answer a missing file with OUT/404.html.
        files["404.html"] = client.get("/no-such-page-in-the-static-build/", secure=secure).content
    finally:
        set_script_prefix(callers_prefix)
    files[INDEX_NAME] = search_index()
    # GitHub Pages would otherwise run the files through Jekyll.
    files[".nojekyll"] = b""
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


def write_changed(out: Path, files: dict[str, bytes]) -> BuildReport:
    """Writes the files whose bytes differ from what is in OUT, deletes those the previous
    build wrote that this one did not, and records the hashes in the manifest."""
    manifest_path = out / MANIFEST_NAME
    try:
        previous = json.loads(manifest_path.read_text())["files"]
    except (OSError, ValueError, KeyError, TypeError):
        previous = {}
    report = BuildReport()
    hashes = {}
    for name, content in sorted(files.items()):
        digest = hashlib.sha256(content).hexdigest()
        hashes[name] = digest
        target = out / name
        if previous.get(name) == digest and target.is_file():
            report.unchanged.append(name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        report.written.append(name)
    for name in sorted(set(previous) - set(files)):
        target = out / name
        # Only a path inside OUT that the previous build wrote: a doctored manifest must
        # not make the build delete anything else.
        if target.resolve().is_relative_to(out) and target.is_file():
            target.unlink()
            report.deleted.append(name)
    manifest_path.write_text(json.dumps({"files": hashes}, indent=0, sort_keys=True))
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
    )


def build_static(out: Path, base_url: str = "http://localhost/") -> BuildReport:
    """Renders the public site into `out` (see the module's docstring)."""
    scheme, host, prefix = parse_base_url(base_url)
    out = check_output_dir(out)
    out.mkdir(exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="static-build-") as collected,
        render_settings(host, prefix, collected),
    ):
        files = collect_static(Path(collected))
        files.update(render_site(scheme, host, prefix))
    return write_changed(out, files)
