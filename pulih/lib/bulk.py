"""Many new rows of one model in one `executemany` of the INSERT that Django compiles for it.

`bulk_create` prepares every value through its field and compiles one statement per batch with
a placeholder per value: about 150 µs of CPU for a 22-column row, ten times what the database
itself takes to store it. Here the statement is compiled once per model and database, each
column's conversion is chosen once, and the rows go to the driver's `executemany` (on
PostgreSQL, to COPY). What it does not do: return primary keys (insert what something must
refer to with `bulk_create`), run signals, or check constraints in Python.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from django.db import connections, models
from django.db.models.sql import InsertQuery

# Fields whose database value is the Python value itself for the types their forms, services
# and parsers hand over (int, str, bool, None): no per-value conversion.
PLAIN = {
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def insert_rows(model: type[models.Model], objs: Iterable[models.Model], using: str = "default"):
    """Insert `objs` (new instances of `model`, primary key left to the database)."""
    connection = connections[using]
    sql, columns = _statement(model, using)
    rows = [[convert(getattr(obj, name)) for name, convert in columns] for obj in objs]
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(sql, rows)
            return
        # PostgreSQL: its own bulk path, COPY, through the connection's driver (psycopg).
        with cursor.cursor.copy(_copy_statement(model, using)) as copy:
            for row in rows:
                copy.write_row(row)


@functools.cache
def _statement(model: type[models.Model], using: str) -> tuple[str, list[tuple[str, Callable]]]:
    """The compiled single-row INSERT and, per column, (attribute, conversion)."""
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            raise ValueError(f"{model.__name__}.{field.name} is set on save; use bulk_create")
    query = InsertQuery(model)
    query.insert_values(fields, [model()])
    sql, _params = query.get_compiler(connection=connection).as_sql()[0]
    columns = [(f.attname, _conversion(f, connection)) for f in fields]
    return sql, columns


@functools.cache
def _copy_statement(model: type[models.Model], using: str) -> str:
    quote = connections[using].ops.quote_name
    names = ", ".join(quote(f.column) for f in model._meta.concrete_fields if not f.primary_key)
    return f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"


def _identity(value: object) -> object:
    return value


def _conversion(field: models.Field, connection) -> Callable:
    if field.get_internal_type() in PLAIN:
        return _identity
    return functools.partial(_prepare, field, connection)


def _prepare(field: models.Field, connection, value: object) -> object:
    return field.get_db_prep_save(value, connection)
