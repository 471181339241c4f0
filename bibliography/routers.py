"""Reads of public pages from a PostgreSQL streaming replica (DATABASE_REPLICA_URL); all else
from the primary.

Only a public page's reads may go to the replica, because only they can bear a replica's lag
(a second or less: the README's "Several machines"). `ReplicaReadsMiddleware` marks a request
as one when it is a GET or HEAD outside the admin; everything else — the admin, every POST,
management commands, the shell — never leaves the primary. Within a marked request, a read
goes to the primary too once the request has written anything (it must see its own write)
and inside a transaction (what a transaction reads must be what it writes against).
Writes always go to the primary.
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PRIMARY = "default"

# Who is logged in, their session and their lockouts: always as the primary has them.
PRIMARY_ONLY_APPS = {"admin", "auth", "axes", "contenttypes", "sessions"}

_public_read: ContextVar[bool] = ContextVar("public_read", default=False)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _public_read.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and REPLICA in settings.DATABASES
            and not connections[PRIMARY].in_atomic_block
        ):
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        _public_read.set(False)  # the rest of this request reads its own write
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows, the same database

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY


class ReplicaReadsMiddleware:
    """Marks a GET or HEAD outside the admin as a public read the replica may answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        public = request.method in ("GET", "HEAD") and not request.path.startswith("/admin/")
        token = _public_read.set(public)
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)
