"""Input out of every sane range answers 4xx (a form error or a 400 naming the field), never 500."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from api.parsers import json_depth

FAR_DATES = ["0001-01-01", "9999-12-31", "1899-12-31", "2100-01-01"]


@pytest.fixture
def survey_token(unit, service_type, people):
    from surveys.services import record_service

    return record_service(
        unit,
        actor=people["officer"],
        service_type=service_type,
        officer=people["officer"],
        customer_name="Siti",
        customer_contact="0812",
    ).survey_token


@pytest.mark.parametrize("day", FAR_DATES)
@pytest.mark.parametrize(
    "url",
    ["/pengaduan/ekspor.xlsx", "/laporan/unduh.pdf", "/laporan/unduh.xlsx"],
)
def test_downloads_refuse_a_far_date_naming_the_field(client, people, url, day):
    client.force_login(people["head"])
    response = client.get(url, {"start": day, "end": "2026-01-31"})
    assert response.status_code == 400
    assert "start" in response.content.decode()


@pytest.mark.parametrize("day", FAR_DATES)
@pytest.mark.parametrize("url", ["/pengaduan/", "/kasus/", "/laporan/"])
def test_screens_show_a_form_error_for_a_far_date(client, people, url, day):
    client.force_login(people["head"])
    response = client.get(url, {"start": day})
    assert response.status_code == 200
    assert "2000-01-01" in response.content.decode()  # the error says the range


@pytest.mark.parametrize("day", FAR_DATES)
def test_the_api_refuses_a_far_date_naming_the_field(people, day):
    api = APIClient()
    api.force_authenticate(people["head"])
    response = api.get("/api/v1/complaints/", {"start": day})
    assert response.status_code == 400
    assert "start" in response.json()
    response = api.get("/api/v1/ikm/", {"unit": "bpmp-kalteng", "start": day, "end": day})
    assert response.status_code == 400
    response = api.get("/api/v1/recap/", {"unit": "bpmp-kalteng", "date": day})
    assert response.status_code == 400


def nested(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


@pytest.mark.parametrize("levels", [40, 5000, 100_000])
def test_deep_json_answers_400_on_every_public_endpoint(unit, survey_token, levels):
    api = APIClient()
    for url in ["/api/v1/complaints/", f"/api/v1/surveys/{survey_token}/", "/api/v1/auth/token/"]:
        response = api.post(url, nested(levels), content_type="application/json")
        assert response.status_code == 400, url


def test_deep_json_answers_400_for_staff_endpoints_too(people):
    api = APIClient()
    api.force_authenticate(people["coordinator"])
    for url in ["/api/v1/cases/", "/api/v1/service-records/", "/api/v1/complaints/record/"]:
        body = "[" * 5000 + "]" * 5000
        response = api.post(url, body, content_type="application/json")
        assert response.status_code in (400, 404, 405), url
        assert response.status_code != 500


def test_a_huge_json_body_answers_413(unit, settings):
    settings.API_MAX_JSON_BYTES = 1000
    body = json.dumps({"unit": "bpmp-kalteng", "text": "x" * 2000})
    response = APIClient().post("/api/v1/complaints/", body, content_type="application/json")
    assert response.status_code == 413


def test_depth_counts_brackets_outside_strings_only():
    assert json_depth(b'{"a": [1, {"b": "[[[[{{{{"}]}') == 3
    assert json_depth(b'"\\"[[["') == 0
