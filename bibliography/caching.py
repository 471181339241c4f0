"""The data version and the page cache keyed on it.

Every statement that writes to one of the bibliography's tables (a model save, an admin
`queryset.update()`, the importer's and the demo generator's bulk writes, loaddata, a raw
SQL fix in a shell) gives the one row of `bibliography_dataversion` a new random token, in
the same transaction as the write. (It is a table of migration 0002, not a model, so that
dumps and fixtures never carry it.) Pages are cached under the token they were rendered with, so a
page is served from the cache only while nothing has changed since: no write path has to
remember to invalidate anything, and no cached count can outlive an edit.

The token lives in the database, not in a worker's memory, so the check is right across
gunicorn's worker processes even though each keeps its own cache (Django's default
local-memory cache): each worker reads the token once per request (one small query).
"""

import hashlib
import secrets

from django.core.cache import cache
from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.dispatch import receiver
from django.http import HttpResponse

VERSION_TABLE = "bibliography_dataversion"
_BUMP_SQL = (
    f"INSERT INTO {VERSION_TABLE} (id, token) VALUES (1, %s) "
    "ON CONFLICT (id) DO UPDATE SET token = excluded.token"
)
_WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "REPLACE")
# Long enough for a page nobody asked for again to leave room for others.
PAGE_TIMEOUT = 60 * 60

# Migrations rebuild tables (SQLite copies rows with INSERT ... SELECT) before the version
# table may exist; they bump once when they are done instead.
_paused = False


def bump_data_version(cursor) -> None:
    """Give the data a new version: every cached page becomes unreachable."""
    cursor.execute(_BUMP_SQL, [secrets.token_hex(16)])


def _is_bibliography_write(sql: str) -> bool:
    return (
        "bibliography_" in sql and sql.lstrip()[:8].upper().startswith(_WRITES) and sql != _BUMP_SQL
    )


def _bump_after_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not _paused and _is_bibliography_write(sql):
        connection = context["connection"]
        if not _already_bumped(connection):
            # A cursor of its own: the write's cursor may still hold rows to read (RETURNING).
            with connection.cursor() as cursor:
                bump_data_version(cursor)
            if connection.in_atomic_block:
                # One bump per transaction is enough (an import writes in hundreds of
                # statements): other connections see the new token and the rows together.
                marker = _BumpMarker(tuple(connection.savepoint_ids))
                connection.bibliography_bump = marker
                connection.on_commit(marker)
    return result


class _BumpMarker:
    """Pending in the transaction's on-commit list while its bump stands: Django drops it
    when the transaction or the savepoint it was made in rolls back. Each atomic block
    bumps once of its own, so a block's queries do not depend on the blocks before it."""

    def __init__(self, savepoint_ids):
        self.savepoint_ids = savepoint_ids

    def __call__(self):
        pass


def _already_bumped(connection) -> bool:
    marker = getattr(connection, "bibliography_bump", None)
    return (
        marker is not None
        and connection.in_atomic_block
        and marker.savepoint_ids == tuple(connection.savepoint_ids)
        and any(entry[1] is marker for entry in connection.run_on_commit)
    )


@receiver(connection_created)
def _watch_writes(sender, connection, **kwargs):
    if _bump_after_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_bump_after_writes)


@receiver(pre_migrate)
def _pause_during_migrations(sender, **kwargs):
    global _paused
    _paused = True


@receiver(post_migrate)
def _bump_after_migrations(sender, using="default", **kwargs):
    global _paused
    _paused = False
    if sender.label == "bibliography":
        from django.db import connections

        with connections[using].cursor() as cursor:
            bump_data_version(cursor)


def data_version() -> str:
    """The current token (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {VERSION_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    # A page read inside a writing transaction may be cached under the token it bumped to,
    # so the transaction's next write must bump again.
    connection.bibliography_bump = None
    return row[0] if row else "none"


def cached_page(request, render):
    """The response of `render()` for this URL, from the cache if the data has not changed
    since it was rendered. Public pages do not depend on who asks (no user, no CSRF token,
    no messages), so the URL and the data version are the whole key."""
    if request.method not in ("GET", "HEAD"):
        return render()
    path = request.get_full_path()
    key = "page:" + hashlib.sha256(f"{data_version()}\n{path}".encode()).hexdigest()
    hit = cache.get(key)
    if hit is not None:
        content, content_type = hit
        return HttpResponse(content, content_type=content_type)
    response = render()
    if hasattr(response, "render"):
        response.render()
    if response.status_code == 200 and not response.streaming:
        cache.set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
    return response


class CachedPageMixin:
    """A view whose GET responses are cached by URL under the data version."""

    def dispatch(self, request, *args, **kwargs):
        def render():
            return super(CachedPageMixin, self).dispatch(request, *args, **kwargs)

        return cached_page(request, render)
