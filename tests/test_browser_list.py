"""The list page in a real browser (Playwright + Debian's chromium), on the seed's 20 works:
the controls follow Back and Forward, the sort menu under the keyboard, search highlights,
the phone's way to the filters, skip links, the expanding byline; axe-core on the pages
this changes, and screenshots in test-artifacts/.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.test_browser import result_count

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
        })"""
    )


def test_back_and_forward_show_controls_that_match_the_list(page, seeded):
    page.goto("/")
    page.locator("#f-year-2022").check()
    page.wait_for_url(re.compile(r"year=2022"))
    in_2022 = result_count(page)
    page.locator("#f-author-lintang-sutawika").check()
    page.wait_for_url(re.compile(r"author=lintang-sutawika"))
    with_author = result_count(page)
    page.get_by_label("Sort").select_option(label="Title A-Z")
    page.wait_for_url(re.compile(r"sort=title"))
    page.get_by_label("Search titles, abstracts, authors and venues").fill("data")
    page.get_by_label("Search titles, abstracts, authors and venues").press("Enter")
    page.wait_for_url(re.compile(r"q=data"))

    page.go_back()
    page.wait_for_url(re.compile(r"sort=title(?!.*q=)"))
    assert controls(page) == {
        "ticked": ["author=lintang-sutawika", "year=2022"],
        "sort": "title",
        "q": "",
    }
    page.go_back()
    page.wait_for_url(re.compile(r"author=lintang-sutawika(?!.*sort=)"))
    assert result_count(page) == with_author
    assert controls(page) == {
        "ticked": ["author=lintang-sutawika", "year=2022"],
        "sort": "",
        "q": "",
    }
    page.go_back()
    page.wait_for_url(re.compile(r"\?year=2022$"))
    assert result_count(page) == in_2022
    assert controls(page) == {"ticked": ["year=2022"], "sort": "", "q": ""}
    # The next tick adds to what the page shows, not to a box left over from later.
    page.locator("#f-venue-arxiv").check()
    page.wait_for_url(re.compile(r"venue=arxiv"))
    assert "author=" not in page.url
    page.go_back()
    page.wait_for_url(re.compile(r"\?year=2022$"))
    page.go_forward()
    page.wait_for_url(re.compile(r"venue=arxiv"))
    assert controls(page) == {"ticked": ["venue=arxiv", "year=2022"], "sort": "", "q": ""}


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
