"""`manage.py build_static`: the public site as files that work from a plain file server under
a base URL's path, rebuilt incrementally (bibliography/static_build.py)."""

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from bibliography.models import Award, Paper, Topic
from bibliography.static_build import MANIFEST_NAME, build_static
from tests.factories import make_author, make_paper, make_venue

BASE = "https://pubs.example.org/repo/"


class LinkCollector(HTMLParser):
    """Every href and src of an HTML file."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        self.links += [value for name, value in attrs if name in {"href", "src"} and value]


def broken_links(site: Path, prefix: str = "/repo/", origin: str = "https://pubs.example.org"):
    """(file, link) for each internal link of each HTML file that no file in the site
    answers, as a file server rooted at `site`'s parent serves `prefix`."""
    broken = []
    for page in site.rglob("*.html"):
        collector = LinkCollector()
        collector.feed(page.read_text())
        for link in collector.links:
            if link.startswith(origin):
                link = link[len(origin) :]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another site, or a fragment/query on this page
            if not parts.path.startswith("/"):
                broken.append((str(page.relative_to(site)), link))  # no relative links made
                continue
            if not parts.path.startswith(prefix):
                broken.append((str(page.relative_to(site)), link))
                continue
            target = site / unquote(parts.path[len(prefix) :])
            if parts.path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append((str(page.relative_to(site)), link))
    return broken


def test_bad_arguments_are_refused_with_a_clear_message(tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("not a directory")
    with pytest.raises(CommandError, match="is not a directory"):
        call_command("build_static", str(a_file))
    with pytest.raises(CommandError, match="http:// or https://"):
        call_command("build_static", str(tmp_path), "--base-url", "ftp://example.org/")
    with pytest.raises(CommandError, match="http:// or https://"):
        call_command("build_static", str(tmp_path), "--base-url", "/repo/")
    with pytest.raises(CommandError, match="inside .* the project's source"):
        call_command("build_static", str(Path(settings.BASE_DIR) / "site-out"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("build_static", str(tmp_path / "no" / "such"))


def test_the_seed_builds_to_files_whose_links_all_resolve(static_seed_site, seed):
    site, base = static_seed_site.out, static_seed_site.base
    origin, prefix = base.rstrip("/").rsplit("/", 1)[0], urlsplit(base).path
    report = static_seed_site.report
    assert report.written and not report.unchanged and not report.deleted
    assert len(report.rendered) == len(report.written)

    papers = list(Paper.objects.published())
    for paper in papers[:3]:
        assert (site / "papers" / paper.slug / "index.html").is_file()
        for fmt in ("bib", "ris", "json"):
            assert (site / "papers" / f"{paper.slug}.{fmt}").is_file()
    assert "@" in (site / "papers.bib").read_text()
    # Written without a request, an export is what its URL answers, byte for byte.
    for fmt in ("bib", "ris", "json"):
        answer = Client().get(f"/papers/{papers[0].slug}.{fmt}").content
        assert (site / "papers" / f"{papers[0].slug}.{fmt}").read_bytes() == answer
    assert len(json.loads((site / "papers.json").read_text())) == len(papers)
    assert (site / "feed" / "index.html").read_text().startswith("<?xml")
    assert f"{base}papers/{papers[0].slug}/" in (site / "sitemap.xml").read_text()
    # The no-script home page is the whole list, not its first 25.
    home = (site / "index.html").read_text()
    assert all(f'id="paper-{paper.slug}"' in home for paper in papers)
    assert f"{prefix}static/js/static-browse." in home
    index = json.loads((site / "static-index.json").read_text())
    assert {row["slug"] for row in index["papers"]} == {paper.slug for paper in papers}
    # Hashed static files only, and the admin's are not there.
    assert list((site / "static" / "css").glob("site.*.css"))
    assert not (site / "static" / "admin").exists()
    assert not broken_links(site, prefix, origin)
    # The build leaves the live site's URLs as they were.
    assert reverse("bibliography:paper-list") == "/"


# The files that show every paper: rendered again after any edit.
WHOLE_SITE = {
    "index.html",
    "authors/index.html",
    "venues/index.html",
    "awards/index.html",
    "feed/index.html",
    "sitemap.xml",
    "papers.pdf",
    "papers.tex",
    "papers.bib",
    "papers.ris",
    "papers.json",
    "static-index.json",
    "embed/index.html",
}


def paper_files(paper, exports=True):
    names = {f"papers/{paper.slug}/index.html"}
    return names | (
        {f"papers/{paper.slug}.{fmt}" for fmt in ("bib", "ris", "json")} if exports else set()
    )


def pages_rendered(report):
    """The pages a build rendered (the static files are collected every time)."""
    return {name for name in report.rendered if not name.startswith("static/")}


def test_a_rebuild_renders_only_the_pages_one_edit_changed(db, tmp_path):
    site = tmp_path / "repo"
    venue, other_venue = make_venue(), make_venue()
    topic = Topic.objects.create(name="Static sites")
    award = Award.objects.create(name="Best paper")
    x, y, z = make_author("Xu"), make_author("Young"), make_author("Zhou")
    newest = make_paper(title="Newest", year=2024, authors=[x, y], venue=venue)
    newest.topics.add(topic)
    newest.awards.add(award)
    newer = make_paper(title="Newer", year=2023, authors=[y])
    edited = make_paper(title="Older", year=2022, authors=[z], venue=other_venue)
    edited.topics.add(topic)
    oldest = make_paper(title="Oldest", year=2021, authors=[z, x])
    first = build_static(site, BASE)
    assert not first.unchanged

    # Nothing changed: no page is rendered, nothing is written.
    again = build_static(site, BASE)
    assert not pages_rendered(again) and not again.written

    edited.title = "A Retitled Paper About Static Sites"
    edited.save()
    retitled = build_static(site, BASE)
    assert pages_rendered(retitled) == WHOLE_SITE | paper_files(edited) | {
        # Its neighbours in the list link it by its title.
        f"papers/{newer.slug}/index.html",
        f"papers/{oldest.slug}/index.html",
        f"authors/{z.slug}/index.html",
        f"venues/{other_venue.slug}/index.html",
        f"topics/{topic.slug}/index.html",
    }
    assert "Retitled" in (site / "papers" / edited.slug / "index.html").read_text()
    assert "robots.txt" in retitled.unchanged
    assert len(retitled.unchanged) + len(retitled.written) == len(first.written)

    # A topic's name is not in a paper's entry revision: its papers' pages show it all
    # the same, the exports do not.
    topic.name = "Static websites"
    topic.save()
    renamed = pages_rendered(build_static(site, BASE))
    assert paper_files(newest, exports=False) | paper_files(edited, exports=False) <= renamed
    assert f"topics/{topic.slug}/index.html" in renamed
    assert f"papers/{newer.slug}/index.html" not in renamed
    assert f"papers/{edited.slug}.bib" not in renamed
    assert "Static websites" in (site / "papers" / newest.slug / "index.html").read_text()

    # --full renders every page again; the bytes are the same, so nothing is written.
    full = build_static(site, BASE, full=True)
    assert len(full.rendered) == len(first.rendered) and not full.written

    edited.published = False
    edited.save()
    unpublished = build_static(site, BASE)
    assert f"papers/{edited.slug}/index.html" in unpublished.deleted
    assert not (site / "papers" / edited.slug / "index.html").exists()
    manifest = json.loads((site / MANIFEST_NAME).read_text())["files"]
    assert f"papers/{edited.slug}/index.html" not in manifest


def test_a_lost_file_or_manifest_is_rendered_again(db, tmp_path):
    site = tmp_path / "repo"
    paper = make_paper(title="Kept", authors=["Lovelace"])
    first = build_static(site, BASE)
    page = site / "papers" / paper.slug / "index.html"
    page.unlink()
    assert pages_rendered(build_static(site, BASE)) == {f"papers/{paper.slug}/index.html"}
    assert page.is_file()
    # Without a manifest nothing is known to be current: everything is rendered and written.
    (site / MANIFEST_NAME).write_text("{not json")
    rebuilt = build_static(site, BASE)
    assert rebuilt.rendered == first.rendered == rebuilt.written
