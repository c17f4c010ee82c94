"""The register's filters and its XLSX export, shared by the web screens and the API."""

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


def period_bounds(
    unit: Unit, start: datetime.date | None, end: datetime.date | None
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """[start 00:00, the day after end 00:00) in the unit's time zone."""
    zone = unit.zone
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone) if start else None
    high = (
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        if end
        else None
    )
    return low, high


def filter_complaints(
    unit: Unit,
    *,
    channel=None,
    kind: str = "",
    status: str = "",
    service=None,
    officer=None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[Complaint]:
    """The unit's complaints narrowed by the register's filters (each one optional)."""
    qs = Complaint.objects.filter(unit=unit)
    if channel is not None:
        qs = qs.filter(channel=channel)
    if kind:
        qs = qs.filter(kind=kind)
    if status == "overdue":
        qs = qs.overdue()
    elif status:
        qs = qs.filter(status=status)
    if service is not None:
        qs = qs.filter(service_type=service)
    if officer is not None:
        qs = qs.filter(officer=officer)
    low, high = period_bounds(unit, start, end)
    if low is not None:
        qs = qs.filter(received_at__gte=low)
    if high is not None:
        qs = qs.filter(received_at__lt=high)
    return qs.select_related("channel", "service_type", "officer").order_by("-received_at", "-pk")


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
