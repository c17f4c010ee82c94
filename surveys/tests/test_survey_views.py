"""The public survey: by receipt token and by the counter poster; no login, no JavaScript."""

from __future__ import annotations

import datetime
import re

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
    assert not Case.objects.exists()  # it waits on the daily check


def test_a_second_submission_is_refused_politely(client, record):
    client.post(f"/s/{record.survey_token}/", ALL_FOURS)
    again = client.post(f"/s/{record.survey_token}/", ALL_FOURS)
    assert again.status_code == 410
    assert "tidak lagi terbuka" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    reopened = client.get(f"/s/{record.survey_token}/")
    assert reopened.status_code == 410
    assert "sudah diisi" not in reopened.content.decode()


def test_an_answered_link_looks_exactly_like_an_expired_one(client, record, service_type, people):
    """No signal to the officer: whoever holds a used link sees what an expired one shows."""
    from surveys.services import record_service

    client.post(f"/s/{record.survey_token}/", ALL_FOURS)
    answered = client.get(f"/s/{record.survey_token}/")
    other = record_service(
        record.unit, actor=people["back_office"], service_type=service_type,
        officer=people["officer"], served_at=record.served_at,
    )  # fmt: skip
    with time_machine.travel(record.served_at + datetime.timedelta(days=31)):
        expired = client.get(f"/s/{other.survey_token}/")
        expired_post = client.post(f"/s/{other.survey_token}/", ALL_FOURS)
    answered_post = client.post(f"/s/{record.survey_token}/", ALL_FOURS)
    assert answered.status_code == expired.status_code == 410
    assert answered_post.status_code == expired_post.status_code == 410
    pages = {
        # The same but for each response's CSRF token and the page's own address.
        re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", r.content)
        .replace(record.survey_token.encode(), b"TOKEN")
        .replace(other.survey_token.encode(), b"TOKEN")
        for r in (answered, expired, answered_post, expired_post)
    }
    assert len(pages) == 1


def test_unknown_token_gets_a_clear_page(client, db):
    response = client.get("/s/tidak-ada/")
    assert response.status_code == 404
    assert "Survei tidak ditemukan" in response.content.decode()


def test_expired_token_gets_a_clear_page(client, record):
    with time_machine.travel(record.served_at + datetime.timedelta(days=31)):
        response = client.get(f"/s/{record.survey_token}/")
        assert response.status_code == 410
        assert "tidak lagi terbuka" in response.content.decode()
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


def test_walk_in_survey_names_the_officer_by_counter_code_only(client, unit, service_type, people):
    from surveys.services import officer_codes

    codes = officer_codes(unit)
    url = f"/u/{unit.code}/survey/{service_type.code}/"
    html = client.get(url).content.decode()
    assert codes[people["officer"].pk] in html and codes[people["officer2"].pk] in html
    for person in people.values():  # no staff names, usernames or NIPs on the public page
        assert person.display_name not in html
        assert f">{person.username}<" not in html
        if person.nip:
            assert person.nip not in html
    assert codes.get(people["head"].pk) is None  # only officers have a code
    response = client.post(url, {**ALL_FOURS, "u6": "2", "officer": codes[people["officer2"].pk]})
    assert response.status_code == 200
    stored = SurveyResponse.objects.get()
    assert (stored.officer, stored.service_type, stored.service_record) == (
        people["officer2"],
        service_type,
        None,
    )
    assert stored.unverified and stored.flagged_elements == "U6"  # named, no receipt
    assert not Case.objects.exists()


def test_walk_in_without_an_officer_is_fine(client, unit, service_type, people):
    client.post(f"/u/{unit.code}/survey/{service_type.code}/", ALL_FOURS)
    assert SurveyResponse.objects.get().officer is None


def test_walk_in_refuses_a_non_officer(client, unit, service_type, people):
    url = f"/u/{unit.code}/survey/{service_type.code}/"
    response = client.post(url, {**ALL_FOURS, "officer": people["head"].pk})
    assert response.status_code == 200
    response = client.post(url, {**ALL_FOURS, "officer": "P999999"})
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


def test_a_partial_survey_asks_once_then_sends(client, record):
    url = f"/s/{record.survey_token}/"
    partial = {"u1": "4", "u2": "3", "u7": "4"}
    asked = client.post(url, partial)
    html = asked.content.decode()
    assert asked.status_code == 200 and not SurveyResponse.objects.exists()
    assert "Anda menjawab 3 dari 9 pertanyaan — kirim saja?" in html
    assert 'name="partial_ok" value="1"' in html
    assert 'href="#element-U3"' in html  # the first unanswered question
    assert html.count("checked") == 3  # the answers given are kept
    sent = client.post(url, {**partial, "partial_ok": "1"})
    assert "Terima kasih" in sent.content.decode()
    assert SurveyResponse.objects.get().u3 is None


def test_a_complete_survey_is_not_asked(client, record):
    client.post(f"/s/{record.survey_token}/", ALL_FOURS)
    assert SurveyResponse.objects.count() == 1


def test_after_a_poor_rating_the_thanks_lead_to_the_complaint_form(client, record, unit):
    poor = client.post(f"/s/{record.survey_token}/", {**ALL_FOURS, "u7": "1"}).content.decode()
    assert 'id="poor-follow-up"' in poor
    assert f'href="/u/{unit.code}/pengaduan/"' in poor
    assert "menindaklanjutinya" in poor


def test_a_good_rating_gets_plain_thanks(client, record):
    good = client.post(f"/s/{record.survey_token}/", ALL_FOURS).content.decode()
    assert "Terima kasih" in good and 'id="poor-follow-up"' not in good


def test_the_walk_in_survey_asks_about_a_partial_answer_too(client, unit, service_type):
    url = f"/u/{unit.code}/survey/{service_type.code}/"
    assert "kirim saja?" in client.post(url, {"u1": "4"}).content.decode()
    assert not SurveyResponse.objects.exists()
    client.post(url, {"u1": "4", "partial_ok": "1"})
    assert SurveyResponse.objects.count() == 1
