"""Customers' personal data in the outbox (see pulih.lib.personal_data): the mail to a customer
or complainant holds their address and the letter. Erasure and retention blank both; the row
stays (kind, subject, state, times) so the timeline still shows that a notification went out."""

from __future__ import annotations

import datetime

from django.db import models

from pulih.lib.personal_data import FoundRecord, PersonQuery
from pulih.lib.registry import PersonalDataSource, personal_data_sources

from .models import OutboxMessage

CUSTOMER_KINDS = ["case.customer", "recovery_followup", "complaint.answer"]
BLANK = {"recipients": "", "body": ""}


def _rows(unit) -> models.QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(
        models.Q(case__unit=unit) | models.Q(complaint__unit=unit), kind__in=CUSTOMER_KINDS
    ).exclude(recipients="", body="")


def _matching(unit, query: PersonQuery) -> models.QuerySet[OutboxMessage]:
    q = models.Q()
    if query.contact:
        q &= models.Q(recipients__iexact=query.contact)
    if query.name:
        q &= models.Q(complaint__name__iexact=query.name)
    return _rows(unit).filter(q)


def find(unit, query: PersonQuery) -> list[dict]:
    return [
        FoundRecord(
            kind="notification",
            id=row.pk,
            at=row.created_at,
            personal={"recipients": row.recipients},
            data={"kind": row.kind, "subject": row.subject, "body": row.body, "state": row.state},
        ).as_dict()
        for row in _matching(unit, query).order_by("pk")
    ]


def erase(unit, query: PersonQuery, *, actor=None) -> int:
    return OutboxMessage.objects.filter(pk__in=_matching(unit, query).values("pk")).update(**BLANK)


def anonymise_before(unit, cutoff: datetime.datetime) -> int:
    old = _rows(unit).filter(created_at__lt=cutoff)
    return OutboxMessage.objects.filter(pk__in=old.values("pk")).update(**BLANK)


personal_data_sources.register(
    PersonalDataSource("notifications.privacy", find, erase, anonymise_before)
)
