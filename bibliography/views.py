"""Public pages. Thin: the filtering is in filters.py, the counting in facets.py,
and what is public is decided by the models' querysets."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView

from bibliography.caching import CachedPageMixin
from bibliography.facets import active_filter_chips, compute_facets, frequent_coauthors, year_chart
from bibliography.filters import (
    DATE_SORTS,
    SORT_CHOICES,
    PaperFilter,
    adjacent_papers,
    filter_papers,
)
from bibliography.models import Author, Award, Paper, Venue


class NearerEndPaginator(Paginator):
    """Reads a page in the second half of the list from its end, in reverse order: the
    database walks OFFSET rows from whichever end is nearer, so the last page of 100,000
    papers costs what the first does (from the front, it was a sort of every paper). The
    list's orderings all end in the primary key, so the reversed order is exactly the
    mirror of the other and the page holds the same papers."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if bottom * 2 <= self.count or not getattr(self.object_list, "ordered", False):
            return super().page(number)
        mirrored = self.object_list.reverse()[self.count - top : self.count - bottom]
        return self._get_page(list(mirrored)[::-1], number, self)


def sort_options(filterset) -> list[tuple[str, str, bool]]:
    """(value, label, selected) for the sort menu. The default sort's value is empty, so a
    new search submitted from the form gets the default for searches (relevance) instead
    of keeping the date order the page had before."""
    has_query = bool(filterset.search_query)
    default = "relevance" if has_query else "newest"
    return [
        ("" if key == default else key, label, key == filterset.sort_key)
        for key, label in SORT_CHOICES
        if key != "relevance" or has_query
    ]


class PaperBrowseView(CachedPageMixin, TemplateView):
    """A page listing papers with the list's search, facets, chart and pagination.

    Subclasses narrow the papers with `get_scope()` (one author's, one venue's) and may
    hide facets that the scope makes pointless.
    """

    template_name = "bibliography/paper_list.html"
    paginate_by = 25
    page_parameters = (*PaperFilter.base_filters, "page")
    hidden_facets: tuple[str, ...] = ()

    def get_scope(self):
        """The papers this page lists before any parameter; None for every published one."""
        return None

    def facet_exclusions(self) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET
        papers, filterset = filter_papers(query, self.get_scope())
        page, page_notice = self.paginate(papers.for_list())
        facets = compute_facets(
            filterset, hidden=self.hidden_facets, exclude_values=self.facet_exclusions()
        )
        notices = filterset.notices() + ([page_notice] if page_notice else [])
        context.update(
            papers=page.object_list,
            page_obj=page,
            paginator=page.paginator,
            filterset=filterset,
            facets=facets,
            chips=active_filter_chips(query, filterset, facets),
            chart=year_chart(filterset, facets),
            notices=notices,
            search_query=filterset.search_query,
            sort=filterset.sort_key,
            sort_options=sort_options(filterset),
            group_by_year=filterset.sort_key in DATE_SORTS,
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            export_query=self.export_query(),
            year_from=filterset.form.cleaned_data.get("year_from"),
            year_to=filterset.form.cleaned_data.get("year_to"),
        )
        return context

    def export_query(self) -> str | None:
        """The query string that exports the whole current list (every page), or None
        when the list export's parameters cannot say what this page shows."""
        params = self.request.GET.copy()
        params.pop("page", None)
        for name, value in self.scope_params().items():
            if params.getlist(name):
                return None
            params[name] = value
        return params.urlencode()

    def scope_params(self) -> dict:
        """The list parameters that select this page's papers (e.g. {"venue": slug})."""
        return {}

    def paginate(self, papers):
        """The requested page; a page that does not exist shows the nearest one, with a
        notice, instead of an error."""
        paginator = NearerEndPaginator(papers, self.paginate_by)
        asked = self.request.GET.get("page", "")
        page = paginator.get_page(asked)
        notice = ""
        if asked and asked != str(page.number):
            notice = f"There is no page “{asked[:20]}”; showing page {page.number}."
        return page, notice


class PaperListView(PaperBrowseView):
    """The home page: every published paper."""


class ScopedBrowseView(PaperBrowseView):
    """A browse page about one author, venue or award (404 when it has no public paper)."""

    model = None

    def get(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.model.objects.public(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)


class AuthorDetailView(ScopedBrowseView):
    model = Author
    template_name = "bibliography/author_detail.html"

    def get_scope(self):
        return Paper.objects.filter(authorships__author=self.object)

    def scope_params(self):
        return {"author": self.object.slug}

    def facet_exclusions(self):
        return {"author": {self.object.slug}}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["author"] = self.object
        context["coauthors"] = frequent_coauthors(self.object, self.get_scope().published())
        return context


class VenueDetailView(ScopedBrowseView):
    model = Venue
    template_name = "bibliography/venue_detail.html"
    hidden_facets = ("venue", "kind")

    def get_scope(self):
        return Paper.objects.filter(venue=self.object)

    def scope_params(self):
        return {"venue": self.object.slug}

    def get_context_data(self, **kwargs):
        return super().get_context_data(venue=self.object, **kwargs)


class AwardDetailView(ScopedBrowseView):
    model = Award
    template_name = "bibliography/award_detail.html"
    hidden_facets = ("award",)

    def get_scope(self):
        return Paper.objects.filter(awards=self.object)

    def scope_params(self):
        return {"award": self.object.slug}

    def get_context_data(self, **kwargs):
        return super().get_context_data(award=self.object, **kwargs)


class PaperDetailView(CachedPageMixin, DetailView):
    """One published paper; a draft's URL is a 404."""

    template_name = "bibliography/paper_detail.html"
    context_object_name = "paper"

    def get_queryset(self):
        return Paper.objects.published().for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["previous_paper"], context["next_paper"] = adjacent_papers(self.object)
        return context
