"""Customers' personal data in complaints (see pulih.lib.personal_data).

Erasure anonymises the complainant's name and contact and deletes the files they sent; the
complaint itself (its text, status and answer) and any case opened from it are kept.
Files are found by field type, so whatever attachment model this app has is covered: file
fields on Complaint itself and on any model with a foreign key to it.
"""

from __future__ import annotations

import datetime

from django.db import models, transaction

from pulih.lib.personal_data import (
    ERASED_NAME,
    FoundRecord,
    PersonQuery,
    anonymise,
    not_yet_anonymised,
)
from pulih.lib.registry import PersonalDataSource, personal_data_sources

from .models import Complaint

ANONYMISED = {"name": ERASED_NAME, "contact": ""}


def file_fields() -> list[tuple[type[models.Model], str, list[str]]]:
    """(model, lookup from it to the complaint's pk, its file field names), for every model
    that stores files belonging to a complaint."""
    found = []
    own = [f.name for f in Complaint._meta.concrete_fields if isinstance(f, models.FileField)]
    if own:
        found.append((Complaint, "pk", own))
    for relation in Complaint._meta.related_objects:
        if relation.many_to_many:
            continue
        model = relation.related_model
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if names:
            found.append((model, relation.field.name, names))
    return found


def _stored_files(complaints: models.QuerySet) -> list[dict]:
    files = []
    for model, lookup, names in file_fields():
        rows = model.objects.filter(**{f"{lookup}__in": complaints.values("pk")})
        for name in names:
            for path in rows.exclude(**{name: ""}).values_list(name, flat=True):
                files.append({"field": f"{model._meta.model_name}.{name}", "file": path})
    return files


def delete_files(complaints: models.QuerySet) -> int:
    """Empty the complaints' file fields now and delete the files once the transaction commits
    (a rollback must not leave rows pointing at files already gone)."""
    deleted = 0
    for model, lookup, names in file_fields():
        rows = model.objects.filter(**{f"{lookup}__in": complaints.values("pk")})
        for name in names:
            storage = model._meta.get_field(name).storage
            paths = list(rows.exclude(**{name: ""}).values_list(name, flat=True))
            if not paths:
                continue
            rows.exclude(**{name: ""}).update(**{name: ""})
            deleted += len(paths)
            transaction.on_commit(lambda s=storage, p=paths: [s.delete(path) for path in p])
    return deleted


def _matching(unit, query: PersonQuery):
    return Complaint.objects.filter(unit=unit).filter(
        query.filter(name_field="name", contact_field="contact")
    )


def find(unit, query: PersonQuery) -> list[dict]:
    complaints = (
        _matching(unit, query).select_related("channel", "service_type").order_by("received_at")
    )
    found = []
    for complaint in complaints:
        found.append(
            FoundRecord(
                kind="complaint",
                id=complaint.pk,
                at=complaint.received_at,
                personal={"name": complaint.name, "contact": complaint.contact},
                data={
                    "tracking_code": complaint.tracking_code,
                    "kind": complaint.kind,
                    "channel": complaint.channel.name,
                    "service_type": complaint.service_type.name if complaint.service_type else None,
                    "text": complaint.text,
                    "status": complaint.status,
                    "answer": complaint.answer,
                    "answered_at": complaint.answered_at,
                    "files": _stored_files(Complaint.objects.filter(pk=complaint.pk)),
                },
            ).as_dict()
        )
    return found


def erase(unit, query: PersonQuery, *, actor) -> int:
    with transaction.atomic():
        matching = _matching(unit, query)
        delete_files(matching)
        return anonymise(matching, ANONYMISED)


def anonymise_before(unit, cutoff: datetime.datetime) -> int:
    with transaction.atomic():
        old = Complaint.objects.filter(unit=unit, received_at__lt=cutoff)
        delete_files(old)
        return anonymise(old.filter(not_yet_anonymised("name", "contact")), ANONYMISED)


personal_data_sources.register(
    PersonalDataSource("complaints.privacy", find, erase, anonymise_before)
)
