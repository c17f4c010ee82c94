"""Reads the ORM compiles once and then only runs, for paths that run them very often with a
few values changing: a survey answer's lookup of its token, the dashboard's small counts and
lists (every view of it).

Evaluating a QuerySet builds its SQL again every time: resolving the filter, walking the
joins and every selected column, quoting names (for a row of nine columns over two joins,
more CPU than the database takes to find it; for a count over an index, five to ten times
what the database takes). `CompiledRead(queryset, name=marker, …)` keeps what the ORM
compiles for `queryset` — a `values_list` filtered on the markers, each standing where a
changing value goes — per database connection; `rows(name=value, …)` runs that SQL with each
value in its marker's place (adapted for the database as the ORM adapts a value of its type:
a date, an aware datetime) and passes each column through the converters the ORM itself
applies (SQLite's text into an aware datetime, say); `value(…)` gives the first row's first
column; `count(…)` counts those rows;
`instances(…)` builds the model's instances from them, as the ORM builds a partly loaded one.
The SQL and the values are the ORM's own, as the QuerySet would have read them; nothing is
written this way.

A marker is a value no real one can be, of the type of the values that will take its place
(a string for a text, a negative integer for a key, a year in the 30,000s, a date or an
aware datetime in the year 1); it must appear among the parameters (as often as the filter
uses it) and reach them as the ORM adapts any value of its type (an exact or range lookup of
a plain field; not a lookup that rewrites its value, such as `contains`).
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet

_BASE_DATE = datetime.date(1, 1, 1)
_BASE_MOMENT = datetime.datetime(1, 1, 2, tzinfo=datetime.UTC)


def key_marker(n: int) -> int:
    """The `n`th marker for a key (no row has a negative key; within a 32-bit key's range)."""
    return -(2**30) - n


def year_marker(n: int) -> int:
    """The `n`th marker for a year (a positive number in range of every integer field: Django
    answers a lookup outside a field's range with no rows, without asking the database)."""
    return 30_000 + n


def date_marker(n: int) -> datetime.date:
    return _BASE_DATE + datetime.timedelta(days=n)


def moment_marker(n: int) -> datetime.datetime:
    return _BASE_MOMENT + datetime.timedelta(days=n)


def whole_rows(queryset: QuerySet) -> QuerySet:
    """`queryset` as a `values_list` of every concrete field: what `instances` builds whole
    instances from."""
    return queryset.values_list(*(f.attname for f in queryset.model._meta.concrete_fields))


def _adapt(connection, value: object) -> object:
    """`value` as the ORM hands a value of its type to the database."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


class CompiledRead:
    def __init__(self, queryset: QuerySet, **markers: object):
        if not markers:
            raise ValueError("A compiled read needs at least one marker.")
        self.queryset = queryset
        self.markers = markers

    @property
    def db(self) -> str:
        """The database alias the read goes to (the router's answer for the queryset)."""
        return self.queryset.db

    @functools.lru_cache(maxsize=8)  # noqa: B019 (a few connections, for the process's life)
    def _compiled(self, connection) -> tuple[str, tuple, dict[str, list], list]:
        compiler = self.queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        params = tuple(params)
        places: dict[str, list[tuple[int, type | None]]] = {}
        taken: set[int] = set()
        for name, marker in self.markers.items():
            adapted = _adapt(connection, marker)
            # Each place, and the type the ORM wrapped the value in there, if any (psycopg's
            # Int2 for a small integer column, say): the value given goes in the same.
            at = [
                (i, None if type(p) is type(adapted) else type(p))
                for i, p in enumerate(params)
                if isinstance(p, type(adapted)) and p == adapted
            ]
            if not at or taken & {i for i, _wrap in at}:
                raise ValueError(f"The marker {name!r} must stand for its own parameters.")
            places[name] = at
            taken |= {i for i, _wrap in at}
        columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        converters = list(compiler.get_converters(columns).items())
        return sql, params, places, converters

    def _params(self, connection, values: dict[str, object]) -> tuple[str, list, list]:
        sql, params, places, converters = self._compiled(connection)
        if values.keys() != places.keys():
            raise TypeError(f"Give exactly the values of {sorted(places)}.")
        bound = list(params)
        for name, at in places.items():
            value = _adapt(connection, values[name])
            for i, wrap in at:
                bound[i] = value if wrap is None or value is None else wrap(value)
        return sql, bound, converters

    def rows(self, **values: object) -> list[list[Any]]:
        """The queryset's rows with each value in its marker's place."""
        connection = connections[self.db]
        sql, params, converters = self._params(connection, values)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = [list(row) for row in cursor.fetchall()]
        for row in rows:  # as SQLCompiler.apply_converters
            for position, (functions, expression) in converters:
                for function in functions:
                    row[position] = function(row[position], expression, connection)
        return rows

    def value(self, **values: object) -> Any:
        """The first column of the first row `rows(...)` gives; None when it gives none."""
        found = self.rows(**values)
        return found[0][0] if found else None

    def count(self, **values: object) -> int:
        """How many rows `rows(...)` gives, counted by the database."""
        connection = connections[self.db]
        sql, params, _converters = self._params(connection, values)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) counted", params)  # noqa: S608
            return int(cursor.fetchone()[0])

    def instances(self, **values: object) -> list[Model]:
        """The rows as instances of the queryset's model (a `values_list` of its fields: those
        read, the others loaded when first used, as the ORM's `only()` gives them)."""
        model = self.queryset.model
        names, order = self._fields()
        rows = self.rows(**values)
        return [model.from_db(self.db, names, [row[i] for i in order]) for row in rows]

    @functools.cache  # noqa: B019 (a few reads, for the process's life)
    def _fields(self) -> tuple[list[str], list[int]]:
        """The attributes read, in the model's field order (as `from_db` takes them), and
        where each stands in a row."""
        meta = self.queryset.model._meta
        read = [meta.get_field(name).attname for name in self.queryset.query.values_select]
        names = [f.attname for f in meta.concrete_fields if f.attname in read]
        return names, [read.index(name) for name in names]
