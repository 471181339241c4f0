"""The static build served by a plain file server (`python -m http.server`) and driven in
chromium: pages, exports, the in-browser filter of the home page, and axe-core."""

import subprocess
import sys
import time
import urllib.request

import pytest

from bibliography.models import Paper
from bibliography.static_build import build_static
from tests.servers import free_port
from tests.test_browser import axe_failures

pytestmark = pytest.mark.browser


@pytest.fixture
def served_site(seed, tmp_path):
    """The seed built for http://127.0.0.1:PORT/repo/, served from tmp_path by http.server."""
    port = free_port()
    build_static(tmp_path / "repo", f"http://127.0.0.1:{port}/repo/")
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/repo/"
    for _ in range(100):
        try:
            urllib.request.urlopen(base, timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield base
    server.terminate()
    server.wait(timeout=10)


def test_the_static_site_browses_filters_and_passes_axe(browser, served_site):
    paper = Paper.objects.published().order_by("pk").first()
    author = paper.authorships.order_by("position").first().author
    by_author = set(Paper.objects.published().filter(authorships__author=author).distinct())
    context = browser.new_context()
    page = context.new_page()

    assert page.goto(served_site).status == 200
    assert page.locator(".results li.paper").count() == Paper.objects.published().count()
    detail = page.goto(f"{served_site}papers/{paper.slug}/")
    assert detail.status == 200 and paper.title in page.title()
    with urllib.request.urlopen(f"{served_site}papers/{paper.slug}.bib") as bib:
        assert bib.status == 200 and b"@" in bib.read()

    page.goto(f"{served_site}?author={author.slug}")
    page.wait_for_selector("html[data-static-filtered]")
    visible = page.locator(".results li.paper:visible")
    assert {item.get_attribute("id") for item in visible.all()} == {
        f"paper-{p.slug}" for p in by_author
    }
    assert page.locator(f'input[name="author"][value="{author.slug}"]').is_checked()
    assert page.locator("#results-heading").inner_text().startswith(f"{len(by_author)} paper")

    # Ticking a year submits the form: the URL carries both filters, and the list narrows.
    year = str(paper.year)
    page.locator(f'input[name="year"][value="{year}"]').check()
    page.wait_for_url(f"**year={year}**")
    page.wait_for_selector("html[data-static-filtered]")
    narrowed = {p for p in by_author if str(p.year) == year}
    assert page.locator(".results li.paper:visible").count() == len(narrowed)

    word = paper.title.split()[0].rstrip(":,")
    page.goto(f"{served_site}?q={word.lower()}")
    page.wait_for_selector("html[data-static-filtered]")
    assert page.locator(f"#paper-{paper.slug}").is_visible()

    failures = axe_failures(page, [served_site, f"{served_site}?author={author.slug}", detail.url])
    context.close()
    assert not failures, failures
