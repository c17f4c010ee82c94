"""Repeated failed logins lock out (django-axes), on the login form and the API token alike;
the token endpoint is also rate-limited."""

from __future__ import annotations

import datetime

import time_machine
from axes.models import AccessAttempt
from knox.models import AuthToken

from conftest import PASSWORD

LOCKED_TEXT = "Terlalu banyak percobaan masuk yang gagal"
LOCKED_DETAIL = "Akun ini dikunci sementara"


def _login(client, password):
    return client.post("/accounts/login/", {"username": "bella", "password": password})


def _token(client, password, username="bella"):
    return client.post("/api/v1/auth/token/", {"username": username, "password": password})


def test_four_failed_logins_still_show_the_login_form(client, people):
    for _ in range(4):
        response = _login(client, "salah-sandi")
        assert response.status_code == 200
        assert LOCKED_TEXT not in response.content.decode()
    assert _login(client, PASSWORD).status_code == 302


def test_sixth_login_is_refused_even_with_the_right_password(client, people):
    for _ in range(5):
        _login(client, "salah-sandi")
    response = _login(client, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED_TEXT in html
    assert "Akun terkunci" in html
    assert int(response["Retry-After"]) == 3600
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_lockout_ends_after_the_cool_off(client, people):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _login(client, "salah-sandi")
        assert _login(client, PASSWORD).status_code == 429
    with time_machine.travel(start + datetime.timedelta(hours=1, minutes=1), tick=False):
        assert _login(client, PASSWORD).status_code == 302


def test_token_endpoint_counts_failures_and_locks_out(client, people):
    for _ in range(4):
        response = _token(client, "salah-sandi")
        assert response.status_code == 400
    assert AccessAttempt.objects.get(username="bella").failures_since_start == 4
    _token(client, "salah-sandi")
    response = _token(client, PASSWORD)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert LOCKED_DETAIL in response.json()["detail"]
    assert not AuthToken.objects.filter(user=people["back_office"]).exists()


def test_failures_on_the_api_lock_the_login_form_too(client, people):
    for _ in range(5):
        _token(client, "salah-sandi")
    response = _login(client, PASSWORD)
    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()


def test_token_endpoint_answers_a_token_for_the_right_password(client, people):
    response = _token(client, PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    assert set(response.json()) == {"token", "expiry"}
    stored = AuthToken.objects.get(user=people["back_office"])
    assert token.startswith(stored.token_key) and token not in stored.digest  # only a hash


def test_token_endpoint_ignores_a_stale_token_header(client, people):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "bella", "password": PASSWORD},
        HTTP_AUTHORIZATION="Token not-a-real-token",
    )
    assert response.status_code == 200


def test_token_endpoint_answers_429_past_the_login_rate(client, people, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    for _ in range(3):
        assert _token(client, PASSWORD).status_code == 200
    response = _token(client, PASSWORD)
    assert response.status_code == 429
    assert "Retry-After" in response
    assert "detail" in response.json()
