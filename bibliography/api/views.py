"""The read API's resources: thin views over `representations.py`.

Every answer goes through `ApiView.dispatch`: the query string is checked first (a
parameter the resource does not read, or a single one given twice, is a 400 naming it), then
the page cache answers if it can (`caching.cached_page`: an ETag and Last-Modified from the
data version, 304 for a current copy); a page it must compute counts against
API_RATE_LIMIT. The paper list reads the list's own FilterSet; where the list page
ignores a value it cannot use and says so, the API refuses it (400 naming the parameter),
so that a script never mistakes a typo for an empty result.
"""

from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from bibliography import throttling
from bibliography.api import cors, openapi, representations
from bibliography.caching import cached_page
from bibliography.filters import PaperFilter, filter_papers
from bibliography.models import Author, Paper
from bibliography.views import NearerEndPaginator

API = representations.API
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
PAGE_PARAMETERS = ("page", "page_size")
# Page numbers and sizes are short: a longer string of digits is no page anyone has.
MAX_NUMBER_DIGITS = 6


class ApiError(Exception):
    """An answer other than 200: the status, what is wrong, and the parameter at fault."""

    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status, self.message, self.parameter = status, message, parameter

    def response(self) -> JsonResponse:
        error = {"status": self.status, "message": self.message}
        if self.parameter:
            error["parameter"] = self.parameter
        return json_response({"error": error}, status=self.status)


class Moved(ApiError):
    """A resource at another address now (an old slug): a permanent redirect there."""

    def __init__(self, location: str):
        super().__init__(301, f"Moved to {location}.")
        self.location = location

    def response(self):
        return HttpResponsePermanentRedirect(self.location)


def json_response(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


# It only reads, so no request can change anything: a POST gets the API's 405 in JSON
# rather than the CSRF failure page.
@method_decorator(csrf_exempt, name="dispatch")
class ApiView(View):
    """One resource. `parameters` are the query parameters it reads; those in `repeatable`
    may be given several times (`?year=2021&year=2022`), the others once."""

    http_method_names = ["get", "head", "options"]
    parameters: tuple[str, ...] = ()
    repeatable: frozenset[str] = frozenset()

    def dispatch(self, request, *args, **kwargs):
        if request.method == "OPTIONS":
            return cors.preflight_response(request)
        if request.method not in ("GET", "HEAD"):
            response = ApiError(405, f"The API only reads: {request.method} is not allowed.")
            response = response.response()
            response["Allow"] = cors.ALLOWED_METHODS
        else:
            response = self.answer(request, kwargs)
        return cors.with_cors_headers(request, response)

    def answer(self, request, kwargs):
        try:
            self.check_parameters(request.GET)
        except ApiError as error:
            return error.response()

        def render():
            wait = throttling.seconds_to_wait(request, "API_RATE_LIMIT")
            if wait is not None:
                refused = ApiError(429, "Too many requests from your address; try again later.")
                response = refused.response()
                response["Retry-After"] = str(wait)
                return response
            try:
                return json_response(self.data(request, **kwargs))
            except ApiError as error:
                return error.response()

        return cached_page(request, render, self.parameters)

    def check_parameters(self, query):
        for name in query:
            values = [value for value in query.getlist(name) if value != ""]
            if name not in self.parameters:
                known = ", ".join(self.parameters) or "none"
                message = f"Unknown parameter “{name[:40]}” (this resource reads: {known})."
                raise ApiError(400, message, name[:100])
            if len(values) > 1 and name not in self.repeatable:
                raise ApiError(400, f"Give “{name}” once, not {len(values)} times.", name)

    def data(self, request, **kwargs) -> dict:
        raise NotImplementedError


def whole_number(query, name: str, default: int, maximum: int | None = None) -> int:
    value = query.get(name, "")
    if value == "":
        return default
    if not value.isascii() or not value.isdigit() or len(value) > MAX_NUMBER_DIGITS:
        raise ApiError(400, f"{name}: “{value[:20]}” is not a whole number.", name)
    number = int(value)
    if number < 1 or (maximum is not None and number > maximum):
        upper = f" to {maximum}" if maximum is not None else " or more"
        raise ApiError(400, f"{name}: give a number from 1{upper}, not {number}.", name)
    return number


def paginated(request, queryset, represent, paginator_class=Paginator) -> dict:
    """One page of `queryset` as the list's JSON: counts, `next`/`previous` addresses that
    keep every other parameter, and the page's objects through `represent`."""
    size = whole_number(request.GET, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    number = whole_number(request.GET, "page", 1)
    paginator = paginator_class(queryset, size)
    if number > paginator.num_pages:
        raise ApiError(
            400, f"page: there is no page {number}; the last is {paginator.num_pages}.", "page"
        )
    page = paginator.page(number)

    def page_address(other: int) -> str:
        query = request.GET.copy()
        query["page"] = str(other)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    absolute = request.build_absolute_uri
    return {
        "count": paginator.count,
        "page": number,
        "pages": paginator.num_pages,
        "page_size": size,
        "next": page_address(number + 1) if page.has_next() else None,
        "previous": page_address(number - 1) if page.has_previous() else None,
        "results": [represent(obj, absolute) for obj in page.object_list],
    }


class NotFoundView(ApiView):
    """Any other address under the API: a JSON 404, as a script expects, not the site's page."""

    def answer(self, request, kwargs):
        return ApiError(404, f"There is nothing at {request.path[:200]}.").response()


class IndexView(ApiView):
    def data(self, request):
        absolute = request.build_absolute_uri
        names = ("paper", "author", "venue", "award", "topic")
        links = {f"{name}s": absolute(reverse(f"{API}:{name}-list")) for name in names}
        return {**links, "openapi": absolute(reverse(f"{API}:openapi"))}


class OpenApiView(ApiView):
    def data(self, request):
        return openapi.description()


class PaperListView(ApiView):
    """The list page's papers, filters and search, in its order, a page at a time."""

    parameters = (*PaperFilter.base_filters, *PAGE_PARAMETERS)
    repeatable = frozenset(PaperFilter.FACETS)

    def data(self, request):
        papers, filterset = filter_papers(request.GET)
        if problems := filterset.problems():
            first = problems[0]
            raise ApiError(400, f"{first.parameter}: {first.reason}.", first.parameter)
        return paginated(
            request,
            representations.shown_in_full(papers),
            representations.paper,
            NearerEndPaginator,
        )


class ResourceDetailView(ApiView):
    """One public object by slug; a slug only drafts reach answers as an unknown one.
    `urls.py` gives each resource its `noun`, `objects` and `represent`."""

    noun = ""

    def objects(self):
        raise NotImplementedError

    def represent(self, obj, absolute) -> dict:
        raise NotImplementedError

    def data(self, request, slug):
        found = self.objects().filter(slug=slug).first()
        if found is None:
            raise ApiError(404, f"There is no {self.noun} “{slug}”.")
        return self.represent(found, request.build_absolute_uri)


class ResourceListView(ApiView):
    """Every public object of a kind, a page at a time (`objects` and `represent` as for
    `ResourceDetailView`)."""

    parameters = PAGE_PARAMETERS

    def objects(self):
        raise NotImplementedError

    def represent(self, obj, absolute) -> dict:
        raise NotImplementedError

    def data(self, request):
        return paginated(request, self.objects(), self.represent)


def published_papers_in_full():
    """The papers one-paper answers show: every published one, with all it is shown with."""
    return representations.shown_in_full(Paper.objects.published())


class AuthorDetailView(ResourceDetailView):
    """One author; the slug of an author merged into another (or renamed) moves to the
    kept author, as the author's page does."""

    def data(self, request, slug):
        try:
            return super().data(request, slug)
        except ApiError:
            moved = Author.objects.moved_from(slug)
            if moved is None:
                raise
            target = reverse("api-v1:author-detail", kwargs={"slug": moved.slug})
            query = request.META.get("QUERY_STRING", "")
            raise Moved(f"{target}?{query}" if query else target) from None
