"""Customers' personal data in service records (see pulih.lib.personal_data).

The name and contact on a ServiceRecord identify the customer; the survey response tied to
it (the ratings) is kept on erasure, so the IKM and any case built on it stay intact.
"""

from __future__ import annotations

import datetime

from pulih.lib.personal_data import (
    ERASED_NAME,
    FoundRecord,
    PersonQuery,
    anonymise,
    not_yet_anonymised,
)
from pulih.lib.registry import PersonalDataSource, personal_data_sources

from .models import ServiceRecord

ANONYMISED = {"customer_name": ERASED_NAME, "customer_contact": ""}


def _matching(unit, query: PersonQuery):
    return ServiceRecord.objects.filter(unit=unit).filter(
        query.filter(name_field="customer_name", contact_field="customer_contact")
    )


def find(unit, query: PersonQuery) -> list[dict]:
    records = (
        _matching(unit, query)
        .select_related("service_type", "response")
        .order_by("served_at", "pk")
    )
    found = []
    for record in records:
        response = getattr(record, "response", None)
        found.append(
            FoundRecord(
                kind="service_record",
                id=record.pk,
                at=record.served_at,
                personal={
                    "customer_name": record.customer_name,
                    "customer_contact": record.customer_contact,
                },
                data={
                    "service_type": record.service_type.name,
                    "customer_kind": record.customer_kind,
                    "channel": record.channel,
                    "survey_response": None
                    if response is None
                    else {
                        "submitted_at": response.submitted_at,
                        "answers": response.answers(),
                        "comment": response.comment,
                    },
                },
            ).as_dict()
        )
    return found


def erase(unit, query: PersonQuery, *, actor) -> int:
    return anonymise(_matching(unit, query), ANONYMISED)


def anonymise_before(unit, cutoff: datetime.datetime) -> int:
    old = ServiceRecord.objects.filter(unit=unit, served_at__lt=cutoff).filter(
        not_yet_anonymised("customer_name", "customer_contact")
    )
    return anonymise(old, ANONYMISED)


personal_data_sources.register(PersonalDataSource("surveys.privacy", find, erase, anonymise_before))
