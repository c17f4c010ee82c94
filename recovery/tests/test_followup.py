"""The follow-up question: issued on delivery, waits its days, takes one answer, then a neutral
page for every closed link; the officer never sees the answer."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cases.models import CaseState
from notifications.models import OutboxMessage, OutboxState
from recovery.models import FollowUp, RecoverySettings

CLOSED_TEXT = "Tautan ini tidak lagi menerima jawaban."


@pytest.fixture
def closed_case(make_case):
    return make_case(CaseState.CLOSED)


def page(client, followup, method="get", **data):
    url = f"/tindak-lanjut/{followup.token}/"
    return client.post(url, data) if method == "post" else client.get(url)


def test_delivery_issues_one_followup_that_opens_after_the_units_delay(closed_case):
    followup = FollowUp.objects.get(case=closed_case)
    assert followup.opens_at == closed_case.delivery.delivered_at + datetime.timedelta(days=3)
    assert followup.closes_at == followup.opens_at + datetime.timedelta(days=30)
    assert len(followup.token) == 43 and followup.score is None


def test_the_delay_is_a_unit_setting(unit, make_case):
    RecoverySettings.objects.create(unit=unit, delay_days=5, valid_days=7)
    case = make_case(CaseState.CLOSED)
    followup = case.followup
    assert followup.opens_at - case.delivery.delivered_at == datetime.timedelta(days=5)
    assert followup.closes_at - followup.opens_at == datetime.timedelta(days=7)


def test_the_question_waits_its_days_then_takes_one_answer(client, closed_case):
    followup = closed_case.followup
    track = f"/kompensasi/{closed_case.compensation.tracking_token}/"
    waiting = page(client, followup)
    assert waiting.status_code == 410 and CLOSED_TEXT in waiting.content.decode()
    assert "followup-question" not in client.get(track).content.decode()

    with time_machine.travel(followup.opens_at + datetime.timedelta(hours=1)):
        assert f"/tindak-lanjut/{followup.token}/" in client.get(track).content.decode()
        form = page(client, followup)
        assert form.status_code == 200
        assert "Apakah penanganan ini memulihkan kepuasan Anda?" in form.content.decode()
        done = page(
            client, followup, "post", score="4", comment="Sudah dilayani ulang, terima kasih"
        )
        assert done.status_code == 200 and "Terima kasih" in done.content.decode()
        again = page(client, followup, "post", score="1")
        answered_body = again.content.decode()
        assert again.status_code == 410 and CLOSED_TEXT in answered_body
        assert "followup-question" not in client.get(track).content.decode()

    followup.refresh_from_db()
    assert followup.score == 4 and followup.recovered is True
    assert followup.comment == "Sudah dilayani ulang, terima kasih"


def test_answered_and_expired_links_get_the_same_neutral_page(client, make_case):
    answered, expired = make_case(CaseState.CLOSED), make_case(CaseState.CLOSED)
    with time_machine.travel(answered.followup.opens_at + datetime.timedelta(hours=1)):
        page(client, answered.followup, "post", score="3")
        answered_page = page(client, answered.followup)
    with time_machine.travel(expired.followup.closes_at + datetime.timedelta(seconds=1)):
        expired_page = page(client, expired.followup)
        unknown_page = client.get("/tindak-lanjut/" + "x" * 43 + "/")
    assert answered_page.status_code == expired_page.status_code == unknown_page.status_code == 410
    pages = [(answered_page, answered.followup.token), (expired_page, expired.followup.token)]
    pages.append((unknown_page, "x" * 43))
    assert len({neutral(r, token) for r, token in pages}) == 1


def neutral(response, token: str) -> str:
    """The page with what differs by request alone (nonce, CSRF token, its own path) cut out."""
    body = response.content.decode().replace(token, "TOKEN")
    return re.sub(r'(nonce|value)="[^"]*"', "", body)


@pytest.mark.parametrize("score", ["0", "5", "-1", "abc", ""])
def test_an_answer_out_of_range_is_a_form_error_and_nothing_is_stored(client, closed_case, score):
    followup = closed_case.followup
    with time_machine.travel(followup.opens_at + datetime.timedelta(hours=1)):
        response = page(client, followup, "post", score=score)
    assert response.status_code == 400
    followup.refresh_from_db()
    assert followup.answered_at is None and followup.score is None


def test_api_takes_one_answer_and_refuses_bad_ones(client, closed_case):
    followup = closed_case.followup
    url = f"/api/v1/followups/{followup.token}/"
    post = lambda body: client.post(url, body, content_type="application/json")  # noqa: E731
    assert post({"score": 4}).status_code == 410  # not open yet
    with time_machine.travel(followup.opens_at + datetime.timedelta(hours=1)):
        assert post({"score": 7}).status_code == 400
        assert post({"score": True}).status_code == 400
        assert post({"score": 2, "comment": "x" * 2001}).status_code == 400
        assert post({"score": 2, "comment": "Masih kecewa"}).status_code == 201
        assert post({"score": 4}).status_code == 410
    followup.refresh_from_db()
    assert followup.score == 2 and followup.recovered is False


def test_followup_email_is_sent_once_when_the_question_opens(
    closed_case, django_capture_on_commit_callbacks
):
    followup = closed_case.followup
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_followups")
    assert mail.outbox == []  # not open yet
    with time_machine.travel(followup.opens_at + datetime.timedelta(minutes=5)):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_followups")
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_followups")
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get(kind="recovery_followup").state == OutboxState.SENT
    assert mail.outbox[0].to == ["budi@contoh.id"]
    assert f"/tindak-lanjut/{followup.token}/" in mail.outbox[0].body


def test_the_coordinator_sees_the_answer_on_the_case_and_the_officer_never(
    client, closed_case, people
):
    followup = closed_case.followup
    FollowUp.objects.filter(pk=followup.pk).update(
        answered_at=timezone.now(), score=1, comment="Komentar rahasia pelanggan"
    )
    client.force_login(people["coordinator"])
    assert "Komentar rahasia pelanggan" in client.get(f"/kasus/{closed_case.pk}/").content.decode()
    client.force_login(people["officer"])
    for url in ("/kasus/saya/", f"/kasus/{closed_case.pk}/", "/"):
        assert "Komentar rahasia pelanggan" not in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer", 403),
        ("coordinator", 403),
        ("back_office", 403),
        ("head", 200),
        ("supervisor", 200),
    ],
)
def test_recovery_figures_in_the_api_are_for_the_head_and_the_supervisor(
    client, unit, people, role, status
):
    client.force_login(people[role])
    today = timezone.localdate()
    response = client.get(f"/api/v1/recovery/?unit={unit.code}&start={today}&end={today}")
    assert response.status_code == status


def test_a_flood_of_answers_from_one_address_is_turned_away(client, closed_case):
    followup = closed_case.followup
    with time_machine.travel(followup.opens_at + datetime.timedelta(hours=1), tick=False):
        statuses = [page(client, followup, "post", score="9").status_code for _ in range(35)]
        assert statuses[:30] == [400] * 30  # the survey's rate: 30 a minute per address
        assert set(statuses[30:]) == {429}
        assert page(client, followup, "post", score="4").status_code == 429
    followup.refresh_from_db()
    assert followup.answered_at is None
