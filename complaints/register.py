"""The register's XLSX export (its filters: complaints/filters.py)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from documents.xlsx import build_workbook
from units.models import Unit

from .models import Complaint


def _local(value: datetime.datetime | None, unit: Unit):
    # openpyxl cannot store aware datetimes: write the unit's wall-clock time.
    if value is None:
        return None
    return timezone.localtime(value, unit.zone).replace(tzinfo=None)


def export_rows(complaints: Iterable[Complaint], unit: Unit) -> Iterable[list]:
    for c in complaints:
        yield [
            c.tracking_code,
            _local(c.received_at, unit),
            c.channel.name,
            c.get_kind_display(),
            c.get_status_display(),
            c.complainant_display,
            "" if c.anonymous else c.contact,
            c.service_type.name if c.service_type else "",
            c.officer.display_name if c.officer else "",
            c.text,
            c.get_triage_outcome_display() if c.triage_outcome else "",
            _local(c.ack_due_at, unit),
            _local(c.acknowledged_at, unit),
            _local(c.answer_due_at, unit),
            _local(c.answered_at, unit),
            pgettext("yes/no answer", "Yes") if c.is_overdue else pgettext("yes/no answer", "No"),
            c.answer,
        ]


def export_header() -> list[str]:
    return [
        _("Tracking code"),
        _("Received at"),
        _("Channel"),
        _("Kind"),
        _("Status"),
        _("Complainant"),
        _("Contact"),
        _("Service"),
        _("Officer"),
        _("Text"),
        _("Triage outcome"),
        _("Acknowledgement due"),
        _("Acknowledged at"),
        _("Answer due"),
        _("Answered at"),
        _("Overdue"),
        _("Answer"),
    ]


def export_workbook(complaints: QuerySet[Complaint], unit: Unit) -> bytes:
    return build_workbook(
        {_("Complaints"): (export_header(), export_rows(complaints.iterator(), unit))}
    )
