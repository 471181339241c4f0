"""Citing and printing in a real browser (Playwright + Debian's chromium), over the seed:
the list's Cite control with and without JavaScript, the paper page's Cite block, and the
printed list (chromium's PDF, read back with poppler's pdftotext) as a CV prints it."""

import re
import subprocess

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from bibliography.models import Paper
from tests.test_browser import ARTIFACTS, AXE, WCAG_TAGS
from tests.test_security_browser import admin_page  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

GPT_NEOX = "gpt-neox-20b-an-open-source-autoregressive-language-model"
BIG_BENCH = "beyond-the-imitation-game-quantifying-and-extrapolating-the-capabilities-of"


@pytest.fixture
def seeded(transactional_db):
    call_command("loaddata", "seed", verbosity=0)


def new_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, **options)
    return context, context.new_page()


def item(page, slug):
    return page.locator(f"#paper-{slug}")


def test_copy_from_the_list_with_javascript(browser, live_server, seeded):
    context, page = new_page(browser, live_server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto("/?year=2022")
    paper = item(page, GPT_NEOX)
    paper.locator(".quick-cite > summary").click()
    bibtex = paper.locator("pre.bibtex")
    expect(bibtex).to_be_visible()
    paper.get_by_role("button", name="Copy BibTeX").click()
    expect(paper.get_by_role("button", name="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == bibtex.inner_text().strip()
    assert copied.startswith("@inproceedings{black2022gpt,") and "abstract" not in copied
    paper.get_by_role("button", name="Copy APA").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Black, S., Biderman, S.,") and "GPT-NeoX-20B" in copied
    assert "<i>" not in copied
    context.close()


def test_cite_from_the_list_without_javascript(browser, live_server, seeded):
    context, page = new_page(browser, live_server, java_script_enabled=False)
    page.goto("/?year=2022")
    paper = item(page, GPT_NEOX)
    bibtex = paper.locator("pre.bibtex")
    expect(bibtex).to_be_hidden()
    paper.locator(".quick-cite > summary").click()
    expect(bibtex).to_be_visible()
    expect(paper.locator("button.copy-button")).to_have_count(2)
    expect(paper.locator("button.copy-button").first).to_be_hidden()  # they need the script
    # What a visitor selects and copies is the downloaded entry without its abstract.
    shown = bibtex.inner_text()
    download = paper.get_by_role("link", name="Download .bib")
    downloaded = page.request.get(download.get_attribute("href")).text()
    assert "abstract = {" in downloaded and "abstract" not in shown
    assert re.sub(r"  abstract = \{[^\n]*\n", "", downloaded).replace(",\n}", "\n}") == shown
    expect(paper.locator(".formatted-citation")).to_contain_text("Black, S., Biderman, S.,")
    # Selected and copied with the keyboard, it is the entry as shown (the browser's
    # clipboard, read back from a page that may run script).
    bibtex.select_text()
    page.keyboard.press("Control+C")
    reader, reading = new_page(browser, live_server)
    reader.grant_permissions(["clipboard-read"], origin=live_server.url)
    reading.goto("/authors/")
    assert reading.evaluate("navigator.clipboard.readText()").strip() == shown.strip()
    reader.close()
    context.close()


def test_paper_page_shows_cite_at_the_top_without_the_abstract(browser, live_server, seeded):
    context, page = new_page(browser, live_server, viewport={"width": 1280, "height": 900})
    page.goto(f"/papers/{GPT_NEOX}/")
    heading = page.get_by_role("heading", name="Cite this paper")
    assert heading.bounding_box()["y"] < 900 / 2, "Cite is in the first half of the screen"
    assert "abstract" not in page.locator("pre.bibtex").inner_text()
    # The page uses the desktop's width: the citations stand beside the abstract.
    abstract = page.get_by_role("heading", name="Abstract").bounding_box()
    assert heading.bounding_box()["x"] > abstract["x"] + abstract["width"]
    # Link rows are buttons.
    doi = page.locator(".paper-links").get_by_role("link", name="DOI")
    assert doi.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    context.close()
    # On a phone, the link row's "Cite" jumps down to the citations.
    context, page = new_page(
        browser, live_server, viewport={"width": 375, "height": 812}, is_mobile=True
    )
    page.goto(f"/papers/{GPT_NEOX}/")
    page.locator(".paper-links").get_by_role("link", name="Cite").click()
    expect(page.get_by_role("heading", name="Cite this paper")).to_be_in_viewport()
    context.close()


def printed_text(page, tmp_path) -> str:
    """The page as chromium prints it, through pdftotext, white space collapsed."""
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", " ", text)


def test_printed_list_is_a_publication_list(browser, live_server, seeded, tmp_path):
    context, page = new_page(browser, live_server)
    page.goto("/")
    assert page.locator(".byline", has_text="and 431 more").count()  # long on screen...
    text = printed_text(page, tmp_path)
    big_bench = Paper.objects.get(slug=BIG_BENCH).ordered_authorships
    assert len(big_bench) == 444
    last = big_bench[-1].author.name
    assert last in text  # ...whole in print
    for identifier in (
        "DOI: 10.18653/v1/2022.bigscience-1.9",
        "arXiv: 2206.04615",
        "URL: https://openreview.net/forum?id=9Vrb9D0WI4",
    ):
        assert identifier in text
    # The venue in full, the year and pages, numbered entries.
    assert (
        "Episode #5 – Workshop on Challenges & Perspectives in Creating Large Language Models,"
        " 2022, pp. 95–136" in text
    )
    assert " -- " not in text
    assert re.search(r"\b1\. .*\b20\. ", text)
    for screen_only in (
        "Abstract",
        "Cite",
        "Filter and sort",
        "Apply filters",
        "Selected",
        " more",
    ):
        assert screen_only not in text, screen_only
    # The owner's own wording of each citation is printed too when the visitor asks for it
    # (a box on the page, no reload: it is not a filter).
    as_written = re.sub(r"\s+", " ", Paper.objects.get(slug=GPT_NEOX).citation_text)
    assert as_written not in text
    listed = page.url
    page.get_by_label("When printed, add each paper's citation as its author gives it").check()
    page.wait_for_timeout(300)
    assert page.url == listed
    assert f"As the author gives it: {as_written}" in printed_text(page, tmp_path)
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "viewport"), [("desktop", (1280, 900)), ("phone", (375, 812))])
def test_cite_screenshots_and_axe(browser, live_server, seeded, scheme, device, viewport):
    width, height = viewport
    context, page = new_page(
        browser,
        live_server,
        viewport={"width": width, "height": height},
        color_scheme=scheme,
        is_mobile=device == "phone",
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto("/?year=2022")
    item(page, GPT_NEOX).locator(".quick-cite > summary").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    item(page, GPT_NEOX).scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / f"cite-{device}-{scheme}-list.png")
    failures = axe_violations(page)
    page.goto(f"/papers/{GPT_NEOX}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=ARTIFACTS / f"cite-{device}-{scheme}-paper.png", full_page=True)
    failures += axe_violations(page)
    page.emulate_media(media="print")
    page.goto("/")
    page.screenshot(path=ARTIFACTS / f"print-{device}-{scheme}-list.png")
    context.close()
    assert not failures, failures


def axe_violations(page) -> list:
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]


def test_admin_changelist_gives_titles_room_and_no_page_misses_its_icon(admin_page, seeded):  # noqa: F811
    page = admin_page
    missing = []
    page.on("response", lambda r: r.status == 404 and missing.append(r.url))
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/admin/bibliography/paper/")
    widths = page.locator("#result_list td.field-title, #result_list th.field-title")
    assert min(cell.bounding_box()["width"] for cell in widths.all()) >= 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    # Every column within the table's box: none hidden behind a sideways scroll.
    results = page.locator("#changelist .results")
    assert results.evaluate("box => box.scrollWidth <= box.clientWidth"), results.evaluate(
        "box => [box.scrollWidth, box.clientWidth, [...box.querySelectorAll('thead th')]"
        ".map(th => th.className + ':' + th.getBoundingClientRect().width)]"
    )
    expect(page.locator("#result_list th.column-published")).to_be_in_viewport()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "admin-1366-paper-changelist.png")
    # The paper form: the byline inline within the first screen, under the title block.
    neox = Paper.objects.get(slug=GPT_NEOX)
    page.goto(f"/admin/bibliography/paper/{neox.pk}/change/")
    byline = page.locator("#authorships-group").bounding_box()
    assert byline["y"] < 720, byline  # its heading and first rows in a 768 px screen
    fields_above = page.locator("fieldset .form-row").evaluate_all(
        f"rows => rows.filter(row => row.getBoundingClientRect().top < {byline['y']}).length"
    )
    assert fields_above <= 10  # the title block's rows, not the ~25 it used to sit below
    page.screenshot(path=ARTIFACTS / "admin-1366-paper-form.png")
    # The admin is the site's, by name.
    page.goto("/admin/")
    expect(page.locator("#site-name")).to_have_text("Stella Biderman: publications")
    assert "Django" not in page.title()
    page.goto("/")
    assert page.request.get("/favicon.ico").status == 200
    assert not missing, missing
