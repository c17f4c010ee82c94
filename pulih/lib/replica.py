"""Reads that can wait a moment go to a PostgreSQL streaming replica (DATABASE_REPLICA_URL).

Dashboards, reports and roll-ups are wrapped in `reads_from_replica`; everything else — every
write, and every read of a person who has just written (read-your-writes) — stays on the primary.
Without a replica configured, nothing changes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

REPLICA = "replica"
SESSION_KEY = "pulih_wrote_at"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_on_replica: ContextVar[bool] = ContextVar("pulih_reads_on_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads go to the replica only inside `replica_reads()`; writes always to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _on_replica.get() and replica_configured() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


def read_connection() -> BaseDatabaseWrapper:
    """The connection a hand-written read runs on: the replica inside `replica_reads()`, the
    primary otherwise, as the router sends the ORM's reads."""
    return connections[REPLICA if _on_replica.get() and replica_configured() else DEFAULT_DB_ALIAS]


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


def wrote_recently(request) -> bool:
    session = getattr(request, "session", None)
    if session is None:
        return False
    wrote_at = session.get(SESSION_KEY)
    return bool(wrote_at) and time.time() - wrote_at < settings.REPLICA_STICKY_SECONDS


def reads_from_replica(view):
    """View decorator: the view's reads go to the replica, unless this person wrote within
    REPLICA_STICKY_SECONDS (their own change must show at once)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not replica_configured() or wrote_recently(request):
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class RememberWritesMiddleware:
    """Notes in the session when a signed-in person changed something, for read-your-writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            replica_configured()
            and request.method in UNSAFE
            and response.status_code < 400
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            request.session[SESSION_KEY] = time.time()
        return response
