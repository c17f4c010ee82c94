"""The follow-up e-mail: queued once, when the question opens, to a customer who left an e-mail.
The claim on the follow-up and the outbox row are one transaction; the outbox delivers the mail
and retries it while the mail server is away (notifications)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.notify import site_url
from notifications.services import queue_mail

from .models import FollowUp
from .services import customer_email


def send_due_followups(now=None) -> int:
    now = now or timezone.now()
    due = FollowUp.objects.filter(
        Q(mailed_at__isnull=True), answered_at__isnull=True, opens_at__lte=now, closes_at__gt=now
    ).select_related(
        "unit",
        "case__survey_response__service_record",
        "case__complaint",
    )
    sent = 0
    for followup in due:
        address = customer_email(followup.case)
        with transaction.atomic():
            # Claim the row first, so two runs never mail the same customer twice.
            if not FollowUp.objects.filter(pk=followup.pk, mailed_at__isnull=True).update(
                mailed_at=now
            ):
                continue
            if not address:
                continue
            url = site_url(f"/tindak-lanjut/{followup.token}/")
            body = render_to_string(
                "recovery/followup_email.txt", {"unit": followup.unit, "url": url}
            )
            subject = _("Did our handling restore your satisfaction?")
            queue_mail("case.followup", [address], subject, body, case=followup.case)
        sent += 1
    return sent
