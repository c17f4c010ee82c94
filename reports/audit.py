"""The unit's audit view: security events (AuditEntry) and every change to the unit's standard
and settings (django-simple-history), newest first, filterable by date, person and kind."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import islice

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pulih.lib.bounds import BoundedDateField
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


def _describe(record, previous) -> list[tuple[str, str, str]]:
    if previous is None:
        return []
    delta = record.diff_against(previous)
    return [(c.field, str(c.old)[:200], str(c.new)[:200]) for c in delta.changes]


class AuditFilterForm(forms.Form):
    start = BoundedDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = BoundedDateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    person = forms.CharField(label=_("Person"), required=False, max_length=150)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All")), *AuditKind.choices, (CATALOGUE, _("Standard and settings"))],
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
