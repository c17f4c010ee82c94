"""Many new rows of one model in one `executemany` of the INSERT that Django compiles for it.

`bulk_create` prepares every value through its field and compiles one statement per batch with
a placeholder per value: about 150 µs of CPU for a 22-column row, ten times what the database
itself takes to store it. Here the statement is compiled once per model and database, each
column's conversion is chosen once, and the rows go to the driver's `executemany` (on
PostgreSQL, to COPY). What it does not do: return primary keys (insert what something must
refer to with `bulk_create`), run signals, or check constraints in Python. The rows' foreign
keys are checked as they are inserted, also on PostgreSQL (where Django defers them to the
commit): what they refer to must be stored first.
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

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
    names = _attnames(model)
    insert_values(model, ([getattr(obj, name) for name in names] for obj in objs), using)


def insert_values(
    model: type[models.Model], rows: Iterable[Sequence[object]], using: str = "default"
):
    """Insert new rows of `model` given as values in the order of its concrete fields (the
    order `Model(*values)` takes; the primary key's value is ignored, left to the database)."""
    insert_prepared(prepare_values(model, rows, using))


@dataclass(frozen=True)
class PreparedRows:
    """Rows of one model made ready for the database by `prepare_values`: on PostgreSQL,
    when every column goes in COPY's binary format, the whole COPY stream; else the rows'
    stored values."""

    model: type[models.Model]
    using: str
    count: int
    values: list[list] | None = None
    copy_data: bytes | None = None


def prepare_values(
    model: type[models.Model], rows: Iterable[Sequence[object]], using: str = "default"
) -> PreparedRows:
    """All the Python work of `insert_values`, and no database I/O: a caller that stores
    batch after batch in a second thread (the import) prepares the next batch here, in its
    own thread, while the database stores the one before."""
    connection = connections[using]
    _sql, stored, conversions = _statement(model, using)
    values = [list(stored(row)) for row in rows]
    for i, convert in conversions:
        for row in values:
            row[i] = convert(row[i])
    if connection.vendor == "postgresql" and values:
        _copy_sql, types = _copy_statement(model, using)
        if types:
            data = _binary_copy_stream(values, types, connection)
            return PreparedRows(model, using, len(values), copy_data=data)
    return PreparedRows(model, using, len(values), values=values)


def insert_prepared(prepared: PreparedRows) -> None:
    """Insert what `prepare_values` made ready, in the calling thread's transaction."""
    if not prepared.count:
        return
    model, using = prepared.model, prepared.using
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            sql, _stored, _conversions = _statement(model, using)
            cursor.executemany(sql, prepared.values)
            return
        # PostgreSQL: its own bulk path, COPY, through the connection's driver (psycopg).
        copy_sql, types = _copy_statement(model, using)
        with cursor.cursor.copy(copy_sql) as copy:
            if prepared.copy_data is not None:
                copy.write(prepared.copy_data)
            else:
                for row in prepared.values:
                    copy.write_row(row)
        # The rows' foreign keys (which Django declares checked at the commit) are checked
        # now: a caller that stores batch after batch while it reads the next (the import)
        # has them checked meanwhile, not all at its commit, which would wait for them about
        # as long as for the COPY itself. The same checks, the same outcome.
        connection.check_constraints()


def _binary_copy_stream(values: list[list], types: list[str], connection) -> bytes:
    """The whole COPY … (FORMAT BINARY) stream of `values` (signature, rows, trailer), as
    psycopg's own `Copy.write_row` writes it, with the connection's adapters; written here
    without the connection's I/O, so it can be made in another thread than the COPY's."""
    from psycopg._copy_base import BinaryFormatter  # (not imported where SQLite serves)
    from psycopg.adapt import Transformer
    from psycopg.pq import Format

    driver = connection.connection  # psycopg's connection: its adapters, read only
    registry = driver.adapters.types
    transformer = Transformer(driver)
    transformer.set_dumper_types([registry.get_oid(t) for t in types], Format.BINARY)
    # psycopg has no public formatter apart from a Copy, which needs the COPY under way;
    # this is the one `Copy` itself uses for binary (psycopg is pinned in pyproject.toml,
    # and pulih/tests/test_bulk.py stores rows through it).
    formatter = BinaryFormatter(transformer)
    stream = bytearray()
    for row in values:
        stream += formatter.write_row(row)
    stream += formatter.end()
    return bytes(stream)


def insert_one(obj: models.Model, using: str = "default") -> None:
    """Insert `obj`, a new instance, and set its primary key: what `save(force_insert=True)`
    stores, through the INSERT … RETURNING compiled once per model (the ORM compiles it
    again on every save: a fifth of a survey answer's own CPU). No signals: for models
    nothing listens to."""
    connection = connections[using]
    if not connection.features.can_return_columns_from_insert:
        obj.save(force_insert=True, using=using)
        return
    sql, stored, conversions = _statement(type(obj), using, returning=True)
    names = _attnames(type(obj))
    row = list(stored([getattr(obj, name) for name in names]))
    for i, convert in conversions:
        row[i] = convert(row[i])
    with connection.cursor() as cursor:
        cursor.execute(sql, row)
        (obj.pk,) = cursor.fetchone()
    obj._state.adding = False
    obj._state.db = using


@functools.cache
def _attnames(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


@functools.cache
def _statement(
    model: type[models.Model], using: str, returning: bool = False
) -> tuple[str, Callable, list[tuple[int, Callable]]]:
    """The compiled single-row INSERT (returning the primary key if `returning`); what
    picks a row's stored values out of all its concrete fields' (all but the primary key);
    per stored column that needs one, (its index, its conversion)."""
    connection = connections[using]
    concrete = model._meta.concrete_fields
    fields = [f for f in concrete if not f.primary_key]
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            raise ValueError(f"{model.__name__}.{field.name} is set on save; use bulk_create")
    query = InsertQuery(model)
    query.insert_values(fields, [model()])
    compiler = query.get_compiler(connection=connection)
    if returning:
        compiler.returning_fields = [model._meta.pk]
    sql, _params = compiler.as_sql()[0]
    indexes = [i for i, f in enumerate(concrete) if not f.primary_key]
    # A tuple even of one column (an itemgetter of one index gives the value itself).
    stored = operator.itemgetter(*indexes) if len(indexes) > 1 else _one(indexes[0])
    conversions = [(i, _conversion(f, connection)) for i, f in enumerate(fields)]
    return sql, stored, [(i, c) for i, c in conversions if c is not _identity]


# PostgreSQL column types (as Django's fields declare them, without a length) that psycopg
# writes in COPY's binary format from the values `insert_values` hands over.
BINARY_COPY_TYPES = {
    "bigint",
    "boolean",
    "date",
    "integer",
    "smallint",
    "text",
    "timestamp with time zone",
    "varchar",
}


@functools.cache
def _copy_statement(model: type[models.Model], using: str) -> tuple[str, list[str] | None]:
    """The COPY of a model's stored columns, and their types when every one of them can go
    in the binary format (None: text). Binary, the server reads each value as it is stored
    (no parsing of the text of an integer or a timestamp) and the client writes it from C
    without formatting it: each costs a third of the text format's CPU."""
    connection = connections[using]
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = ", ".join(quote(f.column) for f in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    types = [(f.db_type(connection) or "").split("(")[0] for f in fields]
    if all(t in BINARY_COPY_TYPES for t in types):
        return f"{sql} (FORMAT BINARY)", types
    return sql, None


def _one(index: int) -> Callable:
    return lambda row: (row[index],)


def _identity(value: object) -> object:
    return value


def _conversion(field: models.Field, connection) -> Callable:
    kind = field.get_internal_type()
    if kind in PLAIN:
        return _identity
    if kind == "DateTimeField":
        return functools.partial(_datetime, field, connection)
    return functools.partial(_prepare, field, connection)


def _datetime(field: models.Field, connection, value: object) -> object:
    # An aware datetime, what the services hand over, is all the field's preparation leaves
    # as it is: straight to the backend's adaptation.
    if isinstance(value, datetime.datetime) and value.utcoffset() is not None:
        return connection.ops.adapt_datetimefield_value(value)
    return field.get_db_prep_save(value, connection)


def _prepare(field: models.Field, connection, value: object) -> object:
    return field.get_db_prep_save(value, connection)
