"""A period's case figures of one unit or of many (the unit dashboard and reports, an
organisation's roll-up): added up from the case tallies (cases/tally.py) of the period's
local days, in one statement, whatever the number of cases."""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass

from pulih.lib.compiled import CompiledRead, key_marker, moment_marker
from pulih.lib.replica import read_connection

from .models import Case, CaseState, CaseTally

Figure = CaseTally.Figure


@dataclass(frozen=True)
class CaseFigures:
    by_state: dict[str, int]  # cases opened in the period per state they are in (states with any)
    decrees: tuple[int, int]  # (issued by their deadline, issued) in the period
    deliveries: tuple[int, int]  # (delivered on time, delivered) in the period
    violations: list[tuple[int, int]]  # (violation id, decrees finding it), most found first


@functools.cache
def _sql(vendor: str, many: bool) -> str:
    """Hand-written: the dashboard asks on every view, and the ORM's build of a grouped sum
    costs about as much as running it. Many units' ids are one parameter (JSON on SQLite, an
    array on PostgreSQL) so that a ministry's thousands stay within the drivers' limits."""
    if not many:
        units = "unit_id = %s"
    elif vendor == "sqlite":
        units = "unit_id IN (SELECT value FROM json_each(%s))"
    else:
        units = "unit_id = ANY(%s)"
    return (
        f"SELECT figure, {_quote('key')}, SUM(n), SUM(part)"  # noqa: S608
        f" FROM {CaseTally._meta.db_table} WHERE {units} AND day >= %s AND day <= %s"
        f" AND figure <> %s GROUP BY figure, {_quote('key')}"
    )


def _quote(name: str) -> str:
    return read_connection().ops.quote_name(name)


def case_figures(unit_ids: Sequence[int], start: datetime.date, end: datetime.date) -> CaseFigures:
    """The figures of the cases, decrees and deliveries of `unit_ids` over the local days
    start..end (each unit's own days: the tallies are kept by local day)."""
    if not unit_ids:
        return CaseFigures({}, (0, 0), (0, 0), [])
    connection = read_connection()
    adapt = connection.ops.adapt_datefield_value
    many = len(unit_ids) > 1
    if not many:
        units = unit_ids[0]
    elif connection.vendor == "sqlite":
        units = json.dumps(list(unit_ids))
    else:
        units = list(unit_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            _sql(connection.vendor, many), [units, adapt(start), adapt(end), Figure.SPENT]
        )
        rows = cursor.fetchall()
    states: dict[str, int] = {}
    totals = {Figure.DECREES: (0, 0), Figure.DELIVERIES: (0, 0)}
    violations: list[tuple[int, int]] = []
    for figure, key, n, part in rows:
        n, part = int(n), int(part)
        if figure == Figure.OPENED:
            if n:
                states[key] = n
        elif figure == Figure.VIOLATION:
            violations.append((int(key), n))
        else:
            totals[figure] = (part, n)
    violations.sort(key=lambda pair: (-pair[1], pair[0]))
    ordered = {s: states[s] for s in CaseState.values if s in states}
    return CaseFigures(ordered, totals[Figure.DECREES], totals[Figure.DELIVERIES], violations)


@functools.cache
def _overdue_read() -> CompiledRead:
    rows = Case.objects.filter(unit=key_marker(0), due_at__lt=moment_marker(0)).order_by()
    return CompiledRead(rows.values_list("pk"), unit=key_marker(0), now=moment_marker(0))


def overdue_count(unit_id: int, now: datetime.datetime) -> int:
    """The unit's cases past their deadline at `now`."""
    return _overdue_read().count(unit=unit_id, now=now)
