"""The tallies: the tally rule (what one response adds, and to which rows) and the one
statement the ORM cannot express, the increment-on-conflict upsert.

Every response stored (form, API, import) adds `increments(scores, flagged=…)`, in the
transaction that stores it, to

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

`rebuild` recounts the tallies from the responses themselves (the migrations' backfill, the
tests' proof that what is kept equals the recount).
"""

from __future__ import annotations

import datetime
import functools
import operator
import re
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.apps import apps as django_apps
from django.db import connection, models
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate

from pulih.lib.prepared import prepared
from units.models import ELEMENT_CODES, Unit
from units.zones import unit_ids_by_zone

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
# The counts of a tally row in the order the tally rule gives them. (Migrations whose backfill
# writes them name the columns of their own time: this list grows.)
COUNT_FIELDS = ["respondents", *TALLY_FIELDS, "flagged"]


def increments(scores: Mapping[str, int], *, flagged: bool) -> list[int]:
    """[respondents, u1_sum, u1_n, …, u9_sum, u9_n, flagged] that one response of `scores`
    adds (`flagged`: the response's flag, as stored)."""
    return summed([(*answers_row(scores), flagged)])


def answers_row(scores: Mapping[str, int]) -> tuple[int | None, ...]:
    """`scores` as U1..U9 in order, None where not answered."""
    return tuple(scores.get(code) for code in ELEMENT_CODES)


def summed(rows: Sequence[Sequence[int | bool | None]]) -> list[int]:
    """[respondents, u1_sum, u1_n, …, u9_sum, u9_n, flagged] that the responses of `rows`
    add (each U1..U9 in order, None where not answered, then whether it is flagged): the
    tally rule."""
    if not rows:
        return [0] * len(COUNT_FIELDS)
    counts = [len(rows)]
    *answers, flags = zip(*rows, strict=True)
    for column in answers:
        # The sum of the answers (filter drops the None, and a 0 would add nothing) and
        # their number, both counted in C.
        counts += (sum(filter(None, column)), len(column) - column.count(None))
    counts.append(flags.count(True))
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

    daily: dict[TallyKey, list[Sequence[int | bool | None]]] = field(default_factory=dict)
    days: dict[DayKey, list[Sequence[int | bool | None]]] = field(default_factory=dict)

    def add(
        self, key: TallyKey, scores: Mapping[str, int], profile: Sequence[str], *, flagged: bool
    ) -> None:
        """One response: its DailyTally `key`, its `scores`, its profile answers in the
        order of PROFILE_FIELDS ("" where not stated) and its flag."""
        self.add_answers(key, (*answers_row(scores), flagged), profile)

    def add_answers(
        self, key: TallyKey, answers: Sequence[int | bool | None], profile: Sequence[str]
    ) -> None:
        """As `add`, with the answers as U1..U9 in order (None where not answered) then the
        flag."""
        self.add_many([key], [answers], [profile])

    def add_many(
        self,
        keys: Iterable[TallyKey],
        answers: Iterable[Sequence[int | bool | None]],
        profiles: Iterable[Sequence[str]],
    ) -> None:
        """`add_answers` of many responses (an import's batch): their keys, answers (and
        flags) and profile answers in step."""
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


_BARE = re.compile(r"[a-z_][a-z0-9_]*")


@functools.cache
def _parts(model: type[models.Model]) -> _Upsert:
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)

    def col(name: str) -> str:
        # Bare: the tally's columns are lowercase words neither database reserves (a test reads
        # PostgreSQL's keywords), and a response's one statement for all three tables has to
        # stay within the 4 KB up to which psycopg caches a statement's parsing.
        column = meta.get_field(name).column
        return column if _BARE.fullmatch(column) else quote(column)

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
    # The table as "t", for the same 4 KB (spelt out, the statement was 5.1 KB, parsed again
    # with a regular expression on every answer).
    sets = ", ".join(f"{col(c)} = t.{col(c)} + EXCLUDED.{col(c)}" for c in COUNT_FIELDS)
    return _Upsert(
        insert=f"INSERT INTO {table} AS t ({columns})",  # (identifiers from the model's meta)
        fields=fields,
        conflict=f"ON CONFLICT ({target}) DO UPDATE SET {sets}",
    )


def _db_type(model: type[models.Model], name: str) -> str:
    """The column type of the model's field `name`, as a statement's casts spell it."""
    return model._meta.get_field(name).db_type(connection)


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
    """The upsert of one row per element of column arrays (PostgreSQL), each array sent in
    binary (`%b`: a server-binding cursor's, `prepared()`): as text, psycopg writes each
    element of a list and searches it for characters to quote, about 1.5 µs an element (0.4
    of an import's 0.6 s of tallies)."""
    upsert = _parts(model)
    arrays = ", ".join(f"%b::{_db_type(model, name)}[]" for name in upsert.fields)
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


def month_tally_sql(connection, fields: Sequence[str] | None = None, units: int = 0) -> str:
    """INSERT … SELECT of every UnitMonthTally row from the unit's day tallies (into an empty
    table: the bench's seeds; `rebuild`, then of `units` units, their ids the parameters),
    writing the counts `fields` (migration 0009's backfill: those of its time)."""
    quote = connection.ops.quote_name
    fields = COUNT_FIELDS if fields is None else fields
    counts = ", ".join(quote(c) for c in fields)
    sums = ", ".join(f"SUM({quote(c)})" for c in fields)
    unit = quote("unit_id")
    where = f" WHERE {unit} IN ({', '.join(['%s'] * units)})" if units else ""
    return (
        f"INSERT INTO {quote(UnitMonthTally._meta.db_table)} "  # noqa: S608
        f"({unit}, {quote('month')}, {quote('profile_field')}, {quote('profile_value')}, {counts}) "
        f"SELECT {unit}, {month_of_day_sql(connection.vendor)}, {quote('profile_field')}, "
        f"{quote('profile_value')}, {sums} FROM {quote(UnitDayTally._meta.db_table)}{where} "
        f"GROUP BY 1, 2, 3, 4"
    )


@functools.cache
def _one_response_sql(day_rows: int) -> str:
    """PostgreSQL: the tally rows of one response in one statement whose parameters are few
    whatever its profile answers (each count once, as every row it touches adds the same
    counts): psycopg caches the parsing of a statement of at most 50 parameters, and
    `_values_sql` of a response, 72 parameters or more, was parsed again with a regular
    expression on every answer. The same tables in the same order as `_values_sql` (the
    daily row, the month rows, the day rows); `day_rows` (field, answer) pairs, the whole
    day's first, as the unit's day and month rows of the response."""
    day, month, daily = _parts(UnitDayTally), _parts(UnitMonthTally), _parts(DailyTally)
    counts = ", ".join(
        f"%(n{i})s::{_db_type(DailyTally, name)}" for i, name in enumerate(COUNT_FIELDS)
    )
    keys = ", ".join(f"(%(f{i})s::varchar, %(v{i})s::varchar)" for i in range(day_rows))
    unit, on_day = "%(unit)s::bigint", "%(day)s::date"
    return (
        f"WITH c AS (VALUES ({counts})), k (f, v) AS (VALUES {keys}), "  # noqa: S608
        f"d AS ({day.insert} SELECT {unit}, {on_day}, k.f, k.v, c.* FROM k, c {day.conflict}), "
        f"m AS ({month.insert} SELECT {unit}, %(month)s::date, k.f, k.v, c.* FROM k, c "
        f"{month.conflict}) "
        f"{daily.insert} SELECT {unit}, {on_day}, %(service)s::bigint, %(officer)s::bigint, c.* "
        f"FROM c {daily.conflict}"
    )


def _one_response(cursor, daily: list, days: list) -> None:
    """Write the rows of one response (`daily`: its one DailyTally row; `days`: its day rows,
    each with the same counts) with `_one_response_sql`."""
    unit, day, service, officer, *counts = daily[0]
    params = {"unit": unit, "day": day, "month": day.replace(day=1)}
    params |= {"service": service, "officer": officer}
    params |= {f"n{i}": n for i, n in enumerate(counts)}
    for i, row in enumerate(days):
        params[f"f{i}"], params[f"v{i}"] = row[2], row[3]
    cursor.execute(_one_response_sql(len(days)), params)


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
    if postgresql and (len(days) > _VALUES_ROWS or len(daily) > _VALUES_ROWS):
        with prepared(), connection.cursor() as cursor:
            _upsert(cursor, DailyTally, daily)
            cursor.execute(_arrays_sql(), [list(c) for c in zip(*days, strict=True)])
        return
    with connection.cursor() as cursor:
        if postgresql and len(daily) == 1 and daily[0][4] == 1:  # one response
            _one_response(cursor, daily, days)
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


def _recounts() -> dict[str, models.Expression]:
    """Each count of a tally row as an aggregate over the responses under its key."""
    recounts: dict[str, models.Expression] = {"respondents": Count("*")}
    for code in ELEMENT_CODES:
        answer = code.lower()
        recounts[f"{answer}_sum"] = Coalesce(Sum(answer), 0)
        recounts[f"{answer}_n"] = Count(answer)
    recounts["flagged"] = Count("pk", filter=Q(flagged=True))
    return recounts


def rebuild(unit_ids: Iterable[int] | None = None, *, apps=django_apps) -> int:
    """Recount the tallies of these units (all when None) from their responses: delete their
    rows of the three tables and write them again, one INSERT … SELECT … GROUP BY per table
    (and profile field) and time zone (the days are local), the month rows summed from the day
    rows as the live path adds them. `apps`: a migration's historical models, whose tallies
    have the counts of their time (those written). Returns the tally rows written."""
    tables = [apps.get_model("surveys", name) for name in ("DailyTally", "UnitDayTally")]
    tables.append(apps.get_model("surveys", "UnitMonthTally"))
    responses = apps.get_model("surveys", "SurveyResponse").objects
    columns = {f.name for f in tables[0]._meta.concrete_fields}
    recounts = _recounts()
    fields = [name for name in COUNT_FIELDS if name in columns]
    counts = {f"n{i}": recounts[name] for i, name in enumerate(fields)}
    zones = unit_ids_by_zone(unit_ids, apps=apps)
    written = 0
    for zone, ids in zones.items():
        for table in tables:
            table.objects.filter(unit_id__in=ids).delete()
        day = TruncDate("submitted_at", tzinfo=zoneinfo.ZoneInfo(zone))
        rows = responses.filter(unit_id__in=ids)
        keyed = rows.values("unit_id", d=day, s=F("service_type_id"), o=F("officer_id"))
        written += insert_select(
            tables[0], ("unit_id", "day", "service_type_id", "officer_id"), fields,
            keyed.annotate(**counts), ("q.unit_id", "q.d", "q.s", "q.o"),
        )  # fmt: skip
        day_keys = ("unit_id", "day", "profile_field", "profile_value")
        written += insert_select(
            tables[1], day_keys, fields, rows.values("unit_id", d=day).annotate(**counts),
            ("q.unit_id", "q.d", f"'{WHOLE_DAY}'", "''"),
        )  # fmt: skip
        for name in PROFILE_FIELDS:  # each stated answer (the names are the model's own)
            stated = rows.exclude(**{name: ""}).values("unit_id", d=day, v=F(name))
            written += insert_select(
                tables[1], day_keys, fields, stated.annotate(**counts),
                ("q.unit_id", "q.d", f"'{name}'", "q.v"),
            )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(month_tally_sql(connection, fields, len(ids)), ids)
            written += max(cursor.rowcount, 0)
    return written


def insert_select(
    model: type[models.Model],
    keys: Sequence[str],
    fields: Sequence[str],
    query: QuerySet,
    selected: Sequence[str],
) -> int:
    """INSERT into `model`'s table the grouped `query`'s rows: the columns `keys` from the
    expressions `selected` over it (q), then the counts `fields` from its n0, n1, …."""
    sql, params = query.order_by().query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in (*keys, *fields))
    values = ", ".join([*selected, *(f"q.n{i}" for i in range(len(fields)))])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) SELECT {values} FROM ({sql}) q",  # noqa: S608
            params,
        )
        return max(cursor.rowcount, 0)
