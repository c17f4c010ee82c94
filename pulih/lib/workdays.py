"""Working days: Monday–Friday that are not Indonesian public holidays."""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.Indonesia(years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day after `day` (count 0: `day` itself, or the next working day)."""
    if count == 0:
        while not is_working_day(day):
            day += datetime.timedelta(days=1)
        return day
    while count > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end]."""
    days, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        days += is_working_day(day)
    return days
