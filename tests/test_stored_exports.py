"""Whole-list RIS and CSL-JSON exports and the paper page's formatted citations come from
texts stored per paper revision (bibliography/citations/entry_cache.py), like the BibTeX
entries: byte for byte what writing afresh gives, written once, right after every edit.
Junk parameters make no new work, costly requests are rate-limited per address, and a
database outage before the stream is the 503 page."""

import json
import re

import pytest
from django.contrib.auth.models import User
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse

from bibliography.citations.csl import iter_csl_json
from bibliography.citations.ris import iter_ris
from bibliography.filters import filter_papers
from bibliography.models import Award, Paper
from tests.admin_forms import admin_form_data, change_url
from tests.factories import make_author, make_paper

pytestmark = pytest.mark.django_db

WRITERS = {"ris": iter_ris, "json": iter_csl_json}
STORED_NAME = {"bib": "bibtex", "ris": "ris", "json": "csl-json"}


def list_url(fmt: str) -> str:
    return reverse("bibliography:paper-list-export", args=[fmt])


def export(client, fmt: str, **params) -> str:
    response = client.get(list_url(fmt), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def written_afresh(fmt: str) -> str:
    papers, _ = filter_papers({})
    return "".join(WRITERS[fmt](papers.for_list()))


def stored_rows(style: str | None = None) -> int:
    with connection.cursor() as cursor:
        if style:
            cursor.execute("SELECT count(*) FROM citation_cache WHERE style = %s", [style])
        else:
            cursor.execute("SELECT count(*) FROM citation_cache")
        return cursor.fetchone()[0]


def set_stored_text(paper: Paper, style: str, old: str, new: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE citation_cache SET text = replace(text, %s, %s)"
            " WHERE paper_id = %s AND style = %s",
            [old, new, paper.pk, style],
        )
        assert cursor.rowcount == 1


@pytest.fixture
def editor(client):
    client.force_login(User.objects.create_superuser("editor"))
    return client


# -- stored entries -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["ris", "json"])
def test_stored_entries_give_the_same_file_as_writing_them_afresh(client, seed, fmt):
    first = export(client, fmt)
    assert first == written_afresh(fmt)
    assert stored_rows(STORED_NAME[fmt]) == Paper.objects.published().count()
    assert export(client, fmt) == first


@pytest.mark.parametrize("fmt", ["ris", "json"])
def test_a_stored_export_reads_only_the_stored_entries(
    client, seed, fmt, django_assert_num_queries
):
    export(client, fmt)
    # Whether anything is missing, then the keys and stored texts: no paper, author or
    # award is read, nothing is written.
    with django_assert_num_queries(2):
        again = export(client, fmt)
    assert again == written_afresh(fmt)


@pytest.mark.parametrize(
    ("fmt", "old", "new"),
    [("ris", "TI  - Engines", "TI  - Edited by hand"), ("json", '"Engines"', '"Edited by hand"')],
)
def test_the_export_shows_what_is_stored(client, fmt, old, new):
    paper = make_paper(title="Engines", authors=["Lovelace"])
    export(client, fmt)
    set_stored_text(paper, STORED_NAME[fmt], old, new)
    assert "Edited by hand" in export(client, fmt)


def test_csl_ids_stay_unique_from_stored_items(client):
    for key in ("same 2022", "same{2022", "same-2022"):
        make_paper(title="Same key", citation_key=key)
    for text in (export(client, "json"), export(client, "json")):  # written, then stored
        assert sorted(item["id"] for item in json.loads(text)) == [
            "same-2022",
            "same-2022-2",
            "same-2022-3",
        ]
        assert text == written_afresh("json")


@pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
def test_an_empty_list_is_the_empty_file(client, fmt):
    make_paper(title="Engines", year=2020)
    response = client.get(list_url(fmt), {"year": "1999"})
    body = b"".join(response.streaming_content).decode()
    assert body == {"bib": "", "ris": "", "json": "[\n]\n"}[fmt]


# -- edits reach the export at once --------------------------------------------------------


def test_admin_edits_reach_the_ris_and_csl_exports(client, editor):
    paper = make_paper(title="Notes on the engine", authors=[make_author("Lovelace", "Ada")])
    assert "TI  - Notes on the engine" in export(client, "ris")
    assert '"title": "Notes on the engine"' in export(client, "json")

    data = admin_form_data(editor.get(change_url(paper)))
    data["title"] = "Notes on the analytical engine"
    assert editor.post(change_url(paper), data).status_code == 302
    assert "TI  - Notes on the analytical engine" in export(client, "ris")
    assert '"title": "Notes on the analytical engine"' in export(client, "json")


def test_awards_given_renamed_and_taken_reach_the_export(client):
    paper = make_paper(title="Engines")
    for fmt in ("ris", "json"):
        export(client, fmt)
    award = Award.objects.create(name="Best Paper")
    paper.awards.add(award)
    assert "N1  - Best Paper" in export(client, "ris")
    assert '"note": "Best Paper"' in export(client, "json")

    Award.objects.filter(pk=award.pk).update(name="Outstanding Paper")
    assert "N1  - Outstanding Paper" in export(client, "ris")
    assert '"note": "Outstanding Paper"' in export(client, "json")

    paper.awards.remove(award)
    assert "N1  -" not in export(client, "ris")
    assert '"note"' not in export(client, "json")
    assert export(client, "ris") == written_afresh("ris")


# -- junk parameters -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
def test_junk_parameters_make_no_new_work(client, seed, fmt, django_assert_num_queries):
    plain = export(client, fmt)
    rows = stored_rows()
    with django_assert_num_queries(2):
        junk = export(client, fmt, utm_source="x", page="7", sort="nonsense", zzz="1")
    assert junk == plain
    assert stored_rows() == rows


def test_the_sitemap_is_rendered_once_per_data_version(client, seed, django_assert_num_queries):
    url = reverse("bibliography:sitemap")
    first = client.get(url)
    assert first.status_code == 200
    # Only the data version is read, whatever else the query string holds.
    for params in ({}, {"junk": "1"}, {"p": "1", "utm": "x"}, {"p": "01"}):
        with django_assert_num_queries(1):
            again = client.get(url, params)
        assert again.content == first.content
    make_paper(title="A paper added since")
    assert b"a-paper-added-since" in client.get(url).content


# -- rate limit ----------------------------------------------------------------------------


@override_settings(EXPORT_RATE_LIMIT="2/10m")
def test_costly_exports_are_limited_per_address(seed):
    visitor = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(2):
        Paper.objects.update(volume="1")  # every stored entry outdated: writing to do
        assert visitor.get(list_url("ris")).status_code == 200
    Paper.objects.update(volume="2")
    refused = visitor.get(list_url("ris"))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 600
    assert "Too many downloads" in refused.content.decode()
    # Another address is counted apart, and is served (and stores the entries)...
    assert Client(REMOTE_ADDR="198.51.100.1").get(list_url("ris")).status_code == 200
    # ...after which the limited address gets the stored file: nothing left to write.
    assert visitor.get(list_url("ris")).status_code == 200
    # The sitemap's renders count against the same limit.
    assert visitor.get(reverse("bibliography:sitemap")).status_code == 429


@override_settings(EXPORT_RATE_LIMIT="1/1h", TRUSTED_PROXY_COUNT=1)
def test_the_limit_counts_the_address_the_proxy_saw(seed):
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    Paper.objects.update(volume="1")
    assert proxy.get(list_url("json"), HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 200
    Paper.objects.update(volume="2")
    refused = proxy.get(list_url("json"), HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    # A forged left-hand entry does not make a new address.
    forged = proxy.get(list_url("json"), HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert forged.status_code == 429
    assert proxy.get(list_url("json"), HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200


# -- database outage -----------------------------------------------------------------------


def refuse_queries(*_args, **_kwargs):
    raise OperationalError("could not connect to server: Connection refused")


@pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
def test_an_outage_before_the_stream_is_the_503_page(fmt):
    make_paper(title="Engines")
    visitor = Client(raise_request_exception=False)
    with connection.execute_wrapper(refuse_queries):
        response = visitor.get(list_url(fmt))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert not response.streaming
    assert "Briefly unavailable" in response.content.decode()


# -- formatted citations on the paper page -------------------------------------------------


def paper_page(client, paper):
    response = client.get(paper.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_formatted_citations_come_from_storage_after_the_first_view(
    client, django_assert_num_queries
):
    from django.core.cache import cache

    paper = make_paper(title="Engines of thought", authors=[make_author("Lovelace", "Ada")])
    first = paper_page(client, paper)
    assert stored_rows("style-apa") == 1
    cache.clear()  # another worker, or any edit elsewhere: the page is rendered again
    # The data version, the site owners (for the title), the paper, its byline, their roles,
    # its awards, topics and links, previous and next, the stored citations: nothing is
    # rendered by citeproc or written.
    with django_assert_num_queries(11):
        again = paper_page(client, paper)
    assert again == first
    set_stored_text(paper, "style-apa", "Engines of thought", "Stored <script>x</script>")
    cache.clear()
    shown = paper_page(client, paper)
    assert "Stored x" in shown
    assert "<script>" not in shown  # a stored row is sanitized again on the way out


def test_an_edit_renders_the_paper_citations_again(client, editor):
    paper = make_paper(title="Engines of thought", authors=[make_author("Lovelace", "Ada")])
    assert "Engines of thought" in paper_page(client, paper)
    data = admin_form_data(editor.get(change_url(paper)))
    data["title"] = "Engines of feeling"
    assert editor.post(change_url(paper), data).status_code == 302
    page = paper_page(client, paper)
    citations = re.findall(r'<p class="formatted-citation"[^>]*>(.*?)</p>', page, re.DOTALL)
    assert len(citations) == 4
    assert all("engines of feeling" in citation.lower() for citation in citations)


@pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
def test_a_searched_and_faceted_export_is_served_from_storage_too(
    client, seed, fmt, django_assert_num_queries
):
    params = {"q": "language models", "sort": "title", "year_from": "2020"}
    first = export(client, fmt, **params)
    assert first and first != export(client, fmt)
    with django_assert_num_queries(3):  # the search's matches, the check, the stored texts
        assert export(client, fmt, **params) == first
