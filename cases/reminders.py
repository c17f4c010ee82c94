"""Reminders for case deadlines, collected by `manage.py send_reminders` once a day.

Whoever owes the step of a case that is due today or overdue is reminded; an overdue step is
also escalated to the person in charge and the internal supervisor. Keys carry the date, so a
second run on the same day sends nothing again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from pulih.lib.registry import reminder_sources
from pulih.lib.reminders import Reminder
from units.access import members_with_role
from units.models import Role

from .deadlines import NAMES
from .models import Case
from .notify import case_url
from .workflow import owner_roles

ESCALATE_TO = (Role.PERSON_IN_CHARGE, Role.SUPERVISOR)


@reminder_sources.register
def collect(today: datetime.date) -> Iterator[Reminder]:
    # A day's margin either way for units east and west of the server's zone; the exact
    # local date is checked per case below.
    horizon = datetime.datetime.combine(
        today + datetime.timedelta(days=2), datetime.time.min, tzinfo=datetime.UTC
    )
    cases = Case.objects.filter(due_at__isnull=False, due_at__lt=horizon).select_related(
        "unit", "officer"
    )
    with translation.override(settings.LANGUAGE_CODE):
        for case in cases.order_by("pk"):
            due_day = timezone.localtime(case.due_at, case.unit.zone).date()
            if due_day > today:
                continue
            yield from _for_case(case, today, overdue=due_day < today)


def _for_case(case: Case, today: datetime.date, *, overdue: bool) -> Iterator[Reminder]:
    step = NAMES.get(case.due_rule, case.due_rule)
    due = formats.date_format(timezone.localtime(case.due_at, case.unit.zone), "DATE_FORMAT")
    owners = members_with_role(case.unit, owner_roles(case.state)).exclude(pk=case.officer_id)
    status = "overdue" if overdue else "due"
    values = {"id": case.pk, "step": step, "due": due, "url": case_url(case)}
    if overdue:
        subject = _("Overdue: case #%(id)s, %(step)s") % values
        body = _("The step “%(step)s” of case #%(id)s was due on %(due)s.\n\n%(url)s") % values
    else:
        subject = _("Due today: case #%(id)s, %(step)s") % values
        body = _("The step “%(step)s” of case #%(id)s is due today, %(due)s.\n\n%(url)s") % values
    key = f"case:{case.pk}:{case.due_rule}:{status}:{today.isoformat()}"
    yield Reminder(key=key, subject=subject, body=body, recipients=list(owners))
    if overdue:
        supervisors = members_with_role(case.unit, ESCALATE_TO).exclude(pk=case.officer_id)
        yield Reminder(
            key=f"case:{case.pk}:{case.due_rule}:escalation:{today.isoformat()}",
            subject=_("Escalation: case #%(id)s is overdue") % values,
            body=_(
                "The step “%(step)s” of case #%(id)s was due on %(due)s and is still open. "
                "You receive this as person in charge or internal supervisor.\n\n%(url)s"
            )
            % values,
            recipients=list(supervisors),
            escalation=True,
        )
