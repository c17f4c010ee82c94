"""An organisation's roll-up of every unit below it: from the daily tallies and a fixed number
of aggregate queries, never the responses, never a customer's name, contact or comment."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import QuerySet

from cases.models import CaseState
from cases.stats import case_figures
from cases.tally import spent_of_units
from reports.periods import past_quarters, quarter_of
from surveys.ikm import (
    IkmResult,
    compute_ikm,
    ikm_of_units,
    ikm_of_units_by_month,
    mean_score,
    sample_size,
)
from surveys.sample import populations
from units.models import ELEMENT_CODES, CompensationBudget, Unit

from .models import Organisation


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    ikm: IkmResult
    population: int  # stated for the period, else the services recorded in it
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


def rollup(organisation: Organisation, start: datetime.date, end: datetime.date) -> Rollup:
    # The units once, as ids: every aggregate below filters on a plain list, which the
    # database serves from its (unit, time) indexes instead of re-walking the tree each time.
    units = list(organisation.units_below().order_by("name"))
    ids = [u.pk for u in units]
    pooled, per_unit = ikm_of_units(units, start=start, end=end)
    population = populations(ids, start, end)
    spent = spent_of_units(ids, end.year)
    budgets = dict(
        CompensationBudget.objects.filter(unit_id__in=ids, year=end.year).values_list(
            "unit", "amount"
        )
    )
    rows = [
        UnitRow(
            unit,
            per_unit.get(unit.pk) or compute_ikm({}, respondents=0),
            population.get(unit.pk, 0),
            spent.get(unit.pk) or 0,
            budgets.get(unit.pk),
        )
        for unit in units
    ]
    rows.sort(key=lambda r: (r.ikm.score is None, -(r.ikm.score or 0), r.unit.name))
    cases = case_figures(ids, start, end)
    return Rollup(
        organisation=organisation,
        start=start,
        end=end,
        units=rows,
        pooled=pooled,
        mean_of_units=mean_score(r.ikm for r in rows),
        cases_by_state=cases.by_state,
        decrees_total=cases.decrees[1],
        decrees_on_time=cases.decrees[0],
        spent=sum(r.spent for r in rows),
        budget=sum(r.budget or 0 for r in rows),
        quarters=quarterly(ids, end),
    )


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
