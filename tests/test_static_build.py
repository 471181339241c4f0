"""`manage.py build_static`: the public site as files that work from a plain file server under
a base URL's path, rebuilt incrementally (bibliography/static_build.py)."""

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from bibliography.models import Paper
from bibliography.static_build import MANIFEST_NAME, build_static

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


def build(out, base=BASE):
    return build_static(out, base)


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


def test_the_seed_builds_to_files_whose_links_all_resolve(seed, tmp_path, capsys):
    site = tmp_path / "repo"
    call_command("build_static", str(site), "--base-url", BASE)
    assert "written, 0 unchanged, 0 deleted" in capsys.readouterr().out

    papers = list(Paper.objects.published())
    for paper in papers[:3]:
        assert (site / "papers" / paper.slug / "index.html").is_file()
        for fmt in ("bib", "ris", "json"):
            assert (site / "papers" / f"{paper.slug}.{fmt}").is_file()
    assert "@" in (site / "papers.bib").read_text()
    assert len(json.loads((site / "papers.json").read_text())) == len(papers)
    assert (site / "feed" / "index.html").read_text().startswith("<?xml")
    assert f"{BASE}papers/{papers[0].slug}/" in (site / "sitemap.xml").read_text()
    # The no-script home page is the whole list, not its first 25.
    home = (site / "index.html").read_text()
    assert all(f'id="paper-{paper.slug}"' in home for paper in papers)
    assert "/repo/static/js/static-browse." in home
    index = json.loads((site / "static-index.json").read_text())
    assert {row["slug"] for row in index["papers"]} == {paper.slug for paper in papers}
    # Hashed static files only, and the admin's are not there.
    assert list((site / "static" / "css").glob("site.*.css"))
    assert not (site / "static" / "admin").exists()
    assert not broken_links(site)
    # The build leaves the live site's URLs as they were.
    assert reverse("bibliography:paper-list") == "/"


def test_a_rebuild_rewrites_only_what_one_edit_changed(seed, tmp_path):
    site = tmp_path / "repo"
    first = build(site)

    paper = Paper.objects.published().order_by("pk").last()
    paper.title = "A Retitled Paper About Static Sites"
    paper.save()
    edited = build(site)
    listing = {"index.html", "papers.bib", "papers.ris", "papers.json", "static-index.json"}
    listing |= {"papers.pdf", "papers.tex"}
    listing |= {f"authors/{a.author.slug}/index.html" for a in paper.authorships.all()}
    assert f"papers/{paper.slug}/index.html" in edited.written
    assert f"papers/{paper.slug}.bib" in edited.written
    assert listing <= set(edited.written)
    expected = listing | {
        f"papers/{paper.slug}/index.html",
        *(f"papers/{paper.slug}.{fmt}" for fmt in ("bib", "ris", "json")),
        "feed/index.html",
        "sitemap.xml",
        *(f"venues/{slug}/index.html" for slug in [paper.venue.slug] if paper.venue_id),
        *(f"topics/{t.slug}/index.html" for t in paper.topics.all()),
        *(f"awards/{a.slug}/index.html" for a in paper.awards.all()),
    }
    # Beyond the pages that list it: at most its neighbours, whose pages link to it by title.
    others = set(edited.written) - expected
    assert all(name.startswith("papers/") for name in others), others
    assert len(others) <= 2, others
    assert "robots.txt" in edited.unchanged
    assert len(edited.unchanged) + len(edited.written) == len(first.written)
    assert "Retitled" in (site / "papers" / paper.slug / "index.html").read_text()

    paper.published = False
    paper.save()
    unpublished = build(site)
    assert f"papers/{paper.slug}/index.html" in unpublished.deleted
    assert not (site / "papers" / paper.slug / "index.html").exists()
    manifest = json.loads((site / MANIFEST_NAME).read_text())["files"]
    assert f"papers/{paper.slug}/index.html" not in manifest
