"""Prepared statements for a hot path on PostgreSQL.

Django binds parameters on the client by default (psycopg's ClientCursor): every statement
reaches the server as new text, which it parses and plans again. Inside `prepared()`, the
connection's cursors bind their parameters on the server instead (psycopg's Cursor, Django's
own ServerBindingCursor) and psycopg prepares a statement the second time its text runs on
the connection; from then on the server only binds and executes it. The statements are the
same ones (the ORM's, surveys/tally.py's upsert), only sent differently; a persistent
connection (CONN_MAX_AGE) keeps them prepared from request to request.

For the few statements of a path that runs very often and plans costly statements (the
survey answer: its token's SELECT with two joins, the response's INSERT, the tally upserts
on their unique indexes). Not the whole application: server-side binding changes how some
queries group their parameters (Django ticket #34255), and a generic plan can suit a report
over a skewed period worse than a plan made for its values. Elsewhere, and on SQLite (whose
driver keeps its own statement cache), nothing changes. Pulih connects to PostgreSQL
directly (docs/deploy.md); a pooler put in between in transaction mode would have to keep
prepared statements (PgBouncer 1.21 or later with max_prepared_statements set).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

# psycopg prepares a statement when its text runs for this many times on a connection.
PREPARE_THRESHOLD = 1


@contextmanager
def prepared(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.close_if_health_check_failed()  # as the first statement would, before
    connection.ensure_connection()  # the connection whose cursors are set here is used
    raw = connection.connection
    saved = raw.cursor_factory, raw.prepare_threshold
    if saved[0] is ServerBindingCursor:  # inside another prepared() block
        yield
        return
    raw.cursor_factory, raw.prepare_threshold = ServerBindingCursor, PREPARE_THRESHOLD
    try:
        yield
    finally:
        raw.cursor_factory, raw.prepare_threshold = saved
