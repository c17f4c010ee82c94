"""The unit's audit view: security events (AuditEntry) and every change to the unit's standard
and settings (django-simple-history), newest first, filterable by date, person and kind."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pulih.lib.bounds import BoundedDateField
from pulih.lib.money import rupiah
from units.models import CATALOGUES, CompensationBudget, Membership, Unit

from .models import AuditEntry, AuditKind

CATALOGUE = "catalogue"

AUDITED = [*CATALOGUES.values(), CompensationBudget, Membership]
LIMIT = 200


@dataclass(frozen=True)
class Change:
    at: object
    who: str
    what: str
    entry: str
    kind: str  # +, ~ or - for a catalogue change; "event" for an audit entry
    fields: list[tuple[str, str, str]]  # (field, old, new)
    address: str = ""
    label: str = field(default="")


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


class AuditFilterForm(forms.Form):
    start = BoundedDateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = BoundedDateField(
        label=gettext_lazy("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    person = forms.CharField(label=gettext_lazy("Person"), required=False, max_length=150)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[
            ("", gettext_lazy("All")),
            *AuditKind.choices,
            (CATALOGUE, gettext_lazy("Standard and settings")),
        ],
    )


def _window(unit: Unit, start, end) -> tuple:
    zone = unit.zone
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone) if start else None
    high = (
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        if end
        else None
    )
    return low, high


def unit_events(
    unit: Unit, *, start=None, end=None, person: str = "", kind: str = "", limit: int = LIMIT
) -> list[Change]:
    """The unit's audit entries and catalogue changes, filtered, newest first."""
    low, high = _window(unit, start, end)
    changes: list[Change] = []
    if kind != CATALOGUE:
        entries = AuditEntry.objects.filter(unit=unit).select_related("actor")
        if kind:
            entries = entries.filter(kind=kind)
        if low:
            entries = entries.filter(at__gte=low)
        if high:
            entries = entries.filter(at__lt=high)
        if person:
            entries = entries.filter(
                Q(username__icontains=person) | Q(actor__full_name__icontains=person)
            )
        for e in entries[:limit]:
            changes.append(
                Change(
                    at=e.at,
                    who=e.actor.display_name if e.actor else (e.username or "—"),
                    what=e.get_kind_display(),
                    entry=e.summary or e.username,
                    kind="event",
                    fields=[],
                    address=e.address,
                )
            )
    if not kind or kind == CATALOGUE:
        changes += unit_changes(unit, limit=limit, low=low, high=high, person=person)
    changes.sort(key=lambda c: c.at, reverse=True)
    return list(islice(changes, limit))


def unit_changes(
    unit: Unit, limit: int = LIMIT, *, low=None, high=None, person: str = ""
) -> list[Change]:
    """The latest `limit` changes, one query per audited model (a fixed number)."""
    changes = []
    sources = [(Unit, unit.history.all())]
    sources += [(m, m.history.filter(unit=unit)) for m in AUDITED]
    narrowed = []
    for model, records in sources:
        if low:
            records = records.filter(history_date__gte=low)
        if high:
            records = records.filter(history_date__lt=high)
        if person:
            records = records.filter(
                Q(history_user__username__icontains=person)
                | Q(history_user__full_name__icontains=person)
            )
        narrowed.append((model, records))
    for model, records in narrowed:
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
