"""Mail that follows a case: the next person's turn, the officer's summons, the customer's
compensation. Called inside the action's transaction: each mail becomes an outbox row that
commits with the action and is delivered afterwards by a task (notifications), so a mail
outage never fails or repeats the action. Staff mail never names the customer; the
customer's mail never names the officer or the sanction."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from notifications.services import queue_mail
from units.access import members_with_role
from units.models import User

from .models import Case, Compensation, Hearing, NotifyChannel

EMAIL = re.compile(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+")


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def case_url(case: Case) -> str:
    return site_url(reverse("cases:detail", args=[case.pk]))


def tracking_url(compensation: Compensation) -> str:
    return site_url(reverse("cases:track", args=[compensation.tracking_token]))


def email_in(contact: str) -> str | None:
    """The email address in a customer's contact, if there is a valid one."""
    match = EMAIL.search(contact or "")
    if not match:
        return None
    try:
        validate_email(match.group(0))
    except ValidationError:
        return None
    return match.group(0)


def whatsapp_number(contact: str) -> str | None:
    """An Indonesian phone number in international form for wa.me (0812… → 62812…)."""
    if not contact or "@" in contact:
        return None
    digits = re.sub(r"\D", "", contact)
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    if not digits.startswith("62") or not 10 <= len(digits) <= 15:
        return None
    return digits


def channel_for(contact: str) -> str:
    if email_in(contact):
        return NotifyChannel.EMAIL
    if whatsapp_number(contact):
        return NotifyChannel.WHATSAPP
    return NotifyChannel.NONE


def customer_message(case: Case, compensation: Compensation) -> tuple[str, str]:
    """Subject and text telling the customer their compensation, in Indonesian."""
    with translation.override(settings.LANGUAGE_CODE):
        kinds = "\n".join(f"- {k.name}" for k in compensation.kinds.all())
        subject = _("Compensation for your service at %(unit)s") % {"unit": case.unit.name}
        body = _(
            "Dear customer,\n\nWe apologise for the service you received. %(unit)s has decided "
            "to give you the following compensation:\n%(kinds)s\n\nYou can follow it here: "
            "%(url)s\n\nRegards,\n%(service)s"
        ) % {
            "unit": case.unit.name,
            "kinds": kinds,
            "url": tracking_url(compensation),
            "service": case.unit.service_unit_name,
        }
    return subject, body


def whatsapp_link(case: Case, compensation: Compensation) -> str | None:
    """A click-to-chat link for staff when the customer left a phone number, not an email."""
    number = whatsapp_number(case.customer[1])
    if number is None:
        return None
    _subject, body = customer_message(case, compensation)
    return f"https://wa.me/{number}?text={quote(body)}"


def customer(case: Case, compensation: Compensation) -> None:
    address = email_in(case.customer[1])
    if address is None:
        return  # staff see the WhatsApp link on the case, or have no contact at all
    subject, body = customer_message(case, compensation)
    queue_mail("case.customer", [address], subject, body, case=case)


def _staff_mail(kind: str, case: Case, recipients, subject: str, body: str) -> None:
    queue_mail(kind, [u.email for u in recipients if u.email], subject, body, case=case)


def next_step(
    case: Case, actor: User | None, *, owners: Iterable[str] = (), description: str = ""
) -> None:
    """Tell whoever owes the case's next step (`owners`, the roles the workflow names for the
    case's state) that it is their turn; `description` says what the step is."""
    roles = list(owners)
    if not roles:
        return
    people = members_with_role(case.unit, roles).exclude(pk=case.officer_id)
    if actor is not None:
        people = people.exclude(pk=actor.pk)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Case #%(id)s: your step") % {"id": case.pk}
        lines = [str(description)]
        if case.due_at:
            due = formats.date_format(
                timezone.localtime(case.due_at, case.unit.zone), "DATE_FORMAT"
            )
            lines.append(_("Due: %(due)s") % {"due": due})
        lines.append(case_url(case))
        _staff_mail("case.next_step", case, people, subject, "\n\n".join(lines))


def summons(case: Case, hearing: Hearing) -> None:
    """Summon the officer: date and place only, never the customer."""
    with translation.override(settings.LANGUAGE_CODE):
        when = formats.date_format(
            timezone.localtime(hearing.scheduled_at, case.unit.zone), "DATETIME_FORMAT"
        )
        subject = _("Summons for clarification (case #%(id)s)") % {"id": case.pk}
        body = _(
            "You are summoned to give an explanation on %(when)s at %(place)s. Before the "
            "hearing you may submit a written defence: %(url)s"
        ) % {"when": when, "place": hearing.place, "url": site_url(reverse("cases:mine"))}
        _staff_mail("case.summons", case, [case.officer], subject, body)
