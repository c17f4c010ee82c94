"""The import figure: `manage.py import_skm` of 100,000 CSV rows, against the floor.

`run_import(database_url, unit_code)` discovers the unit's service types and officers (a small
Django subprocess on that database), writes a seeded CSV in Pulih's own layout into var/bench/
(streamed: never a list of all rows), and times `manage.py import_skm FILE --unit CODE` as a
subprocess with DATABASE_URL set: wall time, rows per second and the child's own peak
resident memory (from os.wait4's rusage, taken by a bare launcher process: `run_measured`).
In the same run it measures the floor: Python's sqlite3 `executemany` of the same rows'
parsed values into a fresh SQLite table with the survey response's columns, in one
transaction. To show that memory is flat in the file's size, a file
half the size is imported once and both peaks are reported; a file with more poor ratings
(more flagged rows) is imported once as well.

    python -m bench.import_rate --db sqlite|postgres [--unit CODE] [--rows N] [--reps N]

runs it standalone on a development database (migrated, with `demo_data`).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .pulih_db import django_env, run_json
from .report import (
    ROOT,
    Figure,
    fmt_ratio,
    format_machine,
    format_table,
    machine_info,
    percentile,
    today,
)

VAR = ROOT / "var" / "bench"
SECTION_TITLE = "Import of 100,000 CSV rows"
TARGET_RATIO = 15.0  # the import's wall time ≤ 15 × the database's own bulk load of the rows
SEED = 8
POOR_SHARE = 0.02  # rows with a poor rating on an officer's element: each is flagged
MORE_POOR_SHARE = 0.08  # the heavier file, imported once
INSTITUTION_SHARE = 0.01  # rows with a poor rating on an institution's element: improvement item
COMMENT_SHARE = 0.10
BLANK_SHARE = 0.02  # unanswered questions
NO_OFFICER_SHARE = 0.05
ELEMENTS = [f"U{i}" for i in range(1, 10)]
HEADER = ["submitted_at", "service", "officer", *ELEMENTS, "comment"]
COMMENTS = [
    "Pelayanan cepat, terima kasih.",
    "Petugas ramah dan membantu.",
    "Antrean agak lama di pagi hari.",
    "Ruang tunggu perlu kipas angin.",
    "Informasi persyaratan sudah jelas.",
]

# What the discovery subprocess prints: the unit's rules, service types and officers.
DISCOVER = """
import json
from units.models import ServiceType, Unit
from surveys.services import unit_officers
unit = Unit.objects.get(code=%r)
print(json.dumps({
    "unit_id": unit.pk,
    "time_zone": unit.time_zone,
    "flag_threshold": unit.flag_threshold,
    "officer_elements": unit.officer_elements,
    "services": {s.code: s.pk for s in ServiceType.objects.filter(unit=unit, active=True)},
    "officers": {u.username: u.pk for u in unit_officers(unit)},
}))
"""

Log = Callable[[str], None]


MANAGE = ROOT / "manage.py"  # another checkout's, to measure an earlier version
WARMUP_ROWS = 1_000


def discover(database_url: str, unit_code: str) -> dict:
    """The unit's flag rule, active service types and officers, read through Django."""
    unit = run_json(
        [str(MANAGE), "shell", "-c", DISCOVER % unit_code],
        django_env(database_url),
        cwd=MANAGE.parent,
    )
    if not unit["services"] or not unit["officers"]:
        raise RuntimeError(f"unit {unit_code} needs service types and officers: {unit}")
    return unit


# --- the file ------------------------------------------------------------------------------


def write_csv(
    path: Path,
    unit: dict,
    rows: int,
    *,
    seed: int = SEED,
    poor_share: float = POOR_SHARE,
    institution_share: float = INSTITUTION_SHARE,
    end: datetime.datetime | None = None,
) -> dict:
    """Write `rows` seeded responses over the year before `end` (naive, the unit's local time),
    oldest first; return how many rows rate an officer's element poor (each flagged) and how many an
    institution's element (each opens an improvement item)."""
    rng = random.Random(seed)
    threshold = unit["flag_threshold"]
    mine = [c for c in ELEMENTS if c in unit["officer_elements"]]
    theirs = [c for c in ELEMENTS if c not in mine]
    services = sorted(unit["services"])
    officers = sorted(unit["officers"])
    good = list(range(threshold + 1, 5))
    poor = list(range(1, threshold + 1))
    end = end or datetime.datetime.now().replace(microsecond=0) - datetime.timedelta(days=1)  # noqa: DTZ005 (naive local time is the file's format)
    span = 365 * 86400
    counts = {"rows": rows, "officer_poor": 0, "institution_poor": 0}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        step = span / rows
        for i in range(rows):
            # Oldest first, as Google Forms and Sheets export their responses.
            offset = span - int(i * step + rng.random() * step)
            moment = end - datetime.timedelta(seconds=offset)
            scores: dict[str, object] = {
                c: ("" if rng.random() < BLANK_SHARE else rng.choice(good)) for c in ELEMENTS
            }
            officer = "" if rng.random() < NO_OFFICER_SHARE else rng.choice(officers)
            if mine and rng.random() < poor_share:
                officer = officer or rng.choice(officers)
                scores[rng.choice(mine)] = rng.choice(poor)
                counts["officer_poor"] += 1
            if theirs and rng.random() < institution_share:
                scores[rng.choice(theirs)] = rng.choice(poor)
                counts["institution_poor"] += 1
            comment = rng.choice(COMMENTS) if rng.random() < COMMENT_SHARE else ""
            writer.writerow(
                [
                    moment.strftime("%Y-%m-%d %H:%M:%S"),
                    rng.choice(services),
                    officer,
                    *(scores[c] for c in ELEMENTS),
                    comment,
                ]
            )
    counts["bytes"] = path.stat().st_size
    return counts


# --- the floor: sqlite3 executemany of the same rows ------------------------------------------

FLOOR_COLUMNS = [
    "id INTEGER PRIMARY KEY AUTOINCREMENT",
    "unit_id BIGINT NOT NULL",
    "service_record_id BIGINT NULL",
    "service_type_id BIGINT NULL",
    "officer_id BIGINT NULL",
    "submitted_at DATETIME NOT NULL",
    *(f"{c.lower()} SMALLINT NULL" for c in ELEMENTS),
    "comment TEXT NOT NULL",
    "source VARCHAR(10) NOT NULL",
    "flagged BOOL NOT NULL",
    "flagged_elements VARCHAR(40) NOT NULL",
]
FLOOR_INSERT = (
    "INSERT INTO response (unit_id, service_type_id, officer_id, submitted_at, "
    "u1, u2, u3, u4, u5, u6, u7, u8, u9, comment, source, flagged, flagged_elements) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def parsed_rows(path: Path, unit: dict) -> list[tuple]:
    """The file's rows as the values of a survey response row (held in memory: the floor
    times only the insert)."""
    services, officers = unit["services"], unit["officers"]
    threshold, uid = unit["flag_threshold"], unit["unit_id"]
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for cells in reader:
            scores = [int(x) if x else None for x in cells[3:12]]
            poor = [c for c, s in zip(ELEMENTS, scores, strict=True) if s and s <= threshold]
            moment = datetime.datetime.fromisoformat(cells[0])
            rows.append(
                (
                    uid,
                    services[cells[1]],
                    officers.get(cells[2]),
                    moment.isoformat(" "),
                    *scores,
                    cells[12],
                    "import",
                    bool(poor),
                    ",".join(poor),
                )
            )
    return rows


PG_FLOOR_TABLE = "bench_import_floor"
PG_FLOOR_COLUMNS = [
    "id bigserial PRIMARY KEY",
    *(c.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "").replace("DATETIME", "timestamptz")
      .replace("BOOL", "boolean") for c in FLOOR_COLUMNS[1:]),
]  # fmt: skip
PG_COPY_COLUMNS = (
    "unit_id, service_type_id, officer_id, submitted_at, u1, u2, u3, u4, u5, u6, u7, u8, u9, "
    "comment, source, flagged, flagged_elements"
)


def floor_once_pg(rows: list[tuple], database_url: str) -> float:
    """Seconds for one COPY of `rows` into a fresh table of the bench's PostgreSQL database
    (the survey response's columns, no index), in one transaction."""
    import psycopg  # Pulih's own driver

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {PG_FLOOR_TABLE}")
        conn.execute(f"CREATE TABLE {PG_FLOOR_TABLE} ({', '.join(PG_FLOOR_COLUMNS)})")
        try:
            started = time.perf_counter()
            with conn.transaction(), conn.cursor() as cursor:
                sql = f"COPY {PG_FLOOR_TABLE} ({PG_COPY_COLUMNS}) FROM STDIN"
                with cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            elapsed = time.perf_counter() - started
            (count,) = conn.execute(f"SELECT count(*) FROM {PG_FLOOR_TABLE}").fetchone()  # noqa: S608
            assert count == len(rows), (count, len(rows))  # noqa: S101
        finally:
            conn.execute(f"DROP TABLE IF EXISTS {PG_FLOOR_TABLE}")
    return elapsed


def floor_once(rows: list[tuple], path: Path) -> float:
    """Seconds for one executemany of `rows` into a fresh table, in one transaction, with
    Pulih's SQLite settings (WAL, synchronous=NORMAL)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(f"CREATE TABLE response ({', '.join(FLOOR_COLUMNS)})")
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.executemany(FLOOR_INSERT, rows)
        db.execute("COMMIT")
        elapsed = time.perf_counter() - started
        (count,) = db.execute("SELECT count(*) FROM response").fetchone()
        assert count == len(rows), (count, len(rows))  # noqa: S101 (a measuring sanity check)
    finally:
        db.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return elapsed


def table_floor_once(rows: list[tuple], database_url: str) -> float:
    """Seconds for the same bulk load into Pulih's own survey response table (its indexes,
    checks and foreign keys, at the data set's size), rolled back: how much of the import's
    time the table itself asks for, before any parsing."""
    columns = PG_COPY_COLUMNS + ", sex, age_group, education, occupation"
    if database_url.startswith("sqlite"):
        db = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")  # as Django's connections have them
            marks = ", ".join(["?"] * (len(rows[0]) + 4))
            sql = f"INSERT INTO surveys_surveyresponse ({columns}) VALUES ({marks})"  # noqa: S608
            db.execute("BEGIN IMMEDIATE")
            started = time.perf_counter()
            db.executemany(sql, [(*row, "", "", "", "") for row in rows])
            elapsed = time.perf_counter() - started
            db.execute("ROLLBACK")
        finally:
            db.close()
        return elapsed
    import psycopg  # Pulih's own driver

    with psycopg.connect(database_url) as conn, conn.cursor() as cursor:
        started = time.perf_counter()
        with cursor.copy(f"COPY surveys_surveyresponse ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row, "", "", "", ""))
        # The foreign keys are declared checked at the commit, which a rollback never
        # reaches: checked here, as the import's commit (or its batches) must.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        elapsed = time.perf_counter() - started
        conn.rollback()
    return elapsed


# --- the import -------------------------------------------------------------------------------


# Linux starts a child's peak resident memory (ru_maxrss) from its parent's peak at the
# fork: a child of this process, which holds the floor's parsed rows, would report at least
# this process's peak whatever it used itself. So the import is started by a launcher, a bare
# interpreter (`python -S`, about 10 MiB), which reports the child's wall time and rusage.
LAUNCHER = """
import json, os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_pid, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - started
with open(sys.argv[1], "w") as report:
    json.dump({"s": elapsed, "exit": os.waitstatus_to_exitcode(status),
               "cpu_s": usage.ru_utime + usage.ru_stime, "maxrss_kib": usage.ru_maxrss}, report)
"""


def run_measured(args: list[str], env: dict[str, str], cwd: Path, out) -> dict:
    """Run `args` (a program and its arguments), its output to `out`: its wall time, exit
    status, CPU time and its own peak resident memory (through LAUNCHER)."""
    handle, name = tempfile.mkstemp(suffix=".json")
    os.close(handle)
    report = Path(name)
    subprocess.run(  # noqa: S603 (our own interpreter and program)
        [sys.executable, "-S", "-c", LAUNCHER, str(report), *args],
        env=env,
        cwd=cwd,
        stdout=out,
        stderr=subprocess.STDOUT,
        check=True,
    )
    measured = json.loads(report.read_text())
    report.unlink()
    return {
        "s": round(measured["s"], 3),
        "exit": measured["exit"],
        "cpu_s": round(measured["cpu_s"], 3),
        "peak_mib": round(measured["maxrss_kib"] / 1024, 1),
    }


def import_once(database_url: str, unit_code: str, path: Path) -> dict:
    """Run `manage.py import_skm` as a child; its wall time, CPU time and peak RSS."""
    out_path = path.with_suffix(".out")
    with out_path.open("w") as out:
        measured = run_measured(
            [sys.executable, str(MANAGE), "import_skm", str(path), "--unit", unit_code],
            django_env(database_url),
            MANAGE.parent,
            out,
        )
    text = out_path.read_text()
    if measured.pop("exit") != 0:
        raise RuntimeError(f"import_skm failed\n{text[-5000:]}")
    return measured


def _server_version(database_url: str) -> str:
    if database_url.startswith("sqlite"):
        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg  # Pulih's own driver

    with psycopg.connect(database_url) as conn:
        return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0]


def run_import(
    database_url: str,
    unit_code: str,
    rows: int = 100_000,
    reps: int = 3,
    log: Log = print,
) -> dict:
    """Time `manage.py import_skm` of `rows` seeded rows `reps` times against the sqlite3
    executemany floor of the same rows; import a file of half the rows and one with 8 % poor
    ratings once.

    The database must be migrated and hold the unit with its standard, service types and
    officers. Each import adds its rows (and cases) to the unit. Returns a JSON-able dict for
    `figures()` and `section()`.
    """
    started = time.monotonic()
    db = "sqlite" if database_url.startswith("sqlite") else "postgres"
    unit = discover(database_url, unit_code)
    log(
        f"import[{db}]: unit {unit_code}: {len(unit['services'])} service types, "
        f"{len(unit['officers'])} officers"
    )
    VAR.mkdir(parents=True, exist_ok=True)
    warm_path = VAR / "import-warmup.csv"
    write_csv(warm_path, unit, WARMUP_ROWS, seed=SEED + 3)
    warmup = import_once(database_url, unit_code, warm_path)  # caches bytecode, warms the disk
    warm_path.unlink(missing_ok=True)
    log(f"import[{db}] warm-up ({WARMUP_ROWS:,} rows): {warmup['s']} s")
    main = VAR / f"import-{rows}.csv"
    counts = write_csv(main, unit, rows)
    floor_rows = parsed_rows(main, unit)
    floor_db = VAR / "import-floor.sqlite3"
    imports, floors, tables = [], [], []
    for rep in range(reps):
        if db == "postgres":
            floors.append(round(floor_once_pg(floor_rows, database_url), 4))
        else:
            floors.append(round(floor_once(floor_rows, floor_db), 4))
        imports.append(import_once(database_url, unit_code, main))
        if rep == 0:  # (reported, not judged: once is enough, and it takes 2-4 s)
            tables.append(round(table_floor_once(floor_rows, database_url), 4))
        log(
            f"import[{db}] {rep + 1}/{reps}: {imports[-1]['s']} s, "
            f"peak {imports[-1]['peak_mib']} MiB; floor {floors[-1]} s"
            + (f", into Pulih's table {tables[-1]} s" if rep == 0 else "")
        )
    del floor_rows
    # Flat memory shown by a file of half the rows (a file of twice the rows showed the same,
    # in three times as long a part).
    half_path = VAR / f"import-{rows // 2}.csv"
    half_counts = write_csv(half_path, unit, rows // 2, seed=SEED + 1)
    half = import_once(database_url, unit_code, half_path)
    log(f"import[{db}] ½ ({rows // 2:,} rows): {half['s']} s, peak {half['peak_mib']} MiB")
    heavy_path = VAR / f"import-{rows}-poor.csv"
    heavy_counts = write_csv(heavy_path, unit, rows, seed=SEED + 2, poor_share=MORE_POOR_SHARE)
    heavy = import_once(database_url, unit_code, heavy_path)
    log(f"import[{db}] {MORE_POOR_SHARE:.0%} poor: {heavy['s']} s, peak {heavy['peak_mib']} MiB")
    for path in (half_path, heavy_path):
        path.unlink(missing_ok=True)
    seconds = [r["s"] for r in imports]
    return {
        "db": db,
        "db_version": _server_version(database_url),
        "date": today(),
        "machine": machine_info(),
        "unit": unit_code,
        "rows": rows,
        "reps": reps,
        "file": counts,
        "import_s": seconds,
        "cpu_s": [r["cpu_s"] for r in imports],
        "peak_mib": [r["peak_mib"] for r in imports],
        "floor_s": floors,
        "p50_s": round(percentile(seconds, 50), 3),
        "p95_s": round(percentile(seconds, 95), 3),
        "floor_p50_s": round(percentile(floors, 50), 4),
        "floor_p95_s": round(percentile(floors, 95), 4),
        "table_s": tables,
        "table_p50_s": round(percentile(tables, 50), 4),
        "table_p95_s": round(percentile(tables, 95), 4),
        "warmup": warmup,
        "half": {**half, "file": half_counts},
        "heavy": {**heavy, "file": heavy_counts, "poor_share": MORE_POOR_SHARE},
        "elapsed_s": round(time.monotonic() - started, 1),
    }


# --- reporting --------------------------------------------------------------------------------


def _rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f}" if seconds else "—"


# Before and after the one-pass import (issue 19's figure), measured by `run_import` of main's
# tree (commit 198d0cf) and this one in turn, each on its own copy of bench/seed.py's data set
# (unit satuan-02), the machine shared with other work (load average 4 to 7 on 2 CPUs: the
# wall times say little, the CPU times more). Medians of three imports of the 100,000-row file
# (the file with 8 % poor ratings: one import each): wall (CPU) seconds, peak memory in MiB.
BEFORE_AFTER = {
    "date": "2026-12-02",
    "rows": [
        ("SQLite, 2 % poor ratings", (11.19, 8.56, 83), (9.22, 4.54, 79)),
        ("SQLite, 8 % poor ratings", (11.94, 7.83, 83), (8.24, 4.20, 79)),
        ("PostgreSQL, 2 % poor ratings", (21.72, 7.15, 78), (9.55, 2.94, 75)),
        ("PostgreSQL, 8 % poor ratings", (20.04, 6.56, 78), (9.29, 3.11, 75)),
    ],
}
FIXES = [
    "one write path per answer (issue 18): the import builds each response with the "
    "service's `new_response` (the flag rule) and stores a batch with `store_responses` — "
    "the ORM's `bulk_create`, the tallies through `surveys/tally.py`'s one upsert, the "
    "improvement items in bulk; a poor rating of an officer's element is only flagged (the "
    "daily check refers it); one parser per row (`parse_row`), no fast path, no COPY or "
    "executemany of its own;",
    "one pass that validates and stores (issue 19's import figure): the parsed rows are no "
    "longer spilled to a temporary file and read back; each becomes its column values "
    "straight from `services.response_values` (the same flag rule, no model instance) and a "
    "batch goes to `store_values`: `bulk_create` only for the rows that open an improvement "
    "item (they need their key now), `pulih.lib.bulk.insert_values` for the rest and for the "
    "items; the tally rule gathers a batch's answers per key and sums them a column at a "
    "time (`tally.summed`); while the import runs, the garbage collector's full passes "
    "skip what the process held before it (`gc.freeze`).",
    "storing alongside reading (PostgreSQL): a batch is inserted by a second thread while "
    "the first reads and counts the next, so the server's work (the COPY, the table's "
    "indexes, the foreign-key checks, which Django defers to the commit and "
    "`pulih.lib.bulk.insert_values` now has checked batch by batch) overlaps the parsing "
    "instead of following it; the tallies are summed over all batches (`tally.Totals`) and "
    "upserted once at the end, the rows that open an improvement item stored together "
    "(`services.ValuesStore`); the response table's own index on `unit`, covered by "
    "`(unit, submitted_at)`, is gone (migration `surveys.0010`). SQLite stores in process: "
    "there the batches are stored in turn, as before.",
    "the storing thread only waits on the database (PostgreSQL): the reading thread now "
    "also makes each batch ready to its last byte (`ValuesStore.prepare`, "
    "`pulih.lib.bulk.prepare_values`: the rows' values and the COPY's whole binary stream), "
    "so the storing thread sends bytes and waits, and its share of the interpreter no "
    "longer keeps the server idle between batches; batches of 5,000 rows, not 2,000 (each "
    "batch's COPY and key checks cost the server a fixed 5 ms or so). In process on the "
    "bench data set, the reading-and-storing part of 100,000 rows went from 2.0–2.3 s to "
    "1.7–1.9 s, and `import_skm` from 3.1 s to 2.5–2.6 s, each old and new in turn.",
]


def _floor_name(run: dict) -> str:
    return "PostgreSQL COPY" if run["db"] == "postgres" else "sqlite3 executemany"


def figures(run: dict) -> list[Figure]:
    """The import's p50/p95 against its target (≤ 15 × the database's own bulk load of the same
    rows: executemany on SQLite, COPY on PostgreSQL); the file with 8 % poor ratings (one
    import, no target of its own); the floor."""
    floor = run["floor_p50_s"] * 1000
    heavy = run["heavy"]
    return [
        Figure(
            name=f"import_skm {run['rows']:,} rows, {run['db']}",
            p50_ms=run["p50_s"] * 1000,
            p95_ms=run["p95_s"] * 1000,
            target=f"≤ {TARGET_RATIO:g}× floor",
            reference=_floor_name(run),
            ratio=run["p50_s"] * 1000 / floor if floor else None,
            met=bool(floor) and run["p50_s"] * 1000 / floor <= TARGET_RATIO,
            note=f"{run['file']['officer_poor'] / run['rows']:.0%} poor → flagged; "
            f"{run['file']['institution_poor']:,} improvement items",
        ),
        Figure(
            name=f"import_skm {run['rows']:,} rows, {run['db']}, once",
            p50_ms=heavy["s"] * 1000,
            p95_ms=heavy["s"] * 1000,
            reference=_floor_name(run),
            ratio=heavy["s"] * 1000 / floor if floor else None,
            note=f"{heavy['poor_share']:.0%} poor → flagged",
        ),
        Figure(
            name=f"floor: {_floor_name(run)} {run['rows']:,} rows ({run['db']} run)",
            p50_ms=floor,
            p95_ms=run["floor_p95_s"] * 1000,
        ),
        *_table_figure(run, floor),
    ]


def _table_figure(run: dict, floor: float) -> list[Figure]:
    """The same bulk load into Pulih's own table (reported beside the floor, no target)."""
    if not run.get("table_p50_s"):
        return []
    return [
        Figure(
            name=f"{_floor_name(run)} {run['rows']:,} rows into Pulih's own table, foreign keys "
            "checked, rolled back, once "
            f"({run['db']} run)",
            p50_ms=run["table_p50_s"] * 1000,
            p95_ms=run["table_p95_s"] * 1000,
            reference=_floor_name(run),
            ratio=run["table_p50_s"] * 1000 / floor if floor else None,
            note=f"the import is {run['p50_s'] / run['table_p50_s']:.1f}× this",
        )
    ]


def section(run: dict | list[dict]) -> str:
    """Markdown body for docs/benchmarks.md's import section: one run, or a list of runs
    (one per database) in one table."""
    runs = run if isinstance(run, list) else [run]
    first = runs[0]
    lines = [
        f"Measured on {first['date']}: {format_machine(first['machine'])}.",
        "",
        f"Method: a seeded CSV in Pulih's own layout ({first['rows']:,} rows over one year, "
        f"all service types and officers of unit `{first['unit']}`; "
        f"{POOR_SHARE:.0%} of rows rate an officer's element poor and are flagged, "
        f"{INSTITUTION_SHARE:.0%} an institution's element and open an improvement item, "
        f"{COMMENT_SHARE:.0%} carry a comment, {BLANK_SHARE:.0%} of answers are blank) is "
        "imported by `manage.py import_skm FILE --unit CODE` as a child process, "
        f"{first['reps']} times: wall time from start to exit (Python and Django start-up "
        "included, bytecode cached after a 1,000-row warm-up import), CPU time and peak "
        "resident memory of the child from `wait4`, taken by a bare launcher process (the "
        "kernel starts a child's peak from its parent's, and the bench holds the floor's "
        "rows). Each repetition imports the same file again, adding its rows. The floor, in "
        "the same run: the same rows' parsed values "
        "loaded by the database's own bulk path into a fresh table with the survey response's "
        "columns and no index, in one transaction (SQLite: Python's sqlite3 `executemany`, "
        "WAL, synchronous=NORMAL; PostgreSQL: COPY; parsing not timed). Target: the import "
        f"within {TARGET_RATIO:g}× its floor. Memory: a file of half the rows, and a file with "
        f"{MORE_POOR_SHARE:.0%} poor ratings, are each imported once.",
        "",
        format_table([f for r in runs for f in figures(r)]),
        "",
        "| database | server | rows/s | floor rows/s | ratio | CPU | peak memory, "
        f"{first['rows']:,} rows | peak memory, {first['rows'] // 2:,} rows | part took |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in runs:
        cpu = sorted(r.get("cpu_s") or [0])[len(r.get("cpu_s") or [0]) // 2]
        lines.append(
            f"| {r['db']} | {r['db_version']} | {_rate(r['rows'], r['p50_s'])} | "
            f"{_rate(r['rows'], r['floor_p50_s'])} | "
            f"{fmt_ratio(r['p50_s'] / r['floor_p50_s'])} | {cpu:.2f} s | "
            f"{max(r['peak_mib']):.0f} MiB | "
            f"{r['half']['peak_mib']:.0f} MiB (in {r['half']['s']:.1f} s) | "
            f"{r['elapsed_s']:.0f} s |"
        )
    lines += [
        "",
        "Peak memory does not grow with the file: it is read twice as a stream (csv reader), "
        "never as a list; the first pass reads the date column whole (its day or month order) "
        "and counts the rows; the second, in one transaction, validates each row and, while no "
        "row has been bad, stores the rows a batch at a time as it reads them (a bad row stops "
        "the storing, the reading goes on to report every bad row, and the transaction is "
        "rolled back), so at most one batch is in memory.",
        "",
        "What remains of the gap to the floor is the table's own work, which the floor leaves "
        "out: the same bulk load into Pulih's survey response table (its six indexes and the "
        "per-row checks of its four foreign keys, which PostgreSQL runs as one trigger query "
        "per row and key) is the row above the CPU table; on PostgreSQL the key checks alone "
        "took longer than the COPY into the indexed table (1.4–1.9 s and 0.8–1.0 s of "
        "100,000 rows, measured apart on 2026-12-03), and the import's database connection "
        "waits on that while its parsing, in the other thread, is done; then Django's "
        "start-up (0.5 s) and the file's first pass (0.2–0.3 s).",
        "",
        f"Before and after the one-pass import ({BEFORE_AFTER['date']}; `run_import` of "
        "main's tree and this one in turn, each on a copy of the bench data set, the machine "
        "shared with other work (load average 4 to 7 on 2 CPUs: the wall times say little); "
        "medians of three imports (the 8 % file: one each) of wall time, with CPU time of the "
        "importing process):",
        "",
        "| file | before: wall (CPU), memory | after: wall (CPU), memory |",
        "|---|--:|--:|",
    ]
    engines = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    shown = {engines.get(r["db"], r["db"]) for r in runs}
    for name, before, after in BEFORE_AFTER["rows"]:
        if name.split(",")[0] not in shown:
            continue
        lines.append(
            f"| {name} | {before[0]:.2f} s ({before[1]:.2f} s), {before[2]} MiB | "
            f"{after[0]:.2f} s ({after[1]:.2f} s), {after[2]} MiB |"
        )
    lines += ["", "What changed:", ""] + [f"- {fix}" for fix in FIXES]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.import_rate", description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", help="DATABASE_URL (default: the development database)")
    parser.add_argument("--unit", default="bpmp-kalteng")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    url = args.url or (
        f"sqlite:///{ROOT / 'var' / 'bench-import' / 'dev.sqlite3'}"
        if args.db == "sqlite"
        else "postgres://postgres@127.0.0.1:5432/pulih_h_import"
    )
    run = run_import(url, args.unit, rows=args.rows, reps=args.reps)
    (VAR / f"import-{run['db']}.json").write_text(json.dumps(run, indent=2, ensure_ascii=False))
    print(section(run))
    return 0


if __name__ == "__main__":
    sys.exit(main())
