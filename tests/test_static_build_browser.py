"""The static build served by a plain file server (`python -m http.server`) and driven in
chromium: the seed's site and one of 1,000 generated papers; pages, exports, the in-browser
filters, search and pages of the home page, every internal link, axe-core, and the embed in a
page of another origin."""

import urllib.request
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from django.db.models import Count

from bibliography.demo_data import DemoGenerator
from bibliography.models import Author, Paper
from tests.conftest import build_and_serve
from tests.servers import file_server, free_port
from tests.test_browser import axe_failures
from tests.test_static_build import LinkCollector

pytestmark = pytest.mark.browser

GENERATED_PAPERS = 1000
# Few authors: a build renders a page per author, and that page lists all their papers.
GENERATED_AUTHORS = 30


@pytest.fixture(scope="module")
def generated_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """1,000 generated papers built and served once for this module (rolled back after)."""
    yield from build_and_serve(
        tmp_path_factory.mktemp("static-generated"),
        django_db_blocker,
        lambda: DemoGenerator(
            GENERATED_PAPERS, seed=1, progress=lambda _: None, authors=GENERATED_AUTHORS
        ).run(),
    )


@pytest.fixture
def generated(db):
    """The generated rows again, for a test to read (the same seed gives the same rows)."""
    DemoGenerator(
        GENERATED_PAPERS, seed=1, progress=lambda _: None, authors=GENERATED_AUTHORS
    ).run()


def internal_links(site, base: str) -> set[str]:
    """Every URL below `base` that an HTML file of the build links, as the browser
    resolves it from the page's own URL (fragments dropped)."""
    found = set()
    for page in site.out.rglob("*.html"):
        relative = page.relative_to(site.out).as_posix()
        page_url = base + (
            relative[: -len("index.html")] if relative.endswith("index.html") else relative
        )
        parser = LinkCollector()
        parser.feed(page.read_text())
        for link in parser.links:
            url = urljoin(page_url, link).split("#", 1)[0]
            if url.startswith(base):
                found.add(url)
    return found


def status_of(url: str) -> int:
    request = urllib.request.Request(url, method="HEAD")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_every_internal_link_of_the_seed_site_answers_200(static_seed_site):
    links = internal_links(static_seed_site, static_seed_site.base)
    assert len(links) > 500  # every paper, author, venue... page and the exports
    failing = {url: code for url in sorted(links) if (code := status_of(url)) != 200}
    assert not failing, failing


def test_the_seed_site_browses_filters_and_passes_axe(browser, static_seed_site, seed):
    served = static_seed_site.base
    paper = Paper.objects.published().order_by("pk").first()
    author = paper.authorships.order_by("position").first().author
    by_author = set(Paper.objects.published().filter(authorships__author=author).distinct())
    context = browser.new_context()
    page = context.new_page()

    assert page.goto(served).status == 200
    assert page.locator(".results li.paper").count() == Paper.objects.published().count()
    detail = page.goto(f"{served}papers/{paper.slug}/")
    assert detail.status == 200 and paper.title in page.title()
    with urllib.request.urlopen(f"{served}papers/{paper.slug}.bib") as bib:
        assert bib.status == 200 and b"@" in bib.read()

    page.goto(f"{served}?author={author.slug}")
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
    page.goto(f"{served}?q={word.lower()}")
    page.wait_for_selector("html[data-static-filtered]")
    assert page.locator(f"#paper-{paper.slug}").is_visible()

    failures = axe_failures(page, [served, f"{served}?author={author.slug}", detail.url])
    context.close()
    assert not failures, failures


def test_a_site_of_a_thousand_papers_pages_searches_and_links(browser, generated_site, generated):
    served = generated_site.base
    papers = Paper.objects.published()
    total = papers.count()
    context = browser.new_context()
    page = context.new_page()

    # The list a page of 25 at a time, with the live list's page links.
    page.goto(served)
    page.wait_for_selector("html[data-static-filtered]")
    assert page.locator(".results li.paper").count() == total
    assert page.locator(".results li.paper:visible").count() == 25
    assert (
        page.locator("#results-heading").inner_text()
        == f"{total} papers · page 1 of {-(-total // 25)}"
    )
    first_page = [
        item.get_attribute("id") for item in page.locator(".results li.paper:visible").all()
    ]
    page.locator('#pagination a[rel="next"]').click()
    page.wait_for_url("**page=2")
    page.wait_for_selector('html[data-static-page="2"]')
    second_page = [
        item.get_attribute("id") for item in page.locator(".results li.paper:visible").all()
    ]
    assert len(second_page) == 25 and not set(first_page) & set(second_page)
    assert page.locator('#pagination a[aria-current="page"]').inner_text() == "2"

    # A facet and a page: the author's papers, the second 25 of them; the counts follow.
    author = (
        Author.objects.annotate(n=Count("authorships", distinct=True)).order_by("-n", "pk").first()
    )
    theirs = papers.filter(authorships__author=author).distinct().count()
    page.goto(f"{served}?author={author.slug}&page=2")
    page.wait_for_selector("html[data-static-filtered]")
    assert page.locator("#results-heading").inner_text().startswith(f"{theirs} papers")
    assert page.locator(".results li.paper:visible").count() == min(25, theirs - 25)
    box = page.locator(f'input[name="author"][value="{author.slug}"]')
    assert box.locator("xpath=..").locator(".count").text_content().strip() == f"{theirs} papers"

    # Search finds a word of an abstract that no title has.
    paper = papers.exclude(abstract="").order_by("pk").first()
    titles = " ".join(papers.values_list("title", flat=True)).casefold()
    word = next(
        w
        for w in paper.abstract.split()
        if w.isalpha() and len(w) > 6 and w.casefold() not in titles
    )
    page.goto(f"{served}?q={word}")
    page.wait_for_selector("html[data-static-filtered]")
    matching = [p for p in papers if word.casefold() in p.abstract.casefold()]
    assert page.locator("#results-heading").inner_text().startswith(f"{len(matching)} paper")

    # A paper's page and its exports, from the file server.
    assert page.goto(f"{served}papers/{paper.slug}/").status == 200
    for fmt in ("bib", "ris", "json"):
        assert status_of(f"{served}papers/{paper.slug}.{fmt}") == 200

    failures = axe_failures(page, [served, f"{served}?author={author.slug}&page=2"])
    context.close()
    assert not failures, failures

    # Every internal link of every page is a file of the build.
    missing = [
        url
        for url in internal_links(generated_site, served)
        if not (generated_site.out / unquote_path(url, served)).is_file()
    ]
    assert not missing, missing[:20]


def unquote_path(url: str, base: str) -> str:
    """The file a file server answers `url` (below `base`) from."""
    path = unquote(urlsplit(url).path)[len(urlsplit(base).path) :]
    return path + "index.html" if path == "" or path.endswith("/") else path


def test_the_static_embed_filters_in_a_frame_of_another_origin(
    browser, static_seed_site, seed, tmp_path
):
    paper = Paper.objects.published().order_by("pk").first()
    author = paper.authorships.order_by("position").first().author
    theirs = {p.slug for p in Paper.objects.published().filter(authorships__author=author)}
    # A department's page on another origin (another port of loopback), with the snippet.
    host_page = tmp_path / "department.html"
    host_page.write_text(
        "<!doctype html><html lang='en'><title>Department</title><h1>Our work</h1>"
        f"<iframe data-publications-embed src='{static_seed_site.base}embed/?author={author.slug}'"
        " title='Publications' width='600' height='600'></iframe>"
        f"<script src='{static_seed_site.base}static/js/embed.js' async></script>"
    )
    with file_server(tmp_path, free_port()) as other_origin:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{other_origin}department.html")
        frame = page.frame_locator("iframe[data-publications-embed]")
        frame.locator("html[data-static-filtered]").wait_for(state="attached")
        shown = {
            item.get_attribute("data-slug")
            for item in frame.locator("li.embed-paper:visible").all()
        }
        assert shown == theirs
        link = frame.locator("[data-static-list-link]")
        assert link.get_attribute("href").endswith(f"?author={author.slug}")
        # embed.js sizes the frame to the list (a short one: less than the first 600px).
        page.wait_for_function(
            "document.querySelector('iframe[data-publications-embed]').height !== '600'"
        )
        context.close()
