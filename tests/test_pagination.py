"""Pages in the second half of the list are read from its end (views.NearerEndPaginator):
every page, under every sort, holds exactly the papers that OFFSET from the front gives."""

import pytest
from django.core.paginator import Paginator

from bibliography.filters import filter_papers
from bibliography.views import NearerEndPaginator
from tests.test_views_queries import build_library

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [{}, {"sort": "oldest"}, {"sort": "title"}, {"q": "multilingual paper"}, {"venue": "v1"}],
)
def test_every_page_holds_what_offset_from_the_front_gives(params):
    build_library(2000)
    papers, _ = filter_papers(params)
    front = Paginator(papers, 25)
    nearer = NearerEndPaginator(papers, 25)
    assert nearer.num_pages == front.num_pages > 10
    for number in front.page_range:
        expected = [paper.pk for paper in front.page(number)]
        page = nearer.page(number)
        assert [paper.pk for paper in page] == expected, f"page {number}"
        assert (page.start_index(), page.end_index()) == (
            front.page(number).start_index(),
            front.page(number).end_index(),
        )
