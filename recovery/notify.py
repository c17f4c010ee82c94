"""The follow-up e-mail: sent once, when the question opens, to a customer who left an e-mail."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.notify import site_url

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
        # Claim the row first, so two runs never mail the same customer twice.
        if not FollowUp.objects.filter(pk=followup.pk, mailed_at__isnull=True).update(
            mailed_at=now
        ):
            continue
        if not address:
            continue
        url = site_url(f"/tindak-lanjut/{followup.token}/")
        body = render_to_string("recovery/followup_email.txt", {"unit": followup.unit, "url": url})
        try:
            send_mail(_("Did our handling restore your satisfaction?"), body, None, [address])
        except OSError:
            # The mail server is away: release the claim so the next run tries again.
            FollowUp.objects.filter(pk=followup.pk).update(mailed_at=None)
            continue
        sent += 1
    return sent
