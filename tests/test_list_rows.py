"""Stored list items (bibliography/list_rows.py): a page shows the same HTML whether its items
are rendered for it or joined from the ones stored by another page (another heading level,
another search, the selected papers' ids), and an edit, whatever its path, shows on the next
view."""

import pytest
from django.core.cache import cache
from django.db import connection

from bibliography.models import Award, Paper, PaperLink, Topic
from tests.factories import give_role, make_author, make_paper, make_venue

pytestmark = pytest.mark.django_db

# Every way a list shows an item: by year (h4), by title (h3), searched (words marked), the
# selected papers on the home page (their own ids), an author's page.
PAGES = ["/", "/?sort=title", "/?q=study+lovelace", "/?featured=1&sort=oldest", None]


@pytest.fixture
def library():
    """A few papers with everything an item shows: a long byline with a site owner further
    down, contribution roles, a venue, an award, a topic, links, an abstract."""
    owner = make_author("Lovelace", is_site_owner=True)
    venue = make_venue(slug="acl", short_name="ACL")
    award = Award.objects.create(name="Best Paper", slug="best-paper", venue=venue, year=2021)
    topic = Topic.objects.create(name="Language models", slug="language-models")
    long_byline = [f"Coauthor{i}" for i in range(14)] + [owner]
    papers = [
        make_paper(
            title="A study of things -- in two parts",
            authors=long_byline,
            venue=venue,
            abstract="First paragraph about the study.\n\nSecond & last <paragraph>.",
            featured=True,
            year=2021,
        ),
        make_paper(title="Another study", authors=[owner, "Babbage"], year=2020, featured=True),
        make_paper(title="Older things", authors=["Babbage"], year=2019, doi="10.1234/x"),
    ]
    give_role(papers[1], [1, 2])
    papers[0].awards.add(award)
    papers[0].topics.add(topic)
    PaperLink.objects.create(paper=papers[1], kind="slides", url="https://example.org/s")
    return papers


def forget_stored_items():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM list_row_cache")


def stored_items() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM list_row_cache")
        return cursor.fetchone()[0]


def pages(library) -> list[str]:
    owner = library[0].authorships.get(position=15).author
    return [url or owner.get_absolute_url() for url in PAGES]


def test_a_page_is_the_same_from_items_stored_by_another_page(client, library):
    urls = pages(library)
    for url in urls:
        forget_stored_items()
        cache.clear()
        rendered = client.get(url)
        assert rendered.status_code == 200
        shown = rendered.context["papers"] + rendered.context["featured_papers"]
        assert stored_items() == len({paper.pk for paper in shown})
        forget_stored_items()
        for other in urls:
            if other != url:
                client.get(other)  # stores its items, rendered for its own heading and search
        cache.clear()
        assert client.get(url).content == rendered.content, url


def test_stored_items_keep_what_a_search_marks(client, library):
    client.get("/")
    cache.clear()
    html = client.get("/?q=study+lovelace").content.decode()
    assert "A <mark>study</mark> of things – in two parts" in html
    assert "<mark>Lovelace</mark>" in html
    assert "Second &amp; last &lt;paragraph&gt;." in html
    assert "<mark>" not in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("edit", "shown"),
    [
        (lambda: Topic.objects.update(name="Retitled topic"), ">Retitled topic</a>"),
        (
            lambda: PaperLink.objects.update(label="Retitled link", kind="custom"),
            ">Retitled link</a>",
        ),
        (lambda: Award.objects.update(slug="retitled"), 'href="/awards/retitled/"'),
        (lambda: Paper.objects.filter(year=2019).update(title="Retitled"), ">Retitled</a>"),
    ],
)
def test_an_edit_shows_on_the_next_view_however_it_is_made(client, library, edit, shown):
    """Bare updates (no signal, no save()): what retires the stored items is the data
    version the triggers change."""
    assert shown not in client.get("/").content.decode()
    assert stored_items() == 3
    edit()
    assert shown in client.get("/").content.decode()


def test_an_item_whose_text_holds_a_slot_character_is_shown_as_typed(client, library):
    odd = make_paper(title="Odd \ue000heading\ue001 and \ue0000\ue001 study", authors=["Odd"])
    html = client.get("/?q=study").content.decode()
    assert "Odd \ue000heading\ue001 and \ue0000\ue001 <mark>study</mark>" in html
    with connection.cursor() as cursor:
        cursor.execute("SELECT paper_id FROM list_row_cache")
        stored = {row[0] for row in cursor.fetchall()}
    assert odd.pk not in stored and library[0].pk in stored
    cache.clear()
    assert client.get("/?q=study").content.decode() == html


def test_items_are_stored_per_language(client, library):
    client.get("/")
    assert stored_items() == 3
    cache.clear()
    # The reader's language, as LocaleMiddleware reads it.
    client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert stored_items() == 6
