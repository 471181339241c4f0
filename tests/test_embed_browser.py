"""The embed in a real browser (Playwright + Debian's chromium): the admin's snippet pasted
into a page of another origin on loopback shows the list, sized by the script; a page of an
origin not listed gets the frame refused, and so does any other page of the site; axe-core
finds nothing on /embed/."""

import html
import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.factories import make_author, make_paper, make_venue
from tests.test_browser import ARTIFACTS, axe_failures, nu_errors

pytestmark = pytest.mark.browser

# Two other sites, each its own origin: one the owner lists, one she does not.
LISTED_HOST = "127.0.0.2"
UNLISTED_HOST = "127.0.0.3"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def other_sites(tmp_path):
    """A plain file server on each of the two loopback addresses, serving `tmp_path`."""
    servers = []
    for host in (LISTED_HOST, UNLISTED_HOST):
        server = ThreadingHTTPServer((host, 0), partial(QuietHandler, directory=tmp_path))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    yield (
        tmp_path,
        [
            f"http://{host}:{server.server_port}"
            for host, server in zip((LISTED_HOST, UNLISTED_HOST), servers, strict=True)
        ],
    )
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def library(transactional_db):
    venue = make_venue(name="Association for Computational Linguistics", short_name="ACL")
    stella = make_author("Biderman", given_name="Stella", slug="stella", is_site_owner=True)
    for i in range(24):
        make_paper(
            title=f"Multilingual study number {i:02d}",
            year=2015 + i % 9,
            venue=venue,
            authors=[stella, f"Coauthor{i}"],
        )


def admin_snippet(live_server, django_user_model, query: str) -> str:
    """The snippet the admin's embed page gives for `query`, as the live site names itself."""
    from django.test import Client

    client = Client(HTTP_HOST=live_server.url.split("//", 1)[1])
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.org", "x"))
    page = client.get("/admin/bibliography/paper/embed/", {"list": query}).content.decode()
    return html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1))


def host_page(snippet: str, live_server) -> str:
    """A department's page: a strict policy of its own that allows only this site's script
    and frames (no inline script anywhere), then the snippet."""
    policy = f"default-src 'none'; script-src {live_server.url}; frame-src {live_server.url}"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Department</title>'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}"></head>'
        f"<body><h1>Our members' papers</h1>{snippet}<p>After the list.</p></body></html>"
    )


def test_a_listed_origin_shows_the_embed_sized_and_an_unlisted_one_is_refused(
    browser, live_server, library, other_sites, settings, django_user_model
):
    folder, (listed, unlisted) = other_sites
    settings.EMBED_ALLOWED_ORIGINS = [listed]
    snippet = admin_snippet(live_server, django_user_model, "/?author=stella&year=2022")
    (folder / "members.html").write_text(host_page(snippet, live_server))
    (folder / "whole-site.html").write_text(
        host_page(f'<iframe src="{live_server.url}/" title="The site"></iframe>', live_server)
    )

    context = browser.new_context(viewport={"width": 900, "height": 700})
    page = context.new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))

    page.goto(f"{listed}/members.html")
    frame = page.frame_locator("iframe[data-publications-embed]")
    expect(frame.locator(".embed-paper").first).to_be_visible()
    assert frame.locator(".embed-paper").count() == 2  # numbers 07 and 16 are from 2022
    expect(frame.locator(".embed-paper", has_text="Multilingual study number 07")).to_be_visible()
    # The script sized the frame to the list: from the snippet's 600 px to its own height,
    # with nothing left to scroll inside.
    iframe = page.locator("iframe[data-publications-embed]")
    expect(iframe).not_to_have_attribute("height", "600")
    inner = frame.locator("html").evaluate("root => root.getBoundingClientRect().height")
    assert abs(int(iframe.get_attribute("height")) - inner) <= 1
    assert frame.locator("html").evaluate("root => root.scrollHeight <= root.clientHeight + 1")
    box = iframe.bounding_box()
    assert box["width"] > 800  # as wide as the page's column
    assert not [text for text in messages if "Content Security Policy" in text], messages
    page.screenshot(path=ARTIFACTS / "embed-on-another-site.png", full_page=True)

    # A site the owner did not list: the browser refuses the frame.
    messages.clear()
    (folder / "elsewhere.html").write_text(host_page(snippet, live_server))
    with page.expect_console_message(lambda m: "frame-ancestors" in m.text):
        page.goto(f"{unlisted}/elsewhere.html")
    assert all(f.locator(".embed-paper").count() == 0 for f in page.frames)
    expect(page.get_by_text("After the list.")).to_be_visible()

    # The listed site may frame the embed only: the rest of the site says DENY.
    with page.expect_console_message(lambda m: "frame" in m.text.lower()):
        page.goto(f"{listed}/whole-site.html")
    assert all(f.locator(".site-header").count() == 0 for f in page.frames)
    context.close()


EMBED_PAGES = ["/embed/", "/embed/?author=stella&year=2022", "/embed/?page=2&author=nobody"]


def test_the_embed_has_no_axe_violations_and_valid_html(browser, live_server, library, tmp_path):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    failures = axe_failures(page, EMBED_PAGES)
    errors = nu_errors(page, EMBED_PAGES, tmp_path)
    context.close()
    assert not failures, failures
    assert not errors, errors
