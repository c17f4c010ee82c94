"""The data set `make bench` measures Pulih at: 20 units, 60 officers, 1,000,000 survey
responses over one year (with their exact tallies) and 100,000 cases in every state
with the records each state implies (hearings, proposals, verifications, decrees,
compensations, deliveries and the timeline of events).

Reproducible: seeded random generators. Fast: rows go in with sqlite3's `executemany` or
PostgreSQL's COPY; the tallies are built by INSERT … SELECT … GROUP BY (the daily tallies over
the responses, the unit's whole days over the daily tallies, its profile answers over the
responses), which is the definition the live path (surveys/tally.py) keeps incrementally.
Run inside Django: `python -m bench.seed --db sqlite|postgres` (see
bench/pulih_db.py), or `seed()` from a configured process."""

from __future__ import annotations

import datetime
import functools
import json
import random
import secrets
import time
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

UNITS = 20
OFFICERS_PER_UNIT = 3
RESPONSES = 1_000_000
CASES = 100_000
SEED = 2026
# The measured unit (the first) holds half of the responses and cases, the 19 others share
# the rest: its lists and figures are the ones a large unit sees.
MEASURED_SHARE = 0.5
MEASURED_UNIT = "satuan-01"
# The import part writes into another unit, so the measured unit keeps the data set's size.
IMPORT_UNIT = "satuan-02"
PASSWORD = "bench-pulih-2026"  # noqa: S105 (throw-away local accounts)
# The organisation tree above the units: a ministry over two directorates general, the first
# holding satuan-01..10 (the measured unit among them), the second satuan-11..20. Its leader
# reads the roll-ups; the second directorate is the smaller data size of the page's queries.
ORGANISATION = "bench-kementerian"
SMALL_ORGANISATION = "bench-ditjen-b"
ORGANISATION_LEADER = "bench-pimpinan"
SMALL_UNIT = f"satuan-{UNITS:02d}"  # the smallest data size of the unit pages' queries
ZONE_OFFSET = datetime.timedelta(hours=7)  # every bench unit is in Asia/Jakarta (WIB)
# How the cases are spread over the states (per thousand).
STATE_SHARES = {
    "review": 100,
    "hearing": 100,
    "verification": 50,
    "decision": 50,
    "compensation": 50,
    "delivery": 50,
    "closed": 450,
    "dismissed": 150,
}
STAFF_ROLES = ["back_office", "coordinator", "person_in_charge", "head", "supervisor"]


@dataclass
class UnitData:
    id: int
    code: str
    service_types: list[int]
    officers: list[int]
    staff: dict[str, int]
    sanctions: list[tuple[int, str]]
    violations: list[int] = field(default_factory=list)


@dataclass
class Seeded:
    units: int
    officers: int
    responses: int
    tallies: int
    day_tallies: int
    cases: int
    cases_by_state: dict[str, int]
    events: int
    decrees: int
    first_day: str
    last_day: str
    seconds: dict[str, float]


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def _utc_text(moment: datetime.datetime) -> str:
    # What strftime("%Y-%m-%d %H:%M:%S.%f") writes, at half its cost (millions of calls).
    return moment.isoformat(" ", "microseconds")[:26]


def write_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Append rows to a table the fastest way the database offers; returns the count."""
    from django.db import connection

    count = 0
    cols = ", ".join(f'"{c}"' for c in columns)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    marks = ", ".join("?" * len(columns))
    sql = f'INSERT INTO "{table}" ({cols}) VALUES ({marks})'  # noqa: S608 (our own table names)
    raw = connection.connection
    chunk: list[Sequence] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == 50_000:
            raw.executemany(sql, chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        raw.executemany(sql, chunk)
        count += len(chunk)
    return count


def _moment_format() -> Callable[[datetime.datetime], object]:
    """How a UTC datetime goes to the driver: text for sqlite3, aware for psycopg."""
    return (lambda value: value) if _vendor() == "postgresql" else _utc_text


def _units(rng: random.Random) -> list[UnitData]:
    from django.contrib.auth.hashers import make_password

    from units.demo import SERVICE_TYPES
    from units.models import Membership, Role, SanctionKind, ServiceType, Unit, User, Violation
    from units.standard import load_standard

    password = make_password(PASSWORD)
    units = []
    for n in range(1, UNITS + 1):
        code = f"satuan-{n:02d}"
        unit, _ = load_standard(code)
        Unit.objects.filter(pk=unit.pk).update(
            name=f"Satuan Layanan {n:02d}", time_zone="Asia/Jakarta"
        )
        ServiceType.objects.bulk_create(
            ServiceType(unit=unit, code=c, name=name, order=i)
            for i, (c, name) in enumerate(SERVICE_TYPES, start=1)
        )
        people = [
            (f"{code}-petugas{i}", Role.OFFICER, f"Petugas {i} Satuan {n:02d}")
            for i in range(1, OFFICERS_PER_UNIT + 1)
        ] + [(f"{code}-{r}", r, f"{r} Satuan {n:02d}") for r in STAFF_ROLES]
        users = User.objects.bulk_create(
            User(
                username=username,
                full_name=name,
                nip=f"19800101200{rng.randrange(10**8):08d}",
                password=password,
            )
            for username, _role, name in people
        )
        Membership.objects.bulk_create(
            Membership(user=u, unit=unit, role=role)
            for u, (_n, role, _name) in zip(users, people, strict=True)
        )
        units.append(
            UnitData(
                id=unit.pk,
                code=code,
                service_types=list(
                    ServiceType.objects.filter(unit=unit).values_list("pk", flat=True)
                ),
                officers=[u.pk for u in users[:OFFICERS_PER_UNIT]],
                staff={role: u.pk for u, (_n, role, _x) in zip(users, people, strict=True)},
                sanctions=list(SanctionKind.objects.filter(unit=unit).values_list("pk", "code")),
                violations=list(Violation.objects.filter(unit=unit).values_list("pk", flat=True)),
            )
        )
    return units


def organisations(units: list[UnitData]) -> None:
    """The ministry, its two directorates general (half of the units each) and its leader."""
    from django.contrib.auth.hashers import make_password

    from organisations.models import (
        Organisation,
        OrganisationMembership,
        OrganisationRole,
        OrganisationUnit,
    )
    from units.models import User

    root = Organisation.objects.create(code=ORGANISATION, name="Kementerian Bench")
    half = len(units) // 2
    for code, name, below in (
        ("bench-ditjen-a", "Direktorat Jenderal A", units[:half]),
        (SMALL_ORGANISATION, "Direktorat Jenderal B", units[half:]),
    ):
        child = Organisation.objects.create(code=code, name=name, parent=root)
        OrganisationUnit.objects.bulk_create(
            OrganisationUnit(organisation=child, unit_id=u.id) for u in below
        )
    leader = User.objects.create(
        username=ORGANISATION_LEADER, full_name="Pimpinan Bench", password=make_password(PASSWORD)
    )
    OrganisationMembership.objects.create(
        user=leader, organisation=root, role=OrganisationRole.LEADER
    )


def _unit_index(rng: random.Random) -> int:
    """0 for the measured unit MEASURED_SHARE of the time, else one of the others."""
    if rng.random() < MEASURED_SHARE:
        return 0
    return rng.randrange(1, UNITS)


def _answer_table(rng: random.Random) -> list[tuple]:
    """4,096 good answer sets (3 or 4 mostly, some 2, some unanswered) to draw from."""
    table = []
    for _ in range(4096):
        row = []
        for _e in range(9):
            r = rng.random()
            row.append(None if r < 0.02 else 2 if r < 0.08 else 3 if r < 0.5 else 4)
        table.append(tuple(row))
    return table


def _profile_table(rng: random.Random) -> list[tuple[str, str, str, str]]:
    """4,096 respondent profiles to draw from: each field stated by PROFILE_STATED of the
    respondents, its answer one of the regulation's list (surveys.profile.DEFAULT_OPTIONS)."""
    from surveys.models import PROFILE_FIELDS
    from surveys.profile import DEFAULT_OPTIONS

    return [
        tuple(
            rng.choice(DEFAULT_OPTIONS[name]) if rng.random() < PROFILE_STATED else ""
            for name in PROFILE_FIELDS
        )
        for _ in range(4096)
    ]


def _responses(
    rng: random.Random,
    units: list[UnitData],
    first_day: datetime.date,
    count: int,
    poor_every: int,
    flagged: list[tuple[int, int, int, datetime.datetime, int]],
    cases: int,
    profile_rng: random.Random,
) -> Iterator[tuple]:
    """`count` rows: id, unit, service type, officer, submitted_at, u1..u9, flags, profile.
    Every `poor_every`-th response rates the officer's element U7 at 1 and is flagged; the
    first `cases` of those are appended to `flagged` (id, unit, officer, time, service type)
    to open cases from. The profiles come from their own generator, so the rest of the data
    set is the same with or without them."""
    table = _answer_table(rng)
    profiles = _profile_table(profile_rng)
    moment = _moment_format()
    start = datetime.datetime.combine(first_day, datetime.time(8), tzinfo=datetime.UTC)
    start -= ZONE_OFFSET  # 08:00 local on the first day
    i = 0
    # Day by day and in time order within a day, as answers arrive: ids grow with time.
    for day in range(365):
        on_day = count // 365 + (1 if day < count % 365 else 0)
        opening = start + datetime.timedelta(days=day)
        for offset in sorted(rng.randrange(8 * 3600) for _ in range(on_day)):
            i += 1
            u = units[_unit_index(rng)]
            answers = table[rng.getrandbits(12)]
            # Drawn in column order: one seed, one data set.
            service_type = u.service_types[rng.randrange(len(u.service_types))]
            officer = u.officers[rng.randrange(len(u.officers))]
            at = opening + datetime.timedelta(seconds=offset)
            poor = i % poor_every == 0
            if poor:
                answers = (*answers[:6], 1, answers[7], answers[8])
                if len(flagged) < cases:
                    flagged.append((i, u.id, officer, at, service_type))
            yield (
                i,
                u.id,
                service_type,
                officer,
                moment(at),
                *answers,
                "",
                "import",
                poor,
                "U7" if poor else "",
                *profiles[profile_rng.getrandbits(12)],
            )


PROFILE_STATED = 0.8  # the share of respondents who state each profile field
RESPONSE_COLUMNS = [
    "id",
    "unit_id",
    "service_type_id",
    "officer_id",
    "submitted_at",
    *(f"u{n}" for n in range(1, 10)),
    "comment",
    "source",
    "flagged",
    "flagged_elements",
    "sex",
    "age_group",
    "education",
    "occupation",
]


def _local_day_sql() -> str:
    """A response's local day in SQL (every bench unit is in Asia/Jakarta)."""
    if _vendor() == "postgresql":
        return "(submitted_at AT TIME ZONE 'Asia/Jakarta')::date"
    return "date(submitted_at, '+7 hours')"


# The counts of the responses under a tally's key, in SQL, in surveys.tally.COUNT_FIELDS'
# order (the flagged ones last).
_COUNTS_SQL = (
    "COUNT(*), "
    + ", ".join(f"COALESCE(SUM(u{n}), 0), COUNT(u{n})" for n in range(1, 10))
    + ", COUNT(CASE WHEN flagged THEN 1 END)"
)
_COUNT_COLUMNS = (
    "respondents, " + ", ".join(f"u{n}_sum, u{n}_n" for n in range(1, 10)) + ", flagged"
)


def _tally_sql() -> str:
    """The daily tallies of every response, in SQL: one row per unit, local day, service type
    and officer, the same sums and counts surveys/tally.py keeps."""
    day = _local_day_sql()
    return (
        "INSERT INTO surveys_dailytally (unit_id, day, service_type_id, officer_id, "  # noqa: S608
        f"{_COUNT_COLUMNS}) "
        f"SELECT unit_id, {day}, service_type_id, officer_id, {_COUNTS_SQL} "
        f"FROM surveys_surveyresponse GROUP BY unit_id, {day}, service_type_id, officer_id"
    )


_DAY_TALLY_COLUMNS = f"unit_id, day, profile_field, profile_value, {_COUNT_COLUMNS}"


def _day_tally_sql() -> str:
    """The unit's whole-day tallies, in SQL: the daily tallies of each unit and day added up
    (run after `_tally_sql`)."""
    sums = ", ".join(f"SUM({c})" for c in _COUNT_COLUMNS.split(", "))
    return (
        f"INSERT INTO surveys_unitdaytally ({_DAY_TALLY_COLUMNS}) "  # noqa: S608
        f"SELECT unit_id, day, '', '', {sums} "
        "FROM surveys_dailytally GROUP BY unit_id, day"
    )


def _profile_tally_sql() -> str:
    """The unit's day tallies of each stated profile answer, in SQL: per unit, local day,
    field and answer over the responses that state it."""
    from surveys.models import PROFILE_FIELDS

    day = _local_day_sql()
    answers = ", ".join(f"u{n}" for n in range(1, 10)) + ", flagged"
    stated = " UNION ALL ".join(
        f"SELECT unit_id, {day} AS day, '{name}' AS field, {name} AS answer, {answers} "  # noqa: S608
        f"FROM surveys_surveyresponse WHERE {name} <> ''"
        for name in PROFILE_FIELDS
    )
    return (
        f"INSERT INTO surveys_unitdaytally ({_DAY_TALLY_COLUMNS}) "  # noqa: S608
        f"SELECT unit_id, day, field, answer, {_COUNTS_SQL} FROM ({stated}) stated "
        "GROUP BY unit_id, day, field, answer"
    )


@dataclass
class _Plan:
    """One case's path through the workflow, as the rows it leaves behind."""

    state: str
    steps: list[str]


PATHS = {
    "review": ["open"],
    "dismissed": ["open", "dismiss"],
    "hearing": ["open", "refer", "summon", "hearing"],
    "verification": ["open", "refer", "summon", "hearing", "propose"],
    "decision": ["open", "refer", "summon", "hearing", "propose", "verify"],
    "compensation": ["open", "refer", "summon", "hearing", "propose", "verify", "decide"],
    "delivery": [
        *("open", "refer", "summon", "hearing", "propose", "verify", "decide"),
        "compensate",
    ],
    "closed": [
        *("open", "refer", "summon", "hearing", "propose", "verify", "decide"),
        *("compensate", "deliver"),
    ],
}
TO_STATE = {
    "open": "review",
    "dismiss": "dismissed",
    "refer": "hearing",
    "summon": "hearing",
    "hearing": "hearing",
    "propose": "verification",
    "verify": "decision",
    "decide": "compensation",
    "compensate": "delivery",
    "deliver": "closed",
}
ACTOR = {
    "open": None,
    "dismiss": "back_office",
    "refer": "back_office",
    "summon": "coordinator",
    "hearing": "coordinator",
    "propose": "coordinator",
    "verify": "person_in_charge",
    "decide": "head",
    "compensate": "coordinator",
    "deliver": "coordinator",
}


REASON = "Penilaian kurang pada U7"
ZONE = zoneinfo.ZoneInfo("Asia/Jakarta")


def _due(code: str, start: datetime.datetime) -> datetime.datetime:
    """When the step governed by the standard's rule `code` is due (units.deadlines, with the
    standard's default rules, which every bench unit has)."""
    return _due_from_day(code, start.astimezone(ZONE).date())


@functools.cache  # a year's days: the working days of 100,000 cases counted once a day
def _due_from_day(code: str, start: datetime.date) -> datetime.datetime:
    from units.deadlines import due_date
    from units.standard import DEADLINES

    rule = next(d for d in DEADLINES if d.code == code)
    day = due_date(start, rule.length, rule.day_kind)
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=ZONE).astimezone(
        datetime.UTC
    )


def _state_of(n: int) -> str:
    """The state of the n-th case: the shares of STATE_SHARES, interleaved (617 is prime to
    1000, so every thousand cases hold the exact shares and a few hundred hold every state)."""
    k = n * 617 % 1000
    for state, share in STATE_SHARES.items():
        if k < share:
            return state
        k -= share
    raise AssertionError("STATE_SHARES must add up to 1000")


class _CaseRows:
    """Collects the rows of every table the cases touch, then writes them table by table."""

    def __init__(self) -> None:
        self.cases: list[tuple] = []
        self.events: list[tuple] = []
        self.hearings: list[tuple] = []
        self.proposals: list[tuple] = []
        self.violations: list[tuple] = []
        self.verifications: list[tuple] = []
        self.decrees: list[tuple] = []
        self.compensations: list[tuple] = []
        self.deliveries: list[tuple] = []
        self.sequences: dict[tuple[int, int], int] = {}


EVENT_DATA = {
    step: json.dumps(data)
    for step, data in {
        "open": {"source": "survey", "reason": REASON},
        "refer": {"note": ""},
        "dismiss": {"reason": "Bukan tanggung jawab petugas."},
        "verify": {"approved": True, "note": ""},
    }.items()
}


def _case_rows(
    rng: random.Random,
    units: dict[int, UnitData],
    flagged: list[tuple[int, int, int, datetime.datetime, int]],
    decree_pattern: str,
) -> _CaseRows:
    rows = _CaseRows()
    m = _moment_format()
    for n, (response_id, unit_id, officer_id, submitted, service) in enumerate(flagged, start=1):
        u = units[unit_id]
        state = _state_of(n)
        opened = submitted + datetime.timedelta(minutes=5)
        times: dict[str, datetime.datetime] = {}
        at = opened
        for step in PATHS[state]:
            times[step] = at
            at += datetime.timedelta(hours=rng.randrange(2, 30))
        sanction, sanction_code = u.sanctions[n % len(u.sanctions)]
        number = ""
        # What the workflow's own actions record (cases.workflow), which the deadlines read:
        # the same for every case but the decision's.
        data = EVENT_DATA
        if "decide" in times:
            decided = (times["decide"] + ZONE_OFFSET).date()
            year = decided.year
            seq = rows.sequences.get((unit_id, year), 0) + 1
            rows.sequences[(unit_id, year)] = seq
            number = decree_pattern.format(seq=seq, year=year)
            decision = {
                "issue_decree": True,
                "number": number,
                "date": str(decided),
                "sanction": sanction_code,
            }
            data = EVENT_DATA | {"decide": json.dumps(decision)}
        event_id = len(rows.events)
        previous = ""
        for step in PATHS[state]:
            actor = u.staff[ACTOR[step]] if ACTOR[step] else None
            event_id += 1
            rows.events.append(
                (
                    event_id,
                    n,
                    step,
                    actor,
                    m(times[step]),
                    previous,
                    TO_STATE[step],
                    data.get(step, "{}"),
                )
            )
            previous = TO_STATE[step]
        decree_due = _due("decree", times["verify"]) if "verify" in times else None
        delivery_due = _due("compensation", times["decide"]) if "decide" in times else None
        due_rule, due = "", None
        if state == "decision":
            due_rule, due = "decree", decree_due
        elif state in ("compensation", "delivery"):
            due_rule, due = "compensation", delivery_due
        rows.cases.append(
            (
                n,
                unit_id,
                officer_id,
                state,
                "survey",
                response_id,
                REASON,
                m(opened),
                None,
                due_rule,
                m(due) if due else None,
            )
        )
        coordinator = u.staff["coordinator"]
        if "summon" in times:
            rows.hearings.append(
                (
                    len(rows.hearings) + 1,
                    n,
                    m(times["summon"] + datetime.timedelta(days=2)),
                    "Ruang ULT",
                    coordinator,
                    m(times["summon"]),
                    "",
                    "Petugas memberikan penjelasan.",
                    "",
                    coordinator,
                    m(times["hearing"]),
                    m(times["summon"] + datetime.timedelta(days=2)),
                    True,
                )
            )
        if "propose" in times:
            pid = len(rows.proposals) + 1
            rows.proposals.append(
                (pid, n, sanction, "Terbukti.", coordinator, m(times["propose"]), "", False)
            )
            rows.violations.append(
                (len(rows.violations) + 1, pid, u.violations[n % len(u.violations)])
            )
        if "verify" in times:
            pid = len(rows.proposals)
            rows.verifications.append(
                (
                    len(rows.verifications) + 1,
                    n,
                    pid,
                    True,
                    "",
                    u.staff["person_in_charge"],
                    m(times["verify"]),
                )
            )
        if "decide" in times:
            when = times["decide"]
            rows.decrees.append(
                (
                    len(rows.decrees) + 1,
                    n,
                    unit_id,
                    len(rows.proposals),
                    year,
                    seq,
                    number,
                    (when + ZONE_OFFSET).date(),
                    sanction,
                    u.staff["head"],
                    f"Kepala Satuan {u.code[-2:]}",
                    "197001012000011001",
                    "Kepala",
                    m(when),
                    m(decree_due),
                )
            )
        if "compensate" in times:
            rows.compensations.append(
                (
                    len(rows.compensations) + 1,
                    n,
                    unit_id,
                    rng.choice((0, 25_000, 50_000, 100_000)),
                    (times["compensate"] + ZONE_OFFSET).year,
                    False,
                    "",
                    coordinator,
                    m(times["compensate"]),
                    secrets.token_urlsafe(18),
                    "email",
                )
            )
        if "deliver" in times:
            rows.deliveries.append(
                (
                    len(rows.deliveries) + 1,
                    n,
                    unit_id,
                    m(times["deliver"]),
                    "Diserahkan langsung",
                    True,
                    "",
                    coordinator,
                    m(times["deliver"]),
                    m(delivery_due),
                    "",
                    m(submitted),  # the case's origin: the poor rating
                    service,  # and its service
                    len(rows.compensations),  # the compensation delivered
                    0.0,  # waited_days: computed by the database once written (`seed`)
                )
            )
    return rows


CASE_TABLES = {
    "cases": (
        "cases_case",
        [
            "id",
            "unit_id",
            "officer_id",
            "state",
            "source_kind",
            "survey_response_id",
            "reason",
            "opened_at",
            "opened_by_id",
            "due_rule",
            "due_at",
        ],
    ),
    "events": (
        "cases_caseevent",
        ["id", "case_id", "action", "actor_id", "at", "from_state", "to_state", "data"],
    ),
    "hearings": (
        "cases_hearing",
        [
            "id",
            "case_id",
            "scheduled_at",
            "place",
            "summoned_by_id",
            "summoned_at",
            "written_defence",
            "explanation",
            "defence",
            "recorded_by_id",
            "recorded_at",
            "held_at",
            "attended",
        ],
    ),
    "proposals": (
        "cases_proposal",
        [
            "id",
            "case_id",
            "sanction_id",
            "reasoning",
            "proposed_by_id",
            "proposed_at",
            "justification",
            "on_evidence",
        ],
    ),
    "violations": ("cases_proposal_violations", ["id", "proposal_id", "violation_id"]),
    "verifications": (
        "cases_verification",
        ["id", "case_id", "proposal_id", "approved", "note", "verified_by_id", "verified_at"],
    ),
    "decrees": (
        "cases_decree",
        [
            "id",
            "case_id",
            "unit_id",
            "proposal_id",
            "year",
            "sequence",
            "number",
            "date",
            "sanction_id",
            "signer_id",
            "signer_name",
            "signer_nip",
            "signer_title",
            "issued_at",
            "due_at",
        ],
    ),
    "compensations": (
        "cases_compensation",
        [
            "id",
            "case_id",
            "unit_id",
            "cost",
            "budget_year",
            "over_budget",
            "note",
            "decided_by_id",
            "decided_at",
            "tracking_token",
            "notify_channel",
        ],
    ),
    "deliveries": (
        "cases_delivery",
        [
            "id",
            "case_id",
            "unit_id",
            "delivered_at",
            "method",
            "customer_acknowledged",
            "note",
            "recorded_by_id",
            "recorded_at",
            "due_at",
            "unacknowledged_reason",
            "origin_at",
            "service_type_id",
            "compensation_id",
            "waited_days",
        ],
    ),
}


def _reset_sequences() -> None:
    """After explicit ids, PostgreSQL's sequences must continue after the largest id."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    models = [m for m in apps.get_models() if m._meta.app_label in ("surveys", "cases")]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def seed(
    responses: int = RESPONSES, cases: int = CASES, seed_value: int = SEED, log=print
) -> Seeded:
    """Fill an empty, migrated database. The year is the 365 local days ending today, so that
    answers given during the run (the survey API, the import) fall into it too."""
    from django.db import connection, transaction

    from cases.models import DaysBetween, DecreeSequence, Delivery
    from cases.tally import rebuild as rebuild_case_tallies
    from recovery.tally import rebuild as rebuild_recovery_tallies
    from surveys.models import DailyTally, UnitDayTally
    from surveys.tally import month_tally_sql
    from units.models import Unit

    if responses < cases:
        raise ValueError("every case is opened from a flagged response: responses ≥ cases")
    rng = random.Random(seed_value)
    seconds: dict[str, float] = {}
    last_day = datetime.datetime.now(datetime.UTC).astimezone(datetime.timezone(ZONE_OFFSET))
    last_day = last_day.date()
    first_day = last_day - datetime.timedelta(days=364)
    # Cases come from every `poor_every`-th response; only the first `cases` of those open one.
    poor_every = responses // cases

    started = time.monotonic()
    with transaction.atomic():
        units = _units(rng)
        organisations(units)
    seconds["units"] = time.monotonic() - started
    by_id = {u.id: u for u in units}

    started = time.monotonic()
    flagged: list[tuple[int, int, int, datetime.datetime, int]] = []
    with transaction.atomic():
        written = write_rows(
            "surveys_surveyresponse",
            RESPONSE_COLUMNS,
            _responses(
                rng,
                units,
                first_day,
                responses,
                poor_every,
                flagged,
                cases,
                random.Random(seed_value + 1),
            ),
        )
    seconds["responses"] = time.monotonic() - started
    log(f"seed: {written:,} responses in {seconds['responses']:.1f} s")

    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_tally_sql())
        cursor.execute(_day_tally_sql())
        cursor.execute(_profile_tally_sql())
        # The monthly tallies: the day tallies of each month added up (migration 0009's rule).
        cursor.execute(month_tally_sql(connection))
    tallies = DailyTally.objects.count()
    day_tallies = UnitDayTally.objects.count()
    seconds["tallies"] = time.monotonic() - started
    log(
        f"seed: {tallies:,} daily tallies, {day_tallies:,} unit-day tallies in "
        f"{seconds['tallies']:.1f} s"
    )

    started = time.monotonic()
    pattern = Unit.objects.get(pk=units[0].id).decree_number_pattern
    rows = _case_rows(rng, by_id, flagged, pattern)
    with transaction.atomic():
        for name, (table, columns) in CASE_TABLES.items():
            write_rows(table, columns, getattr(rows, name))
        # The days each delivery waited, as the workflow has the database compute them.
        Delivery.objects.update(waited_days=DaysBetween("delivered_at", "origin_at"))
        DecreeSequence.objects.bulk_create(
            DecreeSequence(unit_id=unit_id, year=year, last=last)
            for (unit_id, year), last in rows.sequences.items()
        )
    _reset_sequences()
    with transaction.atomic():
        # The case tallies, recounted from the rows just written (the workflow keeps them one
        # change at a time; cases.tally.rebuild is its rule applied to all of them).
        case_tallies = rebuild_case_tallies()
        # The recovery tallies likewise.
        recovery_tallies = rebuild_recovery_tallies()
    seconds["cases"] = time.monotonic() - started
    by_state: dict[str, int] = {}
    for row in rows.cases:
        by_state[row[3]] = by_state.get(row[3], 0) + 1
    log(
        f"seed: {len(rows.cases):,} cases, {len(rows.events):,} events, "
        f"{len(rows.decrees):,} decrees, {case_tallies:,} case tallies, "
        f"{recovery_tallies:,} recovery tallies in "
        f"{seconds['cases']:.1f} s"
    )
    started = time.monotonic()
    with connection.cursor() as cursor:
        # What autovacuum does to a table that was just loaded: planner statistics, and on
        # PostgreSQL the visibility map that index-only scans need.
        # VACUUM cannot run inside a transaction (the tests seed inside one).
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        if vacuum:
            # The gigabyte just loaded is still in the WAL: without a checkpoint now, the
            # server writes it out during the first measured part (the survey submissions).
            cursor.execute("CHECKPOINT")
    seconds["analyze"] = time.monotonic() - started
    return Seeded(
        units=len(units),
        officers=sum(len(u.officers) for u in units),
        responses=written,
        tallies=tallies,
        day_tallies=day_tallies,
        cases=len(rows.cases),
        cases_by_state=by_state,
        events=len(rows.events),
        decrees=len(rows.decrees),
        first_day=first_day.isoformat(),
        last_day=last_day.isoformat(),
        seconds={k: round(v, 1) for k, v in seconds.items()},
    )
