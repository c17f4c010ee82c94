"""Survey submissions over HTTP through gunicorn on 127.0.0.1 at 32 connections (issue 8).

`run_submit` drives wrk (Debian's package) against two URLs of the same gunicorn server,
same settings and middleware:

- Pulih's survey API, `POST /api/v1/surveys/<token>/` with a JSON answer, the path a customer's
  answer takes from an app (the web form's POST runs the same `surveys.services.submit_survey`).
  A Lua script hands every request a different token (fresh service records created in bulk
  before the run), so each request stores one response, its tally and, for one in
  FLAG_EVERY, the case or improvement item its poor rating opens;
- the floor: `POST /bench/floor/<token>/` (bench/floor.py, mounted only by the bench's
  own settings, bench/settings.py), a minimal Django view that parses the same body and
  inserts one row.

Every answer's status is counted (non-2xx is reported, never hidden) and the rows stored are
counted in the database before and after, so a 201 that did not store is caught.

Everything that touches the database runs in a subprocess with that DATABASE_URL (the caller
may have set up Django for another database). Standalone:
`python -m bench.submit_rate --db sqlite|postgres` migrates and seeds its own database
(var/bench-submit/ or PostgreSQL `pulih_h_submit`) first.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from reliability.server import Server, free_port

from .pulih_db import django_env, run_json
from .report import ROOT, Figure, format_machine, format_table, machine_info, today

VAR = ROOT / "var" / "bench-submit"
SECTION_TITLE = "Survey submissions over HTTP"
TARGET = "≥ 33 % of floor rps, p99 ≤ 100 ms"
TARGET_SHARE = 0.33
TARGET_P99_MS = 100.0
SURVEY_PATH = "/api/v1/surveys/"
FLOOR_PATH = "/bench/floor/"
# One answer in FLAG_EVERY scores U1 (an officer's element) "kurang": it opens a case, as a
# customer's poor rating does. The others answer 3 or 4 everywhere.
FLAG_EVERY = 20
# The gunicorn configuration measured (and used by `make run`): see GUNICORN_WHY.
WORKERS = 3
THREADS = 1
WORKER_CLASS = "sync"
GUNICORN_WHY = (
    "3 synchronous workers (2 CPUs + 1, as `make run` already starts): a submission is Python "
    "CPU time plus short waits on the database, so a third process keeps both CPUs busy while "
    "one waits, and more processes only add switching on 2 CPUs (4 workers measured no "
    "better). gthread (2 workers × 4 threads, keep-alive) measured the same share of its floor "
    "within the noise, with a higher p99 (GIL contention), so the simpler sync worker stays. "
    "With SQLite every writer queues on the one write lock whatever the workers."
)
Log = Callable[[str], None]

LUA = r"""
-- bench/submit_rate.py: POST a JSON answer to <prefix><token>/, every request a new token.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  prefix = args[1]
  nthreads = tonumber(args[3])
  flag_every = tonumber(args[4])
  tokens = {}
  for line in io.lines(args[2]) do tokens[#tokens + 1] = line end
  i = tid + 1
  sent = 0
  wrapped = 0
  statuses = {}
  plain = '{"answers": {"U1": 4, "U2": 3, "U3": 4, "U4": 4, "U5": 3, "U6": 4, "U7": 4, '
    .. '"U8": 3, "U9": 4}, "comment": ""}'
  poor = '{"answers": {"U1": 2, "U2": 3, "U3": 4, "U4": 4, "U5": 3, "U6": 4, "U7": 4, '
    .. '"U8": 3, "U9": 4}, "comment": "Petugas kurang ramah."}'
  headers = {["Content-Type"] = "application/json"}
end

function request()
  if tokens[i] == nil then
    wrapped = wrapped + 1  -- out of fresh tokens: the server answers 409, counted below
    i = tid + 1
  end
  local token = tokens[i]
  i = i + nthreads
  sent = sent + 1
  local body = plain
  if flag_every > 0 and sent % flag_every == 0 then body = poor end
  return wrk.format("POST", prefix .. token .. "/", headers, body)
end

function response(status, hdrs, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local agg, wrapped_all = {}, 0
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do agg[tostring(k)] = (agg[tostring(k)] or 0) + v end
    wrapped_all = wrapped_all + t:get("wrapped")
  end
  local parts = {}
  for k, v in pairs(agg) do parts[#parts + 1] = string.format('"%s": %d', k, v) end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "timeouts": %d, "non_2xx_3xx": %d, '
      .. '"wrapped": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.timeout, e.status, wrapped_all, table.concat(parts, ", ")))
end
"""


def _log(msg: str) -> None:
    print(msg, flush=True)


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise RuntimeError(
            "wrk is not installed: `apt-get install wrk` (Debian's package); "
            "the submission benchmark drives gunicorn with it"
        )
    return path


# --- steps that need Django, run in a subprocess with the database's URL ---------------------


def _step(database_url: str, *args: str) -> dict:
    """Run `python -m bench.submit_rate --step ...` against database_url; its JSON answer."""
    return run_json(["-m", "bench.submit_rate", *args], server_env(database_url, floor=True))


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulih.settings")
    import django

    django.setup()


def _counts(unit_code: str, tokens_file: str | None) -> dict:
    from django.db.models import Sum

    from bench import floor as benchfloor
    from cases.models import Case
    from surveys.models import DailyTally, ImprovementItem, SurveyResponse, UnitDayTally
    from units.models import Unit

    unit = Unit.objects.get(code=unit_code)
    out = {
        "responses": SurveyResponse.objects.filter(unit=unit).count(),
        "tally_respondents": DailyTally.objects.filter(unit=unit).aggregate(n=Sum("respondents"))[
            "n"
        ]
        or 0,
        "day_tally_respondents": UnitDayTally.objects.filter(unit=unit, profile_field="").aggregate(
            n=Sum("respondents")
        )["n"]
        or 0,
        "cases": Case.objects.filter(unit=unit, survey_response__isnull=False).count(),
        "improvement_items": ImprovementItem.objects.filter(unit=unit).count(),
        "floor_rows": benchfloor.count_rows(),
    }
    if tokens_file:
        tokens = Path(tokens_file).read_text().split()
        answered = 0
        for i in range(0, len(tokens), 500):
            answered += SurveyResponse.objects.filter(
                service_record__survey_token__in=tokens[i : i + 500]
            ).count()
        out["answered_tokens"] = answered
    return out


def step_prepare(unit_code: str, count: int, tokens_file: str) -> dict:
    """`count` fresh service records of the unit (its officers and active service types in
    turn), served in the last hour, their tokens written one a line to tokens_file."""
    import datetime

    from django.utils import timezone

    from bench import floor as benchfloor
    from surveys.models import ServiceRecord
    from surveys.services import store_records, unit_officers
    from units.models import ServiceType, Unit

    benchfloor.create_table()
    unit = Unit.objects.get(code=unit_code)
    officers = list(unit_officers(unit))
    services = list(ServiceType.objects.filter(unit=unit, active=True).order_by("pk"))
    if not officers or not services:
        raise RuntimeError(f"unit {unit_code} needs officers and service types")
    now = timezone.now()
    started = time.monotonic()
    records = [
        ServiceRecord(
            unit=unit,
            service_type=services[i % len(services)],
            officer=officers[i % len(officers)],
            customer_name="Pelanggan bench",
            served_at=now - datetime.timedelta(seconds=i % 3600),
        )
        for i in range(count)
    ]
    store_records(unit, records)
    Path(tokens_file).write_text("\n".join(r.survey_token for r in records) + "\n")
    return {
        "created": count,
        "seconds": round(time.monotonic() - started, 2),
        "officers": len(officers),
        "service_types": len(services),
        **_counts(unit_code, None),
    }


def step_setup(unit_code: str) -> dict:
    """Standalone only: migrate, load the standard, give the unit officers and services."""
    from django.core.management import call_command

    from units.models import Membership, Role, ServiceType, Unit, User

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_standard", verbosity=0)
    unit = Unit.objects.get(code=unit_code)
    for i in range(1, 4):
        user, _ = User.objects.get_or_create(
            username=f"petugas-bench-{i}", defaults={"full_name": f"Petugas Bench {i}"}
        )
        Membership.objects.get_or_create(user=user, unit=unit, role=Role.OFFICER)
    for code, name in (("informasi", "Layanan informasi"), ("konsultasi", "Konsultasi")):
        ServiceType.objects.get_or_create(unit=unit, code=code, defaults={"name": name})
    return {"unit": unit.code}


# --- the server and the load -----------------------------------------------------------------


def server_env(database_url: str, floor: bool = True) -> dict[str, str]:
    """The bench's environment (throttles off), with the floor view mounted or not."""
    settings = "bench.settings" if floor else "pulih.settings"
    return django_env(database_url, DJANGO_SETTINGS_MODULE=settings)


def gunicorn_args(workers: int, threads: int, worker_class: str) -> list[str]:
    args = ["--workers", str(workers), "--worker-class", worker_class]
    if worker_class == "gthread":
        args += ["--threads", str(threads)]
    return args + ["--timeout", "30", "--graceful-timeout", "5", "--backlog", "2048"]


def run_wrk(
    url_base: str,
    prefix: str,
    tokens_file: Path,
    duration_s: int,
    connections: int,
    threads: int = 2,
    flag_every: int = FLAG_EVERY,
) -> dict:
    script = VAR / "submit.lua"
    script.write_text(LUA)
    cmd = [
        wrk_path(),
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{duration_s}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(script),
        url_base,
        "--",
        prefix,
        str(tokens_file),
        str(threads),
        str(flag_every),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration_s + 60, check=False)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("WRKJSON ")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    raw = json.loads(lines[-1][len("WRKJSON ") :])
    seconds = raw["duration_us"] / 1e6
    ok = sum(v for k, v in raw["statuses"].items() if k.startswith("2"))
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "rps": round(raw["requests"] / seconds, 1),
        "ok": ok,
        "ok_rps": round(ok / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p90_ms": round(raw["p90_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "statuses": dict(sorted(raw["statuses"].items())),
        "socket_errors": {
            k: raw[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
        },
        "token_wraps": raw["wrapped"],
        "wrk_text": out.stdout.split("WRKJSON")[0].strip(),
    }


def strip(r: dict) -> dict:
    return {k: v for k, v in r.items() if k != "wrk_text"}


def merge_rounds(rounds: list[dict]) -> dict:
    """One figure from the rounds: rps over the summed time; latency percentiles are the
    median of the rounds' (wrk cannot merge histograms), the worst round's p99 kept too."""
    from statistics import median

    seconds = sum(r["seconds"] for r in rounds)
    requests = sum(r["requests"] for r in rounds)
    ok = sum(r["ok"] for r in rounds)
    statuses: dict[str, int] = {}
    for r in rounds:
        for k, v in r["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
    errors = {k: sum(r["socket_errors"][k] for r in rounds) for k in rounds[0]["socket_errors"]}
    return {
        "requests": requests,
        "seconds": round(seconds, 2),
        "rps": round(requests / seconds, 1),
        "ok": ok,
        "ok_rps": round(ok / seconds, 1),
        "p50_ms": round(median(r["p50_ms"] for r in rounds), 1),
        "p90_ms": round(median(r["p90_ms"] for r in rounds), 1),
        "p99_ms": round(median(r["p99_ms"] for r in rounds), 1),
        "worst_p99_ms": max(r["p99_ms"] for r in rounds),
        "max_ms": max(r["max_ms"] for r in rounds),
        "statuses": dict(sorted(statuses.items())),
        "socket_errors": errors,
        "token_wraps": sum(r["token_wraps"] for r in rounds),
    }


def _warm(url_base: str, prefix: str, tokens: list[str], log: Log) -> dict:
    """A few requests through every worker before timing (imports, database connections)."""
    import http.client
    from collections import Counter

    host, port = url_base.rsplit("//", 1)[1].split(":")
    statuses: Counter = Counter()
    body = json.dumps({"answers": {"U1": 4, "U2": 3}, "comment": ""}).encode()
    conns = [http.client.HTTPConnection(host, int(port), timeout=30) for _ in range(8)]
    for n, token in enumerate(tokens):
        conn = conns[n % len(conns)]
        conn.request(
            "POST", f"{prefix}{token}/", body=body, headers={"Content-Type": "application/json"}
        )
        resp = conn.getresponse()
        resp.read()
        statuses[resp.status] += 1
    for conn in conns:
        conn.close()
    return dict(statuses)


def run_submit(
    database_url: str,
    unit_code: str,
    log: Log = _log,
    duration_s: int = 10,
    connections: int = 32,
    *,
    workers: int = WORKERS,
    threads: int = THREADS,
    worker_class: str = WORKER_CLASS,
    wrk_threads: int = 2,
    max_rps: int = 1500,
    rounds: int = 5,
) -> dict:
    """Measure survey submissions and the floor against one database; return the figures.

    The database must be migrated and hold unit `unit_code` with the standard loaded, active
    service types and officers. Creates `duration_s * max_rps` fresh service records in that
    unit (their tokens run out only above max_rps: the extra answers are then 409 and
    reported); the responses (and their tallies, improvement items or cases) stay in the
    database, so run it after the figures that read the data set. The floor's table
    (`bench_floor_row`) is created for the run and dropped after it.
    """
    started = time.monotonic()
    wrk_path()
    VAR.mkdir(parents=True, exist_ok=True)
    vendor = "postgresql" if database_url.startswith("postgres") else "sqlite"
    tokens_file = VAR / f"tokens-{vendor}.txt"
    warm_file = VAR / f"tokens-{vendor}-warm.txt"
    segment_s = max(1, round(duration_s / rounds))
    count = segment_s * rounds * max_rps
    log(f"  submit[{vendor}]: {count:,} fresh service records …")

    def prepare(records: int, path: Path) -> dict:
        args = ["--step", "prepare", "--unit", unit_code, "--count", str(records)]
        return _step(database_url, *args, "--tokens", str(path))

    prepare(200, warm_file)
    prepared = prepare(count, tokens_file)
    log(f"    created in {prepared['seconds']} s")
    tokens = tokens_file.read_text().split()
    per = len(tokens) // rounds
    parts = []
    for i in range(rounds):
        part = VAR / f"tokens-{vendor}-{i + 1}.txt"
        part.write_text("\n".join(tokens[i * per : (i + 1) * per]) + "\n")
        parts.append(part)
    server = Server(
        server_env(database_url, floor=True),
        free_port(),
        log=VAR / "gunicorn.log",
        gunicorn_args=gunicorn_args(workers, threads, worker_class),
    )
    server.start()
    try:
        warm_tokens = warm_file.read_text().split()
        warm_statuses = {
            "survey": _warm(server.url, SURVEY_PATH, warm_tokens, log),
            "floor": _warm(server.url, FLOOR_PATH, warm_tokens, log),
        }
        before = _step(database_url, "--step", "count", "--unit", unit_code)
        log(
            f"  submit[{vendor}]: survey API and floor, {connections} connections, "
            f"{rounds} alternating rounds of {segment_s} s each …"
        )
        survey_rounds, floor_rounds = [], []
        for i, part in enumerate(parts):
            # Alternate which goes first (ABBA…) so drift in the machine's load hits both.
            order = [(SURVEY_PATH, survey_rounds), (FLOOR_PATH, floor_rounds)]
            for path, results in order if i % 2 == 0 else order[::-1]:
                results.append(run_wrk(server.url, path, part, segment_s, connections, wrk_threads))
            log(
                f"    round {i + 1}: survey {survey_rounds[-1]['ok_rps']} rps "
                f"p99 {survey_rounds[-1]['p99_ms']} ms, floor {floor_rounds[-1]['ok_rps']} rps "
                f"p99 {floor_rounds[-1]['p99_ms']} ms"
            )
        after = _step(
            database_url, "--step", "count", "--unit", unit_code, "--tokens", str(tokens_file)
        )
    finally:
        server.stop()
        _step(database_url, "--step", "drop-floor", "--unit", unit_code)
    survey, floor = merge_rounds(survey_rounds), merge_rounds(floor_rounds)
    survey["stored"] = after["responses"] - before["responses"]
    survey["answered_tokens"] = after["answered_tokens"]
    survey["tally_added"] = after["tally_respondents"] - before["tally_respondents"]
    survey["day_tally_added"] = after["day_tally_respondents"] - before["day_tally_respondents"]
    survey["cases_opened"] = after["cases"] - before["cases"]
    survey["improvement_items"] = after["improvement_items"] - before["improvement_items"]
    floor["stored"] = after["floor_rows"] - before["floor_rows"]
    share = survey["ok_rps"] / floor["ok_rps"] if floor["ok_rps"] else 0.0
    problems = []
    for name, r in (("survey", survey), ("floor", floor)):
        if r["ok"] != r["requests"]:
            problems.append(f"{name}: {r['requests'] - r['ok']} answers were not 2xx")
        # wrk stops with up to one request per connection in flight: the server may store
        # those without wrk counting their answer. Fewer rows than 201s is never acceptable.
        r["in_flight_at_end"] = r["stored"] - r["ok"]
        if not 0 <= r["in_flight_at_end"] <= connections * rounds:
            problems.append(f"{name}: {r['ok']} answered 2xx but {r['stored']} rows stored")
        if any(r["socket_errors"].values()):
            problems.append(f"{name}: socket errors {r['socket_errors']}")
    if survey["answered_tokens"] != survey["stored"]:
        problems.append(
            f"survey: {survey['stored']} responses stored, {survey['answered_tokens']} tokens "
            "of the run answered"
        )
    for name, grew in (("daily", "tally_added"), ("unit-day", "day_tally_added")):
        if survey[grew] != survey["stored"]:
            problems.append(
                f"survey: {survey['stored']} responses but the {name} tallies grew by "
                f"{survey[grew]}"
            )
    return {
        "db": vendor,
        "unit": unit_code,
        "date": today(),
        "machine": machine_info(),
        "gunicorn": {"workers": workers, "threads": threads, "worker_class": worker_class},
        "gunicorn_args": gunicorn_args(workers, threads, worker_class),
        "duration_s": duration_s,
        "rounds": rounds,
        "segment_s": segment_s,
        "survey_rounds": [strip(r) for r in survey_rounds],
        "floor_rounds": [strip(r) for r in floor_rounds],
        "connections": connections,
        "wrk_threads": wrk_threads,
        "flag_every": FLAG_EVERY,
        "tokens": count,
        "warmup_statuses": warm_statuses,
        "survey": survey,
        "floor": floor,
        "share": round(share, 3),
        "met": bool(share >= TARGET_SHARE and survey["p99_ms"] <= TARGET_P99_MS and not problems),
        "problems": problems,
        "elapsed_s": round(time.monotonic() - started, 1),
    }


# --- figures and the docs section ------------------------------------------------------------


def figures(run: dict | list[dict]) -> list[Figure]:
    """Per database: the floor (no target) and the survey API against it. p50/p95 columns
    hold the latency median and p99 (wrk reports p50/p75/p90/p99)."""
    runs = run if isinstance(run, list) else [run]
    out: list[Figure] = []
    for r in runs:
        s, f = r["survey"], r["floor"]
        out.append(
            Figure(
                name=f"submission floor, {r['db']}",
                p50_ms=f["p50_ms"],
                p95_ms=f["p99_ms"],
                note=f"{f['ok_rps']:,.0f} rps; latency columns p50/p99",
            )
        )
        out.append(
            Figure(
                name=f"survey submission, {r['db']}",
                p50_ms=s["p50_ms"],
                p95_ms=s["p99_ms"],
                target=TARGET,
                reference=f"floor {f['ok_rps']:,.0f} rps",
                ratio=r["share"],
                met=r["met"],
                note=f"{s['ok_rps']:,.0f} rps = {r['share']:.0%} of floor; latency p50/p99",
            )
        )
    return out


# Measured with this module (5 alternating rounds of 2 s, 32 connections, throttles off) on
# the 2-CPU machine shared with two other sessions, 2026-11-24, at the load averages shown.
BEFORE_AFTER_ROWS = {
    "sqlite": [
        "| SQLite | before (main 34306bb) | 259 | 466 | 1,626 | 16 % |",
        "| SQLite | after fixes 1–3, 5 (load average 4.7) | 415 | 122 | 965 | 43 % |",
        "| SQLite | after fixes 1–3, 5 (load average 2.7) | 764 | 59 | 1,740 | 44 % |",
        "| SQLite | after all fixes (load average 3.5) | 792 | 68 | 1,729 | 46 % |",
    ],
    "postgresql": [
        "| PostgreSQL | before (main 34306bb) | 85 | 596 | 432 | 20 % |",
        "| PostgreSQL | after fixes 1–3, 5 (load average 4.7) | 309 | 148 | 602 | 51 % |",
        "| PostgreSQL | after fixes 1–3, 5 (load average 2.7) | 462 | 98 | 990 | 47 % |",
        "| PostgreSQL | after all fixes (load average 3.5) | 550 | 98 | 890 | 62 % |",
    ],
}
BEFORE_AFTER_HEAD = """
**Before and after the fixes** (same harness, same machine, same day; the machine was shared,
so compare each share with its own floor rather than across rows):

| database | code | survey rps | survey p99 ms | floor rps | share of floor |
|---|---|--:|--:|--:|--:|
"""
BEFORE_AFTER = """
Per request, in one process (CPU time, SQLite, no network): on 2026-11-24, through Django's
test client, the survey POST went from about 3.2 ms to 0.85 ms of CPU, the floor taking
0.26–0.31 ms. On 2026-12-02, with `python -m bench.submit_cpu` (Django's WSGI handler, the
bench's settings, medians of 10 alternating rounds; the machine shared, so compare each
survey figure with its own floor): the survey answer about 1.4 ms of CPU against the
floor's 0.37 ms before fixes 11–13 below (the floor's share 21–22 %), 26–27 % after them.

What changed on 2026-11-24, and why:

1. **The write transaction holds only the writes.** `submit_survey` used to take the write
   lock first (`select_for_update` inside `atomic`; on SQLite every transaction begins
   IMMEDIATE) and then read the record, check its state, validate and compute the flags with
   the lock held. Now the record, whether it is answered and the unit's flag settings are
   read in one query outside any transaction, everything that needs no database is computed,
   and only then does the transaction start: INSERT the response, add it to its tally, open
   the improvement item if the rating is poor, COMMIT. One answer per token is still
   guaranteed by the database (the response's one-to-one to its record is unique): a second
   answer racing the first fails its INSERT and is answered 409, as before.
2. **The tally is one statement.** The per-day tally was an ORM `update()` with 19 `F()`
   expressions (compiled again on every response, the single most expensive step) followed,
   for a new key, by a savepoint, an INSERT and a retry. It is now one
   `INSERT … ON CONFLICT (unit, day, COALESCE(service type, 0), COALESCE(officer, 0)) DO
   UPDATE` on the key's unique index (surveys/tally.py): no read, no savepoint, no retry.
   (On PostgreSQL an unflagged response and its tally then went in one statement; the one
   write path below took that out.)
3. **No ORM compilation on the hot path** (taken out by the one write path, below): the token
   lookup and the response INSERT were statements prepared once from the models' metadata.
4. **Plain bodies skip the serializer.** `SurveyIn` cost as much as the rest of the view
   (about 0.15 ms of CPU in place). A body that is an object of answers (numbers or text)
   with an optional text comment is taken as it is (the comment trimmed), which is exactly
   what `SurveyIn` returns for it (a property test checks that); anything else still goes
   through `SurveyIn`, with its errors.
5. **`gc.freeze()` in `pulih/wsgi.py`** after the application is loaded: each garbage
   collection walks only what requests create, not Django and the apps (about 10 % of the
   survey's CPU time in the test client).
6. **The benchmark itself:** the first cut lifted the throttle with a huge rate
   (`100000000/minute`). DRF's throttle keeps every request's timestamp of the window in the
   cache and re-pickles that list on every request, so the survey got slower the longer the
   run lasted. Rates now accept `off` (`SURVEY_RATE=off`), used only by this benchmark.
   Under production rates (30/minute per address) the list stays short.

**One write path (2026-12-01) and after (2026-12-02).** Every answer (form, API, import) is
now stored by `surveys.services`: `submit_survey` → `submit_response` → `store_responses`,
the ORM for reads and inserts (`save()` for one answer), the tally upsert the one piece of raw
SQL. That took out fix 3 and the PostgreSQL statement of fix 2, and the survey fell to about
23 % of its floor. Where the time went (bench.submit_cpu, cProfile, statements counted): the
token lookup, `select_related("unit")` (all of the unit's columns, walked field by field to
compile the query and to build the instance) with an `Exists` annotation for "answered",
built and compiled on every answer, took 0.9 ms of the 2.1 ms; the response's `save()`
0.25–0.35 ms; two nested atomic blocks; the URL resolver tried 32 patterns of /api/v1/ before
the survey's; DRF's content negotiation parsed an Accept header nobody sent. No query was
added (one SELECT, then INSERT, tally upsert, improvement item when poor, COMMIT), no signal
fires, and the profile lists are not read when no profile is sent. Fixed within the one
write path:

7. **One row for the token.** `record_for_token` reads the record's keys and service time,
   the unit's flag threshold, flagged elements and time zone, and whether the record is
   answered (the key of its response, through the reverse one-to-one) in one `values_list`
   query whose joins are resolved once per process; the record and its partly loaded unit are
   built by `Model.from_db`, as the ORM builds any deferred instance (another field of the
   unit loads when read: a query more, never a wrong value; a test holds an answer to one
   SELECT). Two thirds of the CPU of `select_related` with `only()`, under half of the old
   lookup's.
8. **One atomic block** in `submit_response` (a savepoint only inside a caller's own
   transaction), and no call for improvement items when nothing is flagged.
9. **The satisfaction endpoints are the first patterns of /api/v1/.**
10. **Content negotiation** (`api.conventions.Negotiation`): DRF's, except that a request
   asking for nothing (no Accept header or `*/*`, no format) gets the view's first renderer
   without parsing; a property test holds it to DRF's own answers.

What still separates the survey from the floor is the write path's own work, not Python
glue: the ORM compiles the token's SELECT (two joins) and the response's INSERT (22 columns)
on every answer, about 0.3 ms of CPU each in place, then the transaction (BEGIN, COMMIT) and
the tally upsert; DRF's request, parser and renderer add about 0.1 ms. On PostgreSQL that is
five round trips (SELECT, BEGIN, INSERT, upsert, COMMIT) where the floor makes one, each
costing CPU on both sides of the socket on this 2-CPU machine (and both make the
connection's health check, one `SELECT 1` per request). A second tally table adds one
upsert per answer (measured above as "budget": the same statement once more).

**2026-12-02, second look.** Production opened a database connection per request
(`CONN_MAX_AGE` defaulted to 0; this benchmark set 600). Per answer, in one process with
the machine loaded (bench.submit_cpu), that cost 6.7 ms of CPU instead of 2.5 ms on SQLite
(a new connection reads the schema again; the floor 4.3 ms instead of 0.37 ms) and 5.3 ms
instead of 3.4 ms on PostgreSQL, plus the wait for a new backend. The default is now 600 s,
and the benchmark takes production's. Measured and not kept: both
tallies in one PostgreSQL statement (a data-modifying WITH; one round trip less, no CPU
saved on either side within the noise), and queueing SQLite's writers on a lock file
instead of SQLite's busy handler (which sleeps 1, 2, 5, 10 … ms: BEGIN's 90th percentile was
8–24 ms under three writers), which gave no more answers per second and a worse p99 on
the loaded machine. On PostgreSQL every answer of a unit's day updates the same whole-day
row of `UnitDayTally`, so its lock passes from answer to answer only at each COMMIT (a WAL
flush): with three writers on one unit that upsert waited 3.0 ms at the median where the
daily one waited 0.6 ms, and 1.0 ms with `synchronous_commit=off` (not adopted: a crash
could then lose answers already confirmed). The benchmark answers for one unit, so it
meets this wait on every answer; a real unit gets a few answers a minute.

**2026-12-02, third look (issue 18's target of 33 %).** Where an answer's time went, in
process (bench.submit_cpu's harness, cProfile on CPU time, and on PostgreSQL the backend's
own CPU read from /proc around every statement): on PostgreSQL the server spent 1.4 ms per
answer against the floor's 0.3 ms, parsing and planning every statement again (the token's
SELECT alone 0.32 ms: Django binds parameters on the client); on both databases compiling
the token's SELECT cost the client more than running it (0.2 ms on SQLite, 0.35 ms on
PostgreSQL); on SQLite, Django turned each tally upsert's positional parameters into the
driver's with a regular expression over its 1.6 KB of text (22 µs, three per answer). Within
the one write path:

11. **Prepared statements for the answer on PostgreSQL** (`pulih.lib.prepared`): inside
   `submit_survey` and `submit_response` the connection binds parameters on the server and
   psycopg prepares each statement the second time it runs on the connection (Django's own
   ServerBindingCursor; the rest of Pulih keeps client-side binding). The same statements;
   the server's CPU per answer 1.42 → 0.98 ms (token SELECT 0.32 → 0.11 ms).
12. **The token's row read by the SQL the ORM compiled for it once** per connection
   (`pulih.lib.compiled.CompiledRead`: the same `values_list`, its SQL and the ORM's own
   converters kept, the token put in its marker's place; nothing written this way, unlike
   fix 3): `record_for_token` 270 → 62 µs on SQLite, 530 → 235 µs on PostgreSQL.
13. **A response's three tally upserts in one PostgreSQL statement** (data-modifying WITHs,
   one round trip less; PostgreSQL runs the main statement, then the WITHs last first: the
   lock order of before), and named parameters for SQLite's one-row upserts (one string
   formatting instead of the regular expression).

In process, client and server CPU together, the floor's share went from 21–22 % to 26–27 % on
SQLite and from 24–25 % to 31–37 % on PostgreSQL (machine shared, load average 5–8). Over HTTP
(bench.submit_rate's run on the kept bench sets, main's tree and this one in turn at load
average 8–9, which flatters every share; a quiet run is still to be made): SQLite 33 % and 37 %
→ 40 % and 41 %, PostgreSQL 37 % → 44 %. What remains: the response's `save()` (about 0.15 ms
on SQLite, 0.33 ms on PostgreSQL with its round trip), the transaction (on PostgreSQL psycopg
sends BEGIN as a round trip of its own; COMMIT checks the response's four foreign keys and
flushes the WAL), DRF's request, parser and renderer (about 0.13 ms), and on SQLite the WAL
frames of the pages an answer changes (the response's table and six indexes, three tally rows).
Measured and not kept: without the response's single-column indexes on unit (covered by
`response_unit_submitted`), officer and service type, SQLite's share rose 27 → 29 % (PostgreSQL
within the noise); the officer and service-type indexes serve the PROTECT checks when a user or
a service type is deleted.
"""


def section(run: dict | list[dict]) -> str:
    runs = run if isinstance(run, list) else [run]
    first = runs[0]
    rows = [
        "| database | URL | rps (2xx) | p50 ms | p90 ms | p99 ms | max ms | statuses | rows "
        "stored | share of floor | met |",
        "|---|---|--:|--:|--:|--:|--:|---|--:|--:|:-:|",
    ]
    for r in runs:
        for name, m in (("survey API", r["survey"]), ("floor", r["floor"])):
            is_survey = name == "survey API"
            rows.append(
                f"| {r['db']} | {name} | {m['ok_rps']:,.0f} | {m['p50_ms']} | {m['p90_ms']} | "
                f"{m['p99_ms']} | {m['max_ms']} | "
                f"{', '.join(f'{k}: {v}' for k, v in m['statuses'].items())} | {m['stored']:,} | "
                + (
                    f"{r['share']:.0%} | {'yes' if r['met'] else '**NO**'} |"
                    if is_survey
                    else "— | — |"
                )
            )
    problems = [f"- {r['db']}: {p}" for r in runs for p in r["problems"]]
    extra = []
    for r in runs:
        s = r["survey"]
        extra.append(
            f"- {r['db']}: {s['stored']:,} responses stored for {s['ok']:,} answers 201, "
            f"tallies grew by {s['tally_added']:,} respondents, {s['cases_opened']:,} cases "
            f"and {s['improvement_items']:,} improvement items opened by the poor ratings; "
            f"{r['floor']['stored']:,} floor rows for "
            f"{r['floor']['ok']:,} answers 201; {r['elapsed_s']} s for this database."
        )
    text = f"""Measured {first["date"]} on {format_machine(first["machine"])}.

**Method.** gunicorn `pulih.wsgi` on 127.0.0.1 with `{" ".join(first["gunicorn_args"])}`,
`DEBUG=0`, the production middleware, persistent database connections (`CONN_MAX_AGE`), and
the per-address throttles off for this run (`SURVEY_RATE=off`: all the load comes from one
address). wrk (`-t{first["wrk_threads"]} -c{first["connections"]} --latency`) POSTs a JSON
answer to `/api/v1/surveys/<token>/`; its Lua script gives every request a fresh token of
{first["tokens"]:,} service records created in bulk beforehand, and one answer in
{first["flag_every"]} rates U1 "kurang", which opens a case or an improvement item (as the
unit's flagged elements say), as a real poor rating does. Survey and floor run in
{first["rounds"]} alternating rounds of {first["segment_s"]} s each (ABBA order, so drift
in the machine's load hits both); rps is over the summed time, latencies are the median of
the rounds' percentiles (the worst round's p99 is in the JSON). Every status is counted and
the rows stored are counted in the database before and after; a few more rows than 201s are
the requests in flight when wrk stopped a round.
The **floor** is `POST /bench/floor/<token>/` on the same server: a minimal Django view
(bench/floor.py, mounted only by the bench's own settings, bench/settings.py) that parses
the same body and inserts one row. Target: {TARGET}.

Gunicorn: {GUNICORN_WHY}

{format_table(figures(runs))}

{chr(10).join(rows)}

{chr(10).join(extra)}
"""
    if problems:
        text += "\n**Problems:**\n\n" + "\n".join(problems) + "\n"
    dbs = [r["db"] for r in runs]
    text += BEFORE_AFTER_HEAD + "\n".join(row for db in dbs for row in BEFORE_AFTER_ROWS[db])
    text += "\n"
    if "sqlite" in dbs or len(dbs) > 1:
        text += "\n" + BEFORE_AFTER.strip() + "\n"
    else:  # the lead's document has one section per database: explain once
        text += "\nWhat changed and why: see the SQLite section.\n"
    return text


# --- standalone ----------------------------------------------------------------------------


PG_ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# BENCH_SUBMIT_PG_DATABASE: another name, for two runs side by side on one cluster.
PG_DB = os.environ.get("BENCH_SUBMIT_PG_DATABASE", "pulih_h_submit")
STANDALONE_UNIT = "bpmp-kalteng"


def standalone_url(db: str, fresh: bool) -> str:
    if db == "sqlite":
        path = VAR / "bench.sqlite3"
        VAR.mkdir(parents=True, exist_ok=True)
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    if fresh:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{PG_DB}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.submit_rate", description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--worker-class", default=WORKER_CLASS)
    parser.add_argument("--keep", action="store_true", help="reuse the database")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    # internal: one Django step in this process (DATABASE_URL set by the caller)
    parser.add_argument("--step", choices=["prepare", "count", "setup", "drop-floor"])
    parser.add_argument("--unit", default=STANDALONE_UNIT)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--tokens")
    args = parser.parse_args(argv)
    if args.step:
        _django()
        if args.step == "prepare":
            result = step_prepare(args.unit, args.count, args.tokens)
        elif args.step == "setup":
            result = step_setup(args.unit)
        elif args.step == "drop-floor":
            from bench import floor as benchfloor

            benchfloor.drop_table()
            result = {"dropped": benchfloor.TABLE}
        else:
            result = _counts(args.unit, args.tokens)
        print(json.dumps(result))
        return 0
    runs = []
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        url = standalone_url(db, fresh=not args.keep)
        _step(url, "--step", "setup", "--unit", args.unit)
        run = run_submit(
            url,
            args.unit,
            duration_s=args.duration,
            connections=args.connections,
            workers=args.workers,
            threads=args.threads,
            worker_class=args.worker_class,
        )
        runs.append(run)
        out = VAR / f"submit-{db}.json"
        out.write_text(json.dumps(run, indent=2, ensure_ascii=False))
    from .report import format_console, write_section

    print(format_console(figures(runs)))
    for r in runs:
        print(
            f"{r['db']}: survey {r['survey']['ok_rps']} rps p99 {r['survey']['p99_ms']} ms; "
            f"floor {r['floor']['ok_rps']} rps p99 {r['floor']['p99_ms']} ms; share {r['share']}; "
            f"problems {r['problems']}"
        )
    if args.write:
        write_section(SECTION_TITLE, section(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
