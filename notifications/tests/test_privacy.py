"""The mail to a customer is personal data: erasure and retention blank its address and its
text; the row stays, so the timeline still shows that a notification went out."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from complaints import services as complaints
from notifications.models import OutboxMessage
from notifications.services import queue_mail
from pulih.lib.personal_data import PersonQuery
from pulih.personal_data import apply_retention, erase_personal_data


def answer_mail(unit, contact: str, name: str = "Rahmat"):
    complaint = complaints.submit_public_complaint(
        unit, text="Loket tutup.", name=name, contact=contact
    )
    with transaction.atomic():
        return queue_mail(
            "complaint.answer", [contact], "Jawaban", f"Yth. {name}, ...", complaint=complaint
        )


def test_erasure_blanks_the_customers_mail_and_keeps_the_row(unit, people):
    theirs = answer_mail(unit, "rahmat@contoh.id")
    others = answer_mail(unit, "sinta@contoh.id", name="Sinta")
    staff = queue_mail("reminder", [people["coordinator"].email], "Pengingat", "Tenggat")
    log = erase_personal_data(unit, PersonQuery(contact="rahmat@contoh.id"))
    assert log.counts["notifications.privacy"] == 1
    theirs.refresh_from_db()
    assert (theirs.recipients, theirs.body, theirs.subject) == ("", "", "Jawaban")
    assert OutboxMessage.objects.get(pk=others.pk).recipients == "sinta@contoh.id"
    assert OutboxMessage.objects.get(pk=staff.pk).body == "Tenggat"


def test_retention_blanks_old_customer_mail_once(unit):
    old = answer_mail(unit, "rahmat@contoh.id")
    OutboxMessage.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3 * 366)
    )
    recent = answer_mail(unit, "sinta@contoh.id", name="Sinta")
    unit.personal_data_retention_years = 2
    unit.save()
    apply_retention(unit)
    assert OutboxMessage.objects.get(pk=old.pk).recipients == ""
    assert OutboxMessage.objects.get(pk=recent.pk).recipients == "sinta@contoh.id"
