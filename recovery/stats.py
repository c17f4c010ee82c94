"""The recovery rate: of the customers compensated in a period, how many say they recovered.

Every figure is one aggregate query, whatever the data size: the counts add up the period's
recovery tallies (RecoveryTally, kept per unit, local day, service and set of compensation
kinds by recovery/tally.py as deliveries are made and follow-ups answered) instead of joining
the deliveries to their follow-ups and compensations; the period's totals are the sum of its
rows per service (each delivery falls in exactly one), and the median reads the count from
them and the days each delivery waited from the delivery index. Hand-written SQL (one string
per database, cached), as `surveys.ikm.period_sums`: the dashboard asks for these on every
view, and building them with the ORM cost about as much as running them.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field

from cases.models import Delivery
from pulih.lib.replica import read_connection
from surveys.ikm import day_bounds
from units.models import FIRST_DAY, LAST_DAY, CompensationKind, ServiceType, Unit

from .models import RecoveryTally


@dataclass(frozen=True)
class RecoveryRow:
    label: str
    compensated: int
    answered: int
    recovered: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.recovered / self.answered, 1) if self.answered else None


@dataclass(frozen=True)
class RecoveryFigures:
    compensated: int
    answered: int
    recovered: int
    median_days: float | None
    by_kind: list[RecoveryRow] = field(default_factory=list)
    by_service: list[RecoveryRow] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        """Recovered of the follow-ups answered (an unanswered one says nothing either way)."""
        return round(100 * self.recovered / self.answered, 1) if self.answered else None


def _tallies(group: str) -> str:
    """The unit's tallies of a period's local days added up per `group` (the `(unit, day, …)`
    index, read from it alone). Parameters: `_tally_params`'s."""
    return (
        f"SELECT {group}, SUM(t.compensated) AS n, SUM(t.answered) AS answered,"  # noqa: S608
        f" SUM(t.recovered) AS recovered FROM {RecoveryTally._meta.db_table} t"
        f" WHERE t.unit_id = %s AND t.day >= %s AND t.day <= %s GROUP BY {group}"
    )


@functools.cache
def _by_service_sql() -> str:
    """Per name of the service rated (kept on the delivery): the period's tallies added up per
    service type, then per name (two types of one name make one row; deliveries of no
    service, the NULL name)."""
    per_type = _tallies("t.service_type_id")
    return (
        "SELECT s.name, SUM(g.n), SUM(g.answered), SUM(g.recovered)"  # noqa: S608
        f" FROM ({per_type}) g"
        f" LEFT JOIN {ServiceType._meta.db_table} s ON s.id = g.service_type_id"
        " GROUP BY s.name ORDER BY 1 ASC"
    )


# The position of a comma in a string, in each database's spelling.
_FIND = {"sqlite": "instr", "postgresql": "strpos"}


@functools.cache
def _by_kind_sql(vendor: str) -> str:
    """Per name of the kinds of compensation delivered: a delivery counts once per name,
    however many of its kinds bear it, as the distinct pairs of name and case did over the
    rows. The period's tallies are added up per set of kinds (g), each set split into its
    kind ids (a recursive split of "3,7"), and each set counts once per distinct name of its
    kinds. Deliveries of no kind ("" set), the NULL name."""
    find = _FIND[vendor]
    per_set = _tallies("t.kinds")
    return (
        f"WITH RECURSIVE g AS ({per_set}),"  # noqa: S608
        " ids (kinds, rest, kind) AS ("
        " SELECT kinds, kinds || ',', CAST(NULL AS INTEGER) FROM g WHERE kinds <> ''"
        f" UNION ALL SELECT kinds, SUBSTR(rest, {find}(rest, ',') + 1),"
        f" CAST(SUBSTR(rest, 1, {find}(rest, ',') - 1) AS INTEGER) FROM ids WHERE rest <> '')"
        " SELECT name, SUM(n), SUM(answered), SUM(recovered) FROM"
        " (SELECT DISTINCT g.kinds, k.name AS name, g.n, g.answered, g.recovered FROM g"
        " LEFT JOIN ids i ON i.kinds = g.kinds AND i.kind IS NOT NULL"
        f" LEFT JOIN {CompensationKind._meta.db_table} k ON k.id = i.kind) p"
        " GROUP BY name ORDER BY 1 ASC"
    )


@functools.cache
def _median_sql() -> str:
    """The one or two middle values of the period's waits (LIMIT and OFFSET from the count),
    stored on each delivery (`Delivery.waited_days`) and read from the `(unit, delivered_at,
    due_at, waited_days)` index alone."""
    return (
        f"SELECT d.waited_days FROM {Delivery._meta.db_table} d"  # noqa: S608
        " WHERE d.unit_id = %s AND d.delivered_at >= %s AND d.delivered_at < %s"
        " ORDER BY 1 ASC LIMIT %s OFFSET %s"
    )


def _days(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """start..end clamped as Unit.day_bounds clamps them, so the tallies' days are the days
    of the period's [since, until)."""
    return min(max(start, FIRST_DAY), LAST_DAY), min(max(end, FIRST_DAY), LAST_DAY)


def _tally_params(unit: Unit, start: datetime.date, end: datetime.date) -> list:
    adapt = read_connection().ops.adapt_datefield_value
    first, last = _days(start, end)
    return [unit.pk, adapt(first), adapt(last)]


def _period_params(unit: Unit, start: datetime.date, end: datetime.date) -> list:
    since, until = day_bounds(unit, start, end)
    adapt = read_connection().ops.adapt_datetimefield_value
    return [unit.pk, adapt(since), adapt(until)]


def _rows(sql: str, params: list) -> list[RecoveryRow]:
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        RecoveryRow(label or "—", int(compensated), int(answered), int(recovered))
        for label, compensated, answered, recovered in rows
    ]


def median_days_to_delivery(period: list, count: int) -> float | None:
    """Median days from the poor rating (or complaint, or the case's opening) to delivery of
    the `count` deliveries of a period (`_period_params`); from the delivery's row alone (the
    days it waited are kept on it): no join."""
    if not count:
        return None
    first, last = (count - 1) // 2, count // 2  # the middle one, or the middle two
    with read_connection().cursor() as cursor:
        cursor.execute(_median_sql(), [*period, last - first + 1, first])
        middle = [float(waited) for (waited,) in cursor.fetchall()]
    return round(sum(middle) / len(middle), 1)


def recovery_share(unit: Unit, start: datetime.date, end: datetime.date) -> RecoveryRow:
    """One query: compensated, answered and recovered customers of a period (public page)."""
    by_service = _rows(_by_service_sql(), _tally_params(unit, start, end))
    return RecoveryRow(
        "",
        sum(r.compensated for r in by_service),
        sum(r.answered for r in by_service),
        sum(r.recovered for r in by_service),
    )


def recovery_figures(unit: Unit, start: datetime.date, end: datetime.date) -> RecoveryFigures:
    """Three statements: the period's tallies per service and per kind, and the one or two
    middle waits of its deliveries."""
    days = _tally_params(unit, start, end)
    # Every delivery has one case, the case one origin and one follow-up at most: it falls in
    # exactly one tally, so in one row per service (those of no service under "—"), and the
    # rows add up to the period's totals.
    by_service = _rows(_by_service_sql(), days)
    compensated = sum(r.compensated for r in by_service)
    return RecoveryFigures(
        compensated=compensated,
        answered=sum(r.answered for r in by_service),
        recovered=sum(r.recovered for r in by_service),
        median_days=median_days_to_delivery(_period_params(unit, start, end), compensated),
        by_kind=_rows(_by_kind_sql(read_connection().vendor), days),
        by_service=by_service,
    )
