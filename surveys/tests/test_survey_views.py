"""The public survey: by receipt token and by the counter poster; no login, no JavaScript."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from cases.models import Case
from surveys.models import SurveyResponse

ALL_FOURS = {f"u{i}": "4" for i in range(1, 10)}


def test_survey_form_opens_without_login_in_indonesian(client, record):
    response = client.get(f"/s/{record.survey_token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Survei kepuasan pelanggan" in html
    assert "Sangat sopan dan ramah" in html
    assert html.count('type="radio"') == 36
    assert "style=" not in html
    assert "<script>" not in html
    # The officer's name is not asked of the customer: it comes with the token.
    assert record.officer.display_name not in html


def test_survey_form_can_be_english(client, record):
    client.cookies["django_language"] = "en"
    html = client.get(f"/s/{record.survey_token}/").content.decode()
    assert "Customer satisfaction survey" in html
    assert "Very polite and friendly" in html


def test_submitting_the_survey_stores_one_response(client, record):
    response = client.post(
        f"/s/{record.survey_token}/", {**ALL_FOURS, "u7": "1", "comment": "Kurang ramah"}
    )
    assert response.status_code == 200
    assert "Terima kasih" in response.content.decode()
    stored = SurveyResponse.objects.get()
    assert stored.service_record == record
    assert stored.u7 == 1
    assert stored.flagged
    assert not Case.objects.exists()  # flagged only: the daily check refers it


def test_a_second_submission_is_refused_politely(client, record):
    client.post(f"/s/{record.survey_token}/", ALL_FOURS)
    again = client.post(f"/s/{record.survey_token}/", ALL_FOURS)
    assert again.status_code == 409
    assert "sudah diisi" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    reopened = client.get(f"/s/{record.survey_token}/")
    assert reopened.status_code == 200
    assert "sudah diisi" in reopened.content.decode()


def test_unknown_token_gets_a_clear_page(client, db):
    response = client.get("/s/tidak-ada/")
    assert response.status_code == 404
    assert "Survei tidak ditemukan" in response.content.decode()


def test_expired_token_gets_a_clear_page(client, record):
    with time_machine.travel(record.served_at + datetime.timedelta(days=31)):
        response = client.get(f"/s/{record.survey_token}/")
        assert response.status_code == 410
        assert "kedaluwarsa" in response.content.decode()
        assert client.post(f"/s/{record.survey_token}/", ALL_FOURS).status_code == 410
    assert not SurveyResponse.objects.exists()


def test_an_empty_survey_is_not_accepted(client, record):
    response = client.post(f"/s/{record.survey_token}/", {"comment": "halo"})
    assert response.status_code == 200
    assert "Mohon jawab setidaknya satu pertanyaan" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_tampered_answer_is_rejected_with_a_message(client, record):
    response = client.post(f"/s/{record.survey_token}/", {**ALL_FOURS, "u3": "9"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_walk_in_survey_lets_the_customer_name_the_officer(client, unit, service_type, people):
    url = f"/u/{unit.code}/survey/{service_type.code}/"
    html = client.get(url).content.decode()
    assert "Oscar Officer" in html and "Olive Officer" in html
    assert "Hadi Kepala" not in html  # only officers are listed
    response = client.post(url, {**ALL_FOURS, "u6": "2", "officer": people["officer2"].pk})
    assert response.status_code == 200
    stored = SurveyResponse.objects.get()
    assert (stored.officer, stored.service_type, stored.service_record) == (
        people["officer2"],
        service_type,
        None,
    )
    assert stored.flagged_elements == "U6" and not Case.objects.exists()


def test_walk_in_without_an_officer_is_fine(client, unit, service_type, people):
    client.post(f"/u/{unit.code}/survey/{service_type.code}/", ALL_FOURS)
    assert SurveyResponse.objects.get().officer is None


def test_walk_in_refuses_a_non_officer(client, unit, service_type, people):
    url = f"/u/{unit.code}/survey/{service_type.code}/"
    response = client.post(url, {**ALL_FOURS, "officer": people["head"].pk})
    assert response.status_code == 200
    assert not SurveyResponse.objects.exists()


def test_walk_in_of_an_unknown_unit_or_service_is_404(client, unit, service_type):
    assert client.get(f"/u/nope/survey/{service_type.code}/").status_code == 404
    assert client.get(f"/u/{unit.code}/survey/nope/").status_code == 404


def test_walk_in_is_rate_limited_per_address(client, unit, service_type, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "survey": "3/minute",
        },
    }
    url = f"/u/{unit.code}/survey/{service_type.code}/"
    codes = [client.post(url, ALL_FOURS).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert SurveyResponse.objects.count() == 3
    other = client.post(url, ALL_FOURS, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    assert "Terlalu banyak" in client.post(url, ALL_FOURS).content.decode()


@pytest.mark.parametrize("path", ["/s/{token}/", "/u/{unit}/survey/{service}/"])
def test_survey_pages_have_no_inline_styles_or_scripts(client, record, unit, service_type, path):
    url = path.format(token=record.survey_token, unit=unit.code, service=service_type.code)
    html = client.get(url).content.decode()
    assert "style=" not in html
    assert "<script" not in html


def test_a_token_with_odd_characters_is_simply_unknown(client, db):
    assert client.get("/s/a%00b/").status_code == 404
    assert client.post("/s/%E2%9C%93/", ALL_FOURS).status_code == 404
