"""The daily tallies: the tally rule (what one response adds) and the one statement the ORM
cannot express, the increment-on-conflict upsert.

Every response stored (form, API, import) adds `increments(scores)` to the row of its key —
(unit, local day, service type, officer) — through `add_tallies`, in the transaction that
stores the response. One `INSERT … ON CONFLICT DO UPDATE SET x = x + EXCLUDED.x` per key on
the unique index `dailytally_one_per_key` (SQLite and PostgreSQL): no read, no savepoint, no
retry when two responses of a new key arrive together.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping

from django.db import connection

from units.models import ELEMENT_CODES, Unit

from .models import TALLY_FIELDS, DailyTally

TallyKey = tuple[datetime.date, int | None, int | None]  # local day, service type id, officer id
COUNT_FIELDS = ["respondents", *TALLY_FIELDS]


def increments(scores: Mapping[str, int]) -> list[int]:
    """[respondents, u1_sum, u1_n, …, u9_sum, u9_n] that one response of `scores` adds."""
    row = [1]
    for code in ELEMENT_CODES:
        score = scores.get(code)
        row += [score, 1] if score is not None else [0, 0]
    return row


def add_to(counters: dict[TallyKey, list[int]], key: TallyKey, scores: Mapping[str, int]) -> None:
    """Sum one response's increments into `counters` (the import adds a batch at once)."""
    counts = counters.get(key)
    if counts is None:
        counters[key] = increments(scores)
        return
    for i, value in enumerate(increments(scores)):
        counts[i] += value


@functools.cache
def _upsert_sql(vendor: str) -> str:
    meta = DailyTally._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)

    def col(name: str) -> str:
        return quote(meta.get_field(name).column)

    fields = ["unit", "day", "service_type", "officer", *COUNT_FIELDS]
    columns = ", ".join(col(f) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    # The conflict target spells the unique constraint dailytally_one_per_key.
    target = f"{col('unit')}, {col('day')}, COALESCE({col('service_type')}, 0), "
    target += f"COALESCE({col('officer')}, 0)"
    sets = ", ".join(f"{col(c)} = {table}.{col(c)} + EXCLUDED.{col(c)}" for c in COUNT_FIELDS)
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (identifiers from meta)
        f" ON CONFLICT ({target}) DO UPDATE SET {sets}"
    )


def add_tallies(unit: Unit, counters: Mapping[TallyKey, list[int]]) -> None:
    """Add each key's counts to its tally row (creating it if new). The keys go in one order,
    so two writers touching the same rows lock them in the same order."""
    adapt = connection.ops.adapt_datefield_value
    rows = [
        [unit.pk, adapt(key[0]), key[1], key[2], *counters[key]]
        for key in sorted(counters, key=lambda k: (k[0], k[1] or 0, k[2] or 0))
    ]
    if not rows:
        return
    with connection.cursor() as cursor:
        if len(rows) == 1:
            cursor.execute(_upsert_sql(connection.vendor), rows[0])
        else:
            cursor.executemany(_upsert_sql(connection.vendor), rows)
