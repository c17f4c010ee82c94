"""The tallies: the tally rule (what one response adds, and to which rows) and the one
statement the ORM cannot express, the increment-on-conflict upsert.

Every response stored (form, API, import) adds `increments(scores)`, in the transaction that
stores it, to

- its DailyTally row: (unit, local day, service type, officer);
- its unit's whole-day UnitDayTally row: (unit, local day, "", "");
- one UnitDayTally row per profile answer it states: (unit, local day, field, answer);
- the UnitMonthTally rows of the same keys with the day's month for the day (its first day).

`Counters` gathers a batch's answers per key (one response, or an import's batch), `summed`
adds them up a column at a time (`Totals` keeps the sums of an import's batches, written once
at its end), and `add_tallies` writes them: per table one `INSERT … ON
CONFLICT DO UPDATE SET x = x + EXCLUDED.x` on its unique index (SQLite: `executemany` over
the keys; PostgreSQL: one statement, an import's batch as column arrays): no read, no
savepoint, no retry when two responses of a new key arrive together. On PostgreSQL a
response's rows of all three tables go in one statement (data-modifying WITHs: one round
trip), an import's batch in two (the daily rows; the day rows, which add the month rows
themselves); on SQLite, in process, one statement per table. The keys go in one fixed order
(DailyTally first, then the unit's month and day rows, each sorted, in one statement shape),
so two writers touching the same rows lock them in the same order and never deadlock.
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import connection, models

from units.models import ELEMENT_CODES, Unit

from .models import (
    PROFILE_FIELDS,
    TALLY_FIELDS,
    WHOLE_DAY,
    DailyTally,
    UnitDayTally,
    UnitMonthTally,
)

TallyKey = tuple[datetime.date, int | None, int | None]  # local day, service type id, officer id
DayKey = tuple[datetime.date, str, str]  # local day, profile field ("": whole day), answer
COUNT_FIELDS = ["respondents", *TALLY_FIELDS]


def increments(scores: Mapping[str, int]) -> list[int]:
    """[respondents, u1_sum, u1_n, …, u9_sum, u9_n] that one response of `scores` adds."""
    return summed([answers_row(scores)])


def answers_row(scores: Mapping[str, int]) -> tuple[int | None, ...]:
    """`scores` as U1..U9 in order, None where not answered."""
    return tuple(scores.get(code) for code in ELEMENT_CODES)


def summed(rows: Sequence[Sequence[int | None]]) -> list[int]:
    """[respondents, u1_sum, u1_n, …, u9_sum, u9_n] that responses answering `rows` (each
    U1..U9 in order, None where not answered) add: the tally rule."""
    counts = [len(rows)]
    for column in zip(*rows, strict=True):
        # The sum of the answers (filter drops the None, and a 0 would add nothing) and
        # their number, both counted in C.
        counts += (sum(filter(None, column)), len(column) - column.count(None))
    return counts


def _add(counters: dict, key: tuple, values: list[int]) -> None:
    counts = counters.get(key)
    if counts is None:
        counters[key] = list(values)
        return
    counts[:] = map(operator.add, counts, values)


def _gather(groups: dict, key: tuple, answers: Sequence[int | None]) -> None:
    group = groups.get(key)
    if group is None:
        groups[key] = [answers]
    else:
        group.append(answers)


@dataclass
class Counters:
    """The answers of some responses of one unit, gathered per key of each tally (summed
    a column at a time when written: a batch of the import shares its keys). A response
    counts in its day's whole-day row too: those are the sums of the day's daily keys."""

    daily: dict[TallyKey, list[Sequence[int | None]]] = field(default_factory=dict)
    days: dict[DayKey, list[Sequence[int | None]]] = field(default_factory=dict)  # profiles

    def add(self, key: TallyKey, scores: Mapping[str, int], profile: Sequence[str]) -> None:
        """One response: its DailyTally `key`, its `scores`, and its profile answers in the
        order of PROFILE_FIELDS ("" where not stated)."""
        self.add_answers(key, answers_row(scores), profile)

    def add_answers(
        self, key: TallyKey, answers: Sequence[int | None], profile: Sequence[str]
    ) -> None:
        """As `add`, with the answers as U1..U9 in order (None where not answered)."""
        self.add_many([key], [answers], [profile])

    def add_many(
        self,
        keys: Iterable[TallyKey],
        answers: Iterable[Sequence[int | None]],
        profiles: Iterable[Sequence[str]],
    ) -> None:
        """`add_answers` of many responses (an import's batch): their keys, answers and
        profile answers in step."""
        daily, days = self.daily, self.days
        for key, row, profile in zip(keys, answers, profiles, strict=True):
            group = daily.get(key)
            if group is None:
                daily[key] = [row]
            else:
                group.append(row)
            if any(profile):
                for day_key in profile_keys(key[0], profile):
                    _gather(days, day_key, row)

    def totals(self) -> tuple[dict[TallyKey, list[int]], dict[DayKey, list[int]]]:
        """Each key's counts (`summed`): DailyTally keys, UnitDayTally keys (each day's
        whole-day row: its daily keys' counts added up)."""
        daily = {key: summed(answers) for key, answers in self.daily.items()}
        days: dict[DayKey, list[int]] = {}
        for key, counts in daily.items():
            _add(days, (key[0], WHOLE_DAY, ""), counts)
        for key, answers in self.days.items():
            days[key] = summed(answers)
        return daily, days


@dataclass
class Totals:
    """The counts of many batches of one unit's responses, per key, summed as each batch
    comes (an import's: its tallies are written once, at its end). Holds a row per key, never
    the answers: its size is the keys' (days × service types × officers), not the rows'."""

    daily: dict[TallyKey, list[int]] = field(default_factory=dict)
    days: dict[DayKey, list[int]] = field(default_factory=dict)

    def absorb(self, counters: Counters) -> None:
        daily, days = counters.totals()
        for key, counts in daily.items():
            _add(self.daily, key, counts)
        for key, counts in days.items():
            _add(self.days, key, counts)

    def totals(self) -> tuple[dict[TallyKey, list[int]], dict[DayKey, list[int]]]:
        return self.daily, self.days


def profile_keys(day: datetime.date, profile: Sequence[str]) -> Iterator[DayKey]:
    """The UnitDayTally keys of a response's stated profile answers (in PROFILE_FIELDS order)."""
    for name, answer in zip(PROFILE_FIELDS, profile, strict=True):
        if answer:
            yield day, name, answer


@dataclass(frozen=True)
class _Upsert:
    """One tally table's upsert in pieces: `INSERT INTO table (columns)`, the fields of those
    columns in order, and `ON CONFLICT (its unique key) DO UPDATE SET x = table.x +
    EXCLUDED.x` for every count."""

    insert: str
    fields: tuple[str, ...]
    conflict: str


@functools.cache
def _parts(model: type[models.Model]) -> _Upsert:
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)

    def col(name: str) -> str:
        return quote(meta.get_field(name).column)

    if model is DailyTally:
        keys = ["unit", "day", "service_type", "officer"]
        # The conflict target spells the unique constraint dailytally_one_per_key.
        target = f"{col('unit')}, {col('day')}, COALESCE({col('service_type')}, 0), "
        target += f"COALESCE({col('officer')}, 0)"
    else:
        day = "month" if model is UnitMonthTally else "day"
        keys = ["unit", day, "profile_field", "profile_value"]
        # unitdaytally_one_per_key, unitmonthtally_one_per_key
        target = ", ".join(col(f) for f in ("unit", "profile_field", day, "profile_value"))
    fields = (*keys, *COUNT_FIELDS)
    columns = ", ".join(col(f) for f in fields)
    sets = ", ".join(f"{col(c)} = {table}.{col(c)} + EXCLUDED.{col(c)}" for c in COUNT_FIELDS)
    return _Upsert(
        insert=f"INSERT INTO {table} ({columns})",  # (identifiers from the model's meta)
        fields=fields,
        conflict=f"ON CONFLICT ({target}) DO UPDATE SET {sets}",
    )


@functools.cache
def _upsert_sql(model: type[models.Model]) -> str:
    """The upsert of one row, its parameters named after the fields (`%(unit)s`, …): Django
    hands named parameters to SQLite's driver with one string formatting, where positional
    ones cost a regular expression over the whole statement (1.6 KB) on every execute."""
    upsert = _parts(model)
    marks = ", ".join(f"%({name})s" for name in upsert.fields)
    return f"{upsert.insert} VALUES ({marks}) {upsert.conflict}"


@functools.cache
def _unnest_sql(model: type[models.Model]) -> str:
    """The upsert of one row per element of column arrays (PostgreSQL)."""
    upsert = _parts(model)
    by_name = {f.name: f for f in model._meta.concrete_fields}
    arrays = ", ".join(f"%s::{by_name[name].db_type(connection)}[]" for name in upsert.fields)
    return f"{upsert.insert} SELECT * FROM unnest({arrays}) {upsert.conflict}"  # noqa: S608


def _values(model: type[models.Model], rows: int) -> str:
    """The upsert of `rows` rows of positional parameters."""
    upsert = _parts(model)
    row = "(" + ", ".join(["%s"] * len(upsert.fields)) + ")"
    return f"{upsert.insert} VALUES {', '.join([row] * rows)} {upsert.conflict}"


def month_of_day_sql(vendor: str) -> str:
    """The first day of the month of the local day in column "day", in the database's SQL."""
    if vendor == "postgresql":
        return "CAST(DATE_TRUNC('month', CAST(\"day\" AS timestamp)) AS date)"
    return "date(\"day\", 'start of month')"


# Up to this many rows of each tally (a response's: one daily row, its whole day and its
# profile answers) go to one statement as plain VALUES, the month rows summed here; more (an
# import's batch) as one array per column, summed per month in SQL: adapting a list costs the
# client more than a handful of scalars, and the server plans plain VALUES cheaper than a CTE
# that groups and sorts.
_VALUES_ROWS = 8


@functools.cache
def _values_sql(daily: int, days: int, months: int) -> str:
    """PostgreSQL: all of a response's tally rows in one statement (one round trip): the
    DailyTally upsert of `daily` rows of parameters and, in data-modifying WITHs, the
    UnitDayTally upsert of `days` rows and the UnitMonthTally upsert of `months` rows; the
    parameters in that textual order: the day rows, the month rows, the daily rows.

    PostgreSQL runs the main statement first and then the WITHs, the last first: the daily
    row, the month rows, the day rows, as `add_tallies` writes them elsewhere."""
    return (
        f"WITH d AS ({_values(UnitDayTally, days)}), "
        f"m AS ({_values(UnitMonthTally, months)}) "
        f"{_values(DailyTally, daily)}"
    )


@functools.cache
def _arrays_sql() -> str:
    """PostgreSQL: the UnitDayTally upsert of column arrays, and in the same statement the
    UnitMonthTally upsert of the same rows summed per month."""
    day, month = _parts(UnitDayTally), _parts(UnitMonthTally)
    quote = connection.ops.quote_name
    names = [quote(UnitDayTally._meta.get_field(f).column) for f in ("unit", "day")]
    names += [quote(f) for f in ("profile_field", "profile_value", *COUNT_FIELDS)]
    arrays = _unnest_sql(UnitDayTally).split(" SELECT * FROM unnest(", 1)[1]
    arrays = arrays.split(") ON CONFLICT ", 1)[0]
    sums = ", ".join(f"SUM({name})" for name in names[4:])
    return (
        f"WITH v ({', '.join(names)}) AS (SELECT * FROM unnest({arrays})), "  # noqa: S608
        f"d AS ({day.insert} SELECT * FROM v {day.conflict}) "
        f"{month.insert} SELECT {names[0]}, {month_of_day_sql(connection.vendor)}, {names[2]}, "
        f"{names[3]}, {sums} FROM v GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4 {month.conflict}"
    )


def month_tally_sql(connection) -> str:
    """INSERT … SELECT of every UnitMonthTally row from the unit's day tallies (into an empty
    table: the backfill of migration 0009, the bench's seeds)."""
    quote = connection.ops.quote_name
    counts = ", ".join(quote(c) for c in COUNT_FIELDS)
    sums = ", ".join(f"SUM({quote(c)})" for c in COUNT_FIELDS)
    unit = quote("unit_id")
    return (
        f"INSERT INTO {quote(UnitMonthTally._meta.db_table)} "  # noqa: S608
        f"({unit}, {quote('month')}, {quote('profile_field')}, {quote('profile_value')}, {counts}) "
        f"SELECT {unit}, {month_of_day_sql(connection.vendor)}, {quote('profile_field')}, "
        f"{quote('profile_value')}, {sums} FROM {quote(UnitDayTally._meta.db_table)} "
        f"GROUP BY 1, 2, 3, 4"
    )


def _upsert(cursor, model: type[models.Model], rows: list[list]) -> None:
    if len(rows) == 1:
        cursor.execute(_upsert_sql(model), dict(zip(_parts(model).fields, rows[0], strict=True)))
    elif rows and connection.vendor == "postgresql":
        # A batch of the import: every key in one statement, one array per column (a round
        # trip and a plan per key cost more than the key); a batch's keys are distinct, as
        # ON CONFLICT needs.
        cursor.execute(_unnest_sql(model), [list(column) for column in zip(*rows, strict=True)])
    elif rows:
        fields = _parts(model).fields
        cursor.executemany(_upsert_sql(model), [dict(zip(fields, r, strict=True)) for r in rows])


def add_tallies(unit: Unit, counters: Counters | Totals) -> None:
    """Add each key's counts to its tally row (creating it if new): one statement per table
    (PostgreSQL: one for a response's rows of all three)."""
    adapt = connection.ops.adapt_datefield_value
    daily_counts, day_counts = counters.totals()
    daily = [
        [unit.pk, adapt(key[0]), key[1], key[2], *daily_counts[key]]
        for key in sorted(daily_counts, key=lambda k: (k[0], k[1] or 0, k[2] or 0))
    ]
    days = [
        [unit.pk, adapt(key[0]), key[1], key[2], *day_counts[key]] for key in sorted(day_counts)
    ]
    if not daily:
        return
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql and (len(days) > _VALUES_ROWS or len(daily) > _VALUES_ROWS):
            _upsert(cursor, DailyTally, daily)
            cursor.execute(_arrays_sql(), [list(c) for c in zip(*days, strict=True)])
            return
        by_month: dict[tuple, list[int]] = {}
        for key, counts in day_counts.items():
            _add(by_month, (key[0].replace(day=1), key[1], key[2]), counts)
        months = [
            [unit.pk, adapt(key[0]), key[1], key[2], *by_month[key]] for key in sorted(by_month)
        ]
        if postgresql:
            params = [v for rows in (days, months, daily) for row in rows for v in row]
            cursor.execute(_values_sql(len(daily), len(days), len(months)), params)
            return
        _upsert(cursor, DailyTally, daily)
        _upsert(cursor, UnitDayTally, days)
        _upsert(cursor, UnitMonthTally, months)


def profile_rows(
    responses: Iterable[tuple[int, datetime.date, Mapping[str, int], Sequence[str]]],
) -> dict[tuple[int, datetime.date, str, str], list[int]]:
    """The UnitDayTally profile rows of `responses` (unit id, local day, scores, profile
    answers), summed per key by the rule the live path keeps: what the backfill writes."""
    rows: dict[tuple[int, datetime.date, str, str], list[int]] = {}
    for unit_id, day, scores, profile in responses:
        values = increments(scores)
        for key in profile_keys(day, profile):
            _add(rows, (unit_id, *key), values)
    return rows
