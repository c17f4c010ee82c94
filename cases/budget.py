"""The unit's yearly compensation budget and what the compensations decided have spent of it."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from pulih.lib.compiled import CompiledRead, key_marker, year_marker
from units.models import CompensationBudget, Unit

from . import tally
from .models import Compensation


@dataclass(frozen=True)
class BudgetStatus:
    year: int
    amount: int | None  # None: the unit set no budget for the year (nothing to spend)
    spent: int
    over_budget_count: int = 0

    @property
    def remaining(self) -> int:
        return (self.amount or 0) - self.spent

    @property
    def exceeded(self) -> bool:
        return self.spent > (self.amount or 0)

    @property
    def percent_spent(self) -> float | None:
        return round(100 * self.spent / self.amount, 1) if self.amount else None


def budget_status(unit: Unit, year: int) -> BudgetStatus:
    """Spending of `year` against the unit's budget for it (two queries)."""
    amount = _amount_read().value(unit=unit.pk, year=year)
    return BudgetStatus(year=year, amount=amount, spent=tally.spent(unit, year))


@functools.cache
def _amount_read() -> CompiledRead:
    rows = CompensationBudget.objects.filter(unit=key_marker(0), year=year_marker(0))
    return CompiledRead(
        rows.order_by("pk").values_list("amount")[:1], unit=key_marker(0), year=year_marker(0)
    )


def spending_against_budget(unit: Unit) -> list[BudgetStatus]:
    """Every year with a budget or a compensation, newest first: for the dashboard and reports
    (two queries whatever the number of years)."""
    budgets = dict(CompensationBudget.objects.filter(unit=unit).values_list("year", "amount"))
    spending = {
        row["budget_year"]: row
        for row in Compensation.objects.filter(unit=unit)
        .values("budget_year")
        .annotate(spent=Sum("cost"), over=Count("pk", filter=Q(over_budget=True)))
        .order_by()
    }
    years = sorted(set(budgets) | set(spending), reverse=True)
    return [
        BudgetStatus(
            year=year,
            amount=budgets.get(year),
            spent=(spending.get(year) or {}).get("spent") or 0,
            over_budget_count=(spending.get(year) or {}).get("over") or 0,
        )
        for year in years
    ]
