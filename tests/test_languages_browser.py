"""Switching the site's language in a real browser (Playwright + Debian's chromium): the
footer's switcher, a plain form, turns an English page into the German one at the same
address, with and without JavaScript; the German pages keep axe-core at 0 violations, and
the Copy button's script speaks German too."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.test_browser import ARTIFACTS, axe_failures
from tests.test_browser_cite import GPT_NEOX

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(transactional_db):
    call_command("loaddata", "seed", verbosity=0)


def english_page(browser, live_server, **options):
    """A visitor whose browser asks for English; CSP reports are collected as errors."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900}, **options
    )
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),
    )
    return context, page


def switch_to_german(page):
    page.get_by_label("Language").select_option(label="Deutsch")
    page.get_by_role("button", name="Change language").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_switcher_turns_the_page_german_and_axe_finds_nothing(
    browser, live_server, seeded, javascript
):
    context, page = english_page(browser, live_server, java_script_enabled=javascript)
    page.goto("/?year=2022")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#results-heading")).to_contain_text("16 papers")
    switch_to_german(page)
    page.wait_for_url(f"{live_server.url}/?year=2022")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("#results-heading")).to_contain_text("16 Publikationen")
    expect(page.get_by_role("link", name="Alle Publikationen").first).to_be_visible()
    expect(page.get_by_label("Sprache")).to_have_value("de")
    # The choice stays for the next page, whatever the browser asks for.
    page.goto(f"/papers/{GPT_NEOX}/")
    expect(page.get_by_role("heading", name="Diese Publikation zitieren")).to_be_visible()
    if javascript:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "desktop-light-paper-de.png", full_page=True)
        failures = axe_failures(page, ["/?year=2022", f"/papers/{GPT_NEOX}/", "/authors/"])
        assert failures == {}
    # And back to English, on the same page.
    page.goto(f"/papers/{GPT_NEOX}/")
    page.get_by_label("Sprache").select_option(label="English")
    page.get_by_role("button", name="Sprache wechseln").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Cite this paper")).to_be_visible()
    assert not page.csp_violations, page.csp_violations
    context.close()


def test_the_copy_button_speaks_the_page_language(browser, live_server, seeded):
    context, page = english_page(browser, live_server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto("/?year=2022")
    switch_to_german(page)
    paper = page.locator(f"#paper-{GPT_NEOX}")
    paper.locator(".quick-cite > summary").click()
    paper.get_by_role("button", name="BibTeX kopieren").click()
    expect(paper.get_by_role("button", name="Kopiert")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()").startswith(
        "@inproceedings{black2022gpt,"
    )
    context.close()


def test_a_german_browser_gets_german_without_choosing(browser, live_server, seeded):
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    page = context.new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", name="Publikationen", exact=True)).to_be_visible()
    context.close()
