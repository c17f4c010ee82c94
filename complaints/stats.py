"""Complaint counts per month by channel and by status, aggregated in SQL.

`monthly_counts` is the one query (the reports dashboard reuses it); `monthly_table` arranges
its few aggregate rows as a table of months × (channels, statuses).
"""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from pulih.lib.compiled import CompiledRead, key_marker, moment_marker, whole_rows
from units.models import ComplaintChannel, Unit

from .models import Complaint, ComplaintStatus


def monthly_counts(
    unit: Unit,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    complaints: QuerySet[Complaint] | None = None,
) -> list[dict]:
    """Rows of {month (date, first day, unit's time zone), channel (code), status, count}."""
    low, high = unit.period_bounds(start, end)
    if complaints is None and low is not None and high is not None:
        rows = _monthly_read(unit.time_zone).rows(unit=unit.pk, low=low, high=high)
        return [
            {"month": _as_date(month), "channel": channel, "status": status, "count": count}
            for month, channel, status, count in rows
        ]
    qs = complaints if complaints is not None else Complaint.objects.filter(unit=unit)
    if low is not None:
        qs = qs.filter(received_at__gte=low)
    if high is not None:
        qs = qs.filter(received_at__lt=high)
    rows = _per_month(qs, unit.zone)
    return [
        {
            "month": _as_date(r["month"]),
            "channel": r["channel__code"],
            "status": r["status"],
            "count": r["count"],
        }
        for r in rows
    ]


def _per_month(complaints: QuerySet[Complaint], zone: datetime.tzinfo) -> QuerySet:
    return (
        complaints.order_by()
        .annotate(month=TruncMonth("received_at", tzinfo=zone))
        .values("month", "channel__code", "status")
        .annotate(count=Count("pk"))
        .order_by("month", "channel__code", "status")
    )


@functools.cache
def _monthly_read(zone_name: str) -> CompiledRead:
    """`monthly_counts` of one unit's [low, high), its months in the unit's zone (the zone's
    name is part of the SQL: one read per zone)."""
    markers = {"unit": key_marker(0), "low": moment_marker(0), "high": moment_marker(1)}
    complaints = Complaint.objects.filter(
        unit=markers["unit"], received_at__gte=markers["low"], received_at__lt=markers["high"]
    )
    rows = _per_month(complaints, zoneinfo.ZoneInfo(zone_name)).values_list(
        "month", "channel__code", "status", "count"
    )
    return CompiledRead(rows, **markers)


@functools.cache
def _channels_read() -> CompiledRead:
    rows = ComplaintChannel.objects.filter(unit=key_marker(0)).order_by("order", "code")
    return CompiledRead(whole_rows(rows), unit=key_marker(0))


@functools.cache
def _overdue_read() -> CompiledRead:
    rows = Complaint.objects.filter(unit=key_marker(0)).overdue(moment_marker(0)).order_by()
    return CompiledRead(rows.values_list("pk"), unit=key_marker(0), now=moment_marker(0))


def overdue_count(unit_id: int, now: datetime.datetime) -> int:
    """The unit's complaints overdue at `now` (`Complaint.objects.overdue`)."""
    return _overdue_read().count(unit=unit_id, now=now)


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


@dataclass
class MonthRow:
    month: datetime.date
    by_channel: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    total: int = 0
    channel_cells: list[int] = field(default_factory=list)  # in the table's channel order
    status_cells: list[int] = field(default_factory=list)  # in the table's status order

    def channel_counts(self, codes: list[str]) -> list[int]:
        return [self.by_channel.get(c, 0) for c in codes]

    def status_counts(self, codes: list[str]) -> list[int]:
        return [self.by_status.get(s, 0) for s in codes]


@dataclass
class MonthlyTable:
    channels: list[ComplaintChannel]
    statuses: list[tuple[str, str]]
    rows: list[MonthRow]
    totals: MonthRow

    @property
    def channel_codes(self) -> list[str]:
        return [c.code for c in self.channels]

    @property
    def status_codes(self) -> list[str]:
        return [s for s, _label in self.statuses]


def monthly_table(
    unit: Unit,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    complaints: QuerySet[Complaint] | None = None,
) -> MonthlyTable:
    counts = monthly_counts(unit, start=start, end=end, complaints=complaints)
    months: dict[datetime.date, MonthRow] = {}
    totals = MonthRow(month=datetime.date.min)
    for r in counts:  # a few dozen aggregate rows, not complaints
        row = months.setdefault(r["month"], MonthRow(month=r["month"]))
        for target in (row, totals):
            target.by_channel[r["channel"]] = target.by_channel.get(r["channel"], 0) + r["count"]
            target.by_status[r["status"]] = target.by_status.get(r["status"], 0) + r["count"]
            target.total += r["count"]
    channels = _channels_read().instances(unit=unit.pk)
    table = MonthlyTable(
        channels=channels,
        statuses=list(ComplaintStatus.choices),
        rows=[months[m] for m in sorted(months)],
        totals=totals,
    )
    for row in [*table.rows, totals]:
        row.channel_cells = row.channel_counts(table.channel_codes)
        row.status_cells = row.status_counts(table.status_codes)
    return table
