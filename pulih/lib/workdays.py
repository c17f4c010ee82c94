"""Working days as the government keeps them: Monday–Friday that are neither Indonesian public
holidays nor the government's joint leave days (*cuti bersama*, the `holidays` package's
government category), nor any extra days the caller names (a unit's own holidays: see
units.deadlines, through which every deadline is computed)."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from functools import lru_cache

import holidays

CATEGORIES = (holidays.PUBLIC, holidays.GOVERNMENT)


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.Indonesia(years=year, categories=CATEGORIES).keys())


def national_holidays(year: int) -> dict[datetime.date, str]:
    """The year's public holidays and joint leave days, with their names."""
    return dict(holidays.Indonesia(years=year, categories=CATEGORIES))


def is_working_day(day: datetime.date, extra: Collection[datetime.date] = ()) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year) and day not in extra


def add_working_days(
    day: datetime.date, count: int, extra: Collection[datetime.date] = ()
) -> datetime.date:
    """The `count`-th working day after `day` (count 0: `day` itself, or the next working day)."""
    if count == 0:
        while not is_working_day(day, extra):
            day += datetime.timedelta(days=1)
        return day
    while count > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day, extra):
            count -= 1
    return day


def working_days_between(
    start: datetime.date, end: datetime.date, extra: Collection[datetime.date] = ()
) -> int:
    """Working days in (start, end]."""
    days, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        days += is_working_day(day, extra)
    return days
