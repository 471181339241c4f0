"""The whole-list exports write their entries on a fast path (bibliography/citations/
entry_cache.py reads bylines as rows, bibtex.write_entry lays an entry out itself rather
than through bibtexparser's writer, csl.item_text lays out JSON without the json module's
pure-Python indenting encoder): its files are byte for byte what the reference path gives,
papers prefetched by `for_list()`, entries written by `bibtexparser.write_string` and items
by `json.dumps(..., indent=2)`, over the seed and the vendored corpus. Writing them costs a
fixed number of queries per chunk of papers, whatever the papers hold."""

import json

import bibtexparser
import pytest
from bibtexparser.writer import BibtexFormat
from django.db import connection
from django.urls import reverse

from bibliography.citations import entry_cache
from bibliography.citations.bibtex import entry_key, paper_entry, unique_key
from bibliography.citations.csl import paper_to_csl
from bibliography.citations.ris import iter_ris
from bibliography.filters import filter_papers
from bibliography.importing import apply_plan, prepare_import, sources_from_paths
from bibliography.models import Award, ContributionRole
from tests.factories import give_role, make_author, make_paper
from tests.test_import_corpus import corpus_files
from tests.vendored import CORPUS

pytestmark = pytest.mark.django_db

# The corpus less its scale files (thousands of entries each, which the import tests
# cover): about 1,700 entries of every shape the importer keeps.
CORPUS_FILES = [name for name in corpus_files() if not name.startswith("scale/")]


def reference_bibtex(papers, *, ascii: bool = False) -> str:
    """What `bibtex.iter_bibtex` wrote before the fast path: bibtexparser's own writer."""
    bibtex_format = BibtexFormat()
    bibtex_format.indent = "  "
    used_keys: set[str] = set()
    texts = []
    for paper in papers:
        entry = paper_entry(paper, ascii=ascii, key=unique_key(entry_key(paper), used_keys))
        library = bibtexparser.Library([entry])
        texts.append(
            bibtexparser.write_string(library, unparse_stack=[], bibtex_format=bibtex_format)
        )
    return "\n".join(texts)


def reference_csl_json(papers) -> str:
    """What `csl.iter_csl_json` wrote before the fast path: the json module's own layout."""
    used_ids: set[str] = set()
    items = []
    for paper in papers:
        item = paper_to_csl(paper)
        item["id"] = unique_key(item["id"], used_ids)
        items.append(json.dumps(item, ensure_ascii=False, indent=2))
    return "[\n" + ",\n".join(items) + "\n]\n" if items else "[\n]\n"


REFERENCES = {
    ("bib", False): lambda papers: reference_bibtex(papers),
    ("bib", True): lambda papers: reference_bibtex(papers, ascii=True),
    ("ris", False): lambda papers: "".join(iter_ris(papers)),
    ("json", False): lambda papers: reference_csl_json(papers),
}


def export(client, fmt: str, ascii: bool) -> str:
    url = reverse("bibliography:paper-list-export", args=[fmt])
    response = client.get(url, {"ascii": "1"} if ascii else {})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def forget_stored_texts() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM citation_cache")


def assert_exports_are_the_reference(client) -> None:
    papers, _ = filter_papers({})
    papers = list(papers.for_list())
    assert papers
    for (fmt, ascii), reference in REFERENCES.items():
        forget_stored_texts()
        assert export(client, fmt, ascii) == reference(papers), (fmt, ascii)


def test_the_seed_exports_are_the_reference_writers_text(client, seed):
    assert_exports_are_the_reference(client)


def test_the_corpus_exports_are_the_reference_writers_text(client):
    plan = prepare_import(sources_from_paths([CORPUS / name for name in CORPUS_FILES]))
    apply_plan(plan, skip_invalid=True)
    assert_exports_are_the_reference(client)


def make_papers(count: int) -> None:
    """`count` papers with bylines of three that share authors, roles on some and awards."""
    authors = [make_author(f"Author{i}", f"Given{i}") for i in range(7)]
    award = Award.objects.create(name="Best paper", slug="best-paper")
    for i in range(count):
        paper = make_paper(
            title=f"Paper {i} on GPT-{i}",
            year=2000 + i % 20,
            authors=[authors[(i + k) % len(authors)] for k in range(3)],
        )
        if i % 3 == 0:
            give_role(paper, [1, 2], ContributionRole.EQUAL_CONTRIBUTION)
        if i % 4 == 0:
            paper.awards.add(award)


# Whether anything is missing and the list of keys and texts; then per chunk the papers,
# their bylines, the bylines' authors, their roles, (the awards, for RIS and CSL) and the
# store, within a savepoint (2 queries).
QUERIES_PER_CHUNK = {"bib": 7, "ris": 8, "json": 8}


@pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
@pytest.mark.parametrize("count", [4, entry_cache.FIRST_CHUNK_SIZE])
def test_writing_a_chunk_costs_the_same_queries_for_few_papers_or_many(
    client, fmt, count, django_assert_num_queries
):
    make_papers(count)
    with django_assert_num_queries(2 + QUERIES_PER_CHUNK[fmt]):
        text = export(client, fmt, ascii=False)
    assert text.count("Paper ") >= count


@pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
def test_each_further_chunk_costs_the_same_queries(
    client, fmt, django_assert_num_queries, monkeypatch
):
    make_papers(entry_cache.FIRST_CHUNK_SIZE + 2 * 5)
    monkeypatch.setattr(entry_cache, "CHUNK_SIZE", 5)
    with django_assert_num_queries(2 + 3 * QUERIES_PER_CHUNK[fmt]):
        export(client, fmt, ascii=False)
