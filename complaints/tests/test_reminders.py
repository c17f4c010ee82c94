"""Due and overdue complaints remind the coordinator; overdue ones escalate."""

import datetime
import zoneinfo

import time_machine
from django.core.management import call_command

from complaints import services
from complaints.reminders import collect

JKT = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(*args):
    return datetime.datetime(*args, tzinfo=JKT)


def summary(today):
    return [(r.key, sorted(u.username for u in r.recipients), r.escalation) for r in collect(today)]


def test_nothing_due_means_no_reminder(unit, people):
    with time_machine.travel(at(2026, 3, 13, 10), tick=False):  # Friday
        services.submit_public_complaint(unit, text="Halo")
    assert summary(datetime.date(2026, 3, 13)) == []


def test_due_today_reminds_the_coordinator_and_overdue_escalates(unit, people):
    with time_machine.travel(at(2026, 3, 13, 10), tick=False):
        complaint = services.submit_public_complaint(unit, text="Halo")
    pk = complaint.pk
    # Monday 16 March: the acknowledgement is due today.
    assert summary(datetime.date(2026, 3, 16)) == [
        (f"complaint:{pk}:ack:due:2026-03-16", ["cici"], False)
    ]
    # Tuesday: overdue, to the coordinator and escalated to the PJ and the supervisor.
    assert summary(datetime.date(2026, 3, 17)) == [
        (f"complaint:{pk}:ack:overdue:2026-03-17", ["cici"], False),
        (f"complaint:{pk}:ack:escalation:2026-03-17", ["putri", "sari"], True),
    ]
    reminder = collect(datetime.date(2026, 3, 17))[0]
    assert complaint.tracking_code in reminder.subject
    assert "Terlambat" in reminder.subject
    assert f"/pengaduan/{pk}/" in reminder.body


def test_answer_deadline_after_triage_and_nothing_once_answered(unit, people):
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        complaint = services.submit_public_complaint(unit, text="Halo")
        complaint = services.triage_complaint(
            complaint, actor=people["coordinator"], outcome="direct"
        )
    pk = complaint.pk
    assert summary(datetime.date(2026, 3, 16)) == [
        (f"complaint:{pk}:answer:due:2026-03-16", ["cici"], False)
    ]
    keys = [k for k, _r, _e in summary(datetime.date(2026, 3, 20))]
    assert keys == [
        f"complaint:{pk}:answer:overdue:2026-03-20",
        f"complaint:{pk}:answer:escalation:2026-03-20",
    ]
    services.answer_complaint(complaint, actor=people["coordinator"], answer="Sudah")
    assert summary(datetime.date(2026, 3, 20)) == []


def test_send_reminders_sends_each_once_a_day(
    unit, people, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2026, 3, 13, 10), tick=False):
        services.submit_public_complaint(unit, text="Halo")
    with (
        time_machine.travel(at(2026, 3, 17, 8), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_reminders")
        call_command("send_reminders")
    assert len(mailoutbox) == 2
    assert mailoutbox[0].to == ["cici@pulih.test"]
    assert sorted(mailoutbox[1].to) == ["putri@pulih.test", "sari@pulih.test"]
    with (
        time_machine.travel(at(2026, 3, 18, 8), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_reminders")
    assert len(mailoutbox) == 4
