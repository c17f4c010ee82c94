"""A unit whose time zone is corrected after it holds data (set up as WIB, serving in WIT):
everything counted per local day — survey, service record, case and recovery tallies — is
recounted in the new zone's days in the same transaction, and so still equals a count of the
rows; an error in the recount leaves the zone and every tally as they were."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import DatabaseError

from cases import tally as case_tally
from cases.models import CaseState as S
from cases.models import CaseTally
from recovery import tally as recovery_tally
from recovery.models import RecoveryTally
from surveys import record_tally
from surveys import tally as survey_tally
from surveys.models import DailyTally, RecordTally, UnitDayTally, UnitMonthTally
from surveys.services import new_response, record_service, store_responses
from units.models import Unit
from units.signals import time_zone_changed

from .conftest import PATH

# 23:30 in Jakarta (UTC+7) is 01:30 of the next day in Jayapura (UTC+9).
LATE_EVENING = datetime.datetime(2026, 10, 30, 16, 30, tzinfo=datetime.UTC)
JAKARTA_DAY = datetime.date(2026, 10, 30)
TALLIES = (DailyTally, UnitDayTally, UnitMonthTally, RecordTally, CaseTally, RecoveryTally)
GOOD = {f"U{i}": 4 for i in range(1, 10)}


def kept(unit) -> dict[str, list[tuple]]:
    """Every tally row of `unit`, per table, without its id; leaving out the case rows the
    workflow counted down to nothing (a recount writes none)."""
    rows = {}
    for model in TALLIES:
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
        values = model.objects.filter(unit=unit).values_list(*fields)
        if model is CaseTally:
            values = values.exclude(n=0, part=0)
        rows[model.__name__] = sorted(values, key=repr)
    return rows


def recounted(unit) -> dict[str, list[tuple]]:
    for rebuild in (
        survey_tally.rebuild,
        record_tally.rebuild,
        case_tally.rebuild,
        recovery_tally.rebuild,
    ):
        rebuild([unit.pk])
    return kept(unit)


def answer_days(unit) -> list[datetime.date]:
    """The days of the late-evening answer: its profile answer's day row is its own."""
    rows = UnitDayTally.objects.filter(unit=unit, profile_field="sex", profile_value="Perempuan")
    return list(rows.values_list("day", flat=True))


def record_days(unit) -> dict[datetime.date, int]:
    return dict(RecordTally.objects.filter(unit=unit).values_list("day", "records"))


@pytest.fixture
def late_evening_data(unit, service_type, people, make_case):
    """Services, answers and cases on every path, each recorded at 23:30 local time (the
    hearings a day later, as the workflow's fixture holds them)."""
    assert unit.time_zone == "Asia/Jakarta"
    with time_machine.travel(LATE_EVENING + datetime.timedelta(days=3), tick=False):
        for state in (S.REVIEW, S.CLOSED, "objected-closed"):
            make_case(state)
        assert "objected-closed" in PATH
    with time_machine.travel(LATE_EVENING, tick=False):
        record = record_service(
            unit, actor=people["officer"], service_type=service_type, officer=people["officer"]
        )
        store_responses(
            unit,
            [
                new_response(
                    unit,
                    GOOD,
                    submitted_at=LATE_EVENING,
                    service_record=record,
                    service_type_id=service_type.pk,
                    officer_id=people["officer"].pk,
                    profile={"sex": "Perempuan"},
                )
            ],
        )
    # The cases' answers and records are made by the workflow's fixture by hand, past the
    # survey write path: their tallies are counted once, as a repair would.
    recounted(unit)
    return unit


def test_a_new_time_zone_recounts_every_tally_in_its_own_days(late_evening_data):
    unit = late_evening_data
    before = kept(unit)
    assert answer_days(unit) == [JAKARTA_DAY]
    records = record_days(unit)
    assert records[JAKARTA_DAY] == 3  # two cases' services at 20:30, the answered one at 23:30
    assert all(before[name] for name in ("DailyTally", "RecordTally", "CaseTally"))
    assert before["RecoveryTally"]  # the objected path delivered its compensation

    unit.time_zone = "Asia/Jayapura"
    unit.save()

    after = kept(unit)
    assert after != before
    assert after == recounted(unit)
    # 23:30 in Jakarta is the next morning in Jayapura; 20:30 is still the same evening.
    next_day = JAKARTA_DAY + datetime.timedelta(days=1)
    assert answer_days(unit) == [next_day]
    assert record_days(unit) == {**records, JAKARTA_DAY: 2, next_day: 1}
    assert Unit.objects.get(pk=unit.pk).time_zone == "Asia/Jayapura"


def test_saving_only_the_zone_recounts_too_and_other_fields_recount_nothing(
    late_evening_data, django_assert_max_num_queries
):
    unit = late_evening_data
    before = kept(unit)
    unit.name = "ULT BPMP (ganti nama)"
    with django_assert_max_num_queries(6):  # the unit, its history: no recount
        unit.save()
    assert kept(unit) == before
    unit.time_zone = "Asia/Jayapura"
    unit.save(update_fields=["time_zone"])
    assert kept(unit) == recounted(unit) != before


def test_a_recount_that_fails_leaves_the_zone_and_the_tallies_as_they_were(late_evening_data):
    unit = late_evening_data
    before = kept(unit)

    def fail(sender, unit, **kwargs):
        raise DatabaseError("the disk is full")

    time_zone_changed.connect(fail, dispatch_uid="test-fail")
    try:
        unit.time_zone = "Asia/Jayapura"
        with pytest.raises(DatabaseError):
            unit.save()
    finally:
        time_zone_changed.disconnect(dispatch_uid="test-fail")
    assert Unit.objects.get(pk=unit.pk).time_zone == "Asia/Jakarta"
    assert kept(unit) == before
