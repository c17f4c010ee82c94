"""`make bench-national` (`python -m bench.national`): Pulih at a ministry's size on PostgreSQL.

500 units in a three-level organisation tree (a ministry → 10 directorates general → 5
regional groups each → 10 units each), 10,000,000 survey responses over the two years ending
today and 1,000,000 cases, seeded in SQL with `generate_series` into a dedicated database
(`pulih_national`, dropped at the end). The daily tallies are built in SQL from the responses
and the units' day and month tallies from them (the definition the live path keeps), so
they are consistent with them by construction — and the run checks it: every figure below is
compared with the raw scan of the same responses to the hundredth.

Measured, each against the raw SQL scan of the responses it summarises (bench/rollup_part.py):
the organisation's IKM both ways (`ikm_of_units`, over the year), the whole roll-up
(`organisations.rollup.rollup`, the dashboard's default period), the organisation dashboard
`/organisasi/<code>/` and the public national page `/o/<code>/` over HTTP (gunicorn, DEBUG
off), with the dashboard also against the framework floor page of the same server (reported:
the 5x-the-floor target is make bench's, for 20 units; issue 17 judges these pages against
their raw scans).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import shutil
import sys
import time
from pathlib import Path

from .pulih_db import PG_ADMIN_URL, VAR, collectstatic, django_env, run_json
from .pulih_part import against_scan
from .report import (
    ROOT,
    Figure,
    fmt_ms,
    format_console,
    format_machine,
    format_table,
    machine_info,
    ratio,
    today,
    write_section,
)

DATABASE = os.environ.get("BENCH_NATIONAL_DATABASE", "pulih_national")
UNITS = 500
RESPONSES = 10_000_000
CASES = 1_000_000
DAYS = 730
BRANCHES = (10, 5)  # directorates general under the ministry, regional groups under each
SERVICE_TYPES = 3
OFFICERS = 3
ROOT_CODE = "nasional"
SMALL_CODE = "nasional-dg-01-1"  # one regional group: the small data size of the queries
LEADER = "nasional-pimpinan"
PASSWORD = "bench-national-2026"  # noqa: S105 (a throw-away local account)
ZONE = "Asia/Jakarta"
TIME_LIMIT_S = 900
MIN_FREE_GB = 10
SECTION_TITLE = "National data set (`make bench-national`)"
STATES = [  # (state, share per thousand), as bench/seed.py spreads them
    ("review", 100),
    ("hearing", 100),
    ("verification", 50),
    ("decision", 50),
    ("compensation", 50),
    ("delivery", 50),
    ("closed", 450),
    ("dismissed", 150),
]
PROPOSED = ("verification", "decision", "compensation", "delivery", "closed")
DECIDED = ("compensation", "delivery", "closed")


def database_url() -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{DATABASE}"


def _admin(sql: str) -> object:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        cur = conn.execute(sql)  # type: ignore[arg-type]
        return cur.fetchone()[0] if cur.description else None


def drop() -> None:
    _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


# --- in the Django process ------------------------------------------------------------------


def _setup() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulih.settings")
    import django

    django.setup()


def insert_select(cursor, model, exprs: dict[str, str], tail: str) -> int:
    """INSERT INTO model's table (columns of exprs) SELECT exprs `tail`; every other NOT NULL
    column gets the model field's default (so fields added later need no change here)."""
    from django.db import connection

    cols, vals, args = [], [], []
    for f in model._meta.concrete_fields:
        if f.column in exprs:
            cols.append(f.column)
            vals.append(exprs[f.column])
        elif not f.null and not f.primary_key:
            cols.append(f.column)
            vals.append("%s")
            args.append(f.get_db_prep_save(f.get_default(), connection))
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) "  # noqa: S608 (our own SQL)
        f"SELECT {', '.join(vals)} {tail}"
    )
    cursor.execute(sql, args)
    return cursor.rowcount


@contextlib.contextmanager
def _indexes_dropped(cursor, table: str):
    """A bulk load into `table` without its plain indexes, built again afterwards (a build is
    cheaper than keeping an index through millions of inserts)."""
    dropped = _plain_indexes(cursor, table)
    for name, _definition in dropped:
        cursor.execute(f'DROP INDEX "{name}"')
    yield dropped
    for _name, definition in dropped:
        cursor.execute(definition)


def _plain_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the table's indexes that back no constraint."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint)",
        [table],
    )
    return cursor.fetchall()


def _structure(units: int) -> dict:
    """Units, their service types, officers, heads, sanction kinds and budgets, the
    organisation tree and its leader, through the ORM (a few thousand rows)."""
    from django.contrib.auth.hashers import make_password

    from organisations.models import (
        Organisation,
        OrganisationMembership,
        OrganisationRole,
        OrganisationUnit,
    )
    from units.models import (
        CompensationBudget,
        Membership,
        Role,
        SanctionKind,
        ServiceType,
        Unit,
        User,
    )

    made = Unit.objects.bulk_create(
        Unit(code=f"nasional-{i:03d}", name=f"Balai Nasional {i:03d}", time_zone=ZONE)
        for i in range(1, units + 1)
    )
    ServiceType.objects.bulk_create(
        ServiceType(unit=u, code=f"layanan-{k}", name=f"Layanan {k}", order=k)
        for u in made
        for k in range(1, SERVICE_TYPES + 1)
    )
    SanctionKind.objects.bulk_create(
        SanctionKind(unit=u, code="teguran-lisan", name="Teguran lisan", level="ringan")
        for u in made
    )
    people = User.objects.bulk_create(
        User(username=f"{u.code}-{who}", full_name=f"{who} {u.code}", password="!")
        for u in made
        for who in [*(f"petugas{k}" for k in range(1, OFFICERS + 1)), "kepala"]
    )
    per = OFFICERS + 1
    Membership.objects.bulk_create(
        Membership(
            user=people[i * per + k], unit=u, role=Role.OFFICER if k < OFFICERS else Role.HEAD
        )
        for i, u in enumerate(made)
        for k in range(per)
    )
    this_year = datetime.datetime.now(datetime.UTC).year
    CompensationBudget.objects.bulk_create(
        CompensationBudget(unit=u, year=y, amount=5_000_000)
        for u in made
        for y in (this_year - 2, this_year - 1, this_year)
    )
    root = Organisation.objects.create(code=ROOT_CODE, name="Kementerian Nasional")
    leaves = []
    for d in range(1, BRANCHES[0] + 1):
        dg = Organisation.objects.create(
            code=f"nasional-dg-{d:02d}", name=f"Direktorat Jenderal {d:02d}", parent=root
        )
        for r in range(1, BRANCHES[1] + 1):
            leaves.append(
                Organisation.objects.create(
                    code=f"{dg.code}-{r}", name=f"Wilayah {d:02d}.{r}", parent=dg
                )
            )
    OrganisationUnit.objects.bulk_create(
        OrganisationUnit(organisation=leaves[i * len(leaves) // len(made)], unit=u)
        for i, u in enumerate(made)
    )
    leader = User.objects.create(
        username=LEADER, full_name="Pimpinan Nasional", password=make_password(PASSWORD)
    )
    OrganisationMembership.objects.create(
        user=leader, organisation=root, role=OrganisationRole.LEADER
    )
    types = dict.fromkeys((u.pk for u in made), None)
    for pk, unit_id in ServiceType.objects.values_list("pk", "unit_id").order_by("pk"):
        types[unit_id] = [*(types[unit_id] or []), pk]
    sanctions = dict(SanctionKind.objects.values_list("unit_id", "pk"))
    return {
        "units": [
            (
                i,
                u.pk,
                types[u.pk],
                [p.pk for p in people[i * per : i * per + OFFICERS]],
                people[i * per + OFFICERS].pk,
                sanctions[u.pk],
            )
            for i, u in enumerate(made)
        ],
        "organisations": 1 + len(leaves) + BRANCHES[0],
    }


def _state_sql(number: str) -> str:
    """The case's state from its number, the shares of STATES interleaved (bench/seed.py)."""
    parts, low = [], 0
    for state, share in STATES:
        low += share
        parts.append(f"WHEN mod(({number}) * 617, 1000) < {low} THEN '{state}'")
    return "CASE " + " ".join(parts) + " END"


def _answer(n: int) -> str:
    """An answer 1..4 from the row's n-th random number: 2 % blank, 6 % "2", 42 % "3", 50 % "4"."""
    r = f"s.r{n}"
    return f"CASE WHEN {r} < 0.02 THEN NULL WHEN {r} < 0.08 THEN 2 WHEN {r} < 0.5 THEN 3 ELSE 4 END"


def seed(units: int, responses: int, cases: int, log=print) -> dict:
    """Fill the migrated, empty database; return counts and seconds per step."""
    from django.db import connection, transaction

    from cases.models import Case, Compensation, Decree, Proposal
    from cases.tally import rebuild as rebuild_case_tallies
    from recovery.tally import rebuild as rebuild_recovery_tallies
    from surveys.models import DailyTally, SurveyResponse, UnitDayTally
    from surveys.tally import month_tally_sql

    from .seed import _day_tally_sql, _profile_tally_sql, _tally_sql

    if responses // cases < 1:
        raise ValueError("every case is opened from a flagged response: responses ≥ cases")
    every = responses // cases
    seconds: dict[str, float] = {}
    t = time.monotonic()
    with transaction.atomic():
        structure = _structure(units)
    seconds["units and tree"] = time.monotonic() - t
    last = (
        datetime.datetime.now(datetime.UTC)
        .astimezone(datetime.timezone(datetime.timedelta(hours=7)))
        .date()
    )
    first = last - datetime.timedelta(days=DAYS - 1)
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET work_mem = '256MB'")
        # The bulk load skips the foreign keys' per-row triggers (every id below is valid by
        # construction: it comes from the units just created); constraints and indexes stay.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "CREATE TEMP TABLE nat_unit (idx int PRIMARY KEY, unit_id int, st int[], off int[], "
            "head int, sanction int)"
        )
        cursor.executemany(
            "INSERT INTO nat_unit VALUES (%s, %s, %s, %s, %s, %s)", structure["units"]
        )
        t = time.monotonic()
        with transaction.atomic():
            dropped = _plain_indexes(cursor, SurveyResponse._meta.db_table)
            for name, _definition in dropped:
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("SELECT setseed(0.2026)")
            # Responses arrive day by day (ids grow with time), 08:00–16:00 local; units are
            # of different sizes (the largest about 12× the smallest); every `every`-th
            # response rates the officer's element U7 at 1 and is flagged, and opens a case.
            randoms = ", ".join(f"random() AS r{n}" for n in range(1, 10))
            written = insert_select(
                cursor,
                SurveyResponse,
                {
                    "unit_id": "m.unit_id",
                    "service_type_id": f"m.st[1 + mod(s.g, {SERVICE_TYPES})]",
                    "officer_id": f"m.off[1 + mod(s.g / {SERVICE_TYPES}, {OFFICERS})]",
                    "submitted_at": (
                        f"(DATE '{first.isoformat()}' + s.day + TIME '08:00' "
                        f"+ s.sec * INTERVAL '1 second') AT TIME ZONE '{ZONE}'"
                    ),
                    **{f"u{n}": _answer(n) for n in range(1, 10)},
                    "u7": f"CASE WHEN mod(s.g, {every}) = 0 THEN 1 ELSE {_answer(7)} END",
                    "source": "'import'",
                    "flagged": f"mod(s.g, {every}) = 0",
                    "flagged_elements": f"CASE WHEN mod(s.g, {every}) = 0 THEN 'U7' ELSE '' END",
                },
                f"FROM (SELECT g, ((g - 1) * {DAYS}::bigint / {responses})::int AS day, "  # noqa: S608
                f"floor(random() * 28800) AS sec, floor({units} * power(random(), 1.5))::int "
                f"AS idx, {randoms} FROM generate_series(1, {responses}) g) s "
                "JOIN nat_unit m ON m.idx = s.idx",
            )
            seconds["responses"] = time.monotonic() - t
            log(f"national: {written:,} responses in {seconds['responses']:.0f} s")
            t = time.monotonic()
            for _name, definition in dropped:
                cursor.execute(definition)
            seconds["response indexes"] = time.monotonic() - t
            log(f"national: {len(dropped)} indexes rebuilt in {seconds['response indexes']:.0f} s")
        t = time.monotonic()
        with transaction.atomic(), _indexes_dropped(cursor, DailyTally._meta.db_table):
            cursor.execute(_tally_sql())
            tallies = cursor.rowcount
        seconds["tallies"] = time.monotonic() - t
        log(f"national: {tallies:,} daily tallies in {seconds['tallies']:.0f} s")
        t = time.monotonic()
        # The units' day tallies: whole days from the daily tallies just built, profile
        # answers from the responses (the national responses state none: no rows).
        with transaction.atomic(), _indexes_dropped(cursor, UnitDayTally._meta.db_table):
            cursor.execute(_day_tally_sql())
            day_tallies = cursor.rowcount
            cursor.execute(_profile_tally_sql())
            day_tallies += cursor.rowcount
            # The monthly tallies: the day tallies of each month added up (migration 0009).
            cursor.execute(month_tally_sql(connection))
        seconds["unit-day tallies"] = time.monotonic() - t
        log(f"national: {day_tallies:,} unit-day tallies in {seconds['unit-day tallies']:.0f} s")
        t = time.monotonic()
        with transaction.atomic():
            with _indexes_dropped(cursor, Case._meta.db_table):
                n_cases = insert_select(
                    cursor,
                    Case,
                    {
                        "unit_id": "r.unit_id",
                        "officer_id": "r.officer_id",
                        "state": _state_sql("r.id / " + str(every)),
                        "source_kind": "'survey'",
                        "survey_response_id": "r.id",
                        "reason": "'Penilaian kurang pada U7'",
                        "opened_at": "r.submitted_at + INTERVAL '5 minutes'",
                        "due_rule": "''",
                    },
                    f"FROM surveys_surveyresponse r WHERE r.flagged ORDER BY r.id LIMIT {cases}",
                )
            decided = ", ".join(f"'{s}'" for s in DECIDED)
            proposed = ", ".join(f"'{s}'" for s in PROPOSED)
            n_proposals = insert_select(
                cursor,
                Proposal,
                {
                    "case_id": "c.id",
                    "sanction_id": "m.sanction",
                    "reasoning": "'Terbukti.'",
                    "proposed_by_id": "m.head",
                    "proposed_at": "c.opened_at + INTERVAL '2 days'",
                },
                f"FROM cases_case c JOIN nat_unit m ON m.unit_id = c.unit_id "
                f"WHERE c.state IN ({proposed}) ORDER BY c.id",
            )
            # Decreed 1–10 days after opening (by the case's id), due a week after: about
            # two in three within the rule. Numbered per unit and local year, in order.
            issued = "c.opened_at + mod(c.id * 7919, 240) * INTERVAL '1 hour'"
            n_decrees = insert_select(
                cursor,
                Decree,
                {
                    "case_id": "d.case_id",
                    "unit_id": "d.unit_id",
                    "proposal_id": "d.proposal_id",
                    "year": "d.year",
                    "sequence": "d.seq",
                    "number": "d.seq || '/SK/' || d.year",
                    "date": f"(d.issued_at AT TIME ZONE '{ZONE}')::date",
                    "sanction_id": "d.sanction",
                    "signer_id": "d.head",
                    "signer_name": "'Kepala Balai'",
                    "signer_title": "'Kepala'",
                    "issued_at": "d.issued_at",
                    "due_at": "d.opened_at + INTERVAL '7 days'",
                },
                f"FROM (SELECT c.id AS case_id, c.unit_id, p.id AS proposal_id, {issued} AS "  # noqa: S608
                f"issued_at, c.opened_at, m.sanction, m.head, EXTRACT(YEAR FROM ({issued}) "
                f"AT TIME ZONE '{ZONE}')::int AS year, row_number() OVER (PARTITION BY "
                f"c.unit_id, EXTRACT(YEAR FROM ({issued}) AT TIME ZONE '{ZONE}') ORDER BY "
                f"c.id) AS seq FROM cases_case c JOIN cases_proposal p ON p.case_id = c.id "
                f"JOIN nat_unit m ON m.unit_id = c.unit_id WHERE c.state IN ({decided})) d "
                "ORDER BY d.case_id",
            )
            n_compensations = insert_select(
                cursor,
                Compensation,
                {
                    "case_id": "d.case_id",
                    "unit_id": "d.unit_id",
                    "cost": "mod(d.case_id, 4) * 25000",
                    "budget_year": f"EXTRACT(YEAR FROM d.issued_at AT TIME ZONE '{ZONE}')::int",
                    "decided_by_id": "d.signer_id",
                    "decided_at": "d.issued_at + INTERVAL '1 day'",
                    "tracking_token": "'nat' || d.case_id",
                    "notify_channel": "'email'",
                },
                "FROM cases_decree d ORDER BY d.case_id",
            )
            # Their tallies, recounted from the rows (cases.tally's rule, as the workflow keeps it).
            case_tallies = rebuild_case_tallies()
            # And the recovery tallies (none while this data set writes no deliveries).
            rebuild_recovery_tallies()
        seconds["cases"] = time.monotonic() - t
        log(
            f"national: {n_cases:,} cases, {n_proposals:,} proposals, {n_decrees:,} decrees, "
            f"{n_compensations:,} compensations, {case_tallies:,} case tallies in "
            f"{seconds['cases']:.0f} s"
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        t = time.monotonic()
        # What autovacuum does to freshly loaded tables: statistics, the visibility map.
        cursor.execute("VACUUM ANALYZE")
        seconds["vacuum analyze"] = time.monotonic() - t
        log(f"national: VACUUM ANALYZE in {seconds['vacuum analyze']:.0f} s")
        cursor.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database())), "
            "pg_database_size(current_database())"
        )
        size_text, size = cursor.fetchone()
    return {
        "units": units,
        "organisations": structure["organisations"],
        "responses": written,
        "tallies": tallies,
        "day_tallies": day_tallies,
        "cases": n_cases,
        "proposals": n_proposals,
        "decrees": n_decrees,
        "compensations": n_compensations,
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "database_size": size_text,
        "database_bytes": size,
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
    }


def measure(reps: int, warmup: int) -> dict:
    """The roll-ups against their raw scans (checked equal), the periods the pages show, and
    the organisation dashboard's queries at two data sizes."""
    from django.utils import timezone

    from reports.periods import previous_quarter, quarter_of

    from . import rollup_part
    from .pulih_inproc import count_queries

    today_ = timezone.localdate()
    year = (today_ - datetime.timedelta(days=364), today_)
    quarter = (quarter_of(today_)[0], today_)  # the dashboard's default period, so far
    public = previous_quarter(today_)  # what /o/<code>/ shows
    trend_scans: dict = {}  # the year's and the quarter's trend: the same quarters
    out = {
        "year": rollup_part.measure(ROOT_CODE, *year, reps, warmup, trend_scans),
        "quarter": rollup_part.measure(ROOT_CODE, *quarter, reps, warmup, trend_scans),
        "public": rollup_part.measure(ROOT_CODE, *public, reps, warmup, trend_scans),
    }
    out["queries"] = {
        ROOT_CODE: count_queries(LEADER, f"/organisasi/{ROOT_CODE}/"),
        SMALL_CODE: count_queries(LEADER, f"/organisasi/{SMALL_CODE}/"),
    }
    return out


# --- the parent process ---------------------------------------------------------------------


def _child(*args: str, log=print) -> dict:
    return run_json(
        ["-m", "bench.national", "--step", *args],
        django_env(database_url()),
        log=lambda line: log(f"  {line}"),
    )


def measure_http(reps: int, warmup: int) -> dict:
    from reliability.server import Server, free_port

    from .httpmeasure import login_session, time_requests
    from .pulih_http import FLOOR_PAGE_PATH, THREADS, WORKERS, merged

    server = Server(
        django_env(database_url(), DJANGO_SETTINGS_MODULE="bench.settings"),
        free_port(),
        workers=WORKERS,
        threads=THREADS,
        log=VAR / "national-gunicorn.log",
    )
    server.start(timeout=120)
    try:
        base = server.url
        cookies = login_session(base, LEADER, PASSWORD)
        half = max(1, reps // 2)
        before = time_requests(base + FLOOR_PAGE_PATH, half, cookies=cookies, warmup=warmup)
        dashboard = time_requests(
            f"{base}/organisasi/{ROOT_CODE}/", reps, cookies=cookies, warmup=warmup
        )
        public = time_requests(f"{base}/o/{ROOT_CODE}/", reps, warmup=warmup)
        after = time_requests(base + FLOOR_PAGE_PATH, half, cookies=cookies, warmup=warmup)
        return {
            "framework floor": merged([before, after]),
            "organisation dashboard": dashboard,
            "public page": public,
        }
    finally:
        server.stop()


def figures(run: dict) -> list[Figure]:
    m, http = run["measure"], run["http"]
    out: list[Figure] = []
    labels = {
        "year": "the year",
        "quarter": "the current quarter (the dashboard's default)",
        "public": "the last complete quarter (the public page's)",
    }
    for key, label in labels.items():
        r = m[key]
        out.append(
            Figure(
                f"raw SQL scan grouped by unit, {label} (floor)",
                r["floor"]["p50_ms"],
                r["floor"]["p95_ms"],
                note=f"{r['respondents']:,} responses of {r['units_with_answers']} units",
            )
        )
    y, q, p = m["year"], m["quarter"], m["public"]
    out += [
        against_scan(
            "organisation IKM, both ways (ikm_of_units), the year",
            y["ikm_of_units"],
            y["floor"],
            f"score {y['score']}, mean of units {y['mean_of_units']}; equal to the raw scan",
        ),
        against_scan(
            "organisation roll-up (organisations.rollup), the current quarter",
            q["rollup"],
            q.get("rollup_floor", q["floor"]),
            "in process; floor: the quarter's scan plus one per quarter of the trend",
        ),
        against_scan(
            f"organisation dashboard /organisasi/{ROOT_CODE}/ over HTTP",
            http["organisation dashboard"],
            q.get("rollup_floor", q["floor"]),
            "against the raw scans of the rows it shows (the quarter and the trend's quarters)",
        ),
        against_scan(
            f"public national page /o/{ROOT_CODE}/ over HTTP",
            http["public page"],
            p["floor"],
            "against the raw scan of the last complete quarter",
        ),
    ]
    base = http["framework floor"]
    if "rollup_floor" in q:
        out.append(
            Figure(
                "raw SQL scans of the roll-up: the current quarter and its trend's quarters "
                "(floor)",
                q["rollup_floor"]["p50_ms"],
                q["rollup_floor"]["p95_ms"],
            )
        )
    out.append(
        Figure(
            "framework floor: a minimal signed-in page on the base template",
            base["p50_ms"],
            base["p95_ms"],
        )
    )
    dash = http["organisation dashboard"]
    counts = m["queries"]
    # Reported, not judged: issue 17 judges the national pages against their raw scans (§6);
    # the 5x-the-floor target is make bench's, for a ministry of 20 units, where this page
    # lists 20 rows, not 500. Its query count must still not grow with the units.
    out.append(
        Figure(
            "organisation dashboard against the framework floor (reported; judged against "
            "its raw scans above)",
            dash["p50_ms"],
            dash["p95_ms"],
            reference=f"framework floor p95 {fmt_ms(base['p95_ms'])} ms",
            ratio=ratio(dash["p95_ms"], base["p95_ms"]),
            met=None if counts[ROOT_CODE] == counts[SMALL_CODE] else False,
            note=(
                f"{counts[ROOT_CODE]} queries for 500 units, {counts[SMALL_CODE]} for the 10 "
                f"units of {SMALL_CODE}"
            ),
        )
    )
    return out


FLOOR_TEXT = """*Floor*: one hand-written
`SELECT unit_id, COUNT(*), SUM(u1), COUNT(u1), … FROM surveys_surveyresponse WHERE unit_id IN
(…) AND submitted_at >= … AND submitted_at < … GROUP BY unit_id` over the period's responses
(bench/rollup_part.py)."""


def section(run: dict, figs: list[Figure]) -> str:
    d = run["data"]
    s = d["seconds"]
    machine = format_machine(run["machine"])
    return f"""Measured by `make bench-national` on {run["date"]}: {machine}; \
{run["machine_after"]["load"][0]} when it ended. The run took **{run["elapsed_s"]:.0f} s** \
(limit {TIME_LIMIT_S} s: {"met" if run["elapsed_s"] <= TIME_LIMIT_S else "**NOT met**"}), \
{d["database_size"]} of database; {run["db_version"]}.

**Data** (bench/national.py, in the dedicated database `{DATABASE}`, dropped at the end):
{d["units"]:,} units in a three-level tree of {d["organisations"]} organisations (a ministry →
{BRANCHES[0]} directorates general → {BRANCHES[1]} regional groups each → 10 units each), each
unit with {SERVICE_TYPES} service types and {OFFICERS} officers; {d["responses"]:,} survey
responses over the {DAYS} days {d["first_day"]} … {d["last_day"]} (08:00–16:00 local, units of
unequal size — the largest about 12× the smallest), inserted by one `INSERT … SELECT … FROM
generate_series` with the answers drawn by `random()` after `setseed`; {d["tallies"]:,} daily
tallies built from them by one `INSERT … SELECT … GROUP BY` and {d.get("day_tallies", 0):,}
units' day tallies (one row per unit and local day) from those and their monthly tallies
from those (what the roll-ups read: whole months, and the days outside them; the same
statements as `make bench`'s, the definition the live path keeps incrementally);
{d["cases"]:,} cases opened
from the flagged responses in every state (as `make bench` spreads them), with
{d["proposals"]:,} proposals, {d["decrees"]:,} decrees (about two in three within the one-week
rule) and {d["compensations"]:,} compensations, all in SQL. Not seeded, because no measured
page reads them: case timelines, hearings, verifications, deliveries, service records (the
roll-up's count of services recorded is then an index probe over no rows). Seconds: units and
tree {s["units and tree"]}, responses {s["responses"]}, their indexes {s["response indexes"]},
tallies {s["tallies"]}, units' day tallies {s.get("unit-day tallies", "—")}, cases \
{s["cases"]}, VACUUM ANALYZE {s["vacuum analyze"]} (migrate
{run["data"]["migrate_s"]}).

**Measured**: the organisation `{ROOT_CODE}` (all 500 units). {FLOOR_TEXT}
`ikm_of_units` and `rollup` are timed in process
({run["reps"]} times after warm-up) and the run stops unless the organisation's IKM over all
respondents, every unit's IKM, respondents and NRRs, and the mean of the units' scores equal
the raw scan's to the hundredth ({m_checked(run)} figures compared). The pages are timed over
HTTP (gunicorn, 2 gthread workers × 2 threads, DEBUG off, one keep-alive connection, the
leader of the ministry signed in; the public page anonymous), each ratio over the raw scan of
the period the page shows; the dashboard also against the framework floor page of the same
server. Queries of the dashboard counted at two data sizes: the ministry and one regional
group of 10 units.

{format_table(figs)}
"""  # noqa: S608 (prose, not SQL)


def m_checked(run: dict) -> str:
    return f"{sum(r['figures_checked'] for k, r in run['measure'].items() if k != 'queries'):,}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.national", description=__doc__)
    parser.add_argument("--units", type=int, default=UNITS)
    parser.add_argument("--responses", type=int, default=RESPONSES)
    parser.add_argument("--cases", type=int, default=CASES)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/")
    parser.add_argument("--step", choices=["seed", "measure"], help=argparse.SUPPRESS)
    parser.add_argument(
        "--from-json", help="write the figures of a finished run (var/bench/national.json) again"
    )
    args = parser.parse_args(argv)
    if args.from_json:
        run = json.loads(Path(args.from_json).read_text())
        return report(run, write=not args.no_write)
    if args.step:
        _setup()
        if args.step == "seed":
            from django.core.management import call_command

            t = time.monotonic()
            call_command("migrate", verbosity=0, interactive=False)
            migrated = round(time.monotonic() - t, 1)
            print(f"national: migrated in {migrated} s", flush=True)
            result = seed(args.units, args.responses, args.cases) | {"migrate_s": migrated}
        else:
            result = measure(args.reps, args.warmup)
        print(json.dumps(result, default=str), flush=True)
        return 0

    started = time.monotonic()
    free_gb = shutil.disk_usage(ROOT).free / 1024**3
    run: dict = {"date": today(), "machine": machine_info(), "free_disk_gb": round(free_gb, 1)}
    print(
        f"== national: {args.units} units, {args.responses:,} responses, {args.cases:,} cases; "
        f"{format_machine(run['machine'])}; {free_gb:.0f} GB free",
        flush=True,
    )
    if free_gb < MIN_FREE_GB * args.responses / RESPONSES:
        raise SystemExit(f"only {free_gb:.1f} GB free: the national data set needs about 10")
    VAR.mkdir(parents=True, exist_ok=True)
    collectstatic()  # the pages render with DEBUG off, from the static manifest
    drop()
    _admin(f"CREATE DATABASE {DATABASE}")
    try:
        run["db_version"] = f"PostgreSQL {_admin('SHOW server_version')}"
        run["reps"] = args.reps
        print("== national: seeding in SQL", flush=True)
        run["data"] = _child(
            "seed",
            "--units",
            str(args.units),
            "--responses",
            str(args.responses),
            "--cases",
            str(args.cases),
        )
        print("== national: roll-ups against their raw scans", flush=True)
        run["measure"] = _child("measure", "--reps", str(args.reps), "--warmup", str(args.warmup))
        print("== national: pages over HTTP", flush=True)
        run["http"] = measure_http(max(args.reps, 10), args.warmup)
    finally:
        if not args.keep:
            drop()
    run["elapsed_s"] = round(time.monotonic() - started, 1)
    run["machine_after"] = machine_info()
    (VAR / "national.json").write_text(json.dumps(run, indent=2, default=str))
    return report(run, write=not args.no_write)


def report(run: dict, write: bool) -> int:
    """Print the figures of a run and write its section of docs/benchmarks.md."""
    figs = figures(run)
    print()
    print(format_console(figs))
    missed = [f.name for f in figs if f.met is False]
    print(
        f"\nbench-national: {run['elapsed_s']:.0f} s (limit {TIME_LIMIT_S} s); "
        f"{len([f for f in figs if f.met])} targets met, {len(missed)} missed"
    )
    if write:
        write_section(SECTION_TITLE, section(run, figs))
        print("written docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
