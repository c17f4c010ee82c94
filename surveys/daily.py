"""The back office's daily check (steps A–B): what a day holds and which days were missed.

A day's results are due for sign-off by the end of the next working day (the unit's rule
`daily_check`); a day with responses and no sign-off by then is *missed* (and one signed
after it, *late*).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from units.deadlines import due_date, holiday_window, rule_for, unit_holidays
from units.models import Unit

from .ikm import day_bounds
from .models import WHOLE_DAY, DailyCheck, SurveyResponse, UnitDayTally

LOOKBACK_DAYS = 92  # how far back the missed-days list and the reminders look


def responses_on(unit: Unit, day: datetime.date) -> QuerySet[SurveyResponse]:
    since, until = day_bounds(unit, day, day)
    return SurveyResponse.objects.filter(
        unit=unit, submitted_at__gte=since, submitted_at__lt=until
    ).order_by("submitted_at", "pk")


def day_totals(unit: Unit, day: datetime.date) -> tuple[int, int]:
    """How many responses `day` had, and how many of them were flagged: one query."""
    totals = responses_on(unit, day).aggregate(
        answers=Count("pk"), flagged=Count("pk", filter=Q(flagged=True))
    )
    return totals["answers"], totals["flagged"]


def flagged_responses(unit: Unit, day: datetime.date) -> QuerySet[SurveyResponse]:
    """The day's flagged responses, in order."""
    return responses_on(unit, day).filter(flagged=True)


def flagged_on(unit: Unit, day: datetime.date) -> QuerySet[SurveyResponse]:
    """The day's flagged responses with their officer, service, the daily check's decision
    and the cases and improvement items that followed."""
    return (
        flagged_responses(unit, day)
        .select_related("officer", "service_type", "review__decided_by")
        .prefetch_related("cases", "improvement_items")
    )


def check_due(
    unit: Unit,
    day: datetime.date,
    rule: tuple[int, str] | None = None,
    holidays: frozenset[datetime.date] | None = None,
):
    """When `day`'s sign-off is due (end of that day in the unit's zone)."""
    length, kind = rule or rule_for(unit, "daily_check")
    return unit.end_of_day(due_date(day, length, kind, unit, holidays=holidays))


@dataclass(frozen=True)
class DayStatus:
    day: datetime.date
    respondents: int
    check: DailyCheck | None
    due: datetime.datetime

    @property
    def missed(self) -> bool:
        """Not signed by the deadline (signed late or not at all), and the deadline passed."""
        if self.check is not None:
            return self.check.signed_at > self.due
        return timezone.now() > self.due

    @property
    def late(self) -> bool:
        return self.check is not None and self.check.signed_at > self.due

    @property
    def pending(self) -> bool:
        return self.check is None


def _statuses(
    unit: Unit, days, checks: dict, rule: tuple[int, str], holidays: frozenset[datetime.date]
) -> list[DayStatus]:
    """`days` (rows of day and respondents, newest first) with their sign-off and deadline."""
    return [
        DayStatus(
            row["day"],
            row["n"],
            checks.get(row["day"]),
            check_due(unit, row["day"], rule, holidays=holidays),
        )
        for row in days
        if row["n"]
    ]


def _days_with_answers(unit: Unit, start: datetime.date, end: datetime.date):
    return (
        UnitDayTally.objects.filter(
            unit=unit, profile_field=WHOLE_DAY, day__gte=start, day__lte=end
        )
        .values("day", n=F("respondents"))
        .order_by("-day")
    )


def _calendar(
    unit: Unit, start: datetime.date, end: datetime.date, also: datetime.date | None = None
) -> tuple[dict, tuple[int, str], frozenset[datetime.date]]:
    """The unit's sign-offs over start..end (and of the day `also`), its daily-check rule and
    its holidays from the earliest of those days on: each read once for every day's
    deadline, not once per day."""
    days, first = Q(day__gte=start, day__lte=end), start
    if also is not None:
        days, first = days | Q(day=also), min(start, also)
    checks = {
        c.day: c for c in DailyCheck.objects.filter(days, unit=unit).select_related("signed_by")
    }
    rule = rule_for(unit, "daily_check")
    holidays = unit_holidays(unit, first, (end - first).days + holiday_window(rule[0]))
    return checks, rule, holidays


def day_statuses(unit: Unit, *, start: datetime.date, end: datetime.date) -> list[DayStatus]:
    """Every day in start..end with responses, newest first, with its sign-off and deadline."""
    checks, rule, holidays = _calendar(unit, start, end)
    return _statuses(unit, _days_with_answers(unit, start, end), checks, rule, holidays)


def missed_days(unit: Unit, *, today: datetime.date | None = None) -> list[DayStatus]:
    today = today or unit.today()
    start = today - datetime.timedelta(days=LOOKBACK_DAYS)
    return [s for s in day_statuses(unit, start=start, end=today) if s.missed]


@dataclass(frozen=True)
class DayCheck:
    """What the daily check shows of a day besides its answers: its sign-off (or None), when
    that is due, and the missed days of the last three months, newest first."""

    check: DailyCheck | None
    due: datetime.datetime
    missed: list[DayStatus]


def day_check(unit: Unit, day: datetime.date, *, today: datetime.date) -> DayCheck:
    """`day`'s sign-off and deadline and the missed days (as `missed_days`), with the unit's
    rule, holidays and sign-offs read once for both."""
    start = today - datetime.timedelta(days=LOOKBACK_DAYS)
    checks, rule, holidays = _calendar(unit, start, today, also=day)
    statuses = _statuses(unit, _days_with_answers(unit, start, today), checks, rule, holidays)
    return DayCheck(
        checks.get(day),
        check_due(unit, day, rule, holidays=holidays),
        [s for s in statuses if s.missed],
    )
