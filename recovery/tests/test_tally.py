"""The recovery tallies are kept by the real write paths (the workflow's delivery, the
customer's answer) and equal a recount of the rows; the figures read from them equal, for any
data, what the joins over the deliveries, follow-ups and compensations gave before them (kept
below as the reference: `Reference`)."""

from __future__ import annotations

import datetime
import importlib
import itertools

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from cases import workflow
from cases.models import CaseAction as A
from cases.models import CompensationItem, DaysBetween, Delivery
from cases.tests.conftest import ACTORS, DECIDED, flagged_response, payload
from recovery import tally
from recovery.models import RECOVERED_FROM, FollowUp, RecoveryTally
from recovery.services import answer_followup
from recovery.stats import RecoveryFigures, RecoveryRow, recovery_figures, recovery_share
from surveys.models import SurveyResponse
from units.models import CompensationKind, ServiceType, Unit

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


# --- the reference: recovery/stats.py as it read the rows before the tallies ----------------


class Reference:
    """The figures as the joins over the period's deliveries computed them (the code the
    tallies replaced, unchanged but for its home)."""

    ANSWERED = "f.answered_at IS NOT NULL"
    RECOVERED = "f.score >= %s"
    WAITED = {
        "sqlite": "julianday(d.delivered_at) - julianday(d.origin_at)",
        "postgresql": "EXTRACT(EPOCH FROM (d.delivered_at - d.origin_at)) / 86400.0",
    }

    @staticmethod
    def deliveries(columns: str, joins: str = "") -> str:
        return (
            f"SELECT {columns} FROM {Delivery._meta.db_table} d{joins}"  # noqa: S608
            f" LEFT JOIN {FollowUp._meta.db_table} f ON f.case_id = d.case_id"
            " WHERE d.unit_id = %s AND d.delivered_at >= %s AND d.delivered_at < %s"
        )

    @classmethod
    def by_service_sql(cls) -> str:
        per_type = cls.deliveries(
            f"d.service_type_id AS service, COUNT(*) AS n,"
            f" COUNT(CASE WHEN {cls.ANSWERED} THEN 1 END) AS answered,"
            f" COUNT(CASE WHEN {cls.RECOVERED} THEN 1 END) AS recovered"
        )
        return (
            "SELECT s.name, SUM(g.n), SUM(g.answered), SUM(g.recovered)"  # noqa: S608
            f" FROM ({per_type} GROUP BY d.service_type_id) g"
            f" LEFT JOIN {ServiceType._meta.db_table} s ON s.id = g.service"
            " GROUP BY s.name ORDER BY 1 ASC"
        )

    @classmethod
    def by_kind_sql(cls) -> str:
        pairs = cls.deliveries(
            f"DISTINCT k.name AS name, d.case_id AS case_id,"
            f" CASE WHEN {cls.ANSWERED} THEN 1 ELSE 0 END AS answered,"
            f" CASE WHEN {cls.RECOVERED} THEN 1 ELSE 0 END AS recovered",
            f" LEFT JOIN {CompensationItem._meta.db_table} ck"
            " ON ck.compensation_id = d.compensation_id"
            f" LEFT JOIN {CompensationKind._meta.db_table} k ON k.id = ck.compensationkind_id",
        )
        return (
            "SELECT name, COUNT(*), SUM(answered), SUM(recovered)"  # noqa: S608
            f" FROM ({pairs}) t GROUP BY name ORDER BY 1 ASC"
        )

    @classmethod
    def median_sql(cls) -> str:
        waited = (
            f"SELECT ({cls.WAITED[connection.vendor]}) AS waited"  # noqa: S608
            f" FROM {Delivery._meta.db_table} d"
            " WHERE d.unit_id = %s AND d.delivered_at >= %s AND d.delivered_at < %s"
        )
        return f"{waited} ORDER BY 1 ASC LIMIT %s OFFSET %s"

    @staticmethod
    def period(unit: Unit, start: datetime.date, end: datetime.date) -> list:
        since, until = unit.day_bounds(start, end)
        adapt = connection.ops.adapt_datetimefield_value
        return [unit.pk, adapt(since), adapt(until)]

    @staticmethod
    def rows(sql: str, params: list) -> list[RecoveryRow]:
        with connection.cursor() as cursor:
            cursor.execute(sql, [RECOVERED_FROM, *params])
            rows = cursor.fetchall()
        return [
            RecoveryRow(label or "—", int(compensated), int(answered), int(recovered))
            for label, compensated, answered, recovered in rows
        ]

    @classmethod
    def median(cls, period: list, count: int) -> float | None:
        if not count:
            return None
        first, last = (count - 1) // 2, count // 2
        with connection.cursor() as cursor:
            cursor.execute(cls.median_sql(), [*period, last - first + 1, first])
            middle = [float(waited) for (waited,) in cursor.fetchall()]
        return round(sum(middle) / len(middle), 1)

    @classmethod
    def figures(cls, unit: Unit, start: datetime.date, end: datetime.date) -> RecoveryFigures:
        period = cls.period(unit, start, end)
        by_service = cls.rows(cls.by_service_sql(), period)
        compensated = sum(r.compensated for r in by_service)
        return RecoveryFigures(
            compensated=compensated,
            answered=sum(r.answered for r in by_service),
            recovered=sum(r.recovered for r in by_service),
            median_days=cls.median(period, compensated),
            by_kind=cls.rows(cls.by_kind_sql(), period),
            by_service=by_service,
        )


# --- data through the real paths ------------------------------------------------------------


def deliver(unit, people, *, service, kinds: list[str], origin, delivered) -> Delivery:
    """A case from a poor rating at `origin` about `service` (None: the answer named none),
    walked through the workflow on its clock to the delivery of `kinds` at `delivered`."""
    officer = people["officer"]
    # The record's service, or any: the answer's own service is what the case's origin reads.
    response = flagged_response(
        unit,
        service or ServiceType.objects.filter(unit=unit).first(),
        officer,
        at=origin + 2 * HOUR,  # flagged_response's answer comes two hours before `at`
    )
    if service is None:
        SurveyResponse.objects.filter(pk=response.pk).update(service_type=None)
        response.refresh_from_db()
    assert response.submitted_at == origin
    opened = origin + HOUR
    with workflow.acting_at(opened):
        case = workflow.open_case(unit, actor=None, officer=officer, survey_response=response)
    # Every step before the delivery within the day after the opening: summoned for a day
    # later, heard then, and each further step an hour on.
    at = opened
    for action in DECIDED + [A.COMPENSATE]:
        data = payload(action)
        if action == A.SUMMON:
            data["scheduled_at"] = opened + DAY
            at = opened + 2 * HOUR
        elif action == A.HEARING:
            at = opened + DAY + HOUR
        else:
            at += HOUR
        if action == A.COMPENSATE:
            data["compensations"] = kinds
        with workflow.acting_at(at):
            workflow.apply_action(case, action, actor=people[ACTORS[action]], **data)
    assert delivered >= at, "the delivery comes after the compensation was decided"
    data = {**payload(A.DELIVER), "delivered_at": delivered}
    with workflow.acting_at(delivered):
        workflow.apply_action(case, A.DELIVER, actor=people[ACTORS[A.DELIVER]], **data)
    return Delivery.objects.get(case=case)


# Local times of the deliveries: either side of the unit's midnight, and midday.
CLOCKS = [
    datetime.time(23, 58),
    datetime.time(0, 2),
    datetime.time(12, 0),
    datetime.time(23, 59, 59, 999_999),
    datetime.time(0, 0),
]
# Days from the poor rating to the delivery: quarter and half days (the median's rounding),
# and odd minutes.
WAITS = [
    datetime.timedelta(days=2, hours=6),
    datetime.timedelta(days=3, hours=12),
    datetime.timedelta(days=9, minutes=17),
    datetime.timedelta(days=2, hours=18),
    datetime.timedelta(days=14, hours=3, minutes=1, seconds=7),
    datetime.timedelta(days=5),
    datetime.timedelta(days=2, hours=6),
]
# The answer to each follow-up (None: never answered).
SCORES = [4, 3, 2, 1, None, 3]


@pytest.fixture(params=["Asia/Jakarta", "Asia/Jayapura", "America/Los_Angeles"])
def data(request, unit, people, service_type):
    """Eleven deliveries of one unit in its time zone, over five local days, near its
    midnight: services of one name and of none, compensations of one kind, of several, of two
    kinds of one name; their follow-ups answered through the service."""
    Unit.objects.filter(pk=unit.pk).update(time_zone=request.param)
    unit.refresh_from_db()
    twin = ServiceType.objects.create(unit=unit, code="informasi-2", name=service_type.name)
    other = ServiceType.objects.create(unit=unit, code="data", name="Layanan data")
    maaf = CompensationKind.objects.get(unit=unit, code="permintaan-maaf")
    CompensationKind.objects.create(unit=unit, code="maaf-2", name=maaf.name)
    services = [service_type, twin, other, None]
    kind_sets = [
        ["permintaan-maaf"],
        ["permintaan-maaf", "layanan-ulang-langsung"],
        ["maaf-2"],
        ["layanan-ulang-online", "maaf-2", "permintaan-maaf"],
        ["layanan-ulang-online"],
    ]
    first = unit.local_date(timezone.now()) - datetime.timedelta(days=12)
    deliveries = []
    for n in range(11):
        local = datetime.datetime.combine(first + (n % 5) * DAY, CLOCKS[n % len(CLOCKS)])
        delivered = local.replace(tzinfo=unit.zone)
        deliveries.append(
            deliver(
                unit,
                people,
                service=services[n % len(services)],
                kinds=kind_sets[n % len(kind_sets)],
                origin=delivered - WAITS[n % len(WAITS)],
                delivered=delivered,
            )
        )
    # The answers, each within its follow-up's open link (it opened days ago).
    for delivery, score in zip(deliveries, itertools.cycle(SCORES), strict=False):
        if score is not None:
            answer_followup(FollowUp.objects.get(case=delivery.case_id).token, score=score)
    return unit, first


def kept() -> dict:
    return {
        (t.unit_id, t.day, t.service_type_id, t.kinds): (t.compensated, t.answered, t.recovered)
        for t in RecoveryTally.objects.all()
    }


def test_the_tallies_kept_by_the_delivery_and_the_answer_equal_a_recount(data):
    unit, _first = data
    live = kept()
    assert sum(n for n, _a, _r in live.values()) == Delivery.objects.count() == 11
    assert sum(a for _n, a, _r in live.values()) == FollowUp.objects.exclude(score=None).count()
    assert tally.rebuild() == len(live)
    assert kept() == live


def test_the_figures_equal_the_joins_over_the_rows_for_every_period(data):
    unit, first = data
    today = unit.local_date(timezone.now())
    periods = [
        *((first + k * DAY, first + k * DAY) for k in range(-1, 6)),  # each day on its own
        (first, first + 2 * DAY),
        (first + DAY, first + 4 * DAY),
        (first - 30 * DAY, today),
        (today, today),
        (first + 3 * DAY, first),  # backwards: nothing
        (datetime.date(1, 1, 1), datetime.date(9999, 12, 31)),  # clamped as day_bounds does
    ]
    seen = set()
    for start, end in periods:
        expected = Reference.figures(unit, start, end)
        assert recovery_figures(unit, start, end) == expected, (start, end)
        share = recovery_share(unit, start, end)
        assert (share.compensated, share.answered, share.recovered) == (
            expected.compensated,
            expected.answered,
            expected.recovered,
        )
        seen.add((expected.compensated, expected.median_days))
    whole = Reference.figures(unit, first - 30 * DAY, today)
    # The data reaches what the figures must get right: a kind's row counting a delivery of
    # two kinds of its name once, twin services in one row, the row of no service.
    assert whole.compensated == 11 and whole.median_days is not None
    assert len(whole.by_service) == 3 and "—" in [r.label for r in whole.by_service]
    assert len(whole.by_kind) == 3  # the apology's two kinds of one name count once
    assert len(seen) > 5  # periods of different deliveries and medians


def test_the_delivery_stores_the_days_it_waited_as_the_database_computes_them(data):
    """Bit for bit the number the median computed per row, and the migration's fill for rows
    delivered before it writes the same."""
    expression = DaysBetween("delivered_at", "origin_at")
    rows = (
        Delivery.objects.annotate(computed=expression)
        .values_list("waited_days", "computed")
        .order_by("pk")
    )
    stored = list(rows.all())
    assert len(stored) == 11
    assert all(waited == float(computed) for waited, computed in stored)
    Delivery.objects.update(waited_days=0)
    migration = importlib.import_module("cases.migrations.0019_delivery_waited_days")
    migration.fill(apps, None)
    assert list(rows.all()) == stored


def test_the_migration_backfill_recounts_them(data):
    RecoveryTally.objects.all().delete()
    live_before = Reference.figures(data[0], data[1] - 30 * DAY, data[1] + 10 * DAY)
    migration = importlib.import_module("recovery.migrations.0002_recovery_tally")
    migration.backfill(apps, None)
    assert recovery_figures(data[0], data[1] - 30 * DAY, data[1] + 10 * DAY) == live_before
