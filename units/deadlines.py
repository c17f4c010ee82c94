"""Deadlines from the unit's rules: a rule's length in calendar or working days, due at the end
of that day in the unit's time zone. Stored in UTC, computed in local time."""

from __future__ import annotations

import datetime

from pulih.lib.workdays import add_working_days

from .models import DayKind, DeadlineRule, Unit
from .standard import DEADLINES

_DEFAULTS = {d.code: d for d in DEADLINES}


def rule_for(unit: Unit, code: str) -> tuple[int, str]:
    """(length, day kind) of the unit's rule `code`; the standard's default if the unit has none."""
    rule = DeadlineRule.objects.filter(unit=unit, code=code, active=True).first()
    if rule is not None:
        return rule.length, rule.day_kind
    default = _DEFAULTS[code]
    return default.length, default.day_kind


def due_date(start: datetime.date, length: int, day_kind: str) -> datetime.date:
    if day_kind == DayKind.WORKING:
        return add_working_days(start, length)
    return start + datetime.timedelta(days=length)


def due_at(unit: Unit, code: str, start: datetime.datetime) -> datetime.datetime:
    """When the step governed by rule `code` is due, counted from `start`."""
    length, day_kind = rule_for(unit, code)
    local_start = unit.local_date(start)
    return unit.end_of_day(due_date(local_start, length, day_kind))
