"""send_reminders: whoever owes a due or overdue step is told, overdue ones escalate, once a day."""

from __future__ import annotations

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from cases.models import CaseState
from cases.reminders import collect

S = CaseState
WIB = ZoneInfo("Asia/Jakarta")


def at(*args):
    return datetime.datetime(*args, tzinfo=WIB)


@pytest.fixture
def decision_case(make_case):
    with time_machine.travel(at(2026, 8, 3, 9, 0), tick=False):  # approved Monday 3 August
        return make_case(S.DECISION)  # decree due Monday 10 August


def send() -> str:
    out = StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def test_nothing_before_the_due_day(decision_case):
    assert list(collect(datetime.date(2026, 8, 9))) == []


def test_on_the_due_day_the_head_is_reminded(decision_case, people):
    reminders = list(collect(datetime.date(2026, 8, 10)))
    assert len(reminders) == 1
    assert reminders[0].recipients == [people["head"]]
    assert not reminders[0].escalation
    assert reminders[0].key == f"case:{decision_case.pk}:decree:due:2026-08-10"


def test_overdue_steps_escalate_to_the_person_in_charge_and_supervisor(decision_case, people):
    owner, escalation = collect(datetime.date(2026, 8, 11))
    assert owner.recipients == [people["head"]]
    assert "Terlambat" in owner.subject
    assert escalation.escalation
    assert set(escalation.recipients) == {people["person_in_charge"], people["supervisor"]}


def test_running_twice_the_same_day_sends_nothing_twice(
    decision_case, people, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with (
        time_machine.travel(at(2026, 8, 11, 7, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send().startswith("2 reminders sent")
        assert send().startswith("0 reminders sent, 2 already sent earlier")
    assert [sorted(m.to) for m in mail.outbox] == [
        ["hadi@pulih.test"],
        ["putri@pulih.test", "sari@pulih.test"],
    ]
    assert f"/kasus/{decision_case.pk}/" in mail.outbox[0].body
    with (
        time_machine.travel(at(2026, 8, 12, 7, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send().startswith("2 reminders sent")
    assert len(mail.outbox) == 4


def test_the_coordinator_owes_the_compensation(make_case, people):
    with time_machine.travel(at(2026, 8, 14, 9, 0), tick=False):  # decree on Friday 14 August
        case = make_case(S.COMPENSATION)
    assert list(collect(datetime.date(2026, 8, 17))) == []  # a public holiday, not yet due
    (reminder,) = collect(datetime.date(2026, 8, 18))
    assert reminder.recipients == [people["coordinator"]]
    assert reminder.key == f"case:{case.pk}:compensation:due:2026-08-18"


def test_closed_cases_remind_nobody(make_case):
    with time_machine.travel(at(2026, 8, 3, 9, 0), tick=False):
        make_case(S.CLOSED)
    assert list(collect(datetime.date(2026, 9, 1))) == []
