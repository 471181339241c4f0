"""Citation downloads: one paper or the current list as BibTeX, RIS or CSL-JSON.

The views only pick the format; `bibliography.citations` writes the text. A list
export is streamed: papers are fetched in chunks, so memory stays flat however many
match, and BibTeX entries come from the stored ones where they are current.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from bibliography.citations import bibtex, csl, entry_cache, ris
from bibliography.filters import filter_papers
from bibliography.models import Paper

# Papers fetched (with their authors and awards) per database round trip of a list export.
CHUNK_SIZE = 500


@dataclass(frozen=True)
class ExportFormat:
    content_type: str
    # Turns papers (instances fetched with `for_list()`) into the file's text, piece by piece.
    write: Callable[[Iterable[Paper], bool], Iterator[str]]
    # Turns a whole list (a queryset) into the file's text, piece by piece.
    write_list: Callable[[QuerySet, bool], Iterator[str]]


def _in_chunks(queryset: QuerySet) -> Iterator[Paper]:
    return queryset.for_list().iterator(chunk_size=CHUNK_SIZE)


FORMATS = {
    "bib": ExportFormat(
        "application/x-bibtex; charset=utf-8",
        lambda papers, ascii: bibtex.iter_bibtex(papers, ascii=ascii),
        # From the stored entries (entry_cache.py): a long list only concatenates them.
        lambda queryset, ascii: entry_cache.iter_list_bibtex(queryset, ascii=ascii),
    ),
    "ris": ExportFormat(
        "application/x-research-info-systems; charset=utf-8",
        lambda papers, ascii: ris.iter_ris(papers),
        lambda queryset, ascii: ris.iter_ris(_in_chunks(queryset)),
    ),
    "json": ExportFormat(
        "application/vnd.citationstyles.csl+json; charset=utf-8",
        lambda papers, ascii: csl.iter_csl_json(papers),
        lambda queryset, ascii: csl.iter_csl_json(_in_chunks(queryset)),
    ),
}


def papers_for(request):
    """Every published paper the list page shows for this request's query parameters
    (all pages of it), in the list's order. Unusable parameters are ignored, as there."""
    papers, _ = filter_papers(request.GET)
    return papers


def _export_response(response, request, fmt: str, filename: str):
    if "download" in request.GET:
        response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


class PaperExportView(View):
    """`/papers/<slug>.<bib|ris|json>`: one published paper's citation file."""

    def get(self, request, slug, fmt):
        paper = get_object_or_404(Paper.objects.published().for_list(), slug=slug)
        text = "".join(FORMATS[fmt].write([paper], "ascii" in request.GET))
        response = HttpResponse(text, content_type=FORMATS[fmt].content_type)
        return _export_response(response, request, fmt, paper.slug)


class PaperListExportView(View):
    """`/papers.<bib|ris|json>`: every paper of the list as filtered by the query string."""

    def get(self, request, fmt):
        response = StreamingHttpResponse(
            FORMATS[fmt].write_list(papers_for(request), "ascii" in request.GET),
            content_type=FORMATS[fmt].content_type,
        )
        return _export_response(response, request, fmt, "publications")
