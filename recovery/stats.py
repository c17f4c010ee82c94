"""The recovery rate: of the customers compensated in a period, how many say they recovered.

Every figure is one aggregate query, whatever the data size: the period's totals are the sum
of its rows per service (each delivery falls in exactly one), and the median reads the count
from them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, FloatField, Func, OuterRef, Q

from cases.models import Delivery
from surveys.ikm import day_bounds
from units.models import Unit

from .models import RECOVERED_FROM, FollowUp

# A delivery's case has one follow-up at most, found by the delivery's own case id (its
# unique index): no join through the case.
ANSWERED = Q(Exists(FollowUp.objects.filter(case=OuterRef("case"), answered_at__isnull=False)))
RECOVERED = Q(Exists(FollowUp.objects.filter(case=OuterRef("case"), score__gte=RECOVERED_FROM)))


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


def _counts(qs) -> dict:
    return qs.aggregate(
        compensated=Count("pk", distinct=True),
        answered=Count("pk", filter=ANSWERED, distinct=True),
        recovered=Count("pk", filter=RECOVERED, distinct=True),
    )


def _rows(qs, label: str, *, distinct: bool = True) -> list[RecoveryRow]:
    """Deliveries per `label`; `distinct=False` where each delivery is one row of the join
    (a path of foreign keys and one-to-one relations: nothing to count twice). A delivery is
    counted by its case (one each), which the period's index holds: no read of the table."""
    rows = (
        qs.values(group=F(label))
        .annotate(
            compensated=Count("case", distinct=distinct),
            answered=Count("case", filter=ANSWERED, distinct=distinct),
            recovered=Count("case", filter=RECOVERED, distinct=distinct),
        )
        .order_by("group")
    )
    return [
        RecoveryRow(r["group"] or "—", r["compensated"], r["answered"], r["recovered"])
        for r in rows
    ]


class DaysBetween(Func):
    """Days from `start` to `end` (two datetimes) as a float, in each database's own date
    arithmetic (Django's duration subtraction calls a Python function per row on SQLite)."""

    output_field = FloatField()
    arity = 2

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)",
            arg_joiner=" - ",
            **extra,
        )


def median_days_to_delivery(deliveries, count: int | None = None) -> float | None:
    """Median days from the poor rating (or complaint, or the case's opening) to delivery;
    `count`, the number of `deliveries` when the caller already has it."""
    # From the delivery's row alone (its case's origin is kept on it): no join.
    waited = deliveries.annotate(waited=DaysBetween("delivered_at", "origin_at")).order_by("waited")
    if count is None:
        count = waited.count()
    if not count:
        return None
    middle = list(waited.values_list("waited", flat=True)[(count - 1) // 2 : count // 2 + 1])
    return round(sum(middle) / len(middle), 1)


def delivered_between(unit: Unit, start: datetime.date, end: datetime.date):
    since, until = day_bounds(unit, start, end)
    return Delivery.objects.filter(unit=unit, delivered_at__gte=since, delivered_at__lt=until)


def recovery_share(unit: Unit, start: datetime.date, end: datetime.date) -> RecoveryRow:
    """One query: compensated, answered and recovered customers of a period (public page)."""
    counts = _counts(delivered_between(unit, start, end))
    return RecoveryRow("", counts["compensated"], counts["answered"], counts["recovered"])


def recovery_figures(unit: Unit, start: datetime.date, end: datetime.date) -> RecoveryFigures:
    deliveries = delivered_between(unit, start, end)
    # The service of the case's origin, kept on the delivery (`Delivery.service_type`); its
    # case has one follow-up at most, so each delivery is one row.
    by_service = _rows(deliveries, "service_type__name", distinct=False)
    # Every delivery has one case, the case one origin and one follow-up at most: it falls in
    # exactly one row per service (those of no service under "—"), so the rows add up to the
    # period's totals.
    compensated = sum(r.compensated for r in by_service)
    return RecoveryFigures(
        compensated=compensated,
        answered=sum(r.answered for r in by_service),
        recovered=sum(r.recovered for r in by_service),
        median_days=median_days_to_delivery(deliveries, count=compensated),
        by_kind=_rows(deliveries, "compensation__kinds__name"),
        by_service=by_service,
    )
