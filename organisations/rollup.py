"""An organisation's roll-up of every unit below it: from the daily tallies and a fixed number
of aggregate queries, never the responses, never a customer's name, contact or comment."""

from __future__ import annotations

import datetime
import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, Q, QuerySet, Sum

from cases.models import Case, CaseState, Compensation, Decree
from pulih.lib.replica import read_connection
from reports.periods import past_quarters, quarter_of
from surveys.ikm import (
    IkmResult,
    compute_ikm,
    day_bounds,
    ikm_of_units,
    ikm_of_units_by_month,
    mean_score,
    sample_size,
)
from surveys.models import ServiceRecord
from units.models import ELEMENT_CODES, CompensationBudget, Unit

from .models import Organisation


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    ikm: IkmResult
    population: int  # services recorded in the period
    spent: int
    budget: int | None

    @cached_property  # read twice per row of a roll-up of hundreds of units
    def sample_required(self) -> int:
        return sample_size(self.population)

    @property
    def sample_adequate(self) -> bool | None:
        """None when the unit recorded no services (nothing to measure the sample against)."""
        return None if not self.population else self.ikm.respondents >= self.sample_required


@dataclass(frozen=True)
class Rollup:
    organisation: Organisation
    start: datetime.date
    end: datetime.date
    units: list[UnitRow]  # ranked: highest IKM first, units without answers last
    pooled: IkmResult  # over all respondents of all units
    mean_of_units: Decimal | None  # the mean of the units' published scores
    cases_by_state: dict[str, int]
    decrees_total: int
    decrees_on_time: int
    spent: int
    budget: int
    quarters: list[tuple[datetime.date, IkmResult]]

    @property
    def decrees_on_time_percent(self) -> float | None:
        if not self.decrees_total:
            return None
        return round(100 * self.decrees_on_time / self.decrees_total, 1)

    @property
    def cases_rows(self) -> list[tuple[str, str, int]]:
        return [(s.value, s.label, self.cases_by_state.get(s.value, 0)) for s in CaseState]


def in_period(
    zones: dict[str, list[int]], field: str, start: datetime.date, end: datetime.date
) -> Q:
    """`field` within start..end as each unit's own local days: one clause per time zone over
    that zone's unit ids (`zones`: zone -> ids), so no query joins the units to read a zone."""
    clause = Q(pk__in=[])
    for zone, ids in zones.items():
        since, until = day_bounds(Unit(time_zone=zone), start, end)
        clause |= Q(unit_id__in=ids, **{f"{field}__gte": since, f"{field}__lt": until})
    return clause


def rollup(organisation: Organisation, start: datetime.date, end: datetime.date) -> Rollup:
    # The units once, as ids: every aggregate below filters on a plain list, which the
    # database serves from its (unit, time) indexes instead of re-walking the tree each time.
    units = list(organisation.units_below().order_by("name"))
    ids = [u.pk for u in units]
    zones: dict[str, list[int]] = {}
    for unit in units:
        zones.setdefault(unit.time_zone, []).append(unit.pk)
    pooled, per_unit = ikm_of_units(units, start=start, end=end)
    populations = dict(
        ServiceRecord.objects.filter(in_period(zones, "served_at", start, end))
        .values("unit")
        .annotate(n=Count("pk"))
        .values_list("unit", "n")
    )
    spent = dict(
        Compensation.objects.filter(unit_id__in=ids, budget_year=end.year)
        .values("unit")
        .annotate(total=Sum("cost"))
        .values_list("unit", "total")
    )
    budgets = dict(
        CompensationBudget.objects.filter(unit_id__in=ids, year=end.year).values_list(
            "unit", "amount"
        )
    )
    rows = [
        UnitRow(
            unit,
            per_unit.get(unit.pk) or compute_ikm({}, respondents=0),
            populations.get(unit.pk, 0),
            spent.get(unit.pk) or 0,
            budgets.get(unit.pk),
        )
        for unit in units
    ]
    rows.sort(key=lambda r: (r.ikm.score is None, -(r.ikm.score or 0), r.unit.name))
    cases_by_state, decrees_total, decrees_on_time = case_figures(zones, start, end)
    return Rollup(
        organisation=organisation,
        start=start,
        end=end,
        units=rows,
        pooled=pooled,
        mean_of_units=mean_score(r.ikm for r in rows),
        cases_by_state=cases_by_state,
        decrees_total=decrees_total,
        decrees_on_time=decrees_on_time,
        spent=sum(r.spent for r in rows),
        budget=sum(r.budget or 0 for r in rows),
        quarters=quarterly(ids, end),
    )


def case_figures(
    zones: dict[str, list[int]], start: datetime.date, end: datetime.date
) -> tuple[dict[str, int], int, int]:
    """The units' cases opened in start..end per state (the states with any), and their
    decrees issued in it: all, and those issued by their deadline. One statement of counts,
    each read from an index alone: a state's cases from (unit, state, opened_at) ranges —
    grouping a quarter's cases by state instead read and sorted every one of them —, the
    decrees from (unit, issued_at, due_at), those on time from a partial index. `zones` as
    `in_period`'s; each zone's ids are one parameter (an array, or JSON on SQLite), so that
    the ten counts of a ministry of thousands of units stay within the drivers' limits."""
    if not zones:
        return {}, 0, 0
    connection = read_connection()
    adapt = connection.ops.adapt_datetimefield_value
    as_list = json.dumps if connection.vendor == "sqlite" else list
    period: list = []
    for zone, ids in zones.items():
        since, until = day_bounds(Unit(time_zone=zone), start, end)
        period += [as_list(ids), adapt(since), adapt(until)]
    states = CaseState.values
    params = [p for state in states for p in (state, *period)] + period + period
    with connection.cursor() as cursor:
        cursor.execute(_case_figures_sql(connection.vendor, len(zones)), params)
        *counts, whole, part = cursor.fetchone()
    return {s: n for s, n in zip(states, counts, strict=True) if n}, whole, part


@functools.cache
def _case_figures_sql(vendor: str, zones: int) -> str:
    """`case_figures`' statement for that many time zones (hand-written: the ORM has no
    statement of several counts, and building ten subqueries cost more than running them)."""
    ids = (
        "unit_id IN (SELECT value FROM json_each(%s))"
        if vendor == "sqlite"
        else "unit_id = ANY(%s)"
    )

    def within(column: str) -> str:
        return " OR ".join([f"({ids} AND {column} >= %s AND {column} < %s)"] * zones)

    # Built from the models' table names and placeholders only.
    cases, decrees = Case._meta.db_table, Decree._meta.db_table
    opened, issued = within("opened_at"), within("issued_at")
    state = f"(SELECT COUNT(*) FROM {cases} WHERE state = %s AND ({opened}))"  # noqa: S608
    whole = f"(SELECT COUNT(*) FROM {decrees} WHERE {issued})"  # noqa: S608
    part = f"(SELECT COUNT(*) FROM {decrees} WHERE ({issued}) AND issued_at <= due_at)"  # noqa: S608
    return "SELECT " + ", ".join([state] * len(CaseState) + [whole, part])


def quarterly(units: QuerySet[Unit] | list[int], end: datetime.date, count: int = 4):
    """The pooled IKM of the last `count` quarters up to `end`, oldest first, of `units` (a
    queryset or their ids): one query by month (two when the last month is not over), the
    months' totals added into quarters."""
    first = past_quarters(end, count - 1)[-1][0] if count > 1 else quarter_of(end)[0]
    sums: dict[datetime.date, tuple[int, dict[str, list[int]]]] = {}
    for month, respondents, totals in ikm_of_units_by_month(units, start=first, end=end):
        key = quarter_of(month)[0]
        n, acc = sums.get(key, (0, {c: [0, 0] for c in ELEMENT_CODES}))
        for code, (total, count_) in totals.items():
            acc[code][0] += total
            acc[code][1] += count_
        sums[key] = (n + respondents, acc)
    return [
        (key, compute_ikm({c: tuple(v) for c, v in acc.items()}, respondents=n))
        for key, (n, acc) in sorted(sums.items())
    ]
