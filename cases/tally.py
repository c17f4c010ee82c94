"""The case tallies (CaseTally): the rule of what each change adds, the increment-on-conflict
upsert that writes it, and the rebuild from the rows.

The workflow (cases/workflow.py) calls `opened`, `moved`, `decree_issued`,
`compensation_decided` and `delivered` in the transaction of the change they count, so the
tallies always equal a recount of the rows; `rebuild` is that recount (the migration's
backfill, the bench's seeds, a repair). A day is the unit's local day of the moment counted,
as the survey tallies' days are.
"""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from collections.abc import Iterable, Sequence

from django.apps import apps as django_apps
from django.db import connection
from django.db.models import CharField, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, TruncDate

from pulih.lib.compiled import CompiledRead, date_marker, key_marker
from units.models import Unit
from units.zones import unit_ids_by_zone

from .models import Case, CaseTally, Compensation, Decree, Delivery

Figure = CaseTally.Figure
Row = tuple[datetime.date, str, str, int, int]  # day, figure, key, n, part


@functools.cache
def _upsert_sql(rows: int) -> str:
    quote = connection.ops.quote_name
    table = quote(CaseTally._meta.db_table)
    unit, day, figure, key, n, part = (
        quote(c) for c in ("unit_id", "day", "figure", "key", "n", "part")
    )
    values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * rows)
    return (
        f"INSERT INTO {table} ({unit}, {day}, {figure}, {key}, {n}, {part})"  # noqa: S608
        f" VALUES {values} ON CONFLICT ({unit}, {figure}, {key}, {day}) DO UPDATE"
        f" SET {n} = {table}.{n} + EXCLUDED.{n}, {part} = {table}.{part} + EXCLUDED.{part}"
    )


def add(unit: Unit, rows: Iterable[Row]) -> None:
    """Add each row's n and part to its tally (creating it), in one statement; the rows in
    one order (figure, key, day), so two writers lock the same rows in the same order."""
    merged: dict[tuple[str, str, datetime.date], list[int]] = {}
    for day, figure, key, n, part in rows:
        counts = merged.setdefault((figure, key, day), [0, 0])
        counts[0] += n
        counts[1] += part
    if not merged:
        return
    adapt = connection.ops.adapt_datefield_value
    params: list = []
    for (figure, key, day), (n, part) in sorted(merged.items()):
        params += [unit.pk, adapt(day), figure, key, n, part]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(len(merged)), params)


def on_time(at: datetime.datetime, due_at: datetime.datetime | None) -> int:
    """1 when `at` is within the deadline `due_at` (a change without a deadline is not)."""
    return int(due_at is not None and at <= due_at)


def opened(unit: Unit, cases: Sequence[Case]) -> None:
    add(unit, [(unit.local_date(c.opened_at), Figure.OPENED, c.state, 1, 0) for c in cases])


def moved(case: Case, from_state: str, to_state: str) -> None:
    """The case left `from_state` for `to_state`: its opening day counts it in the new one."""
    if from_state == to_state:
        return
    day = case.unit.local_date(case.opened_at)
    add(case.unit, [(day, Figure.OPENED, from_state, -1, 0), (day, Figure.OPENED, to_state, 1, 0)])


def decree_issued(decree: Decree, violation_ids: Iterable[int]) -> None:
    day = decree.unit.local_date(decree.issued_at)
    add(
        decree.unit,
        [
            (day, Figure.DECREES, "", 1, on_time(decree.issued_at, decree.due_at)),
            *((day, Figure.VIOLATION, str(v), 1, 0) for v in violation_ids),
        ],
    )


def compensation_decided(compensation: Compensation) -> None:
    year = datetime.date(compensation.budget_year, 1, 1)
    add(compensation.unit, [(year, Figure.SPENT, "", 1, compensation.cost)])


def delivered(delivery: Delivery) -> None:
    day = delivery.unit.local_date(delivery.delivered_at)
    add(
        delivery.unit,
        [(day, Figure.DELIVERIES, "", 1, on_time(delivery.delivered_at, delivery.due_at))],
    )


def spent(unit: Unit, year: int) -> int:
    """What the compensations decided for the unit's `year` budget cost."""
    return _spent_read().value(unit=unit.pk, day=datetime.date(year, 1, 1)) or 0


@functools.cache
def _spent_read() -> CompiledRead:
    """The unit's one tally row of a year's spending (`spent_of_units`' of one unit)."""
    rows = _spending(unit=key_marker(0), day=date_marker(0)).values_list("part")
    return CompiledRead(rows, unit=key_marker(0), day=date_marker(0))


def _spending(**which: object) -> QuerySet:
    """The spending tally rows of `which` units and years (a year's row is on its 1 January)."""
    return CaseTally.objects.filter(**which, figure=Figure.SPENT, key="")


def spent_of_units(unit_ids: Sequence[int], year: int) -> dict[int, int]:
    """{unit id: what its compensations decided for `year`'s budget cost}, from the units'
    one tally row of the year each (units without a compensation left out)."""
    rows = _spending(unit_id__in=unit_ids, day=datetime.date(year, 1, 1))
    rows = rows.values_list("unit_id", "part")
    return dict(rows)


# --- the recount ----------------------------------------------------------------------------


def rebuild(unit_ids: Iterable[int] | None = None, *, apps=django_apps) -> int:
    """Recount the tallies of these units (all when None) from their rows: delete theirs and
    write them again, one INSERT … SELECT … GROUP BY per figure and time zone (the days are
    local). `apps`: a migration's historical models. Returns the tally rows written."""
    model = apps.get_model("cases", "CaseTally")
    zones = unit_ids_by_zone(unit_ids, apps=apps)
    written = 0
    for zone, ids in zones.items():
        model.objects.filter(unit_id__in=ids).delete()
        for figure, query in _recounts(apps, ids, zoneinfo.ZoneInfo(zone)):
            written += _insert_select(model, figure, query)
        written += _spent(apps, model, ids)
    return written


def _recounts(apps, ids: list[int], zone: datetime.tzinfo) -> Iterable[tuple[str, QuerySet]]:
    """Per figure, the units' rows grouped as its tallies: unit_id, d (local day), k (key),
    n and p (part)."""
    case = apps.get_model("cases", "Case")
    decree = apps.get_model("cases", "Decree")
    delivery = apps.get_model("cases", "Delivery")

    def grouped(rows: QuerySet, moment: str, key, part) -> QuerySet:
        day = TruncDate(moment, tzinfo=zone)
        return (
            rows.filter(unit_id__in=ids)
            .values("unit_id", d=day, k=key)
            .annotate(n=Count("*"), p=part)
        )

    none = Value("")
    zero = Value(0)
    yield Figure.OPENED, grouped(case.objects, "opened_at", F("state"), zero)
    decrees = decree.objects
    on_time_decree = Count("pk", filter=Q(issued_at__lte=F("due_at")))
    yield Figure.DECREES, grouped(decrees, "issued_at", none, on_time_decree)
    on_time_delivery = Count("pk", filter=Q(delivered_at__lte=F("due_at")))
    yield Figure.DELIVERIES, grouped(delivery.objects, "delivered_at", none, on_time_delivery)
    found = decrees.filter(proposal__violations__isnull=False)
    violation = Cast("proposal__violations", CharField(max_length=20))
    yield Figure.VIOLATION, grouped(found, "issued_at", violation, zero)


def _insert_select(model, figure: str, query: QuerySet) -> int:
    """INSERT the grouped `query`'s rows as tallies of `figure`."""
    sql, params = query.order_by().query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("unit_id", "day", "figure", "key", "n", "part"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({columns})"  # noqa: S608
            f" SELECT q.unit_id, q.d, %s, q.k, q.n, q.p FROM ({sql}) q",
            [figure, *params],
        )
        return max(cursor.rowcount, 0)


def _spent(apps, model, ids: list[int]) -> int:
    """The SPENT rows: per budget year (few: written from Python)."""
    compensation = apps.get_model("cases", "Compensation")
    rows = list(
        compensation.objects.filter(unit_id__in=ids)
        .values_list("unit_id", "budget_year")
        .annotate(n=Count("*"), cost=Sum("cost"))
        .order_by()
    )
    model.objects.bulk_create(
        model(
            unit_id=unit_id,
            day=datetime.date(year, 1, 1),
            figure=Figure.SPENT,
            key="",
            n=n,
            part=cost or 0,
        )
        for unit_id, year, n, cost in rows
    )
    return len(rows)
