import datetime

from pulih.lib.workdays import add_working_days, is_working_day, working_days_between
from units.deadlines import due_at, due_date


def test_weekends_and_independence_day_are_not_working_days():
    assert not is_working_day(datetime.date(2025, 8, 16))  # Saturday
    assert not is_working_day(datetime.date(2025, 8, 17))  # Sunday, Hari Kemerdekaan
    assert not is_working_day(datetime.date(2026, 8, 17))  # Monday, Hari Kemerdekaan
    assert is_working_day(datetime.date(2026, 8, 18))


def test_one_working_day_after_friday_skips_the_weekend_and_a_holiday():
    # Friday 14 August 2026; Monday 17 August is Independence Day.
    assert add_working_days(datetime.date(2026, 8, 14), 1) == datetime.date(2026, 8, 18)
    assert working_days_between(datetime.date(2026, 8, 14), datetime.date(2026, 8, 18)) == 1


def test_calendar_rule_counts_every_day():
    assert due_date(datetime.date(2026, 8, 14), 7, "calendar") == datetime.date(2026, 8, 21)


def test_due_is_end_of_local_day(unit):
    start = datetime.datetime(2026, 8, 13, 20, 0, tzinfo=datetime.UTC)  # 14 Aug 03:00 WIB
    due = due_at(unit, "compensation", start)
    assert due.astimezone(unit.zone).date() == datetime.date(2026, 8, 18)
    assert (due.hour, due.minute) == (23, 59)
