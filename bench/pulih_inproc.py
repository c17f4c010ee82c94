"""The parts of Pulih's benchmark that run inside a Django process on the bench database:
`python -m bench.pulih_inproc prepare|ikm|queries` with DATABASE_URL set (bench/pulih_db.py
starts it). Each prints one JSON object on its last line."""

from __future__ import annotations

import argparse
import datetime
import io
import json
import sys
import time
from fractions import Fraction

from .report import summarize_ms
from .seed import (
    MEASURED_UNIT,
    ORGANISATION,
    ORGANISATION_LEADER,
    PASSWORD,
    SMALL_ORGANISATION,
    SMALL_UNIT,
    seed,
)


def _setup() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulih.settings")
    import django

    django.setup()


def prepare(responses: int, cases: int) -> dict:
    """Migrate an empty database and seed the data set."""
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.monotonic() - started
    print(f"seed: migrated in {migrated:.1f} s", flush=True)
    data = seed(responses=responses, cases=cases)
    return {"migrate_s": round(migrated, 1), **data.__dict__}


def _year() -> tuple[datetime.date, datetime.date]:
    """The measured year: the 365 local days ending today (the seed's year)."""
    from django.utils import timezone

    last = timezone.localdate()
    return last - datetime.timedelta(days=364), last


FLOOR_SQL = (
    "SELECT COUNT(*), "  # noqa: S608 (built from constants only)
    + ", ".join(f"SUM(u{n}), COUNT(u{n})" for n in range(1, 10))
    + " FROM surveys_surveyresponse WHERE unit_id = %s AND submitted_at >= %s"
    " AND submitted_at < %s"
)


# Timed runs of the raw scan: each costs 40-60 times the command path, so a p50 of 10 (stable
# to a few per cent) keeps `make bench` within its 10 minutes where 30 took a minute in all.
FLOOR_REPS = 10


def floor_totals(unit, start: datetime.date, end: datetime.date):
    """The floor: one hand-written SQL aggregate over the unit's responses of the period."""
    from django.db import connection

    from surveys.ikm import day_bounds

    # The bounds as the database stores datetimes (UTC text on SQLite), as the ORM passes them.
    since, until = (
        connection.ops.adapt_datetimefield_value(b) for b in day_bounds(unit, start, end)
    )
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [unit.pk, since, until])
        row = cursor.fetchone()
    totals = {f"U{n}": (int(row[2 * n - 1] or 0), int(row[2 * n] or 0)) for n in range(1, 10)}
    return int(row[0]), totals


def _timed(fn, reps: int, warmup: int) -> tuple[list[float], object]:
    result = None
    samples = []
    for i in range(warmup + reps):
        started = time.perf_counter()
        result = fn()
        elapsed = (time.perf_counter() - started) * 1000
        if i >= warmup:
            samples.append(elapsed)
    return samples, result


def ikm(reps: int, warmup: int) -> dict:
    """The IKM of the measured unit over the year: the command's code path (call_command, in
    process, its JSON parsed) against the floor, checked equal to the hundredth."""
    from django.core.management import call_command

    from surveys.ikm import compute_ikm, round_half_up
    from units.models import Unit

    unit = Unit.objects.get(code=MEASURED_UNIT)
    start, end = _year()

    def command() -> dict:
        out = io.StringIO()
        # As on the command line: the arguments are parsed as the command parses them.
        call_command(
            "ikm",
            f"--unit={unit.code}",
            f"--start={start.isoformat()}",
            f"--end={end.isoformat()}",
            "--json",
            stdout=out,
        )
        return json.loads(out.getvalue())

    command_ms, report = _timed(command, reps, warmup)
    scans = min(reps, FLOOR_REPS), min(warmup, 1)
    floor_ms, (respondents, totals) = _timed(lambda: floor_totals(unit, start, end), *scans)
    floor = compute_ikm(totals, respondents=respondents)
    checks = {
        "respondents": (report["respondents"], respondents),
        "score": (report["score"], float(floor.score)),
        # The command prints its figures to 4 decimals (half up): the floor's exact figures
        # rounded the same way (rounding the printed figure again, to 2, could differ from
        # the exact one's rounding to 2: 3.45499… prints 3.4550).
        "ikm": (report["ikm"], float(round_half_up(Fraction(floor.ikm), 4))),
    }
    for e in report["elements"]:
        total, count = totals[e["code"]]
        exact = float(round_half_up(Fraction(total, count), 4))
        checks[f"nrr {e['code']}"] = (e["nrr"], exact)
    wrong = {k: v for k, v in checks.items() if v[0] != v[1]}
    if wrong:
        raise SystemExit(f"IKM from the tallies differs from the raw scan: {wrong}")
    every_unit = check_every_unit(start, end)
    return {
        "units_checked": every_unit,
        "unit": unit.code,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "respondents": respondents,
        "score": report["score"],
        "grade": report["grade"],
        "checked": sorted(checks),
        "command": summarize_ms(command_ms),
        "floor": summarize_ms(floor_ms),
    }


def rollups(reps: int, warmup: int) -> dict:
    """The organisation's roll-ups (bench/rollup_part.py) over the year and over the
    dashboard's default period (the current quarter), against the raw scan of the same rows."""
    from reports.periods import quarter_of

    from . import rollup_part

    start, end = _year()
    quarter = quarter_of(end)[0]
    trend_scans: dict = {}  # both periods end today: one trend, its quarters scanned once
    return {
        "year": rollup_part.measure(ORGANISATION, start, end, reps, warmup, trend_scans),
        "quarter": rollup_part.measure(ORGANISATION, quarter, end, reps, warmup, trend_scans),
    }


def pdfs(reps: int, warmup: int) -> dict:
    """The decree (SK) PDF, the report PDF and the reference letter rendered in this process,
    in turn (reference, decree, report: drift in the machine's load hits all three alike),
    each one's pages counted. The decree: a different issued decree each time, its snapshot
    and letter rendered as `cases.issuing` renders it when the SK is first downloaded (without
    storing it); the report: the dashboard's default period (the current quarter) as
    `reports.files` builds the file, figures gathered and rendered."""
    from django.utils import timezone

    from cases.issuing import verification_url
    from cases.letters import issued_decree_snapshot, render_letter
    from cases.models import Decree
    from reports.figures import gather
    from reports.periods import quarter_of
    from reports.render import report_pdf
    from units.models import Unit

    from .pages import pdf_pages, render_reference_letter

    unit = Unit.objects.get(code=MEASURED_UNIT)
    issued = list(Decree.objects.filter(unit=unit).order_by("pk"))
    decrees = issued[:: max(1, len(issued) // reps)][:reps]
    start, end = quarter_of(timezone.localdate())
    url = verification_url("A" * 24)

    def decree_pdf(decree) -> bytes:
        return render_letter(issued_decree_snapshot(decree), verification_url=url)

    def report() -> bytes:
        return report_pdf(gather(unit, start, end), show_officers=True, show_recovery=True)

    jobs = {
        "reference letter": lambda _i: render_reference_letter(),
        "decree pdf": lambda i: decree_pdf(decrees[i % len(decrees)]),
        "report pdf": lambda _i: report(),
    }
    samples: dict[str, list[float]] = {k: [] for k in jobs}
    pages: dict[str, list[int]] = {k: [] for k in jobs}
    for i in range(warmup + len(decrees)):
        for name, job in jobs.items():
            started = time.perf_counter()
            pdf = job(i)
            elapsed = (time.perf_counter() - started) * 1000
            if i >= warmup:
                samples[name].append(elapsed)
                pages[name].append(pdf_pages(pdf))
    out = {}
    for name in jobs:
        per_page = [ms / n for ms, n in zip(samples[name], pages[name], strict=True)]
        per = summarize_ms(per_page)
        out[name] = summarize_ms(samples[name]) | {
            "pages": pages[name],
            "pages_mean": round(sum(pages[name]) / len(pages[name]), 2),
            "per_page_p50_ms": per["p50_ms"],
            "per_page_p95_ms": per["p95_ms"],
        }
    if set(out["reference letter"]["pages"]) != {1}:
        raise SystemExit("the reference letter must be one page")
    return out | {"start": start.isoformat(), "end": end.isoformat()}


def check_every_unit(start: datetime.date, end: datetime.date) -> int:
    """Every unit's tallies over the year against its responses, sums and counts exactly equal
    (the import writes into another unit than the measured one): the daily tallies (what an
    IKM per service or officer reads), the unit's whole-day tallies, its whole months and
    edge days (its IKM and the roll-ups) and the tally of every profile answer (the profile
    table), and the flagged responses each counts (`flagged_differs`). Returns the units
    checked."""
    from surveys.ikm import EMPTY, period_sums, raw_totals, tallies, tally_sums, totals_of
    from surveys.models import DailyTally, UnitDayTally
    from units.models import Unit

    units = list(Unit.objects.all())
    for unit in units:
        raw = raw_totals(unit, start=start, end=end)
        kept = {
            "unit-day tallies": tallies(unit, start, end),
            "daily tallies": DailyTally.objects.filter(unit=unit, day__gte=start, day__lte=end),
        }
        for name, rows in kept.items():
            if totals_of(rows.aggregate(**tally_sums())) != raw:
                raise SystemExit(f"{unit.code}: the {name} differ from the responses")
        if period_sums(start, end, unit=unit).get((), EMPTY) != raw:
            raise SystemExit(f"{unit.code}: the unit-month tallies differ from the responses")
        stated = (
            UnitDayTally.objects.filter(unit=unit, day__gte=start, day__lte=end)
            .exclude(profile_field="")
            .values("profile_field", "profile_value")
            .annotate(**tally_sums())
            .order_by()
        )
        tallied = {(r["profile_field"], r["profile_value"]): totals_of(r) for r in stated}
        if tallied != raw_profile_totals(unit, start, end):
            raise SystemExit(f"{unit.code}: the profile tallies differ from the responses")
        differs = flagged_differs(unit, start, end)
        if differs:
            raise SystemExit(f"{unit.code}: the flagged counts of the {differs} differ")
    return len(units)


def flagged_differs(unit, start: datetime.date, end: datetime.date) -> str | None:
    """Which tallies' flagged counts (the poor ratings) differ from the responses of `unit`'s
    local days start..end, or None: the daily tallies per service type and officer (the
    dashboard's poor ratings), the whole days and each profile answer of the unit's day
    tallies; and whether its month rows hold their days' sums."""
    from django.db.models import Count, Sum

    from surveys.ikm import MonthStart, day_bounds
    from surveys.models import (
        PROFILE_FIELDS,
        DailyTally,
        SurveyResponse,
        UnitDayTally,
        UnitMonthTally,
    )

    since, until = day_bounds(unit, start, end)
    flagged = SurveyResponse.objects.filter(
        unit=unit, flagged=True, submitted_at__gte=since, submitted_at__lt=until
    )

    def kept(rows, *keys) -> dict:
        """{key: flagged} of the tally `rows` summed per `keys`, where any."""
        sums = rows.values_list(*keys).annotate(n=Sum("flagged")).order_by()
        return {tuple(row[:-1]): row[-1] for row in sums if row[-1]}

    def raw(rows, *keys) -> dict:
        counts = rows.values_list(*keys).annotate(n=Count("pk")).order_by()
        return {tuple(row[:-1]): row[-1] for row in counts}

    daily = DailyTally.objects.filter(unit=unit, day__gte=start, day__lte=end)
    if kept(daily, "service_type", "officer") != raw(flagged, "service_type", "officer"):
        return "daily tallies"
    days = UnitDayTally.objects.filter(unit=unit, day__gte=start, day__lte=end)
    if (days.filter(profile_field="").aggregate(n=Sum("flagged"))["n"] or 0) != flagged.count():
        return "unit-day tallies"
    stated = {}
    for name in PROFILE_FIELDS:
        for (value,), n in raw(flagged.exclude(**{name: ""}), name).items():
            stated[(name, value)] = n
    if kept(days.exclude(profile_field=""), "profile_field", "profile_value") != stated:
        return "profile tallies"
    keys = ("profile_field", "profile_value")
    by_month = UnitDayTally.objects.filter(unit=unit).annotate(month=MonthStart("day"))
    months = UnitMonthTally.objects.filter(unit=unit)
    if kept(months, "month", *keys) != kept(by_month, "month", *keys):
        return "unit-month tallies"
    return None


def raw_profile_totals(unit, start: datetime.date, end: datetime.date) -> dict:
    """{(field, answer): (respondents, {code: (sum, count)})} of every profile answer stated
    in `unit`'s responses of the local days start..end: one GROUP BY over the four fields,
    each combination's sums then added to each answer it states."""
    from django.db.models import Count, Sum

    from surveys.ikm import day_bounds
    from surveys.models import PROFILE_FIELDS, SurveyResponse
    from units.models import ELEMENT_CODES

    since, until = day_bounds(unit, start, end)
    sums: dict = {"respondents": Count("pk")}
    for code in ELEMENT_CODES:
        sums[f"{code}_sum"], sums[f"{code}_n"] = Sum(code.lower()), Count(code.lower())
    combinations = (
        SurveyResponse.objects.filter(unit=unit, submitted_at__gte=since, submitted_at__lt=until)
        .values(*PROFILE_FIELDS)
        .annotate(**sums)
        .order_by()
    )
    out: dict[tuple[str, str], tuple[int, dict]] = {}
    for row in combinations:
        for name in PROFILE_FIELDS:
            if not row[name]:
                continue
            n, totals = out.get((name, row[name]), (0, dict.fromkeys(ELEMENT_CODES, (0, 0))))
            out[(name, row[name])] = (
                n + row["respondents"],
                {
                    c: (totals[c][0] + (row[f"{c}_sum"] or 0), totals[c][1] + row[f"{c}_n"])
                    for c in ELEMENT_CODES
                },
            )
    return out


def count_queries(username: str, url: str) -> int:
    """The SQL queries of one GET of `url` as `username`, after a warm one; must answer 200."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from units.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    client.get(url)  # warm: the session, the caches
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    if resp.status_code != 200:
        raise SystemExit(f"GET {url} as {username} answered {resp.status_code}")
    return len(ctx.captured_queries)


def queries() -> dict:
    """How many SQL queries each measured page runs, at two data sizes (the measured unit and
    the whole organisation; the smallest unit and the smaller directorate general), and the
    ids of decrees to render; also the logins the HTTP measurements use."""
    from cases.models import Decree
    from organisations.models import Organisation
    from surveys.models import SurveyResponse
    from units.models import Unit

    unit = Unit.objects.get(code=MEASURED_UNIT)
    small = Unit.objects.get(code=SMALL_UNIT)
    counts, small_counts = {}, {}
    for name, url in pages().items():
        counts[name] = count_queries(PAGE_READER.get(name, f"{MEASURED_UNIT}-head"), url)
        small_url = SMALL_PAGES.get(name, url)
        small_counts[name] = count_queries(PAGE_READER.get(name, f"{SMALL_UNIT}-head"), small_url)
    small_org = Organisation.objects.get(code=SMALL_ORGANISATION).units_below()
    issued = list(Decree.objects.filter(unit=unit).order_by("pk").values_list("case_id", flat=True))
    decrees = issued[:: max(1, len(issued) // 40)][:40]  # spread over the year, reproducibly
    return {
        "pages": pages(),
        "queries": counts,
        "small_queries": small_counts,
        "data_sizes": {
            "large": {
                "unit": unit.code,
                "responses": SurveyResponse.objects.filter(unit=unit).count(),
                "organisation": ORGANISATION,
                "organisation_responses": SurveyResponse.objects.count(),
            },
            "small": {
                "unit": small.code,
                "responses": SurveyResponse.objects.filter(unit=small).count(),
                "organisation": SMALL_ORGANISATION,
                "organisation_responses": SurveyResponse.objects.filter(unit__in=small_org).count(),
            },
        },
        "decree_cases": decrees,
        "unit": unit.code,
        "sizes": sizes(unit),
    }


def sizes(unit) -> dict[str, int]:
    """How much data the measured pages stand on, at the moment they are measured."""
    from cases.models import Case
    from surveys import daily
    from surveys.models import SurveyResponse

    day = _year()[1] - datetime.timedelta(days=1)
    return {
        "responses": SurveyResponse.objects.count(),
        "unit_responses": SurveyResponse.objects.filter(unit=unit).count(),
        "day_answers": daily.responses_on(unit, day).count(),
        "day_flagged": daily.flagged_on(unit, day).count(),
        "cases": Case.objects.count(),
        "unit_cases": Case.objects.filter(unit=unit).count(),
    }


def pages() -> dict[str, str]:
    """The pages measured, as a head of the measured unit opens them."""
    yesterday = _year()[1] - datetime.timedelta(days=1)  # a whole day of answers
    return {
        "dashboard": "/laporan/",
        "daily check": f"/harian/?day={yesterday.isoformat()}",
        "case list": "/kasus/",
        "organisation dashboard": f"/organisasi/{ORGANISATION}/",
    }


# Who opens each page (the head of the unit, unless named here), and the page at the smaller
# data size where its URL names what it shows.
PAGE_READER = {"organisation dashboard": ORGANISATION_LEADER}
SMALL_PAGES = {"organisation dashboard": f"/organisasi/{SMALL_ORGANISATION}/"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pulih_inproc")
    parser.add_argument("part", choices=["prepare", "ikm", "rollups", "pdfs", "queries"])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args(argv)
    _setup()
    if args.part == "prepare":
        result = prepare(args.responses, args.cases)
    elif args.part == "ikm":
        result = ikm(args.reps, args.warmup)
    elif args.part == "rollups":
        result = rollups(args.reps, args.warmup)
    elif args.part == "pdfs":
        result = pdfs(args.reps, args.warmup)
    else:
        result = queries()
    print(json.dumps(result, default=str), flush=True)
    return 0


__all__ = ["PASSWORD", "main", "pages"]

if __name__ == "__main__":
    sys.exit(main())
