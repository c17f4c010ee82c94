"""Reminders for complaints due today or overdue (collected by `manage.py send_reminders`).

The coordinator is reminded of every complaint whose acknowledgement or answer is due today or
overdue; an overdue one is escalated to the person in charge and the supervisor as well. Keys
carry the date, so each reminder goes once a day for as long as the step stays undone.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pulih.lib.registry import reminder_sources
from pulih.lib.reminders import Reminder
from units.access import members_with_role
from units.deadlines import end_of_day
from units.models import Role, Unit

from .models import Complaint, ComplaintStatus


def _steps(unit: Unit, today: datetime.date) -> Iterator[tuple[Complaint, str, datetime.datetime]]:
    """(complaint, step, due) for every step of the unit's complaints due by the end of today."""
    until = end_of_day(unit, today)
    base = Complaint.objects.filter(unit=unit).order_by("received_at", "pk")
    for c in base.filter(status=ComplaintStatus.RECEIVED, ack_due_at__lte=until):
        yield c, "ack", c.ack_due_at
    for c in base.exclude(status=ComplaintStatus.ANSWERED).filter(answer_due_at__lte=until):
        yield c, "answer", c.answer_due_at


def _text(unit: Unit, complaint: Complaint, step: str, due: datetime.datetime, overdue: bool):
    code = complaint.tracking_code
    subjects = {
        ("ack", False): _("Due today: acknowledge complaint %(code)s"),
        ("ack", True): _("Overdue: complaint %(code)s has not been acknowledged"),
        ("answer", False): _("Due today: answer complaint %(code)s"),
        ("answer", True): _("Overdue: complaint %(code)s has not been answered"),
    }
    subject = subjects[(step, overdue)] % {"code": code}
    url = settings.SITE_URL + reverse("complaints:detail", args=[complaint.pk])
    body = _(
        "%(subject)s.\n\nKind: %(kind)s\nReceived: %(received)s\nDue: %(due)s\n\n"
        "Open the complaint: %(url)s"
    ) % {
        "subject": subject,
        "kind": complaint.get_kind_display(),
        "received": timezone.localtime(complaint.received_at, unit.zone).strftime("%d-%m-%Y"),
        "due": timezone.localtime(due, unit.zone).strftime("%d-%m-%Y %H:%M"),
        "url": url,
    }
    return subject, body


@reminder_sources.register
def collect(today: datetime.date) -> Iterable[Reminder]:
    reminders: list[Reminder] = []
    units = Unit.objects.filter(pk__in=Complaint.objects.open().values("unit")).order_by("pk")
    with translation.override(settings.LANGUAGE_CODE):
        for unit in units:
            reminders.extend(_unit_reminders(unit, today))
    return reminders


def _unit_reminders(unit: Unit, today: datetime.date) -> Iterator[Reminder]:
    coordinators = list(members_with_role(unit, [Role.COORDINATOR]))
    escalate_to = list(members_with_role(unit, [Role.PERSON_IN_CHARGE, Role.SUPERVISOR]))
    start_of_today = datetime.datetime.combine(today, datetime.time.min, tzinfo=unit.zone)
    for complaint, step, due in _steps(unit, today):
        overdue = due < start_of_today
        subject, body = _text(unit, complaint, step, due, overdue)
        state = "overdue" if overdue else "due"
        yield Reminder(
            key=f"complaint:{complaint.pk}:{step}:{state}:{today.isoformat()}",
            subject=subject,
            body=body,
            recipients=coordinators,
        )
        if overdue:
            yield Reminder(
                key=f"complaint:{complaint.pk}:{step}:escalation:{today.isoformat()}",
                subject=subject,
                body=body,
                recipients=escalate_to,
                escalation=True,
            )
