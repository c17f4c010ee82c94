"""surveys/services.py: recording services, storing answers, flags, cases, tallies, sign-off."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Case
from pulih.lib.errors import ActionForbidden, InvalidInput, StateConflict
from surveys.ikm import raw_totals
from surveys.models import (
    DailyCheck,
    DailyTally,
    ImprovementItem,
    ServiceRecord,
    SurveyResponse,
)
from surveys.services import (
    SurveyClosed,
    parse_answers,
    record_service,
    sign_daily_check,
    submit_response,
    submit_survey,
)
from units.models import ELEMENT_CODES

GOOD = dict.fromkeys(ELEMENT_CODES, 4)


def test_officer_records_their_own_service(unit, service_type, people):
    record = record_service(
        unit, actor=people["officer"], service_type=service_type, officer=people["officer"]
    )
    assert record.created_by == people["officer"]
    assert len(record.survey_token) >= 24


def test_officer_cannot_record_for_a_colleague(unit, service_type, people):
    with pytest.raises(ActionForbidden):
        record_service(
            unit, actor=people["officer"], service_type=service_type, officer=people["officer2"]
        )


@pytest.mark.parametrize("role", ["back_office", "coordinator"])
def test_back_office_and_coordinator_record_for_any_officer(unit, service_type, people, role):
    record = record_service(
        unit, actor=people[role], service_type=service_type, officer=people["officer2"]
    )
    assert record.officer == people["officer2"]


@pytest.mark.parametrize("role", ["head", "supervisor", "person_in_charge", "admin"])
def test_other_roles_cannot_record_services(unit, service_type, people, role):
    with pytest.raises(ActionForbidden):
        record_service(
            unit, actor=people[role], service_type=service_type, officer=people["officer"]
        )


def test_the_officer_must_be_an_officer_of_the_unit(unit, service_type, people):
    with pytest.raises(InvalidInput) as caught:
        record_service(
            unit, actor=people["back_office"], service_type=service_type, officer=people["head"]
        )
    assert "officer" in caught.value.fields


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"U1": 5}, "answers.U1"),
        ({"U3": 0}, "answers.U3"),
        ({"U2": "x"}, "answers.U2"),
        ({"U2": True}, "answers.U2"),
        ({"U2": 2.5}, "answers.U2"),
        ({"U10": 3}, "answers.U10"),
        ({}, "answers"),
        ([], "answers"),
    ],
)
def test_bad_answers_name_the_element(raw, field):
    with pytest.raises(InvalidInput) as caught:
        parse_answers(raw)
    assert field in caught.value.fields


def test_unanswered_elements_may_be_left_out_or_null():
    assert parse_answers({"U1": 4, "u2": "3", "U3": None}) == {"U1": 4, "U2": 3}


def test_a_good_response_flags_nothing(unit, people, respond):
    response = respond(GOOD, officer=people["officer"])
    assert not response.flagged
    assert not Case.objects.exists()
    assert not ImprovementItem.objects.exists()


def test_a_poor_rating_of_the_officer_is_flagged_for_the_daily_check_and_opens_no_case(
    unit, people, respond
):
    """A → B → C: the rating waits on the daily check, where a person refers it (cases.intake)."""
    response = respond({**GOOD, "U7": 1, "U3": 2}, officer=people["officer"])
    assert response.flagged
    assert response.flagged_elements == "U3,U7"
    assert not Case.objects.exists()
    assert not ImprovementItem.objects.exists()


def test_a_poor_rating_of_the_facilities_becomes_an_improvement_item(unit, people, respond):
    response = respond({**GOOD, "U8": 2}, officer=people["officer"], comment="AC rusak")
    assert response.flagged
    assert not Case.objects.exists()
    item = ImprovementItem.objects.get()
    assert item.survey_response == response
    assert item.elements == "U8"
    assert "Sarana dan prasarana" in item.description
    assert "AC rusak" in item.description


def test_poor_on_both_is_flagged_and_makes_an_improvement_item_only(unit, people, respond):
    response = respond({**GOOD, "U6": 2, "U4": 1}, officer=people["officer"])
    assert response.flagged_elements == "U4,U6"
    assert not Case.objects.exists()
    assert ImprovementItem.objects.get().elements == "U4"


def test_a_poor_rating_without_an_officer_is_flagged_but_opens_no_case(unit, respond):
    response = respond({**GOOD, "U7": 1})
    assert response.flagged
    assert not Case.objects.exists()


def test_the_units_elements_and_threshold_decide_the_flag(unit, people, respond):
    unit.flag_elements = "U7"
    unit.flag_threshold = 1
    unit.save()
    response = respond({**GOOD, "U7": 2, "U3": 1}, officer=people["officer"])
    assert response.flagged_elements == "U3"  # U7 at 2 is above the threshold now
    assert ImprovementItem.objects.get().elements == "U3"  # U3 is the institution's now
    assert respond({**GOOD, "U7": 1}, officer=people["officer"]).flagged_elements == "U7"
    assert not Case.objects.exists()


def test_survey_token_answers_once(record):
    response = submit_survey(record.survey_token, answers=GOOD)
    assert response.service_record == record
    assert response.officer == record.officer
    with pytest.raises(StateConflict):
        submit_survey(record.survey_token, answers=GOOD)


def test_an_answer_read_expired_and_answered_is_still_answered(record):
    submit_survey(record.survey_token, answers=GOOD)
    late = record.served_at + datetime.timedelta(days=31)
    with time_machine.travel(late), pytest.raises(StateConflict):
        submit_survey(record.survey_token, answers=GOOD)


def test_a_409_leaves_the_callers_transaction_working(record):
    submit_survey(record.survey_token, answers=GOOD)
    with transaction.atomic():
        with pytest.raises(StateConflict):
            submit_response(record.unit, answers=GOOD, service_record=record)
        assert ServiceRecord.objects.filter(pk=record.pk).exists()  # no broken transaction
    assert SurveyResponse.objects.filter(service_record=record).count() == 1


def test_a_customers_answer_reads_one_row_and_loads_nothing_later(unit, record):
    """record_for_token reads the record, the unit's flag rule and time zone and whether it was
    answered in one SELECT; storing the answer then reads nothing (no deferred field loads)."""
    unit.flag_elements = "U8"
    unit.flag_threshold = 1
    unit.time_zone = "Asia/Jayapura"
    unit.save()
    with CaptureQueriesContext(connection) as queries:
        response = submit_survey(record.survey_token, answers={**GOOD, "U7": 1, "U8": 2})
    selects = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1, selects
    assert response.flagged_elements == "U7"  # U8 at 2 is above the threshold; U7 is not U8
    assert ImprovementItem.objects.get().elements == "U7"  # U7 is the institution's here
    assert response.service_type_id == record.service_type_id
    assert response.officer_id == record.officer_id
    day = timezone.localtime(response.submitted_at, unit.zone).date()
    assert DailyTally.objects.get().day == day


def test_the_tokens_compiled_read_gives_what_the_orm_reads(unit, record, people, service_type):
    """record_for_token runs the SQL the ORM compiled once: the same row, converted the same
    way (an aware service time), as the QuerySet reads it now, answered or not."""
    from surveys.services import _token_read, record_for_token

    names, read = _token_read()
    other = record_service(
        unit, actor=people["officer"], service_type=service_type, officer=people["officer"]
    )
    submit_survey(other.survey_token, answers=GOOD)
    for token, answered in ((record.survey_token, False), (other.survey_token, True)):
        orm = ServiceRecord.objects.values_list(*names).get(survey_token=token)
        assert read.rows(token=token) == [list(orm)]
        found, is_answered = record_for_token(token)
        assert is_answered is answered
        assert found.served_at == ServiceRecord.objects.get(survey_token=token).served_at
        assert timezone.is_aware(found.served_at)
    assert read.rows(token="x" * 24) == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="prepared statements exist only on PostgreSQL: run with `make test-pg` (CI does)",
)
def test_a_customers_answer_runs_prepared_statements_on_postgresql(unit, service_type, people):
    """The second answer on a connection binds and runs the statements prepared by the first
    (its token's SELECT, the response's INSERT, the tally upsert); the connection's other
    statements stay as Django sends them."""
    records = [
        record_service(
            unit, actor=people["officer"], service_type=service_type, officer=people["officer"]
        )
        for _ in range(3)
    ]
    for record in records:
        submit_survey(record.survey_token, answers=GOOD)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('FROM "surveys_servicerecord"' in s for s in statements), statements
    assert any('INSERT INTO "surveys_surveyresponse"' in s for s in statements), statements
    assert any('INSERT INTO "surveys_dailytally"' in s for s in statements), statements
    assert not any("pg_prepared_statements" in s for s in statements)
    assert connection.connection.prepare_threshold is None  # as Django left it
    assert DailyTally.objects.get().respondents == 3


def test_unknown_token_is_not_found(db):
    with pytest.raises(ServiceRecord.DoesNotExist):
        submit_survey("nope", answers=GOOD)


def test_survey_link_expires_after_30_days(record):
    late = record.served_at + datetime.timedelta(days=30, minutes=1)
    with time_machine.travel(late), pytest.raises(SurveyClosed):
        submit_survey(record.survey_token, answers=GOOD)
    with time_machine.travel(record.served_at + datetime.timedelta(days=29)):
        assert submit_survey(record.survey_token, answers=GOOD).pk


def test_a_failed_flag_rolls_back_the_response_and_its_tally(unit, people, respond, monkeypatch):
    import surveys.services

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(surveys.services, "open_improvement_items", broken)
    with pytest.raises(RuntimeError):
        respond({**GOOD, "U8": 1}, officer=people["officer"])
    assert not unit.survey_responses.exists()
    assert not DailyTally.objects.exists()


def test_tallies_count_respondents_and_elements(unit, people, respond):
    respond({"U1": 4, "U2": 3}, officer=people["officer"])
    respond({"U1": 2}, officer=people["officer"])
    tally = DailyTally.objects.get()
    assert (tally.respondents, tally.u1_sum, tally.u1_n, tally.u2_sum, tally.u2_n) == (
        2,
        6,
        2,
        3,
        1,
    )
    assert tally.u3_n == 0


moments = st.datetimes(
    min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2026, 1, 4)
)
answer_sets = st.dictionaries(
    st.sampled_from(ELEMENT_CODES), st.integers(1, 4), min_size=1, max_size=9
)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.tuples(answer_sets, moments, st.booleans(), st.booleans()), min_size=1, max_size=12)
)
def test_tallies_always_equal_a_raw_scan_of_the_responses(unit, people, respond, rows):
    """Examples accumulate in one test database: every comparison covers all stored so far."""
    from surveys.ikm import ikm_for
    from units.models import ServiceType

    other, _ = ServiceType.objects.get_or_create(unit=unit, code="lain", defaults={"name": "Lain"})
    start = datetime.date(2025, 12, 31)
    end = datetime.date(2026, 1, 5)
    before = raw_totals(unit, start=start, end=end)
    for answers, moment, with_officer, second_service in rows:
        respond(
            answers,
            officer=people["officer"] if with_officer else None,
            at=moment.replace(tzinfo=datetime.UTC),
            **({"service_type": other} if second_service else {}),
        )
    for day in (start + datetime.timedelta(days=i) for i in range(6)):
        for kwargs in ({}, {"officer": people["officer"]}, {"service_type": other}):
            tallied = ikm_for(unit, start=day, end=day, **kwargs)
            respondents, totals = raw_totals(unit, start=day, end=day, **kwargs)
            assert tallied.respondents == respondents
            assert {e.code: (e.total, e.count) for e in tallied.elements} == {
                c: t for c, t in totals.items() if t[1]
            }
    assert raw_totals(unit, start=start, end=end)[0] == before[0] + len(rows)


def test_back_office_signs_a_day_once(unit, people):
    day = timezone.now().astimezone(unit.zone).date()
    check = sign_daily_check(unit, actor=people["back_office"], day=day, note="ok")
    assert check.signed_by == people["back_office"]
    with pytest.raises(StateConflict):
        sign_daily_check(unit, actor=people["coordinator"], day=day)
    assert DailyCheck.objects.count() == 1


@pytest.mark.parametrize("role", ["officer", "head", "supervisor", "person_in_charge"])
def test_only_back_office_or_coordinator_sign(unit, people, role):
    with pytest.raises(ActionForbidden):
        sign_daily_check(unit, actor=people[role], day=datetime.date(2026, 1, 5))


def test_a_future_day_cannot_be_signed(unit, people):
    tomorrow = timezone.now().astimezone(unit.zone).date() + datetime.timedelta(days=1)
    with pytest.raises(InvalidInput):
        sign_daily_check(unit, actor=people["back_office"], day=tomorrow)
