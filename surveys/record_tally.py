"""The unit's daily service counts (RecordTally): what recording services adds, the
increment-on-conflict upsert that writes it, the reads of a period's population, and the
rebuild from the records.

surveys.services.store_records calls `add` in the transaction that stores the records, so
the counts always equal a recount of the records; `rebuild` is that recount (the migration's
backfill, a repair). A day is the unit's local day of the service, as the survey tallies'
days are.
"""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from collections import Counter
from collections.abc import Iterable, Sequence

from django.apps import apps as django_apps
from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate

from pulih.lib.compiled import CompiledRead, date_marker, key_marker
from units.models import Unit
from units.zones import unit_ids_by_zone

from .models import RecordTally
from .tally import insert_select


@functools.cache
def _upsert_sql(rows: int) -> str:
    quote = connection.ops.quote_name
    table = quote(RecordTally._meta.db_table)
    unit, day, records = (quote(c) for c in ("unit_id", "day", "records"))
    values = ", ".join(["(%s, %s, %s)"] * rows)
    return (
        f"INSERT INTO {table} AS t ({unit}, {day}, {records}) VALUES {values}"  # noqa: S608
        f" ON CONFLICT ({unit}, {day}) DO UPDATE SET {records} = t.{records} + EXCLUDED.{records}"
    )


def add(unit: Unit, days: Iterable[datetime.date]) -> None:
    """Count one service recorded on each of `days` (local days; one per record), in one
    statement; the days in order, so two writers lock the same rows in the same order."""
    counts = Counter(days)
    if not counts:
        return
    adapt = connection.ops.adapt_datefield_value
    params: list = []
    for day, n in sorted(counts.items()):
        params += [unit.pk, adapt(day), n]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(len(counts)), params)


def _of_period(**which: object):
    return RecordTally.objects.filter(**which).order_by().values("unit")


@functools.cache
def _population_read() -> CompiledRead:
    """The services the unit recorded on the local days start..end (no row when none)."""
    rows = _of_period(unit=key_marker(0), day__gte=date_marker(0), day__lte=date_marker(1))
    rows = rows.annotate(n=Sum("records")).values_list("n")
    return CompiledRead(rows, unit=key_marker(0), start=date_marker(0), end=date_marker(1))


def population(unit: Unit, start: datetime.date, end: datetime.date) -> int:
    """How many services the unit recorded on its local days start..end."""
    return _population_read().value(unit=unit.pk, start=start, end=end) or 0


def populations(unit_ids: Sequence[int], start: datetime.date, end: datetime.date) -> dict:
    """{unit id: services recorded on its local days start..end} (units without one left
    out), in one query."""
    rows = _of_period(unit_id__in=unit_ids, day__gte=start, day__lte=end)
    return dict(rows.annotate(n=Sum("records")).values_list("unit", "n"))


def rebuild(unit_ids: Iterable[int] | None = None, *, apps=django_apps) -> int:
    """Recount the daily service counts of these units (all when None) from their records:
    delete their rows and write them again, one INSERT … SELECT … GROUP BY per time zone (the
    days are local). `apps`: a migration's historical models. Returns the rows written."""
    model = apps.get_model("surveys", "RecordTally")
    records = apps.get_model("surveys", "ServiceRecord").objects
    zones = unit_ids_by_zone(unit_ids, apps=apps)
    written = 0
    for zone, ids in zones.items():
        model.objects.filter(unit_id__in=ids).delete()
        day = TruncDate("served_at", tzinfo=zoneinfo.ZoneInfo(zone))
        counted = records.filter(unit_id__in=ids).values("unit_id", d=day).annotate(n0=Count("*"))
        written += insert_select(
            model, ("unit_id", "day"), ["records"], counted, ("q.unit_id", "q.d")
        )
    return written
