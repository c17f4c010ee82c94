"""Every change to the unit's standard and settings (django-simple-history), newest first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pulih.lib.money import rupiah
from units.models import CATALOGUES, CompensationBudget, Membership, Unit

AUDITED = [*CATALOGUES.values(), CompensationBudget, Membership]
LIMIT = 200


@dataclass(frozen=True)
class Change:
    at: object
    who: str
    what: str
    entry: str
    kind: str  # +, ~ or -
    fields: list[tuple[str, str, str]]  # (field, old, new)


MONEY_FIELDS = {"amount", "cost", "spent", "max_cost", "budget"}


def shown(model, field_name: str, value) -> str:
    """A recorded value as the reader reads it: dates and times in their language and the
    unit's time, money in rupiah, choices by their label, nothing as "None"."""
    if value is None or value == "":
        return "—"
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        field = None
    if isinstance(value, datetime.datetime):
        return date_format(
            timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT"
        )
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    if field_name in MONEY_FIELDS and isinstance(value, int | Decimal):
        return rupiah(value)
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))[:200]
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)[:200]


def _describe(record, previous) -> list[tuple[str, str, str]]:
    if previous is None:
        return []
    delta = record.diff_against(previous)
    model = record.instance_type
    return [
        (_label(model, c.field), shown(model, c.field, c.old), shown(model, c.field, c.new))
        for c in delta.changes
    ]


def _label(model, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except FieldDoesNotExist:
        return field_name


def unit_changes(unit: Unit, limit: int = LIMIT) -> list[Change]:
    """The latest `limit` changes, one query per audited model (a fixed number)."""
    changes = []
    sources = [(Unit, unit.history.all())]
    sources += [(m, m.history.filter(unit=unit)) for m in AUDITED]
    for model, records in sources:
        rows = list(records.select_related("history_user").order_by("-history_date")[: limit + 1])
        # Each row's previous version is the next older row of the same object in this slice.
        older: dict = {}
        for record in reversed(rows):
            previous = older.get(record.id)
            older[record.id] = record
            changes.append(
                Change(
                    at=record.history_date,
                    who=record.history_user.display_name if record.history_user else "—",
                    what=str(model._meta.verbose_name),
                    entry=str(record)[:120],
                    kind=record.history_type,
                    fields=_describe(record, previous) if record.history_type == "~" else [],
                )
            )
    changes.sort(key=lambda c: c.at, reverse=True)
    return list(islice(changes, limit))
