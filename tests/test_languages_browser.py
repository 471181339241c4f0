"""Switching the site's language in a real browser (Playwright + Debian's chromium): the
footer's switcher, a plain form, turns an English page into the German one at the same
address, with and without JavaScript; the German pages keep axe-core at 0 violations, and
the Copy button's script speaks German too."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.test_browser import (
    ARTIFACTS,
    axe_failures,
    page,  # noqa: F401 (a fixture)
)
from tests.test_browser_cite import GPT_NEOX

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(transactional_db):
    call_command("loaddata", "seed", verbosity=0)


def switch_to_german(tab):
    tab.get_by_label("Language").select_option(label="Deutsch")
    tab.get_by_role("button", name="Change language").click()


def check_switching(tab, live_server):
    """On an English page: the switcher makes it German at the same address, the choice
    holds for the next tab, and switching again makes it English."""
    tab.goto("/?year=2022")
    expect(tab.locator("html")).to_have_attribute("lang", "en")
    expect(tab.locator("#results-heading")).to_contain_text("16 papers")
    switch_to_german(tab)
    tab.wait_for_url(f"{live_server.url}/?year=2022")
    expect(tab.locator("html")).to_have_attribute("lang", "de")
    expect(tab.locator("#results-heading")).to_contain_text("16 Publikationen")
    expect(tab.get_by_role("link", name="Alle Publikationen").first).to_be_visible()
    expect(tab.get_by_label("Sprache")).to_have_value("de")
    tab.goto(f"/papers/{GPT_NEOX}/")
    expect(tab.get_by_role("heading", name="Diese Publikation zitieren")).to_be_visible()
    tab.get_by_label("Sprache").select_option(label="English")
    tab.get_by_role("button", name="Sprache wechseln").click()
    expect(tab.locator("html")).to_have_attribute("lang", "en")
    expect(tab.get_by_role("heading", name="Cite this paper")).to_be_visible()


def test_the_switcher_turns_the_page_german_and_axe_finds_nothing(page, live_server, seeded):  # noqa: F811
    """`page` (tests/test_browser.py) fails on any Content-Security-Policy report."""
    check_switching(page, live_server)
    switch_to_german(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "desktop-light-paper-de.png", full_page=True)
    assert axe_failures(page, ["/?year=2022", f"/papers/{GPT_NEOX}/", "/authors/"]) == {}


def test_the_switcher_works_without_javascript(browser, live_server, seeded):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    check_switching(context.new_page(), live_server)
    context.close()


def test_the_copy_button_speaks_the_page_language(browser, live_server, seeded):
    context = browser.new_context(base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    tab = context.new_page()
    tab.goto("/?year=2022")
    switch_to_german(tab)
    paper = tab.locator(f"#paper-{GPT_NEOX}")
    paper.locator(".quick-cite > summary").click()
    paper.get_by_role("button", name="BibTeX kopieren").click()
    expect(paper.get_by_role("button", name="Kopiert")).to_be_visible()
    assert tab.evaluate("navigator.clipboard.readText()").startswith("@inproceedings{black2022gpt,")
    context.close()


def test_a_german_browser_gets_german_without_choosing(browser, live_server, seeded):
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    tab = context.new_page()
    tab.goto("/")
    expect(tab.locator("html")).to_have_attribute("lang", "de")
    expect(tab.get_by_role("heading", name="Publikationen", exact=True)).to_be_visible()
    context.close()
