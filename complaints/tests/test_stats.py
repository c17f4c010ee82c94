"""Counts by month, channel and status: one SQL aggregate, months in the unit's time zone."""

import datetime
import zoneinfo

import time_machine

from complaints import services
from complaints.stats import monthly_counts, monthly_table

JKT = zoneinfo.ZoneInfo("Asia/Jakarta")


def test_months_are_the_units_months(unit, people, django_assert_num_queries):
    bo = people["back_office"]
    # 31 January 23:30 in Palangka Raya is still January; 1 February 00:30 is February
    # (in UTC both fall on 31 January).
    with time_machine.travel(datetime.datetime(2026, 2, 2, 9, tzinfo=JKT), tick=False):
        for when, channel in [
            (datetime.datetime(2026, 1, 31, 23, 30, tzinfo=JKT), "letter"),
            (datetime.datetime(2026, 2, 1, 0, 30, tzinfo=JKT), "letter"),
            (datetime.datetime(2026, 2, 1, 8, 0, tzinfo=JKT), "phone"),
        ]:
            services.record_complaint(unit, actor=bo, channel=channel, text="x", received_at=when)
    with django_assert_num_queries(1):
        rows = monthly_counts(unit)
    assert rows == [
        {"month": datetime.date(2026, 1, 1), "channel": "letter", "status": "received", "count": 1},
        {"month": datetime.date(2026, 2, 1), "channel": "letter", "status": "received", "count": 1},
        {"month": datetime.date(2026, 2, 1), "channel": "phone", "status": "received", "count": 1},
    ]
    feb_only = monthly_counts(unit, start=datetime.date(2026, 2, 1), end=datetime.date(2026, 2, 28))
    assert sum(r["count"] for r in feb_only) == 2
    table = monthly_table(unit)
    assert [r.month for r in table.rows] == [datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)]
    assert table.rows[1].channel_cells == [1, 1, 0, 0, 0, 0]
    assert table.rows[1].status_cells == [2, 0, 0, 0]
    assert table.totals.total == 3


def test_other_units_are_not_counted(unit, other_unit, outsider, people):
    from units.models import ComplaintChannel

    ComplaintChannel.objects.create(unit=other_unit, code="phone", name="Telepon")
    services.record_complaint(other_unit, actor=outsider, channel="phone", text="x")
    services.record_complaint(unit, actor=people["back_office"], channel="phone", text="x")
    assert sum(r["count"] for r in monthly_counts(unit)) == 1
