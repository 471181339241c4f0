"""What each list item's Cite control shows: the paper's BibTeX (without the abstract) and
its reference in the site's first style (APA), to copy or download from the list.

Both come from the stored texts (`entry_cache.py`), read in the query that fetches the
page's papers, so the control adds no query per item; the texts a page lacks (papers
changed since) are written for the whole page at once.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from bibliography.citations import entry_cache, styles
from bibliography.models import Paper

# The style a list item offers beside BibTeX; the paper page has every style.
LIST_STYLE = styles.STYLES[0]
_TEXTS = (entry_cache.BIBTEX_SHOWN, styles.STORED_STYLES[LIST_STYLE.key])


@dataclass(frozen=True)
class QuickCite:
    bibtex: str
    formatted: styles.FormattedCitation


def with_quick_cite(papers: QuerySet) -> QuerySet:
    """`papers` reading their stored Cite texts in the same query."""
    return entry_cache.with_current_texts(papers, _TEXTS)


def attach_quick_cite(papers: list[Paper]) -> None:
    """Give each of `papers` (read through `with_quick_cite`) its `paper.quick_cite`."""
    entry_cache.attach_texts(papers, _TEXTS)
    bibtex_style, formatted_style = _TEXTS
    for paper in papers:
        texts = paper.stored_texts
        paper.quick_cite = QuickCite(
            bibtex=texts[bibtex_style.name],
            formatted=styles.sanitized_citation(LIST_STYLE, texts[formatted_style.name]),
        )
