"""Customers' personal data under UU 27/2022: find it, export it, erase it, and stop keeping it
longer than the unit's retention period.

Each domain that holds a customer's name or contact has a `privacy.py` that registers a
`PersonalDataSource` (pulih.lib.registry) with three functions:

    find(unit, query: PersonQuery) -> list[dict]
        the records of `unit` that match `query`, each `FoundRecord(...).as_dict()`;
    erase(unit, query: PersonQuery, *, actor) -> int
        anonymise those records in place (name -> ERASED_NAME, contact -> ""), keeping
        ratings, complaints and cases; returns how many records changed;
    anonymise_before(unit, cutoff: datetime) -> int
        the same for every record of `unit` older than `cutoff`; a second run changes nothing.

This module holds what those functions share and imports no domain app; `pulih.personal_data`
gathers the sources for `manage.py export_personal_data`, `erase_personal_data` and
`apply_retention`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.lib.errors import InvalidInput

ERASED_NAME = "Dihapus"


@dataclass(frozen=True)
class PersonQuery:
    """Who a request is about: an exact contact, or a name matched case-insensitively."""

    contact: str = ""
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "contact", (self.contact or "").strip())
        object.__setattr__(self, "name", " ".join((self.name or "").split()))
        if not self.contact and not self.name:
            message = _("Give the customer's contact or name.")
            raise InvalidInput(message, fields={"contact": [message]})
        if self.name.casefold() == ERASED_NAME.casefold():
            message = _("This name marks records already erased.")
            raise InvalidInput(message, fields={"name": [message]})

    @property
    def matched_by(self) -> str:
        return "+".join(k for k in ("contact", "name") if getattr(self, k))

    def filter(self, *, name_field: str, contact_field: str) -> models.Q:
        """The rows this query is about (every given criterion must hold)."""
        q = models.Q()
        if self.contact:
            q &= models.Q(**{contact_field: self.contact})
        if self.name:
            q &= models.Q(**{f"{name_field}__iexact": self.name})
        return q

    def as_dict(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in ("contact", "name") if getattr(self, k)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


@dataclass(frozen=True)
class FoundRecord:
    """One record that holds a customer's personal data, as a source reports it."""

    kind: str  # "service_record", "complaint", ...
    id: int
    at: datetime.datetime | None
    personal: dict[str, Any]  # the identifying fields as held: name, contact, ...
    data: dict[str, Any] = field(default_factory=dict)  # everything else held with it

    def as_dict(self) -> dict[str, Any]:
        return _jsonable(
            {
                "kind": self.kind,
                "id": self.id,
                "at": self.at,
                "personal": self.personal,
                "data": self.data,
            }
        )


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    """The django-simple-history table of `model`, if it keeps one (it holds old values too)."""
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attribute).model if attribute else None


def anonymise(queryset: models.QuerySet, values: dict[str, Any]) -> int:
    """Overwrite `values` on the rows of `queryset` and on their history rows; returns the count.

    A plain UPDATE: no save() signals, so no new history entry repeats the old values.
    """
    model = queryset.model
    historical = history_model(model)
    if historical is not None:
        pk = model._meta.pk.attname
        historical.objects.filter(**{f"{pk}__in": queryset.values("pk")}).update(**values)
    return queryset.update(**values)


def not_yet_anonymised(name_field: str, contact_field: str) -> models.Q:
    """Rows that still hold a name or a contact."""
    return ~(models.Q(**{f"{name_field}__in": ["", ERASED_NAME]}) & models.Q(**{contact_field: ""}))


def retention_cutoff(unit, now: datetime.datetime | None = None) -> datetime.datetime:
    """The moment `unit.personal_data_retention_years` years ago, in the unit's time zone."""
    local = timezone.localtime(now or timezone.now(), unit.zone)
    years = unit.personal_data_retention_years
    try:
        return local.replace(year=local.year - years)
    except ValueError:  # 29 February
        return local.replace(year=local.year - years, day=28)
