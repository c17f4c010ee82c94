"""The import benchmark's own parts: the seeded file, the floor, the report. No timing."""

from __future__ import annotations

import csv
import datetime
import os
import sys

from bench import import_rate

UNIT = {
    "unit_id": 7,
    "time_zone": "Asia/Jakarta",
    "flag_threshold": 2,
    "officer_elements": ["U3", "U6", "U7"],
    "services": {"informasi": 1, "izin": 2},
    "officers": {"oscar": 10, "olive": 11},
}


def test_the_file_is_seeded_and_in_import_skms_layout(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    end = datetime.datetime(2026, 11, 23, 16)  # the default, now, may tick between the two
    counts = import_rate.write_csv(first, UNIT, 2000, poor_share=0.1, end=end)
    import_rate.write_csv(second, UNIT, 2000, poor_share=0.1, end=end)
    assert first.read_bytes() == second.read_bytes()
    with first.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == import_rate.HEADER
    assert len(rows) == 2001
    moments = [r[0] for r in rows[1:]]
    assert moments == sorted(moments)  # oldest first, as form exports are
    poor = [r for r in rows[1:] if any(r[3 + i] in ("1", "2") for i in (2, 5, 6))]
    assert len(poor) == counts["officer_poor"]
    assert 100 < counts["officer_poor"] < 300
    assert all(r[2] for r in poor)  # a poor officer rating always names the officer


def test_the_floor_inserts_every_parsed_row(tmp_path):
    path = tmp_path / "a.csv"
    import_rate.write_csv(path, UNIT, 500)
    rows = import_rate.parsed_rows(path, UNIT)
    assert len(rows) == 500
    assert {r[1] for r in rows} <= {1, 2}
    assert import_rate.floor_once(rows, tmp_path / "floor.sqlite3") > 0


def fake_run(db="sqlite"):
    return {
        "db": db,
        "db_version": "SQLite 3.40.1",
        "date": "2026-11-24 01:00 UTC",
        "machine": {"nproc": 2, "cpu": "x", "memory_gib": 8, "os": "Linux", "python": "3.11"},
        "unit": "bpmp-kalteng",
        "rows": 100_000,
        "reps": 3,
        "file": {"rows": 100_000, "officer_poor": 2000, "institution_poor": 1000},
        "import_s": [3.0, 3.2, 3.4],
        "cpu_s": [2.9, 3.0, 3.1],
        "peak_mib": [72.0, 72.1, 72.0],
        "floor_s": [0.2, 0.21, 0.22],
        "p50_s": 3.2,
        "p95_s": 3.38,
        "floor_p50_s": 0.21,
        "floor_p95_s": 0.219,
        "warmup": {"s": 0.5, "cpu_s": 0.4, "peak_mib": 70.0},
        "half": {"s": 1.6, "cpu_s": 1.5, "peak_mib": 72.3, "file": {}},
        "heavy": {"s": 4.0, "cpu_s": 3.9, "peak_mib": 72.9, "poor_share": 0.08,
                  "file": {"officer_poor": 8000}},
        "elapsed_s": 40.0,
    }  # fmt: skip


def test_figures_and_section():
    figures = import_rate.figures(fake_run())
    main = figures[0]
    # The target is a ratio to the floor of the same run: 3.2 s against 0.21 s is 15.2×.
    assert (main.p50_ms, main.target, main.met) == (3200.0, "≤ 15× floor", False)
    assert round(main.ratio, 2) == round(3.2 / 0.21, 2)
    within = import_rate.figures({**fake_run(), "floor_p50_s": 0.25})[0]
    assert (round(within.ratio, 1), within.met) == (12.8, True)
    assert figures[1].met is None and "8%" in figures[1].note
    text = import_rate.section([fake_run(), fake_run("postgres")])
    assert "| sqlite | SQLite 3.40.1 | 31,250 | 476,190 |" in text
    assert "72 MiB (in 1.6 s)" in text
    assert "Before and after" in text


def test_a_childs_peak_memory_is_its_own_not_the_benchs(tmp_path):
    held = bytearray(300 * 1024 * 1024)  # the bench holding the floor's rows, and more
    held[::4096] = b"x" * len(held[::4096])  # touched: resident
    code = "block = bytearray(150 * 2**20); block[::4096] = b'y' * len(block[::4096])"
    with (tmp_path / "out.txt").open("w") as out:
        small = import_rate.run_measured(
            [sys.executable, "-c", "pass"], dict(os.environ), tmp_path, out
        )
        large = import_rate.run_measured(
            [sys.executable, "-c", code], dict(os.environ), tmp_path, out
        )
    del held
    assert small["exit"] == 0 and large["exit"] == 0
    assert small["peak_mib"] < 60
    assert 150 < large["peak_mib"] < 250
    assert small["s"] > 0 and large["cpu_s"] > 0
