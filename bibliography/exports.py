"""Citation downloads: one paper or the current list as BibTeX, RIS or CSL-JSON.

The views only pick the format; `bibliography.citations` writes the text. A list export
is streamed from the stored entries (`entry_cache.py`): a long list only concatenates
them, and writes (and stores) the ones missing since the papers last changed.

Before the response starts, the view runs the export's first database round trip, so a
database outage gets the 503 page (bibliography/errors.py) instead of the WSGI server's
bare 500. A failure later, mid-stream, is raised to the server, which then drops the
connection without ending the chunked body: the client sees an incomplete transfer, never
a 200 that looks complete. An address that asks for too many exports with entries to
write is told to wait (`throttling.py`).
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.views import View

from bibliography import throttling
from bibliography.caching import cached_page
from bibliography.citations import bibtex, csl, cv, cv_pdf, entry_cache, ris
from bibliography.filters import PaperFilter, filter_papers
from bibliography.models import Paper
from bibliography.site_title import site_title


@dataclass(frozen=True)
class ExportFormat:
    content_type: str
    # Turns papers (instances fetched with `for_list()`) into the file's text, piece by piece.
    write: Callable[[Iterable[Paper], bool], Iterator[str]]
    # How the whole list's file is put together from stored entries, by `ascii`.
    list_file: Callable[[bool], entry_cache.ListFile]


FORMATS = {
    "bib": ExportFormat(
        "application/x-bibtex; charset=utf-8",
        lambda papers, ascii: bibtex.iter_bibtex(papers, ascii=ascii),
        lambda ascii: entry_cache.BIBTEX_ASCII_FILE if ascii else entry_cache.BIBTEX_FILE,
    ),
    "ris": ExportFormat(
        "application/x-research-info-systems; charset=utf-8",
        lambda papers, ascii: ris.iter_ris(papers),
        lambda ascii: entry_cache.RIS_FILE,
    ),
    "json": ExportFormat(
        "application/vnd.citationstyles.csl+json; charset=utf-8",
        lambda papers, ascii: csl.iter_csl_json(papers),
        lambda ascii: entry_cache.CSL_JSON_FILE,
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


def paper_export_text(paper: Paper, fmt: str, ascii: bool = False) -> str:
    """One paper's citation file (fetched with `for_list()`): the page `/papers/<slug>.<fmt>`
    answers it, and the static build writes it."""
    return "".join(FORMATS[fmt].write([paper], ascii))


class PaperExportView(View):
    """`/papers/<slug>.<bib|ris|json>`: one published paper's citation file."""

    def get(self, request, slug, fmt):
        paper = get_object_or_404(Paper.objects.published().for_list(), slug=slug)
        text = paper_export_text(paper, fmt, "ascii" in request.GET)
        response = HttpResponse(text, content_type=FORMATS[fmt].content_type)
        return _export_response(response, request, fmt, paper.slug)


class PaperListExportView(View):
    """`/papers.<bib|ris|json>`: every paper of the list as filtered by the query string."""

    def get(self, request, fmt):
        papers = papers_for(request)
        list_file = FORMATS[fmt].list_file("ascii" in request.GET)
        if entry_cache.has_missing(papers, list_file.style):
            refused = throttling.count_costly_request(request)
            if refused:
                return refused
        pieces = entry_cache.iter_list(papers, list_file)
        # Here, not in the stream: a database error is still the view's, and Django's.
        first = next(pieces, None)
        response = StreamingHttpResponse(
            chain([first], pieces) if first is not None else [],
            content_type=FORMATS[fmt].content_type,
        )
        return _export_response(response, request, fmt, "publications")


class PublicationListView(View):
    """`/papers.pdf` and `/papers.tex`: the list (as filtered by the query string, every
    page of it) as a CV prints it (`citations/cv.py`): a PDF, or a LaTeX `enumerate` to
    `\\input`. Rendered from the papers (no stored entries), so each file is cached under
    the data version like a page, and each render counts against the address's limit of
    costly requests; a list longer than settings.PUBLICATION_LIST_MAX_PAPERS is refused."""

    fmt = ""
    content_type = ""

    def get(self, request):
        # Read first: the cache drops `?download` (an empty value) from the request.
        download = "download" in request.GET
        response = cached_page(request, lambda: self.render(request), PaperFilter.base_filters)
        if download and response.status_code == 200:
            response["Content-Disposition"] = f'attachment; filename="publications.{self.fmt}"'
        return response

    def render(self, request):
        refused = throttling.count_costly_request(request)
        if refused:
            return refused
        limit = settings.PUBLICATION_LIST_MAX_PAPERS
        papers = list(papers_for(request).for_list()[: limit + 1])
        if len(papers) > limit:
            return HttpResponse(
                gettext(
                    "This list has more than %(limit)s papers, too many for one file: choose a "
                    "year or an author on the list page first (e.g. /papers.pdf?year=2022)."
                )
                % {"limit": intcomma(limit)},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return HttpResponse(self.write(papers), content_type=self.content_type)

    def write(self, papers: list[Paper]):
        raise NotImplementedError


class PublicationListPdfView(PublicationListView):
    fmt = "pdf"
    content_type = "application/pdf"

    def write(self, papers):
        count = f"{len(papers)} publication{'' if len(papers) == 1 else 's'}"
        return cv_pdf.publication_list_pdf(papers, site_title(self.request), note=count)


class PublicationListLatexView(PublicationListView):
    fmt = "tex"
    content_type = "application/x-tex; charset=utf-8"

    def write(self, papers):
        return "".join(cv.iter_latex_fragment(papers))
