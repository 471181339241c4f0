"""A whole-list export with nothing stored starts before it has written every entry: its
first piece goes out after a short first batch (entry_cache.FIRST_CHUNK_SIZE), and what it
wrote is stored as it goes."""

import pytest
from django.db import connection

from bibliography.citations.entry_cache import FIRST_CHUNK_SIZE
from tests.factories import make_paper

pytestmark = pytest.mark.django_db


def stored_entries(style: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM citation_cache WHERE style = %s", [style])
        return cursor.fetchone()[0]


@pytest.mark.parametrize(("fmt", "style"), [("bib", "bibtex"), ("ris", "ris")])
def test_the_first_piece_is_sent_after_a_short_first_batch(client, fmt, style):
    total = FIRST_CHUNK_SIZE + 30
    for i in range(total):
        make_paper(authors=["Lovelace"], title=f"Paper {i}", year=2000 + i % 20)
    response = client.get(f"/papers.{fmt}")
    pieces = iter(response.streaming_content)
    next(pieces)
    # The view had the first batch written before answering; no more than that.
    assert stored_entries(style) == FIRST_CHUNK_SIZE
    rest = b"".join(pieces)
    assert rest
    assert stored_entries(style) == total
