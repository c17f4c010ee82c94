"""Reporting periods: quarters and months as inclusive local date ranges."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _


def quarter_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    return start, _month_end(datetime.date(day.year, first_month + 2, 1))


def previous_quarter(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    start, _ = quarter_of(day)
    return quarter_of(start - datetime.timedelta(days=1))


def past_quarters(today: datetime.date, count: int) -> list[tuple[datetime.date, datetime.date]]:
    """The `count` quarters before the current one, newest first."""
    quarters, day = [], today
    for _i in range(count):
        start, end = previous_quarter(day)
        quarters.append((start, end))
        day = start
    return quarters


def quarter_label(start: datetime.date) -> str:
    """ "Triwulan 3 2026" in Indonesian, "Quarter 3 2026" in English."""
    return _("Quarter %(number)s %(year)s") % {
        "number": (start.month - 1) // 3 + 1,
        "year": start.year,
    }


def _month_end(first: datetime.date) -> datetime.date:
    following = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def months_back(end: datetime.date, count: int) -> datetime.date:
    """The first day of the month `count - 1` months before `end`'s month."""
    month_index = end.year * 12 + end.month - 1 - (count - 1)
    return datetime.date(month_index // 12, month_index % 12 + 1, 1)
