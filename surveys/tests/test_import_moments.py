"""The import's reading of a date cell and its "in the future" check (surveys.importer)."""

from __future__ import annotations

import datetime
import zoneinfo

from surveys.importer import Plan, parse_moment, parse_row

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def test_a_plain_time_is_the_units_and_a_written_offset_is_kept():
    plain = parse_moment("2026-11-03 09:14:22", JAKARTA, None)
    assert plain == datetime.datetime(2026, 11, 3, 9, 14, 22, tzinfo=JAKARTA)
    assert plain.tzinfo is JAKARTA
    # Nineteen characters as well, but with its own offset: not the unit's.
    written = parse_moment("2026-11-03 09:14+09", JAKARTA, None)
    assert written.utcoffset() == datetime.timedelta(hours=9)
    assert parse_moment(" 2026-11-03 09:14:22 ", JAKARTA, None) == plain


def test_a_row_is_in_the_future_by_the_instant_whatever_its_zone():
    plan = Plan(1, ["submitted_at", "U1"], ["submitted_at", "U1"], zone=JAKARTA)
    now = datetime.datetime(2026, 11, 3, 2, 0, tzinfo=datetime.UTC)  # 09:00 in Jakarta

    def errors(text: str) -> list:
        return parse_row(plan, [text, "4"], None, now)[1]

    assert errors("2026-11-03 08:59:59") == []
    assert errors("2026-11-03 09:00:00") == []
    assert [name for name, _reason in errors("2026-11-03 09:00:01")] == ["submitted_at"]
    assert errors("2026-11-03 03:00:00+01:00") == []  # 02:00 UTC: now
    assert [n for n, _r in errors("2026-11-03 03:00:01+01:00")] == ["submitted_at"]
    assert [n for n, _r in errors("2026-11-03 03:00:01Z")] == ["submitted_at"]
    assert errors("2025-11-03 09:00:00") == []
