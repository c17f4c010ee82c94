"""The unit's daily service counts: every service recorded is counted on its local day, in the
transaction that stores it, so a period's population (the sample's N) is read from a row per
day and equals a count of the records themselves."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor

from surveys import record_tally
from surveys.models import RecordTally, ServiceRecord, SurveyPopulation
from surveys.sample import adequacy, populations
from surveys.services import record_service, store_records

DAY = datetime.date(2026, 11, 2)
UTC = datetime.UTC


def _record(unit, service_type, officer, at: datetime.datetime) -> ServiceRecord:
    return record_service(
        unit, actor=officer, service_type=service_type, officer=officer, served_at=at
    )


def _counts(unit) -> dict[datetime.date, int]:
    return dict(RecordTally.objects.filter(unit=unit).values_list("day", "records"))


def _recount(unit, start: datetime.date, end: datetime.date) -> int:
    """The records of the unit's local days start..end, counted from the records."""
    since, until = unit.day_start(start), unit.day_start(end + datetime.timedelta(days=1))
    return ServiceRecord.objects.filter(
        unit=unit, served_at__gte=since, served_at__lt=until
    ).count()


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Jayapura"])
def test_each_record_counts_on_its_local_day_and_the_period_reads_equal_a_recount(
    unit, service_type, people, zone
):
    unit.time_zone = zone
    unit.save()
    local = zoneinfo.ZoneInfo(zone)
    # Either side of two local midnights: 1 Nov 23:59, 2 Nov 00:00 and 23:30, 3 Nov 00:01.
    moments = [
        datetime.datetime(2026, 11, 1, 23, 59, tzinfo=local),
        datetime.datetime(2026, 11, 2, 0, 0, tzinfo=local),
        datetime.datetime(2026, 11, 2, 23, 30, tzinfo=local),
        datetime.datetime(2026, 11, 2, 23, 30, tzinfo=local).astimezone(UTC),
        datetime.datetime(2026, 11, 3, 0, 1, tzinfo=local),
    ]
    for n, at in enumerate(moments):
        _record(unit, service_type, people["officer" if n % 2 else "officer2"], at)

    assert _counts(unit) == {
        datetime.date(2026, 11, 1): 1,
        datetime.date(2026, 11, 2): 3,
        datetime.date(2026, 11, 3): 1,
    }
    for start, end in [
        (DAY, DAY),
        (DAY - datetime.timedelta(days=1), DAY),
        (DAY, DAY.replace(day=30)),
    ]:
        recounted = _recount(unit, start, end)
        assert adequacy(unit, start, end, 0).population == recounted
        assert populations([unit.pk], start, end) == {unit.pk: recounted}
    assert adequacy(unit, DAY, DAY, 3).sample_required == 3  # Krejcie–Morgan: N=3 needs all 3


def test_the_kept_counts_equal_the_rebuild_from_the_records(unit, other_unit, service_type, people):
    local = unit.zone
    for hour in (8, 9, 23):
        _record(
            unit,
            service_type,
            people["officer"],
            datetime.datetime(2026, 10, 30, hour, tzinfo=local),
        )
    _record(unit, service_type, people["officer2"], datetime.datetime(2026, 11, 2, 7, tzinfo=local))
    kept = {u.pk: _counts(u) for u in (unit, other_unit)}

    assert record_tally.rebuild() == 2
    assert {u.pk: _counts(u) for u in (unit, other_unit)} == kept
    assert kept[other_unit.pk] == {}


def test_records_stored_at_once_are_counted_at_once_or_not_at_all(unit, service_type, people):
    at = datetime.datetime(2026, 11, 2, 10, tzinfo=unit.zone)
    ok = [
        ServiceRecord(unit=unit, service_type=service_type, officer=people["officer"], served_at=at)
        for _ in range(3)
    ]
    store_records(unit, ok)
    assert _counts(unit) == {DAY: 3}

    twins = [
        ServiceRecord(unit=unit, service_type=service_type, officer=people["officer"], served_at=at)
        for _ in range(2)
    ]
    twins[1].survey_token = twins[0].survey_token  # the second one's insert fails
    with pytest.raises(IntegrityError):
        store_records(unit, twins)
    assert ServiceRecord.objects.filter(unit=unit).count() == 3
    assert _counts(unit) == {DAY: 3}


def test_a_stated_population_wins_over_the_records_for_a_unit_and_for_the_roll_up(
    unit, other_unit, service_type, people
):
    for hour in (9, 10):
        _record(
            unit,
            service_type,
            people["officer"],
            datetime.datetime(2026, 11, 2, hour, tzinfo=unit.zone),
        )
    SurveyPopulation.objects.create(unit=other_unit, start=DAY, end=DAY, population=40)
    units = [unit.pk, other_unit.pk]

    assert populations(units, DAY, DAY) == {unit.pk: 2, other_unit.pk: 40}
    SurveyPopulation.objects.create(unit=unit, start=DAY, end=DAY, population=500)
    assert populations(units, DAY, DAY) == {unit.pk: 500, other_unit.pk: 40}
    assert adequacy(unit, DAY, DAY, 0).population == 500
    # A stated period reaching outside the one read is not counted in it.
    assert populations(units, DAY, DAY + datetime.timedelta(days=1)) == {
        unit.pk: 500,
        other_unit.pk: 40,
    }
    assert (
        populations(units, DAY + datetime.timedelta(days=1), DAY + datetime.timedelta(days=1)) == {}
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_records_already_stored(unit, service_type, people):
    before = [("surveys", "0012_tallies_updated_in_place")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    Record = executor.loader.project_state(before).apps.get_model("surveys", "ServiceRecord")
    for n, hour in enumerate((6, 18, 23)):
        Record.objects.create(
            unit_id=unit.pk,
            service_type_id=service_type.pk,
            officer_id=people["officer"].pk,
            served_at=datetime.datetime(2026, 11, 2, hour, 30, tzinfo=unit.zone),
            survey_token=f"tok-before-{n:04d}",
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert _counts(unit) == {DAY: 3}
    assert adequacy(unit, DAY, DAY, 0).population == 3
