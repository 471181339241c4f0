"""The public site in a real browser (Playwright + Debian's chromium).

Facets, search, pagination, the abstract disclosure, copying BibTeX, the year chart,
the phone layout; accessibility with axe-core (WCAG 2.1 A/AA) and the HTML with the
Nu HTML Checker. Screenshots land in test-artifacts/ for a human to look at.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bibliography.models import Award, ContributionRole, PaperLink, Topic, Venue
from tests.factories import give_role, make_author, make_paper, make_venue

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = ROOT / "test-artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),
    )
    yield page
    assert not page.csp_violations, page.csp_violations
    context.close()


@pytest.fixture
def library(transactional_db):
    """3 venues, an owner, an award and 35 papers: enough for two pages of results."""
    acl = make_venue(name="Association for Computational Linguistics", short_name="ACL", slug="acl")
    tacl = make_venue(
        name="Transactions of the ACL", short_name="TACL", slug="tacl", kind=Venue.Kind.JOURNAL
    )
    arxiv = make_venue(name="arXiv", short_name="arXiv", slug="arxiv", kind=Venue.Kind.PREPRINT)
    owner = make_author("Biderman", given_name="Stella", slug="stella", is_site_owner=True)
    lintang = make_author("Sutawika", given_name="Lintang", slug="lintang")
    niklas = make_author("Muennighoff", given_name="Niklas", slug="niklas")
    award = Award.objects.create(name="Outstanding Paper Award", slug="outstanding")
    crosslingual = make_paper(
        title="Crosslingual Generalization through Multitask Finetuning",
        slug="crosslingual",
        venue=acl,
        year=2023,
        authors=[niklas, lintang, owner],
        authors_partial=True,
        arxiv_id="2211.01786",
        doi="10.18653/v1/2023.acl-long.891",
        abstract="Multitask prompted finetuning has been shown to help.\n\nWe apply it to "
        "multilingual models and find zero-shot generalization.",
        citation_text="Muennighoff, et al. (incl. Sutawika and Biderman). Crosslingual...",
    )
    give_role(crosslingual, [1])
    crosslingual.awards.add(award)
    make_paper(title="Emergent and Predictable Memorization", venue=acl, year=2021, authors=[owner])
    make_paper(title="Quality at a Glance", venue=tacl, year=2022, authors=[lintang, owner])
    make_paper(title="The Pile", venue=tacl, year=2021, authors=[owner, niklas])
    for i in range(31):
        make_paper(
            title=f"Preprint number {i:02d}",
            venue=arxiv,
            year=2019 + i % 5,
            authors=[owner] if i % 2 else [lintang],
            abstract="A preprint.",
        )
    make_paper(title="A draft nobody may see", venue=acl, year=2023, published=False)
    # A series with no paper of its own: its members' papers are its papers.
    anthology = make_venue(name="ACL Anthology", short_name="ACL Anthology", slug="anthology")
    Venue.objects.filter(pk__in=[acl.pk, tacl.pk]).update(series=anthology)
    owner.position, owner.affiliation = "Lab head", "EleutherAI"
    owner.save()
    give_role(crosslingual, [3], slug=ContributionRole.CORRESPONDING_AUTHOR)
    return {"paper": crosslingual}


def result_count(page) -> int:
    return int(re.match(r"\d+", page.locator("#results-heading").inner_text()).group())


def facet_count(page, facet: str, value: str) -> int:
    label = page.locator(f'label[for="f-{facet}-{value}"] .count')
    return int(re.match(r"\d+", label.inner_text()).group())


def test_facets_update_results_counts_and_url(page, library):
    page.goto("/")
    assert result_count(page) == 35
    assert facet_count(page, "author", "lintang") == 18
    # Pick a venue: the form submits itself, the URL carries the state.
    page.get_by_label("ACL 2 papers", exact=True).check()
    page.wait_for_url(re.compile(r"venue=acl"))
    assert result_count(page) == 2
    expect(page.locator("#f-venue-acl")).to_be_focused()  # keyboard users keep their place
    expect(page.get_by_text("The list updates as soon as you tick a box")).to_be_visible()
    assert facet_count(page, "author", "lintang") == 1  # other facets follow the venue...
    assert facet_count(page, "venue", "tacl") == 2  # ...the venue facet shows what TACL would add
    assert "A draft nobody may see" not in page.content()
    # A second facet narrows further (AND), and both stay in the URL.
    page.locator("#f-year-2023").check()
    page.wait_for_url(re.compile(r"venue=acl.*year=2023|year=2023.*venue=acl"))
    assert result_count(page) == 1
    expect(page.locator(".chips .chip")).to_have_count(2)
    # The URL is the state: reloading shows the same view.
    page.reload()
    assert result_count(page) == 1
    expect(page.locator("#f-venue-acl")).to_be_checked()
    # Remove one chip, then clear everything.
    page.locator(".chips .chip", has_text="2023").click()
    page.wait_for_url(re.compile(r"^(?!.*year=).*venue=acl"))
    assert result_count(page) == 2
    page.get_by_role("link", name="Clear all").click()
    page.wait_for_url(re.compile(r"/$"))
    assert result_count(page) == 35
    # The back button returns to the filtered view.
    page.go_back()
    page.wait_for_url(re.compile(r"venue=acl"))
    assert result_count(page) == 2


def test_role_filter_on_the_author_page(page, library):
    page.goto("/authors/stella/")
    everything = result_count(page)
    page.get_by_label("Author's place").select_option(label="Last author")
    page.wait_for_url(re.compile(r"role=last"))
    # Crosslingual's list goes on, so its last named author is not its last author; The
    # Pile has her first of two.
    assert result_count(page) == everything - 2
    expect(page.locator(".chips .chip", has_text="Last author")).to_be_visible()
    expect(page.get_by_label("Author's place")).to_be_focused()
    page.get_by_label("Author's place").select_option(label="Corresponding author")
    page.wait_for_url(re.compile(r"role=corresponding"))
    assert result_count(page) == 1
    expect(page.locator(".role-legend")).to_contain_text("† corresponding author")
    page.locator(".chips .chip", has_text="Corresponding author").click()
    page.wait_for_url(re.compile(r"^(?!.*role=)"))
    assert result_count(page) == everything


def test_role_filter_appears_on_the_list_once_one_author_is_chosen(page, library):
    page.goto("/")
    expect(page.get_by_label("Author's place")).to_have_count(0)
    page.locator("#f-author-lintang").check()
    page.wait_for_url(re.compile(r"author=lintang"))
    page.get_by_label("Author's place").select_option(label="First author")
    page.wait_for_url(re.compile(r"role=first"))
    assert result_count(page) == 17  # the 16 preprints she is alone on, and Quality at a Glance
    assert "author=lintang" in page.url


def test_series_facet_selects_every_member(page, library):
    page.goto("/")
    assert facet_count(page, "venue", "anthology") == 4
    expect(page.locator(".facet-members #f-venue-tacl")).to_be_visible()
    # Each member on a line under its series, indented, not in a column squeezed beside it.
    series = page.locator('label[for="f-venue-anthology"]').bounding_box()
    member = page.locator("#f-venue-tacl").bounding_box()
    assert member["y"] >= series["y"] + series["height"] - 1
    assert series["x"] - 24 < member["x"] < series["x"] + 24
    page.locator("#f-venue-anthology").check()
    page.wait_for_url(re.compile(r"venue=anthology"))
    assert result_count(page) == 4
    expect(page.locator(".chips .chip", has_text="ACL Anthology")).to_be_visible()


def test_people_page_lists_owners_first_and_links_to_profiles(page, library):
    page.goto("/")
    page.get_by_role("link", name="People").click()
    page.wait_for_url(re.compile(r"/authors/$"))
    members = page.locator(".people-owners")
    expect(members).to_contain_text("Stella Biderman")
    expect(members).to_contain_text("Lab head, EleutherAI")
    expect(page.locator(".people-all")).to_contain_text("Lintang Sutawika")
    members.get_by_role("link", name="Stella Biderman").click()
    page.wait_for_url(re.compile(r"/authors/stella/$"))
    expect(page.locator(".page-header")).to_contain_text("Lab head, EleutherAI")


def test_pagination_keeps_filters(page, library):
    page.goto("/?venue=arxiv&sort=oldest")
    assert result_count(page) == 31
    expect(page.locator(".paper")).to_have_count(25)
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert "venue=arxiv" in page.url and "sort=oldest" in page.url
    expect(page.locator(".paper")).to_have_count(6)
    expect(page.locator(".chips .chip")).to_have_count(1)
    expect(page.locator('.pagination a[aria-current="page"]')).to_have_text("2")


def test_search_finds_word_prefixes(page, library):
    page.goto("/?venue=acl")
    page.get_by_label("Search titles, abstracts, authors and venues").fill("multiling")
    page.get_by_label("Search titles, abstracts, authors and venues").press("Enter")
    page.wait_for_url(re.compile(r"q=multiling"))
    assert "venue=acl" in page.url
    assert result_count(page) == 1
    expect(page.locator(".paper-title")).to_have_text(
        "Crosslingual Generalization through Multitask Finetuning"
    )
    expect(page.locator("#sort option:checked")).to_have_text("Relevance")


def test_abstract_opens(page, library):
    page.goto("/?q=crosslingual")
    paragraph = page.get_by_text("We apply it to multilingual models")
    expect(paragraph).to_be_hidden()
    page.locator(".abstract summary").first.click()
    expect(paragraph).to_be_visible()


def test_copy_bibtex(browser, live_server, library):
    context = browser.new_context(base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(library["paper"].get_absolute_url())
    bibtex = page.locator("pre.bibtex").inner_text().strip()
    assert bibtex.startswith("@") and "Crosslingual" in bibtex
    expect(page.get_by_role("button", name="Copy BibTeX")).to_be_visible()
    button = page.locator("button[data-copy-target^='bibtex']")  # shown only once the script runs
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()").strip() == bibtex
    context.close()


def test_year_chart_bar_filters_that_year(page, library):
    page.goto("/?venue=arxiv")
    page.locator('.year-chart a[aria-label="2021: 6 papers"]').click()
    page.wait_for_url(re.compile(r"year=2021"))
    assert "venue=arxiv" in page.url
    assert result_count(page) == 6
    years = page.locator(".paper-year").all_inner_texts()
    assert set(years) == {"2021"}


def test_cite_control_on_list_items_links_to_the_export(page, library):
    page.goto("/?q=crosslingual")
    page.locator(".quick-cite > summary").first.click()
    link = page.locator(".paper-links a", has_text="Download .bib").first
    assert link.get_attribute("href") == "/papers/crosslingual.bib?download"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_layout_has_no_horizontal_scroll(browser, live_server, library, scheme):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        color_scheme=scheme,
    )
    page = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    for name, url in [
        ("list", "/?venue=acl&venue=tacl"),
        ("paper", library["paper"].get_absolute_url()),
        ("author", "/authors/stella/"),
    ]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} is {width}px wide on a 375px phone"
        page.screenshot(path=ARTIFACTS / f"phone-{scheme}-{name}.png", full_page=name != "author")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_desktop_screenshots(browser, live_server, library, scheme):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, color_scheme=scheme
    )
    page = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto("/?venue=acl&venue=tacl")
    page.locator(".abstract summary").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=ARTIFACTS / f"desktop-{scheme}-list.png", full_page=True)
    page.goto(library["paper"].get_absolute_url())
    page.screenshot(path=ARTIFACTS / f"desktop-{scheme}-paper.png", full_page=True)
    context.close()


def audited_pages(library):
    return [
        "/?venue=acl&venue=tacl&year=2023&q=multitask",
        "/?venue=arxiv&page=2",
        library["paper"].get_absolute_url(),
        "/authors/stella/",
        "/venues/arxiv/",
        "/awards/outstanding/",
        "/papers/no-such-paper/",
        "/authors/",
        "/venues/",
        "/awards/",
        "/authors/stella/?role=first",
        "/?venue=anthology",
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violations(browser, live_server, library, scheme):
    # axe is evaluated through the DevTools protocol, which the site's CSP does not govern.
    context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
    failures = axe_failures(context.new_page(), audited_pages(library))
    context.close()
    assert not failures, json.dumps(failures, indent=1)


def axe_failures(page, urls) -> dict:
    """axe-core's WCAG 2.1 A/AA violations of each of `urls`, by URL."""
    axe_source = AXE.read_text()
    failures = {}
    for url in urls:
        page.goto(url)
        page.evaluate(axe_source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        if result["violations"]:
            failures[url] = [
                (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                for v in result["violations"]
            ]
    return failures


def test_html_validates_with_the_nu_checker(page, library, tmp_path):
    errors = nu_errors(page, audited_pages(library), tmp_path)
    assert not errors, json.dumps(errors, indent=1)[:5000]


def nu_errors(page, urls, tmp_path) -> list:
    """The Nu HTML Checker's errors over the pages at `urls`."""
    files = []
    for index, url in enumerate(urls):
        response = page.request.get(url)
        path = tmp_path / f"page{index}.html"
        path.write_text(response.text())
        files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [m for m in messages if m.get("type") == "error"]


def test_everything_works_without_javascript(browser, live_server, library):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.locator("#f-venue-tacl").check()
    page.locator("#f-year-2021").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"venue=tacl"))
    assert "year=2021" in page.url
    assert result_count(page) == 1
    page.goto(library["paper"].get_absolute_url())
    expect(page.locator("pre.bibtex")).to_be_visible()
    expect(page.locator("button[data-copy-target^='bibtex']")).to_be_hidden()  # needs the script
    context.close()


def test_keyboard_focus_is_visible_and_print_hides_the_controls(page, library):
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.emulate_media(media="print")
    expect(page.locator(".filters")).to_be_hidden()
    expect(page.locator(".paper").first).to_be_visible()


@pytest.fixture
def curated(library):
    """The library with topics, typed links and a selected paper."""
    paper = library["paper"]
    multilingual = Topic.objects.create(name="Multilingual models", slug="multilingual")
    paper.topics.add(multilingual)
    paper.featured = True
    paper.save()
    for position, (kind, label) in enumerate([("code", ""), ("custom", "Colab demo")], 1):
        PaperLink.objects.create(
            paper=paper,
            kind=kind,
            label=label,
            url=f"https://example.org/{kind}",
            position=position,
        )
    for paper in library["paper"].venue.papers.filter(title__startswith="Emergent"):
        paper.topics.add(multilingual)
    return {**library, "topic": multilingual}


def test_link_buttons_and_topic_facet(page, curated):
    page.goto("/")
    selected = page.locator("section.selected")
    expect(selected.locator(".paper-title a")).to_have_text(re.compile("^Crosslingual"))
    item = page.locator("#paper-crosslingual")
    expect(item.get_by_role("link", name="Colab demo")).to_have_attribute(
        "href", "https://example.org/custom"
    )
    buttons = item.locator(".paper-links a").all_inner_texts()
    assert buttons.index("Code") < buttons.index("Colab demo")
    # The topic facet: tick it, the list narrows to its two papers and a chip appears.
    assert facet_count(page, "topic", "multilingual") == 2
    page.locator("#f-topic-multilingual").check()
    page.wait_for_url(re.compile(r"topic=multilingual"))
    assert result_count(page) == 2
    expect(page.locator(".chips .chip", has_text="Multilingual models")).to_be_visible()
    # The topic chip on an item leads to the topic's page.
    page.locator("#paper-crosslingual .badge-topic").click()
    page.wait_for_url(re.compile(r"/topics/multilingual/$"))
    assert result_count(page) == 2


CURATED_PAGES = ["/", "/?featured=1", "/topics/multilingual/", "/papers/crosslingual/"]


def test_curated_pages_have_no_axe_violations(page, curated):
    failures = axe_failures(page, CURATED_PAGES)
    assert not failures, json.dumps(failures, indent=1)


def test_curated_pages_validate_with_the_nu_checker(page, curated, tmp_path):
    errors = nu_errors(page, CURATED_PAGES, tmp_path)
    assert not errors, json.dumps(errors, indent=1)[:5000]
