"""The list page in a real browser (Playwright + Debian's chromium), on the seed's 20 works:
the controls follow Back and Forward (also out of the back/forward cache), the sort menu
under the keyboard, search highlights, the phone's way to the filters, skip links, the
expanding byline; axe-core on the pages this changes, and screenshots in test-artifacts/.
"""

import json
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.test_browser import ARTIFACTS, axe_failures, result_count

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(transactional_db):
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def controls(page) -> dict:
    """What the form's controls say: the ticked boxes, the sort and the search box."""
    return page.evaluate(
        """() => ({
            ticked: [...document.querySelectorAll('form.browse input[type=checkbox]:checked')]
                .map(box => box.name + '=' + box.value).sort(),
            sort: document.querySelector('#sort').value,
            q: document.querySelector('#q') ? document.querySelector('#q').value : null,
            disabled: document.querySelectorAll('form.browse :disabled').length,
        })"""
    )


def tick_2022_an_author_then_sort(page) -> tuple[int, int]:
    """From the whole list, tick 2022, then an author, then sort by title: three pages in
    the history. The counts of papers in 2022 and of hers among them."""
    page.goto("/")
    page.locator("#f-year-2022").check()
    page.wait_for_url(re.compile(r"\?year=2022$"))
    in_2022 = result_count(page)
    page.locator("#f-author-lintang-sutawika").check()
    page.wait_for_url(re.compile(r"author=lintang-sutawika$"))
    with_author = result_count(page)
    page.get_by_label("Sort").select_option(label="Title A-Z")
    page.wait_for_url(re.compile(r"sort=title"))
    return in_2022, with_author


def test_back_and_forward_show_controls_that_match_the_list(page, seeded):
    in_2022, with_author = tick_2022_an_author_then_sort(page)
    page.get_by_label("Search titles, abstracts, authors and venues").fill("data")
    page.get_by_label("Search titles, abstracts, authors and venues").press("Enter")
    page.wait_for_url(re.compile(r"q=data"))

    page.go_back()
    page.wait_for_url(re.compile(r"sort=title(?!.*q=)"))
    assert controls(page) == {
        "ticked": ["author=lintang-sutawika", "year=2022"],
        "sort": "title",
        "q": "",
        "disabled": 0,
    }
    page.go_back()
    page.wait_for_url(re.compile(r"author=lintang-sutawika(?!.*sort=)"))
    assert result_count(page) == with_author
    assert controls(page) == {
        "ticked": ["author=lintang-sutawika", "year=2022"],
        "sort": "",
        "q": "",
        "disabled": 0,
    }
    page.go_back()
    page.wait_for_url(re.compile(r"\?year=2022$"))
    assert result_count(page) == in_2022
    assert controls(page) == {"ticked": ["year=2022"], "sort": "", "q": "", "disabled": 0}
    # The next tick adds to what the page shows, not to a box left over from later.
    page.locator("#f-venue-arxiv").check()
    page.wait_for_url(re.compile(r"venue=arxiv"))
    assert "author=" not in page.url
    page.go_back()
    page.wait_for_url(re.compile(r"\?year=2022$"))
    page.go_forward()
    page.wait_for_url(re.compile(r"venue=arxiv"))
    assert controls(page)["ticked"] == ["venue=arxiv", "year=2022"]


# Set by each page's pageshow event: true when Back or Forward showed the page kept in the
# back/forward cache (its scripts' state and its controls as they were left), false on a load.
RECORD_RESTORES = """window.addEventListener('pageshow', function (event) {
    window.restoredFromCache = event.persisted;
});"""


def back_or_forward(page, step, url):
    """Back or Forward (`step`), then wait for the page to come out of the back/forward cache:
    a page loaded again instead fails here, since the test is about the kept page."""
    step(wait_until="commit")
    page.wait_for_url(url, wait_until="commit")
    page.wait_for_function("window.restoredFromCache === true", timeout=5_000)


def test_the_back_forward_cache_shows_controls_that_match_the_list(
    bfcache_browser, live_server, seeded
):
    context = bfcache_browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.add_init_script(RECORD_RESTORES)
    in_2022, with_author = tick_2022_an_author_then_sort(page)
    # Each page was left with a control changed (and its empty fields disabled by the
    # submit); kept in the cache, it comes back showing what its own URL and list show.
    back_or_forward(page, page.go_back, re.compile(r"author=lintang-sutawika$"))
    assert result_count(page) == with_author
    assert controls(page) == {
        "ticked": ["author=lintang-sutawika", "year=2022"], "sort": "", "q": "", "disabled": 0
    }  # fmt: skip
    back_or_forward(page, page.go_back, re.compile(r"\?year=2022$"))
    assert result_count(page) == in_2022
    assert controls(page) == {"ticked": ["year=2022"], "sort": "", "q": "", "disabled": 0}
    back_or_forward(page, page.go_forward, re.compile(r"author=lintang-sutawika$"))
    assert result_count(page) == with_author
    assert controls(page)["ticked"] == ["author=lintang-sutawika", "year=2022"]
    assert controls(page)["sort"] == ""
    back_or_forward(page, page.go_forward, re.compile(r"sort=title"))
    assert controls(page)["sort"] == "title"
    back_or_forward(page, page.go_back, re.compile(r"author=lintang-sutawika$"))
    back_or_forward(page, page.go_back, re.compile(r"\?year=2022$"))
    # The next tick adds to what the page shows: the author left behind is not re-applied.
    page.locator("#f-venue-arxiv").check()
    page.wait_for_url(re.compile(r"venue=arxiv"), wait_until="commit")
    assert "year=2022" in page.url and "author=" not in page.url
    context.close()


def test_arrow_keys_step_through_the_sorts_without_reloading(page, seeded):
    page.goto("/?year=2022")
    sort = page.get_by_label("Sort")
    sort.focus()
    loads = []
    page.on("framenavigated", lambda frame: loads.append(frame.url))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    assert loads == [] and sort.input_value() == "title"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")  # the choice is made: one load
    page.wait_for_url(re.compile(r"sort=oldest"))
    assert "year=2022" in page.url and len(loads) == 1
    expect(page.get_by_label("Sort")).to_be_focused()
    # Stepping, then leaving the menu, applies what it shows.
    page.get_by_label("Sort").press("ArrowDown")
    page.keyboard.press("Tab")
    page.wait_for_url(re.compile(r"sort=title"))
    # A pick with the mouse applies at once.
    page.get_by_label("Sort").select_option(label="Newest first")
    page.wait_for_url(re.compile(r"^(?!.*sort=)"))


def test_search_marks_the_matched_words(page, seeded):
    page.goto("/")
    box = page.get_by_label("Search titles, abstracts, authors and venues")
    box.fill("NeurIPS 2022")
    box.press("Enter")
    page.wait_for_url(re.compile(r"q=NeurIPS"))
    assert result_count(page) == 4
    expect(page.locator(".paper-year mark")).to_have_count(4)
    expect(page.locator(".badge-venue mark").first).to_have_text("NeurIPS")


def test_a_long_byline_opens_in_place_with_the_keyboard(page, seeded):
    page.goto("/?q=imitation+game")
    byline = page.locator(".paper", has_text="Beyond the Imitation Game").locator(".byline")
    more = byline.locator("summary")
    expect(more).to_have_text(re.compile(r"^\s*and 431 more"))
    expect(byline.get_by_role("link", name="Akshat Agarwal")).to_be_hidden()
    more.focus()
    page.keyboard.press("Enter")
    expect(byline.get_by_role("link", name="Akshat Agarwal")).to_be_visible()
    expect(more).to_be_hidden()
    # Each name once: the owner shown early (after "…") gives way to her place in the list.
    expect(byline.locator(".byline-short")).to_be_hidden()
    assert byline.inner_text().count("Stella Biderman") == 1


def test_skip_links_reach_the_results_and_the_page_links_from_the_keyboard(
    page, live_server, transactional_db
):
    from tests.factories import make_author, make_paper

    owner = make_author("Biderman", given_name="Stella", is_site_owner=True)
    for i in range(30):
        make_paper(title=f"Paper {i}", year=1990 + i, authors=[owner, f"Coauthor{i}"])
    page.goto("/")
    page.keyboard.press("Tab")  # the site's "Skip to content"...
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # ...then past the search and the filters
    expect(page.get_by_role("link", name="Skip to the results")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the page links")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # page 1 is the current page, 2 the next one
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Next →")).to_be_focused()
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # to the results: the chart's first bar is next
    page.keyboard.press("Tab")
    expect(page.locator(".year-chart a").first).to_be_focused()


def test_a_phone_reaches_the_filters_before_the_results(browser, live_server, seeded):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 812}, is_mobile=True
    )
    page = context.new_page()
    page.goto("/?year=2022")
    jump = page.get_by_role("link", name=re.compile(r"^Filter and sort these papers \(1 active\)"))
    expect(jump).to_be_in_viewport()
    jump.click()
    expect(page.get_by_label("Sort")).to_be_in_viewport()
    page.get_by_role("link", name="Back to the results ↑").click()
    expect(page.locator("#results-heading")).to_be_in_viewport()
    context.close()


LIST_PAGES = [
    "/",
    "/?q=NeurIPS+2022",
    "/?q=zebrafish",
    "/?year=2022&author=lintang-sutawika",
    "/venues/tacl/",
    "/awards/outstanding-paper-award/",
    "/authors/stella-biderman/",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_changed_pages_have_no_axe_violations_and_are_photographed(
    browser, live_server, seeded, scheme
):
    context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
    page = context.new_page()
    failures = axe_failures(page, LIST_PAGES)
    assert not failures, json.dumps(failures, indent=1)
    ARTIFACTS.mkdir(exist_ok=True)
    for size, viewport in [
        ("desktop", {"width": 1280, "height": 900}),
        ("phone", {"width": 375, "height": 812}),
    ]:
        page.set_viewport_size(viewport)
        page.goto("/?q=NeurIPS+2022")
        page.locator(".byline-rest summary").first.click()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=ARTIFACTS / f"list-search-{size}-{scheme}.png", full_page=True)
        page.goto("/venues/tacl/")
        page.screenshot(path=ARTIFACTS / f"list-small-{size}-{scheme}.png", full_page=True)
    context.close()
