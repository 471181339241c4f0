"""The data version, and the page cache and conditional GETs keyed on it.

Database triggers (triggers.py) give the one row of `bibliography_dataversion` a new
random token and the time of the change in the same transaction as every write to any of
the bibliography's tables, whoever makes it: a model save, an admin `queryset.update()`,
the importer's bulk writes, loaddata, or a fix typed into `psql` or `sqlite3`. A page is
cached under the token it was rendered with, so it is served from the cache only while
nothing has changed since: no write path has to remember to invalidate anything.

The token lives in the database, not in a worker's memory, so each request reads it (one
small query) and the check is right across gunicorn's workers and machines, whichever cache
holds the pages (each worker's memory by default, or a shared Redis: settings.CACHES).

A page depends on the data, on the scheme and host (it holds absolute URLs), on its path,
on the language it is written in (LocaleMiddleware chose it from the language cookie or
Accept-Language, so the response varies on both) and on the query parameters its view reads
(`CachedPageMixin.page_parameters`); its key and ETag are made of those alone, the
parameters sorted and empty ones dropped, so junk parameters and their order cost no render
and no cache entry. The view renders from those parameters too, so that the page's links
(which keep the current filters) carry nothing another visitor of the same cached page did
not ask for.
"""

import hashlib
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.http import HttpResponse, QueryDict
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from bibliography.triggers import VERSION_TABLE

# Long enough for a page nobody asked for again to leave room for others.
PAGE_TIMEOUT = 60 * 60


class DataVersion(NamedTuple):
    token: str
    changed_at: float | None  # seconds since 1970


def current_data_version() -> DataVersion:
    """The data's current version and the time it was given (one query), read where the
    page's data is read (the replica, if reads go to one: settings.DATABASE_ROUTERS), so
    that a page rendered from a lagging replica is keyed on the replica's version."""
    from bibliography.models import Paper

    with connections[router.db_for_read(Paper)].cursor() as cursor:
        cursor.execute(f"SELECT token, changed_at FROM {VERSION_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return DataVersion(*row) if row else DataVersion("none", None)


def data_version() -> str:
    """The current token: it changes with every write to the bibliography (one query)."""
    return current_data_version().token


def known_parameters(query: QueryDict, names) -> QueryDict:
    """The parameters of `query` named in `names`, sorted by name (each one's values in the
    order given), without empty values."""
    known = [
        (name, value)
        for name in sorted(set(query) & set(names))
        for value in query.getlist(name)
        if value != ""
    ]
    return QueryDict(urlencode(known))


def cached_page(request, render, parameters=()):
    """The response of `render()` for this request, from the cache if the data has not
    changed since it was rendered; a 304 when the visitor's copy is still current.

    `parameters` names the query parameters the page depends on; the others are dropped
    from `request.GET` before `render()` runs. Public pages do not depend on who asks (no
    user, no CSRF token, no messages)."""
    if request.method not in ("GET", "HEAD"):
        return render()
    version = current_data_version()
    # For what the page's parts keep under the same version (facets, the site's title).
    request.data_version = version.token
    request.GET = known_parameters(request.GET, parameters)
    identity = [version.token, request.scheme, request.get_host(), request.path, get_language()]
    key = hashlib.sha256("\n".join([*identity, request.GET.urlencode()]).encode()).hexdigest()

    etag = f'"{key[:32]}"'
    last_modified = int(version.changed_at) if version.changed_at is not None else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return _with_validators(not_modified, etag, last_modified)

    hit = cache.get("page:" + key)
    if hit is not None:
        content, content_type = hit
        response = HttpResponse(content, content_type=content_type)
        _mark_cache_status(response, "hit")
    else:
        response = render()
        if hasattr(response, "render"):
            response.render()
        if response.status_code != 200 or response.streaming:
            return response
        cache.set("page:" + key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
        _mark_cache_status(response, "miss")
    return _with_validators(response, etag, last_modified)


def _mark_cache_status(response, status: str) -> None:
    """`X-Cache: hit|miss` when settings.PAGE_CACHE_STATUS_HEADER is on (the benchmark counts
    its cache misses with it); off by default, a visitor has no use for it."""
    if getattr(settings, "PAGE_CACHE_STATUS_HEADER", False):
        response["X-Cache"] = status


def _with_validators(response, etag: str, last_modified: int | None):
    # The language the page is in came from the cookie or Accept-Language: a shared cache
    # must not give one visitor's language to another (nor their ETags).
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return response


class CachedPageMixin:
    """A view whose GET responses are cached under the data version and the request's
    scheme, host, path and `page_parameters` (the query parameters the view reads)."""

    page_parameters: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        def render():
            return super(CachedPageMixin, self).dispatch(request, *args, **kwargs)

        return cached_page(request, render, self.page_parameters)
