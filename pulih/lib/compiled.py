"""A read the ORM compiles once and then only runs, for a path that runs it very often with one
value changing: a survey answer's lookup of its token.

Evaluating a QuerySet builds its SQL again every time: resolving the filter, walking the
joins and every selected column, quoting names (for a row of nine columns over two joins,
more CPU than the database takes to find it). `CompiledRead(queryset, marker)` keeps what
the ORM compiles for `queryset` — a `values_list` of fields filtered on `marker` where the
changing value goes — per database connection; `rows(value)` runs that SQL with `value` in
the marker's place and passes each column through the converters the ORM itself applies
(SQLite's text into an aware datetime, say). The SQL and the values are the ORM's own, as the
QuerySet would have read them; nothing is written this way.

The marker must reach the database as it is (the exact lookup of a CharField: no
preparation changes a string), appear once among the parameters and be a value no real one
can be.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connections
from django.db.models import QuerySet


class CompiledRead:
    def __init__(self, queryset: QuerySet, marker: str):
        self.queryset = queryset
        self.marker = marker

    @property
    def db(self) -> str:
        """The database alias the read goes to (the router's answer for the queryset)."""
        return self.queryset.db

    @functools.lru_cache(maxsize=8)  # noqa: B019 (a few connections, for the process's life)
    def _compiled(self, connection) -> tuple[str, tuple, int, list]:
        compiler = self.queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        if list(params).count(self.marker) != 1:
            raise ValueError("The marker must stand for exactly one parameter.")
        columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        converters = list(compiler.get_converters(columns).items())
        return sql, tuple(params), list(params).index(self.marker), converters

    def rows(self, value: str) -> list[list[Any]]:
        """The queryset's rows with `value` in the marker's place."""
        connection = connections[self.db]
        sql, params, at, converters = self._compiled(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, (*params[:at], value, *params[at + 1 :]))
            rows = [list(row) for row in cursor.fetchall()]
        for row in rows:  # as SQLCompiler.apply_converters
            for position, (functions, expression) in converters:
                for function in functions:
                    row[position] = function(row[position], expression, connection)
        return rows
