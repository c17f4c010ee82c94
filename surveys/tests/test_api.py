"""The satisfaction endpoints of DESIGN.md §6."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from api.tokens import issue_token
from cases.models import Case
from surveys.models import DailyTally, ServiceRecord, SurveyResponse
from units.models import ELEMENT_CODES, IkmWeight

GOOD = dict.fromkeys(ELEMENT_CODES, 4)


def login(api, user):
    _row, token = issue_token(user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def record_body(unit, service_type, officer, **extra):
    return {
        "unit": unit.code,
        "service_type": service_type.code,
        "officer": officer.username,
        "customer_name": "Budi",
        "customer_contact": "0812",
        "customer_kind": "external",
        "channel": "in_person",
        "served_at": "2026-11-02T09:00:00+07:00",
        **extra,
    }


def test_officer_records_a_service_and_gets_its_survey_link(api, unit, service_type, people):
    login(api, people["officer"])
    response = api.post(
        "/api/v1/service-records/",
        record_body(unit, service_type, people["officer"]),
        format="json",
    )
    assert response.status_code == 201
    record = ServiceRecord.objects.get()
    assert response.json() == {
        "id": record.pk,
        "survey_token": record.survey_token,
        "survey_url": f"http://127.0.0.1:8000/s/{record.survey_token}/",
    }


def test_officer_may_not_record_for_a_colleague(api, unit, service_type, people):
    login(api, people["officer"])
    body = record_body(unit, service_type, people["officer2"])
    assert api.post("/api/v1/service-records/", body, format="json").status_code == 403


def test_back_office_records_for_any_officer(api, unit, service_type, people):
    login(api, people["back_office"])
    body = record_body(unit, service_type, people["officer2"])
    assert api.post("/api/v1/service-records/", body, format="json").status_code == 201


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"service_type": "nope"}, "service_type"),
        ({"officer": "hadi"}, "officer"),
        ({"customer_kind": "alien"}, "customer_kind"),
        ({"served_at": "kemarin"}, "served_at"),
        ({"unit": ""}, "unit"),
    ],
)
def test_bad_service_records_answer_400_naming_the_field(
    api, unit, service_type, people, change, field
):
    login(api, people["back_office"])
    body = {**record_body(unit, service_type, people["officer"]), **change}
    response = api.post("/api/v1/service-records/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_another_units_records_are_404_and_anonymous_401(api, unit, service_type, people, outsider):
    body = record_body(unit, service_type, people["officer"])
    assert api.post("/api/v1/service-records/", body, format="json").status_code == 401
    login(api, outsider)
    assert api.post("/api/v1/service-records/", body, format="json").status_code == 404


@pytest.mark.parametrize("role", ["head", "supervisor"])
def test_read_only_roles_cannot_record(api, unit, service_type, people, role):
    login(api, people[role])
    body = record_body(unit, service_type, people["officer"])
    assert api.post("/api/v1/service-records/", body, format="json").status_code == 403


def test_public_survey_answers_201_with_flagged(api, record):
    response = api.post(
        f"/api/v1/surveys/{record.survey_token}/",
        {"answers": {**GOOD, "U7": 2}, "comment": "Kurang ramah"},
        format="json",
    )
    assert response.status_code == 201
    stored = SurveyResponse.objects.get()
    assert response.json() == {"id": stored.pk, "flagged": True}
    assert stored.source == "api"
    assert not Case.objects.exists()  # flagged for the daily check, no case by itself


def test_public_survey_refuses_a_second_answer_as_it_refuses_an_expired_link(api, record):
    """Answered and expired give the same status and text: the holder of the link (the
    officer who printed it) cannot tell whether the customer answered."""
    url = f"/api/v1/surveys/{record.survey_token}/"
    assert api.post(url, {"answers": GOOD}, format="json").status_code == 201
    answered = api.post(url, {"answers": GOOD}, format="json")
    expired_record = ServiceRecord.objects.get(pk=record.pk)
    expired_record.pk = None
    expired_record.survey_token = "expired-token-1234"
    expired_record.served_at = timezone.now() - datetime.timedelta(days=31)
    expired_record.save()
    expired = api.post("/api/v1/surveys/expired-token-1234/", {"answers": GOOD}, format="json")
    assert answered.status_code == expired.status_code == 410
    assert answered.json() == expired.json()


@pytest.mark.django_db(transaction=True)
def test_public_survey_outside_a_transaction_stores_the_answer_and_its_tally_once(api, record):
    """As in production (no test transaction around the request): the response and its tally
    are written together; a second answer is 409 and changes nothing; a poor rating is
    flagged (no case is opened at submission)."""
    url = f"/api/v1/surveys/{record.survey_token}/"
    assert api.post(url, {"answers": GOOD}, format="json").status_code == 201
    assert api.post(url, {"answers": {**GOOD, "U1": 1}}, format="json").status_code == 410
    assert SurveyResponse.objects.count() == 1
    tally = DailyTally.objects.get()
    assert (tally.respondents, tally.u1_sum, tally.u1_n) == (1, 4, 1)
    record.pk = None
    record.survey_token = "another-token-1234"
    record.save()
    poor = {**GOOD, "U7": 2}
    assert api.post("/api/v1/surveys/another-token-1234/", {"answers": poor}, format="json").json()[
        "flagged"
    ]
    assert SurveyResponse.objects.get(service_record=record).flagged
    assert SurveyResponse.objects.get(service_record=record).flagged_elements == "U7"
    assert not Case.objects.exists()
    tally.refresh_from_db()
    assert (tally.respondents, tally.u7_sum, tally.u7_n) == (2, 6, 2)


def test_unknown_token_is_404_and_expired_410(api, record):
    assert api.post("/api/v1/surveys/nope/", {"answers": GOOD}, format="json").status_code == 404
    with time_machine.travel(record.served_at + datetime.timedelta(days=31)):
        url = f"/api/v1/surveys/{record.survey_token}/"
        assert api.post(url, {"answers": GOOD}, format="json").status_code == 410


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": {"U3": 5}}, "answers.U3"),
        ({"answers": {"U3": "baik"}}, "answers.U3"),
        ({"answers": {"X1": 2}}, "answers.X1"),
        ({"answers": {}}, "answers"),
        ({"answers": [1, 2]}, "answers"),
        ({}, "answers"),
    ],
)
def test_bad_answers_are_400_naming_the_element(api, record, body, field):
    response = api.post(f"/api/v1/surveys/{record.survey_token}/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not SurveyResponse.objects.exists()


def test_ikm_endpoint_gives_the_worked_example(api, unit, people, worked_example):
    login(api, people["head"])
    url = f"/api/v1/ikm/?unit={unit.code}&start=2026-11-02&end=2026-11-02"
    data = api.get(url).json()
    assert (data["respondents"], data["score"], data["grade"], data["label"]) == (
        29,
        91.48,
        "A",
        "Sangat baik",
    )
    assert data["elements"][6] == {
        "code": "U7",
        "name": "Perilaku pelaksana",
        "nrr": 3.6552,
        "weighted": 0.4061,
    }
    unit.ikm_weight = IkmWeight.LEGACY
    unit.save()
    assert api.get(url).json()["score"] == 91.38


def test_ikm_endpoint_equals_the_command(api, unit, people, worked_example):
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command(
        "ikm",
        "--unit",
        unit.code,
        "--start",
        "2026-11-01",
        "--end",
        "2026-11-30",
        "--json",
        stdout=out,
    )
    login(api, people["back_office"])
    api_data = api.get(f"/api/v1/ikm/?unit={unit.code}&start=2026-11-01&end=2026-11-30").json()
    assert api_data == json.loads(out.getvalue())


def test_ikm_endpoint_filters_and_validates(api, unit, people, worked_example, service_type):
    login(api, people["coordinator"])
    base = f"/api/v1/ikm/?unit={unit.code}&start=2026-11-01&end=2026-11-30"
    assert api.get(base + f"&service={service_type.code}").json()["respondents"] == 29
    assert api.get(base + "&officer=olive").json()["respondents"] == 0
    assert api.get(base + "&officer=olive").json()["score"] is None
    assert api.get(base + "&officer=hadi").status_code == 400
    assert api.get(base + "&service=nope").status_code == 400
    assert api.get(f"/api/v1/ikm/?unit={unit.code}&start=2026-11-31&end=x").status_code == 400
    assert api.get(f"/api/v1/ikm/?unit={unit.code}").status_code == 400
    assert api.get(base.replace("start=2026-11-01", "start=2026-12-01")).status_code == 400


def test_officer_sees_their_own_ikm_but_not_a_colleagues(api, unit, people, worked_example):
    """surveys.access: the unit's figures are for whoever reads its results (as on the IKM
    page, which the officer does not open); one officer's are for that officer too."""
    login(api, people["officer"])
    base = f"/api/v1/ikm/?unit={unit.code}&start=2026-11-01&end=2026-11-30"
    assert api.get(base + "&officer=oscar").status_code == 200
    assert api.get(base + "&officer=olive").status_code == 403
    assert api.get(base).status_code == 403


def test_ikm_of_another_unit_is_404(api, unit, outsider, worked_example):
    login(api, outsider)
    url = f"/api/v1/ikm/?unit={unit.code}&start=2026-11-01&end=2026-11-30"
    assert api.get(url).status_code == 404


@pytest.fixture
def flagged_day(unit, people, respond, record):
    from surveys.services import submit_survey

    submit_survey(record.survey_token, answers={**GOOD, "U6": 1}, comment="Petugas bingung")
    respond(GOOD, officer=people["officer2"])
    return record


@pytest.mark.parametrize(
    "role", ["back_office", "coordinator", "person_in_charge", "head", "supervisor"]
)
def test_recap_lists_the_days_flagged_with_officer_and_elements(
    api, unit, people, flagged_day, role
):
    login(api, people[role])
    today = flagged_day.served_at.astimezone(unit.zone).date()
    data = api.get(f"/api/v1/recap/?unit={unit.code}&date={today.isoformat()}").json()
    assert data["respondents"] == 2
    assert data["checked"] is False
    (item,) = data["flagged"]
    assert item["officer"] == "oscar"
    assert item["officer_name"] == "Oscar Officer"
    assert item["elements"] == [
        {"code": "U6", "name": "Kompetensi pelaksana", "score": 1, "label": "Tidak kompeten"}
    ]
    assert item["cases"] == [] and item["decision"] is None
    assert item["unverified"] is False and item["officer_code"].startswith("P")
    body = str(data)
    assert "Siti" not in body and "0812" not in body  # never the customer's identity


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_recap_is_not_for_officers_or_admins(api, unit, people, role):
    login(api, people[role])
    assert api.get(f"/api/v1/recap/?unit={unit.code}&date=2026-11-02").status_code == 403


def test_recap_validates_its_query(api, unit, people):
    login(api, people["back_office"])
    assert api.get(f"/api/v1/recap/?unit={unit.code}&date=nope").status_code == 400
    assert api.get("/api/v1/recap/?date=2026-11-02").status_code == 400
    assert api.get("/api/v1/recap/?unit=nope&date=2026-11-02").status_code == 404


def test_the_endpoints_are_in_the_openapi_schema(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    for path in (
        "/api/v1/service-records/",
        "/api/v1/surveys/{token}/",
        "/api/v1/ikm/",
        "/api/v1/recap/",
    ):
        assert path in schema["paths"]
    responses = schema["paths"]["/api/v1/surveys/{token}/"]["post"]["responses"]
    assert {"201", "400", "404", "410"} <= set(responses)


def test_hostile_query_values_are_400_not_500(api, unit, people):
    login(api, people["coordinator"])
    for url in (
        "/api/v1/ikm/?unit=a%00b&start=2026-11-01&end=2026-11-02",
        f"/api/v1/ikm/?unit={unit.code}&start=0001-01-01&end=9999-12-31&officer=%00",
        f"/api/v1/recap/?unit={unit.code}&date=9999-12-31%00",
    ):
        assert api.get(url).status_code == 400
    # Dates outside 2000–2099 are refused, naming the field (issue 13).
    wide = api.get(f"/api/v1/ikm/?unit={unit.code}&start=0001-01-01&end=9999-12-31")
    assert wide.status_code == 400 and "start" in wide.json()
    assert api.get(f"/api/v1/recap/?unit={unit.code}&date=9999-12-31").status_code == 400
    assert api.get(f"/api/v1/recap/?unit={unit.code}&date=0001-01-01").status_code == 400
    assert api.post("/api/v1/surveys/a%00b/", {"answers": GOOD}, format="json").status_code == 404
