"""The site in the visitor's language, through HTTP: the browser's Accept-Language or the
footer's switcher (Django's set_language, a cookie) chooses it; the page cache and its ETags
keep each language's page apart; citation exports stay the same in every language; the
German catalog covers every marked string (makemessages run afresh finds nothing new), and a
page rendered in German holds none of the English words of the interface."""

import gettext
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from bibliography.models import Award, Topic
from tests.factories import make_author, make_paper, make_venue

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "locale" / "de" / "LC_MESSAGES"


@pytest.fixture
def papers():
    """A small list whose own words are not English, so that any English left on a German
    page is the interface's: three papers of the owner, two at one venue, one with an award
    and a topic."""
    venue = make_venue(name="Tagung für Zyxologie", short_name="TZX", slug="tzx")
    owner = make_author("Müller", "Jörg", slug="mueller", is_site_owner=True)
    award = Award.objects.create(name="Preis Blau", slug="preis-blau", venue=venue, year=2021)
    topic = Topic.objects.create(name="Sprachdinge", slug="sprachdinge")
    first = make_paper(
        title="Über Zyxel und Qwertz",
        slug="zyxel",
        authors=[owner, make_author("Kowalczyk", "Zofia")],
        venue=venue,
        year=2021,
        month=5,
        abstract="Zyxel qwertz.",
    )
    first.awards.add(award)
    first.topics.add(topic)
    make_paper(title="Qwertz im Zyxel", slug="qwertz", authors=[owner], venue=venue, year=2022)
    make_paper(title="Zyxologie heute", slug="heute", authors=[owner], year=2023)
    return {"paper": first, "owner": owner, "venue": venue, "award": award, "topic": topic}


def german(path, **headers):
    return Client().get(path, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5", **headers)


def test_the_browser_language_chooses_the_page_language(papers):
    page = german("/")
    html = page.content.decode()
    assert '<html lang="de">' in html
    assert page["Content-Language"] == "de"
    assert "Alle Publikationen" in html and "3 Publikationen" in html
    english = Client().get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8").content.decode()
    assert '<html lang="en">' in english and "All papers" in english and "3 papers" in english


def test_a_language_the_site_does_not_speak_gets_the_default(papers):
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE="ja,zh;q=0.8")
    assert page["Content-Language"] == settings.LANGUAGE_CODE == "en"
    assert "All papers" in page.content.decode()


def test_the_switcher_posts_the_choice_without_a_token_and_returns_to_the_page(papers):
    # As a browser does: the cached page carries no CSRF token, so none is sent.
    visitor = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    form = visitor.get("/?year=2022").content.decode()
    assert 'action="/i18n/setlang/"' in form
    assert 'name="next" value="/?year=2022"' in form
    chosen = visitor.post("/i18n/setlang/", {"language": "de", "next": "/?year=2022"})
    assert chosen.status_code == 302 and chosen["Location"] == "/?year=2022"
    cookie = chosen.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "de" and cookie["httponly"] and cookie["samesite"] == "Lax"
    # The cookie wins over the browser's Accept-Language (English here).
    page = visitor.get("/?year=2022").content.decode()
    assert '<html lang="de">' in page and "1 Publikation" in page
    back = visitor.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert back["Location"] == "/"
    assert "All papers" in visitor.get("/").content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"language": "de", "next": "https://elsewhere.example/"},
        {"language": "de", "next": "//elsewhere.example/"},
        {"language": "xx", "next": "/"},
        {"language": "", "next": "/"},
    ],
)
def test_the_switcher_refuses_other_sites_and_unknown_languages(papers, data):
    answer = Client().post("/i18n/setlang/", data)
    assert answer.status_code == 302
    assert "elsewhere" not in answer["Location"]
    cookie = answer.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    assert cookie is None or cookie.value == "de"  # a known language, or nothing


def test_each_language_has_its_own_cached_page_and_etag(papers, settings):
    """German first (it fills the page cache and the whole list's facet cache), then
    English, then each again: nobody is served the other language's page or validator."""
    settings.PAGE_CACHE_STATUS_HEADER = True
    first_german = german("/")
    english_visitor = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    english = english_visitor.get("/")
    assert first_german["X-Cache"] == "miss"
    assert english["X-Cache"] == "miss", "the German page was not served to English"
    english_html = english.content.decode()
    assert '<html lang="en">' in english_html
    # The facets of the whole list were cached by the German render: their labels follow
    # the reader all the same.
    assert "<legend>Venue kind</legend>" in english_html and "Art des Publikationsorts" not in (
        english_html
    )
    assert "Stella" not in english_html and "Jörg Müller: publications" in english_html
    again = german("/")
    assert again["X-Cache"] == "hit"
    assert "<legend>Art des Publikationsorts</legend>" in again.content.decode()
    assert "Jörg Müller: Publikationen" in again.content.decode()
    assert english_visitor.get("/")["X-Cache"] == "hit"
    assert english["ETag"] != first_german["ETag"]
    for response in (first_german, english):
        vary = {part.strip() for part in response["Vary"].split(",")}
        assert {"Accept-Language", "Cookie"} <= vary
    # An English copy's ETag does not make a German visitor's page "not modified".
    revalidated = german("/", HTTP_IF_NONE_MATCH=english["ETag"])
    assert revalidated.status_code == 200 and '<html lang="de">' in revalidated.content.decode()
    same = german("/", HTTP_IF_NONE_MATCH=first_german["ETag"])
    assert same.status_code == 304
    assert {"Accept-Language", "Cookie"} <= {p.strip() for p in same["Vary"].split(",")}


def test_the_cookie_language_has_its_own_cached_page(papers, settings):
    settings.PAGE_CACHE_STATUS_HEADER = True
    english = Client().get("/")
    chose_german = Client()
    chose_german.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = chose_german.get("/")
    assert page["X-Cache"] == "miss" and '<html lang="de">' in page.content.decode()
    assert page["ETag"] != english["ETag"]


def test_the_feed_speaks_the_readers_language(papers):
    feed = german("/feed/?kind=conference&type=misc").content.decode()
    assert ": neueste Publikationen (Art des Publikationsorts: Konferenz; Publikationsart:" in feed
    english = Client().get("/feed/?kind=conference").content.decode()
    assert ": newest papers (Venue kind: Conference)<" in english


def test_citation_exports_are_the_same_in_every_language(papers):
    paths = ["/papers.bib", "/papers.ris", "/papers.json", "/papers/zyxel.bib", "/api/v1/papers/"]
    for path in paths:
        english = Client().get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert english.status_code == 200, path
        in_german = german(path)
        assert b"".join(in_german) == b"".join(english), path


def test_numbers_are_grouped_as_the_language_writes_them(papers, settings):
    settings.BIBTEX_IMPORT_WEB_MAX_ENTRIES = 5000
    settings.BIBTEX_IMPORT_WEB_MAX_NAMES = 20000
    settings.BIBTEX_IMPORT_WEB_MAX_BYTES = 1536 * 1024
    editor = User.objects.create_superuser("editor")
    pages = {}
    for language in ("en", "de"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(editor)
        pages[language] = client.get(
            reverse("admin:bibliography_paper_import_bibtex")
        ).content.decode()
    assert "5,000 entries and 20,000" in pages["en"] and "at most 1.5 MB" in pages["en"]
    assert "5.000 Einträge und 20.000 Personennamen" in pages["de"] and "1,5 MB" in pages["de"]


def test_month_names_are_the_language_s(papers):
    paper = papers["paper"].get_absolute_url()
    assert '<time datetime="2021-05">Mai 2021</time>' in german(paper).content.decode()
    assert '<time datetime="2021-05">May 2021</time>' in Client().get(paper).content.decode()


# --- Nothing of the interface is left in English --------------------------------------


class VisibleText(HTMLParser):
    """The words a reader meets: text and the attributes read out or shown (aria-label,
    title, alt, placeholder, a button's value, the description), without scripts, styles
    and the citations (BibTeX, the formatted styles and the printed CV line are bibliographic
    data in their own conventions, the same in every language)."""

    SKIPPED_TAGS = {"script", "style", "pre", "code"}
    SKIPPED_CLASSES = {"formatted-citation", "paper-print", "quick-cite-label"}
    VOID = {"meta", "link", "input", "img", "br", "hr", "rect", "line", "base"}

    def __init__(self):
        super().__init__()
        self.words, self.skipping = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in self.VOID:
            classes = set((attrs.get("class") or "").split())
            self.skipping.append(tag in self.SKIPPED_TAGS or bool(classes & self.SKIPPED_CLASSES))
        if any(self.skipping):
            return
        for name in ("aria-label", "title", "alt", "placeholder"):
            if attrs.get(name):
                self.words.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.words.append(attrs.get("value") or "")
        if tag == "meta" and attrs.get("name") == "description":
            self.words.append(attrs.get("content") or "")

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.skipping:
            self.skipping.pop()

    def handle_data(self, data):
        if not any(self.skipping):
            self.words.append(data)


def words_of(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"[^\W\d_]{3,}", text)}


def _plain(message: str) -> str:
    """A catalog message without its placeholders, markup and paths (/papers.pdf)."""
    return re.sub(r"%\(\w+\)s|<[^>]+>|\S*/\S*", " ", message)


def english_interface_words() -> set[str]:
    """Words of the English interface that its German translation never uses."""
    english, german_words = set(), set()
    for key, translated in mo_catalog(CATALOG / "django.mo").items():
        msgid = key[0] if isinstance(key, tuple) else key
        english |= words_of(_plain(msgid.split("\x04")[-1]))  # without its context
        german_words |= words_of(_plain(translated))
    return english - german_words


GERMAN_PAGES = [
    "/",
    "/?year=2021&venue=tzx&sort=title",
    "/?q=zyxel&sort=relevance",
    "/?q=nirgendwo",
    "/?year=1999&award=preis-blau",
    "/?page=7&year=bogus",
    "/papers/zyxel/",
    "/authors/",
    "/authors/mueller/",
    "/venues/",
    "/venues/tzx/",
    "/awards/",
    "/awards/preis-blau/",
    "/topics/sprachdinge/",
    "/embed/",
    "/no-such-page/",
]


def test_german_pages_hold_no_english_interface_words(papers):
    """Fails for a string a template or a view shows without marking it for translation,
    when its words are the interface's (a new "Download all" would leave "download")."""
    vocabulary = english_interface_words()
    assert {"papers", "search", "abstract", "cite"} <= vocabulary
    left = {}
    for path in GERMAN_PAGES:
        page = german(path)
        assert page.status_code in (200, 404), path
        parser = VisibleText()
        parser.feed(page.content.decode())
        if found := words_of(" ".join(parser.words)) & vocabulary:
            left[path] = sorted(found)
    assert left == {}


# --- The catalog is complete and compiled ----------------------------------------------


def msgfmt_catalog(po: Path, into: Path) -> dict:
    """The messages of `po` compiled by msgfmt (which checks their placeholders), without
    the header (its creation date changes with every makemessages)."""
    mo = into / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(mo), str(po)], check=True)
    return mo_catalog(mo)


def mo_catalog(mo: Path) -> dict:
    with open(mo, "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    catalog.pop("", None)
    return catalog


def test_makemessages_finds_no_string_the_german_catalog_lacks(tmp_path):
    """`makemessages` run afresh over a copy of the code: every msgid it finds is translated
    (none new, none fuzzy), and none of the committed catalog is gone from the code."""
    copy = tmp_path / "project"
    for name in ("bibliography", "templates", "site_config", "locale"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("fonts", "*.pyc"))
    shutil.copy(ROOT / "manage.py", copy)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-obsolete", "-v", "0"],
        cwd=copy,
        check=True,
    )
    fresh = copy / "locale" / "de" / "LC_MESSAGES" / "django.po"
    for problem in ("--untranslated", "--only-fuzzy"):
        listed = subprocess.run(
            ["msgattrib", problem, "--no-wrap", str(fresh)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert listed == "", f"msgattrib {problem}:\n{listed}"
    assert msgfmt_catalog(fresh, tmp_path) == msgfmt_catalog(CATALOG / "django.po", tmp_path)


def test_the_committed_mo_file_is_the_compiled_po_file(tmp_path):
    """A fresh clone serves the committed .mo (make run needs no gettext): it must say what
    the .po says."""
    served = mo_catalog(CATALOG / "django.mo")
    assert served == msgfmt_catalog(CATALOG / "django.po", tmp_path)
    assert served[("%(number)s paper", 1)] == "%(number)s Publikationen"
