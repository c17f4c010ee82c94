"""The recovery rate: of the customers compensated in a period, how many say they recovered.

Every figure is one aggregate query, whatever the data size: the period's totals are the sum
of its rows per service (each delivery falls in exactly one), and the median reads the count
from them. Hand-written SQL (one string per database, cached), as `surveys.ikm.period_sums`:
the dashboard asks for these on every view, and building them with the ORM cost about as much
as running them.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field

from cases.models import CompensationItem, Delivery
from pulih.lib.replica import read_connection
from surveys.ikm import day_bounds
from units.models import CompensationKind, ServiceType, Unit

from .models import RECOVERED_FROM, FollowUp


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


# The unit's deliveries of a period (the `(unit, delivered_at, …)` index), each with its
# case's follow-up: one at most (its unique case index), found by the delivery's own case id,
# so each delivery stays one row. Parameters: RECOVERED_FROM, then `_period_params`'s.
_ANSWERED = "f.answered_at IS NOT NULL"
_RECOVERED = "f.score >= %s"


def _deliveries(columns: str, joins: str = "") -> str:
    return (
        f"SELECT {columns} FROM {Delivery._meta.db_table} d{joins}"  # noqa: S608
        f" LEFT JOIN {FollowUp._meta.db_table} f ON f.case_id = d.case_id"
        " WHERE d.unit_id = %s AND d.delivered_at >= %s AND d.delivered_at < %s"
    )


@functools.cache
def _by_service_sql() -> str:
    """Per name of the service rated (kept on the delivery): counted per service type in the
    period's index, then added up per name (two types of one name make one row; deliveries of
    no service, the NULL name)."""
    per_type = _deliveries(
        f"d.service_type_id AS service, COUNT(*) AS n,"
        f" COUNT(CASE WHEN {_ANSWERED} THEN 1 END) AS answered,"
        f" COUNT(CASE WHEN {_RECOVERED} THEN 1 END) AS recovered"
    )
    return (
        "SELECT s.name, SUM(g.n), SUM(g.answered), SUM(g.recovered)"  # noqa: S608
        f" FROM ({per_type} GROUP BY d.service_type_id) g"
        f" LEFT JOIN {ServiceType._meta.db_table} s ON s.id = g.service"
        " GROUP BY s.name ORDER BY 1 ASC"
    )


@functools.cache
def _by_kind_sql() -> str:
    """Per name of the kinds of compensation delivered (the delivery keeps its compensation):
    a delivery counts once per name, however many of its kinds bear it (the distinct pairs of
    name and case; the follow-up is the case's). Deliveries of no kind, the NULL name."""
    pairs = _deliveries(
        f"DISTINCT k.name AS name, d.case_id AS case_id,"
        f" CASE WHEN {_ANSWERED} THEN 1 ELSE 0 END AS answered,"
        f" CASE WHEN {_RECOVERED} THEN 1 ELSE 0 END AS recovered",
        f" LEFT JOIN {CompensationItem._meta.db_table} ck ON ck.compensation_id = d.compensation_id"
        f" LEFT JOIN {CompensationKind._meta.db_table} k ON k.id = ck.compensationkind_id",
    )
    return (
        "SELECT name, COUNT(*), SUM(answered), SUM(recovered)"  # noqa: S608
        f" FROM ({pairs}) t GROUP BY name ORDER BY 1 ASC"
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


def _period_params(unit: Unit, start: datetime.date, end: datetime.date) -> list:
    since, until = day_bounds(unit, start, end)
    connection = read_connection()
    adapt = connection.ops.adapt_datetimefield_value
    return [unit.pk, adapt(since), adapt(until)]


def _rows(sql: str, params: list) -> list[RecoveryRow]:
    with read_connection().cursor() as cursor:
        cursor.execute(sql, [RECOVERED_FROM, *params])
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
    by_service = _rows(_by_service_sql(), _period_params(unit, start, end))
    return RecoveryRow(
        "",
        sum(r.compensated for r in by_service),
        sum(r.answered for r in by_service),
        sum(r.recovered for r in by_service),
    )


def recovery_figures(unit: Unit, start: datetime.date, end: datetime.date) -> RecoveryFigures:
    period = _period_params(unit, start, end)
    # Every delivery has one case, the case one origin and one follow-up at most: it falls in
    # exactly one row per service (those of no service under "—"), so the rows add up to the
    # period's totals.
    by_service = _rows(_by_service_sql(), period)
    compensated = sum(r.compensated for r in by_service)
    return RecoveryFigures(
        compensated=compensated,
        answered=sum(r.answered for r in by_service),
        recovered=sum(r.recovered for r in by_service),
        median_days=median_days_to_delivery(period, compensated),
        by_kind=_rows(_by_kind_sql(), period),
        by_service=by_service,
    )
