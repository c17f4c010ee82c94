"""Working days as the government keeps them: the joint leave days of Lebaran 2026 and a day a
unit adds itself are not working days, for every deadline (complaints, cases, daily checks)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import time_machine

from complaints import services as complaints
from pulih.lib.workdays import add_working_days, is_working_day
from units.deadlines import due_at
from units.models import Unit, UnitHoliday

JKT = ZoneInfo("Asia/Jakarta")
D = datetime.date


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=JKT)


def local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(JKT).date()


def test_lebaran_2026_joint_leave_days_are_not_working_days():
    # 18 Mar Nyepi joint leave, 19 Nyepi, 20 Lebaran joint leave, 21–22 Idul Fitri (weekend),
    # 23–24 joint leave: the offices reopen on Wednesday 25 March.
    for day in (18, 19, 20, 23, 24):
        assert not is_working_day(D(2026, 3, day)), day
    assert is_working_day(D(2026, 3, 17))
    assert is_working_day(D(2026, 3, 25))
    assert add_working_days(D(2026, 3, 17), 1) == D(2026, 3, 25)
    # The rest of the year's joint leave days count too.
    assert not is_working_day(D(2026, 5, 15))  # after Ascension Day
    assert not is_working_day(D(2026, 12, 24))  # before Christmas


def test_a_complaint_on_19_march_2026_is_acknowledged_by_25_march_not_20(unit):
    with time_machine.travel(at(2026, 3, 19, 10), tick=False):
        complaint = complaints.submit_public_complaint(unit, text="Antrean tidak jalan")
    assert local_day(complaint.ack_due_at) == D(2026, 3, 25)
    assert complaint.ack_due_at.astimezone(JKT).time() == datetime.time(23, 59, 59)
    # The answer's rule counts calendar days: 14 days on, holidays or not.
    assert local_day(complaint.answer_due_at) == D(2026, 4, 2)


def test_a_day_the_unit_adds_moves_its_deadlines_and_no_one_elses(unit):
    other = Unit.objects.create(code="lain", name="Unit lain")
    UnitHoliday.objects.create(unit=unit, date=D(2026, 3, 25), name="Hari jadi kabupaten")
    with time_machine.travel(at(2026, 3, 19, 10), tick=False):
        ours = complaints.submit_public_complaint(unit, text="Antrean tidak jalan")
        start = at(2026, 3, 17, 15)
        assert local_day(due_at(unit, "compensation", start)) == D(2026, 3, 26)
        assert local_day(due_at(other, "compensation", start)) == D(2026, 3, 25)
    assert local_day(ours.ack_due_at) == D(2026, 3, 26)


def test_a_unit_holiday_keeps_its_history(unit):
    day = UnitHoliday.objects.create(unit=unit, date=D(2026, 6, 22), name="Hari jadi kota")
    day.name = "Hari jadi Kota Jakarta"
    day.save()
    assert [h.name for h in day.history.order_by("history_date")] == [
        "Hari jadi kota",
        "Hari jadi Kota Jakarta",
    ]
