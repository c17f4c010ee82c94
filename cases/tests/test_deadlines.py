"""Deadlines derived from the events and the unit's rules, across weekends and public holidays."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases import workflow
from cases.deadlines import case_deadlines
from cases.models import CaseAction, CaseState
from units.models import DayKind, DeadlineRule

from .conftest import ACTORS, payload

WIB = ZoneInfo("Asia/Jakarta")
A, S = CaseAction, CaseState


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=WIB)


def end_of(day: datetime.date, zone=WIB) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=zone)


def deadline(case, code):
    return next(d for d in case_deadlines(case) if d.code == code)


def test_decree_is_due_seven_calendar_days_after_approval_across_a_weekend(make_case, people):
    with time_machine.travel(at(2026, 8, 7, 10, 0), tick=False):  # Friday
        case = make_case(S.VERIFICATION)
        assert case_deadlines(case) == []
        workflow.verify_proposal(case, actor=people["person_in_charge"], approved=True)
    decree = deadline(case, "decree")
    assert decree.due == end_of(datetime.date(2026, 8, 14))  # the next Friday, weekend counted
    assert case.due_at == decree.due
    assert case.due_rule == "decree"
    with time_machine.travel(at(2026, 8, 14, 23, 0), tick=False):
        assert not deadline(case, "decree").overdue
    with time_machine.travel(at(2026, 8, 15, 0, 30), tick=False):
        assert deadline(case, "decree").overdue
        case.refresh_from_db()
        assert case.is_overdue


def test_compensation_skips_the_weekend_and_independence_day(make_case, people):
    # Friday 14 August 2026; Saturday, Sunday, then Monday 17 August is a public holiday.
    with time_machine.travel(at(2026, 8, 14, 9, 0), tick=False):
        case = make_case(S.DECISION)
        workflow.decide_decree(case, actor=people["head"], issue_decree=True)
    compensation = deadline(case, "compensation")
    assert compensation.due == end_of(datetime.date(2026, 8, 18))  # Tuesday
    assert case.due_rule == "compensation"
    with time_machine.travel(at(2026, 8, 17, 12, 0), tick=False):
        assert not deadline(case, "compensation").overdue
    with time_machine.travel(at(2026, 8, 19, 8, 0), tick=False):
        assert deadline(case, "compensation").overdue


def test_compensation_after_a_friday_decree_is_due_on_monday(make_case, people):
    with time_machine.travel(at(2026, 8, 7, 15, 0), tick=False):
        case = make_case(S.DECISION)
        workflow.decide_decree(case, actor=people["head"], issue_decree=True)
    assert deadline(case, "compensation").due == end_of(datetime.date(2026, 8, 10))


def test_a_met_deadline_records_when_and_whether_late(make_case, people):
    with time_machine.travel(at(2026, 8, 3, 9, 0), tick=False):
        case = make_case(S.DECISION)
    with time_machine.travel(at(2026, 8, 12, 9, 0), tick=False):  # two days late
        workflow.decide_decree(case, actor=people["head"], issue_decree=True)
        decree = deadline(case, "decree")
    assert decree.met_at == at(2026, 8, 12, 9, 0)
    assert decree.late and not decree.overdue
    with time_machine.travel(at(2026, 8, 12, 11, 0), tick=False):
        for action in (A.COMPENSATE, A.DELIVER):
            workflow.apply_action(case, action, actor=people["coordinator"], **payload(action))
    compensation = deadline(case, "compensation")
    assert compensation.met_at == at(2026, 8, 12, 11, 0)
    assert not compensation.late
    case.refresh_from_db()
    assert (case.due_rule, case.due_at) == ("", None)


def test_a_new_approval_after_no_decree_starts_a_new_decree_clock(make_case, people):
    with time_machine.travel(at(2026, 8, 3, 9, 0), tick=False):
        case = make_case(S.DECISION)
        workflow.decide_decree(case, actor=people["head"], issue_decree=False, reason="Kurang")
    case.refresh_from_db()
    assert case.due_at is None  # back in review: no deadline runs
    with time_machine.travel(at(2026, 8, 20, 9, 0), tick=False):
        for action in (A.REFER, A.PROPOSE, A.VERIFY):
            workflow.apply_action(case, action, actor=people[ACTORS[action]], **payload(action))
    assert case.due_at == end_of(datetime.date(2026, 8, 27))


def test_the_units_own_rule_is_used(make_case, people, unit):
    DeadlineRule.objects.filter(unit=unit, code="decree").update(length=3, day_kind=DayKind.WORKING)
    with time_machine.travel(at(2026, 8, 13, 9, 0), tick=False):  # Thursday
        case = make_case(S.DECISION)
    # Friday 14, (weekend), (Monday 17 holiday), Tuesday 18, Wednesday 19.
    assert case.due_at == end_of(datetime.date(2026, 8, 19))


@pytest.mark.parametrize(
    ("zone", "approved_local_day"),
    [("Asia/Jakarta", datetime.date(2026, 8, 7)), ("Asia/Jayapura", datetime.date(2026, 8, 8))],
)
def test_the_day_counts_in_the_units_time_zone(make_case, people, unit, zone, approved_local_day):
    unit.time_zone = zone
    unit.save()
    with time_machine.travel(at(2026, 8, 7, 23, 30), tick=False):  # 01.30 next day in WIT
        case = make_case(S.DECISION)
    expected_day = approved_local_day + datetime.timedelta(days=7)
    assert case.due_at == end_of(expected_day, ZoneInfo(zone))
