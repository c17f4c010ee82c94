"""Reminders of the daily check: the back office is told of each day with responses whose
sign-off is due today or overdue; overdue days also go to the coordinator (escalation)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pulih.lib.registry import reminder_sources
from pulih.lib.reminders import Reminder
from units.access import members_with_role
from units.models import Role, Unit

from .daily import LOOKBACK_DAYS, day_statuses


@reminder_sources.register
def collect(today: datetime.date) -> Iterable[Reminder]:
    with translation.override("id"):
        for unit in Unit.objects.all():
            yield from _for_unit(unit, today)


def _for_unit(unit: Unit, today: datetime.date) -> Iterable[Reminder]:
    start = today - datetime.timedelta(days=LOOKBACK_DAYS)
    pending = [
        s
        for s in day_statuses(unit, start=start, end=today - datetime.timedelta(days=1))
        if s.pending
    ]
    if not pending:
        return
    back_office = list(members_with_role(unit, [Role.BACK_OFFICE]))
    coordinators = list(members_with_role(unit, [Role.COORDINATOR]))
    for status in pending:
        due_day = status.due.astimezone(unit.zone).date()
        if due_day > today:
            continue
        overdue = due_day < today
        when = date_format(status.day, "DATE_FORMAT")
        subject = (
            _("Daily check overdue: %(day)s") if overdue else _("Daily check due today: %(day)s")
        ) % {"day": when}
        body = _(
            "%(count)s satisfaction responses of %(day)s at %(unit)s have not been checked and "
            "signed off yet. Open the daily check page to review them."
        ) % {"count": status.respondents, "day": when, "unit": unit.name}
        kind = "overdue" if overdue else "due"
        yield Reminder(
            key=f"survey-daily:{unit.pk}:{status.day.isoformat()}:{kind}",
            subject=subject,
            body=body,
            recipients=back_office + (coordinators if overdue else []),
            escalation=overdue,
        )
