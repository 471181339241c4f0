"""Public pages. Thin: the filtering is in filters.py, the counting in facets.py,
and what is public is decided by the models' querysets."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.generic import DetailView, ListView, TemplateView

from bibliography import list_rows, search
from bibliography.caching import CachedPageMixin
from bibliography.facets import (
    active_filter_chips,
    compute_facets,
    frequent_coauthors,
    narrowing_facets,
    year_chart,
)
from bibliography.filters import (
    DATE_SORTS,
    ROLE_CHOICES,
    SORT_CHOICES,
    PaperFilter,
    adjacent_papers,
    filter_papers,
)
from bibliography.models import Author, Award, Paper, Topic, Venue


class NearerEndPaginator(Paginator):
    """Reads a page's ids first, from whichever end of the list is nearer, then its papers.

    The database walks OFFSET rows, so a page in the second half of the list is read from
    its end, in reverse order: the last page of 100,000 papers costs what the first does.
    The list's orderings all end in the primary key, so the reversed order is exactly the
    mirror of the other and the page holds the same papers. The rows walked are only ids,
    read from an index that holds the sort key (models.Paper.Meta.indexes), not the wide
    rows with their abstracts; the page's 25 papers are then fetched by id, by `rows(ids)`
    when given (by default from the list itself), and put in the page's order. `count`,
    when given, is the number of papers in the list.
    """

    def __init__(self, object_list, per_page, *, rows=None, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows or (lambda ids: object_list.order_by().filter(pk__in=ids))
        if count is not None:
            # Known already (the facet counts' statement counts the list too): not asked again.
            self.__dict__["count"] = count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        papers = self.object_list
        if not getattr(papers, "ordered", False):
            return super().page(number)
        ids = papers.values_list("pk", flat=True)
        if bottom * 2 <= self.count:
            page_ids = list(ids[bottom:top])
        else:
            page_ids = list(ids.reverse()[self.count - top : self.count - bottom])[::-1]
        found = {paper.pk: paper for paper in self.rows(page_ids)}
        return self._get_page([found[pk] for pk in page_ids if pk in found], number, self)


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


def role_options(filterset) -> list[tuple[str, str, bool]]:
    """(value, label, selected) for the byline-role menu, shown when the list is about one
    author (an author page, or one author chosen); empty otherwise."""
    if len(filterset.role_authors()) != 1:
        return []
    chosen = filterset.role_key or "any"
    return [("" if key == "any" else key, label, key == chosen) for key, label in ROLE_CHOICES]


class PaperBrowseView(CachedPageMixin, TemplateView):
    """A page listing papers with the list's search, facets, chart and pagination.

    Subclasses narrow the papers with `get_scope()` (one author's, one venue's) and may
    hide facets that the scope makes pointless.
    """

    template_name = "bibliography/paper_list.html"
    paginate_by = 25
    # A list this short is read at a glance: it gets no search box (unless searched or
    # filtered already, so that what was typed can be changed).
    searchable_from = 6
    page_parameters = (*PaperFilter.base_filters, "page")
    hidden_facets: tuple[str, ...] = ()

    def get_scope(self):
        """The papers this page lists before any parameter; None for every published one."""
        return None

    def facet_exclusions(self) -> dict:
        return {}

    def featured_papers(self) -> list:
        """The papers shown above the list ("Selected publications"), if any."""
        return []

    def role_author(self):
        """The author whose byline role `?role=` asks about when no `author` is chosen."""
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET
        papers, filterset = filter_papers(query, self.get_scope(), self.role_author())
        facets = compute_facets(
            filterset,
            hidden=self.hidden_facets,
            exclude_values=self.facet_exclusions(),
            version=getattr(self.request, "data_version", None),
        )
        page, page_notice = self.paginate(papers, facets.papers)
        notices = filterset.notices() + ([page_notice] if page_notice else [])
        chips = active_filter_chips(query, filterset, facets)
        shown_facets = narrowing_facets(facets, page.paginator.count)
        roles = role_options(filterset)
        context.update(
            papers=list(page.object_list),
            page_obj=page,
            paginator=page.paginator,
            filterset=filterset,
            facets=facets,
            shown_facets=shown_facets,
            show_search=bool(chips) or page.paginator.count >= self.searchable_from,
            # One paper and nothing to choose: no filter column at all.
            show_filters=bool(chips or shown_facets or roles) or page.paginator.count > 1,
            chips=chips,
            # What narrows the list besides the search: an empty result names the culprit.
            filtered=any(not chip.is_search for chip in chips),
            chart=year_chart(filterset, facets),
            notices=notices,
            search_query=filterset.search_query,
            search_words=search.query_words(filterset.search_query),
            sort=filterset.sort_key,
            sort_options=sort_options(filterset),
            group_by_year=filterset.sort_key in DATE_SORTS,
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            export_query=self.export_query(),
            year_from=filterset.form.cleaned_data.get("year_from"),
            year_to=filterset.form.cleaned_data.get("year_to"),
            role_options=roles,
            featured_papers=self.featured_papers(),
        )
        # One batch renders and stores whatever items either list lacks.
        list_rows.attach_rows(context["papers"] + context["featured_papers"], self.data_version)
        return context

    @property
    def data_version(self) -> str | None:
        """The data version the page is rendered under (caching.py): its stored list items
        are read under it."""
        return getattr(self.request, "data_version", None)

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

    def paginate(self, papers, count=None):
        """The requested page of `papers` (`count` of them, when already counted); a page
        that does not exist shows the nearest one, with a notice, instead of an error."""
        # The page's papers by id alone: with a search's thousands of ids beside them in
        # the same WHERE, PostgreSQL read every paper to find 25. Each with its stored
        # list item (list_rows.py).
        per_page = self.paginate_by
        if settings.STATIC_BUILD:
            # A static build's list is one file: every paper on it.
            per_page = max(papers.count() if count is None else count, 1)
        paginator = NearerEndPaginator(
            papers,
            per_page,
            rows=lambda ids: list_rows.with_stored_rows(
                Paper.objects.filter(pk__in=ids), self.data_version
            ),
            count=count,
        )
        asked = self.request.GET.get("page", "")
        page = paginator.get_page(asked)
        notice = ""
        if asked and asked != str(page.number):
            notice = gettext("There is no page “%(asked)s”; showing page %(number)s.") % {
                "asked": asked[:20],
                "number": page.number,
            }
        return page, notice


class PaperListView(PaperBrowseView):
    """The home page: every published paper, under the selected ones when nothing is
    filtered (the list's own first page, as a visitor arrives)."""

    # Long enough to show a researcher's best work, short enough to stay a preface.
    featured_limit = 10

    def featured_papers(self):
        if self.request.GET:
            return []
        featured = list_rows.with_stored_rows(Paper.objects.featured(), self.data_version)
        return list(featured[: self.featured_limit])


class ScopedBrowseView(PaperBrowseView):
    """A browse page about one author, venue or award (404 when it has no public paper)."""

    model = None

    def get(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.public_objects(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def public_objects(self):
        return self.model.objects.public()

    def get_context_data(self, **kwargs):
        # The page's own feed: the feed takes the list's parameters, so this page's scope.
        feed_url = f"{reverse('bibliography:feed')}?{urlencode(self.scope_params())}"
        return super().get_context_data(object=self.object, feed_url=feed_url, **kwargs)


class AuthorDetailView(ScopedBrowseView):
    """An author's profile and papers. The slug of an author merged into another answers
    with a permanent redirect to the kept author's page."""

    model = Author
    template_name = "bibliography/author_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            if moved := Author.objects.moved_from(kwargs["slug"]):
                target = moved.get_absolute_url()
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
            raise

    def role_author(self):
        return self.object

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
    """A venue's papers; a series' page lists its members' papers too, with the venue facet
    to narrow them to one member."""

    model = Venue
    template_name = "bibliography/venue_detail.html"

    @property
    def hidden_facets(self):
        return ("kind",) if self.members else ("venue", "kind")

    def get(self, request, *args, **kwargs):
        self.members = list(Venue.objects.public().filter(series__slug=kwargs["slug"]))
        return super().get(request, *args, **kwargs)

    def public_objects(self):
        return super().public_objects().select_related("series")

    def get_scope(self):
        return Paper.objects.filter(venue__in=Venue.objects.with_members([self.object]))

    def facet_exclusions(self):
        return {"venue": {self.object.slug}}

    def scope_params(self):
        return {"venue": self.object.slug}

    def get_context_data(self, **kwargs):
        return super().get_context_data(venue=self.object, members=self.members, **kwargs)


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


class TopicDetailView(ScopedBrowseView):
    model = Topic
    template_name = "bibliography/topic_detail.html"
    hidden_facets = ("topic",)

    def get_scope(self):
        return Paper.objects.filter(topics=self.object)

    def scope_params(self):
        return {"topic": self.object.slug}

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.object, **kwargs)


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


def _published_count(lookup):
    return Count(lookup, filter=Q(**{f"{lookup}__published": True}), distinct=True)


class AuthorIndexView(CachedPageMixin, ListView):
    """The people page: the site's owners (lab members) with their profiles first, then
    everyone with a public paper, by family name, with their counts; paginated, so it costs
    four queries whether there are 50 authors or 50,000."""

    template_name = "bibliography/author_list.html"
    context_object_name = "authors"
    paginate_by = 200
    page_parameters = ("page",)

    def get_queryset(self):
        return (
            Author.objects.public()
            .annotate(paper_count=_published_count("authorships__paper"))
            .order_by("family_name", "given_name", "pk")
        )

    def get_paginate_by(self, queryset):
        # A static build's index is one file: every author on it.
        return max(queryset.count(), 1) if settings.STATIC_BUILD else self.paginate_by

    def paginate_queryset(self, queryset, page_size):
        # A page that does not exist shows the nearest one, as the paper lists do.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["page_range"] = page.paginator.get_elided_page_range(page.number)
        context["owners"] = list(self.get_queryset().filter(is_site_owner=True))
        return context


class VenueIndexView(CachedPageMixin, TemplateView):
    """Every public venue with its number of papers; a series lists its members under it
    and counts theirs with its own. Two queries."""

    template_name = "bibliography/venue_list.html"

    def get_context_data(self, **kwargs):
        venues = list(
            Venue.objects.public()
            .annotate(paper_count=_published_count("papers"))
            .order_by("short_name", "name")
        )
        for venue in venues:
            venue.member_list = [v for v in venues if v.series_id == venue.pk]
            venue.total = venue.paper_count + sum(v.paper_count for v in venue.member_list)
        top = [
            v for v in venues if v.series_id is None or v.series_id not in {x.pk for x in venues}
        ]
        return super().get_context_data(venues=top, **kwargs)


class AwardIndexView(CachedPageMixin, ListView):
    """Every public award with who gave it, when, and how many papers received it."""

    template_name = "bibliography/award_list.html"
    context_object_name = "awards"

    def get_queryset(self):
        return (
            Award.objects.public()
            .select_related("venue")
            .annotate(paper_count=_published_count("papers"))
            .order_by("-year", "name")
        )


@cache_control(public=True, max_age=24 * 60 * 60)
def favicon(request):
    """/favicon.ico (static/favicon.ico): browsers ask for it on every page, the admin's
    too, which links no icon of its own."""
    return FileResponse(open(finders.find("favicon.ico"), "rb"), content_type="image/x-icon")
