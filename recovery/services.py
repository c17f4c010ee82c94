"""The follow-up's life: issued with the delivery, opens after the unit's delay, one answer."""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Delivery
from cases.notify import email_in
from pulih.lib.errors import InvalidInput, StateConflict
from units.models import Unit

from . import tally
from .models import FollowUp, RecoverySettings

COMMENT_MAX_LENGTH = 2000
TOKEN_LENGTH = 43  # secrets.token_urlsafe(32)


class FollowUpClosed(StateConflict):
    """Answered, expired, not yet open or unknown: the customer sees one neutral answer."""

    status = 410


def rules_for(unit: Unit) -> RecoverySettings:
    return RecoverySettings.objects.filter(unit=unit).first() or RecoverySettings(unit=unit)


def issue_followup(delivery: Delivery) -> FollowUp:
    """The follow-up of a delivered compensation (idempotent: one per case)."""
    rules = rules_for(delivery.unit)
    opens_at = delivery.delivered_at + datetime.timedelta(days=rules.delay_days)
    followup, _created = FollowUp.objects.get_or_create(
        case_id=delivery.case_id,
        defaults={
            "unit_id": delivery.unit_id,
            "token": secrets.token_urlsafe(32),
            "opens_at": opens_at,
            "closes_at": opens_at + datetime.timedelta(days=rules.valid_days),
        },
    )
    return followup


def issue_followup_for_delivery(sender, instance: Delivery, created: bool, raw=False, **kwargs):
    """A new delivery's follow-up, and its count in the recovery tallies (same transaction)."""
    if created and not raw:
        tally.delivered(instance, issue_followup(instance))


def followup_state(followup: FollowUp, now: datetime.datetime | None = None) -> str:
    """`waiting` (before the delay), `open`, or `closed` (answered or expired)."""
    now = now or timezone.now()
    if followup.answered_at is not None or now >= followup.closes_at:
        return "closed"
    return "waiting" if now < followup.opens_at else "open"


def open_followup(token: str) -> FollowUp:
    """The follow-up behind a link, if it takes an answer now; `FollowUpClosed` otherwise."""
    followup = (
        FollowUp.objects.select_related("unit").filter(token=token).first()
        if is_token(token)
        else None
    )
    if followup is None or followup_state(followup) != "open":
        raise FollowUpClosed(_("This link no longer takes an answer."))
    return followup


def is_token(value: str) -> bool:
    return (
        isinstance(value, str)
        and len(value) == TOKEN_LENGTH
        and all(c.isalnum() or c in "-_" for c in value)
    )


def parse_score(value: object) -> int:
    if isinstance(value, bool):
        value = None
    try:
        score = int(value) if isinstance(value, (int, str)) else None
    except ValueError:
        score = None
    if score is None or not 1 <= score <= 4:
        message = _("Choose an answer from 1 to 4.")
        raise InvalidInput(message, fields={"score": [message]})
    return score


def answer_followup(token: str, *, score: object, comment: str = "") -> FollowUp:
    """Record the customer's one answer; a second answer or a closed link raises."""
    value = parse_score(score)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        message = _("At most %(n)d characters.") % {"n": COMMENT_MAX_LENGTH}
        raise InvalidInput(message, fields={"comment": [message]})
    followup = open_followup(token)
    now = timezone.now()
    with transaction.atomic():
        # The conditional update is the guard against two answers at once.
        taken = FollowUp.objects.filter(
            pk=followup.pk, answered_at__isnull=True, opens_at__lte=now, closes_at__gt=now
        ).update(answered_at=now, score=value, comment=comment)
        if taken:
            tally.answered(followup, value)
    if not taken:
        raise FollowUpClosed(_("This link no longer takes an answer."))
    followup.refresh_from_db()
    return followup


def customer_email(case: Case) -> str | None:
    """The customer's e-mail address, when the case's source recorded one."""
    contact = ""
    if case.survey_response_id and case.survey_response.service_record_id:
        contact = case.survey_response.service_record.customer_contact
    elif case.complaint_id:
        contact = case.complaint.contact
    return email_in(contact) if contact else None
