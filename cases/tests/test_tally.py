"""The case tallies the dashboard and the roll-ups add up are kept by the workflow itself:
after any sequence of real actions they equal a recount of the rows."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases import tally, workflow
from cases.models import CaseAction as A
from cases.models import CaseState as S
from cases.models import CaseTally, Compensation, Delivery
from cases.stats import case_figures

from .conftest import ACTORS, PATH, payload

Figure = CaseTally.Figure


def kept() -> dict:
    """The tallies as the workflow kept them, leaving out rows it counted down to nothing."""
    return {
        (t.unit_id, t.day, t.figure, t.key): (t.n, t.part)
        for t in CaseTally.objects.all()
        if t.n or t.part
    }


def recounted() -> dict:
    tally.rebuild()
    return kept()


def test_every_path_through_the_workflow_keeps_the_tallies_equal_to_a_recount(make_case, unit):
    for state in PATH:
        make_case(state)
    live = kept()
    assert live == recounted()
    today = unit.local_date(timezone.now())
    opened: dict[str, int] = {}
    for (_unit, _day, figure, key), (n, _p) in live.items():
        if figure == Figure.OPENED:
            opened[key] = opened.get(key, 0) + n
    # Each path's case counts once, in the state it reached (objections end in compensation,
    # delivery or closed), on the day it was opened.
    assert sum(opened.values()) == len(PATH)
    assert opened[S.CLOSED] == 2 and opened[S.REVIEW] == 1
    decrees = [v for k, v in live.items() if k[2] == Figure.DECREES]
    assert sum(n for n, _p in decrees) == 6  # the six paths through the decision issue one
    violations: dict[str, int] = {}
    for (_unit, _day, figure, key), (n, _p) in live.items():
        if figure == Figure.VIOLATION:
            violations[key] = violations.get(key, 0) + n
    assert sorted(violations.values()) == [6, 6]  # each decree's proposal found v04 and v07
    figures = case_figures([unit.pk], today - datetime.timedelta(days=10), today)
    assert sum(figures.by_state.values()) == len(PATH)


def test_a_delivery_counts_on_its_own_day_and_lateness_by_its_deadline(make_case, people, unit):
    case = make_case(S.DELIVERY)
    case.refresh_from_db()
    # Recorded today, delivered four days ago: counted on the day it was delivered.
    when = timezone.now() - datetime.timedelta(days=4)
    Compensation.objects.filter(case=case).update(decided_at=when - datetime.timedelta(hours=1))
    data = {**payload(A.DELIVER), "delivered_at": when}
    workflow.apply_action(case, A.DELIVER, actor=people[ACTORS[A.DELIVER]], **data)
    day = unit.local_date(when)
    row = CaseTally.objects.get(unit=unit, figure=Figure.DELIVERIES, day=day)
    due = Delivery.objects.get(case=case).due_at
    assert due is not None
    assert (row.n, row.part) == (1, int(when <= due))
    assert kept() == recounted()


@pytest.mark.usefixtures("budget")
def test_the_budget_spent_is_the_sum_of_the_compensations_decided_for_the_year(
    make_case, people, unit
):
    first = make_case(S.COMPENSATION)
    second = make_case(S.COMPENSATION)
    for case, cost in ((first, 150_000), (second, 275_000)):
        data = {**payload(A.COMPENSATE), "cost": cost, "confirm_over_budget": True}
        workflow.apply_action(case, A.COMPENSATE, actor=people[ACTORS[A.COMPENSATE]], **data)
    year = timezone.localtime(timezone.now(), unit.zone).year
    assert tally.spent(unit, year) == 425_000
    assert tally.spent(unit, year - 1) == 0
    assert kept() == recounted()
