"""Deadlines from the unit's rules: a rule's length in calendar or working days, due at the end
of that day in the unit's time zone. Stored in UTC, computed in local time.

Every deadline goes through `due_date`: working days skip weekends, national holidays, the
government's joint leave days (pulih.lib.workdays) and the unit's own holidays (UnitHoliday)."""

from __future__ import annotations

import datetime

from pulih.lib.workdays import add_working_days

from .models import DayKind, DeadlineRule, Unit, UnitHoliday
from .standard import DEADLINES

_DEFAULTS = {d.code: d for d in DEADLINES}


def rule_for(unit: Unit, code: str) -> tuple[int, str]:
    """(length, day kind) of the unit's rule `code`; the standard's default if the unit has none."""
    rule = DeadlineRule.objects.filter(unit=unit, code=code, active=True).first()
    if rule is not None:
        return rule.length, rule.day_kind
    default = _DEFAULTS[code]
    return default.length, default.day_kind


def unit_holidays(unit: Unit | None, start: datetime.date, days: int) -> frozenset[datetime.date]:
    """The unit's own holidays from `start` over the next `days` days (one query)."""
    if unit is None:
        return frozenset()
    end = start + datetime.timedelta(days=days)
    return frozenset(
        UnitHoliday.objects.filter(unit=unit, date__gte=start, date__lte=end).values_list(
            "date", flat=True
        )
    )


def holiday_window(length: int) -> int:
    """How many days after a start the unit's holidays are read for a step of `length`
    working days: generous, so that even a month of closures cannot push the end past it."""
    return length * 3 + 90


def due_date(
    start: datetime.date,
    length: int,
    day_kind: str,
    unit: Unit | None = None,
    holidays: frozenset[datetime.date] | None = None,
) -> datetime.date:
    """The day a step counted from `start` is due; `unit` adds the unit's own holidays (read
    here, unless the caller passes `holidays` covering start … start + holiday_window)."""
    if day_kind == DayKind.WORKING:
        if holidays is None:
            holidays = unit_holidays(unit, start, holiday_window(length))
        return add_working_days(start, length, holidays)
    return start + datetime.timedelta(days=length)


def due_at(unit: Unit, code: str, start: datetime.datetime) -> datetime.datetime:
    """When the step governed by rule `code` is due, counted from `start`."""
    length, day_kind = rule_for(unit, code)
    local_start = unit.local_date(start)
    return unit.end_of_day(due_date(local_start, length, day_kind, unit))
