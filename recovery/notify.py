"""The follow-up e-mail: queued once, when the question opens, to a customer who left an e-mail.

The mail goes through the outbox (notifications): a mail outage delays it, never loses it."""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.notify import site_url
from notifications.services import queue_mail

from .models import FollowUp
from .services import customer_email

KIND = "recovery_followup"


def send_due_followups(now=None) -> int:
    """Queue the mail of every follow-up that has opened and was not mailed; safe to run twice."""
    now = now or timezone.now()
    due = FollowUp.objects.filter(
        mailed_at__isnull=True, answered_at__isnull=True, opens_at__lte=now, closes_at__gt=now
    ).select_related("unit", "case__survey_response__service_record", "case__complaint")
    queued = 0
    for followup in due:
        with transaction.atomic():
            # The row is claimed and the mail queued together: once, whoever runs first.
            if not FollowUp.objects.filter(pk=followup.pk, mailed_at__isnull=True).update(
                mailed_at=now
            ):
                continue
            address = customer_email(followup.case)
            if not address:
                continue
            url = site_url(f"/tindak-lanjut/{followup.token}/")
            body = render_to_string(
                "recovery/followup_email.txt", {"unit": followup.unit, "url": url}
            )
            subject = _("Did our handling restore your satisfaction?")
            queue_mail(KIND, [address], subject, body, case=followup.case)
            queued += 1
    return queued
