"""API tokens: hashed, expiring by the unit's setting, revocable by their person and the unit
admin, dead after a password change or a deactivation, refused during a lockout."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from api.tokens import issue_token
from conftest import PASSWORD, make_member
from units.models import Role

ME = "/api/v1/auth/tokens/"


def login(username: str = "bella") -> str:
    response = Client().post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 200
    return response.json()["token"]


def with_token(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def works(token: str) -> bool:
    status = with_token(token).get(ME).status_code
    assert status in (200, 401), status
    return status == 200


def test_the_token_is_stored_only_as_a_hash_and_works_as_token_header(people):
    token = login()
    stored = AuthToken.objects.get(user=people["back_office"])
    assert token not in stored.digest and stored.digest != token
    assert len(stored.digest) == 128  # SHA-512
    assert works(token)
    assert with_token("x" * len(token)).get(ME).status_code == 401


def test_a_token_lasts_the_units_setting_default_thirty_days(people, unit):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        token = login()
        expiry = AuthToken.objects.get().expiry
        assert expiry == start + datetime.timedelta(days=30)
        clock.shift(datetime.timedelta(days=29))
        assert works(token)
        clock.shift(datetime.timedelta(days=2))
        assert not works(token)


def test_a_shorter_unit_setting_shortens_the_token(people, unit):
    unit.api_token_days = 7
    unit.save()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        token = login()
        clock.shift(datetime.timedelta(days=8))
        assert not works(token)


def test_an_expired_token_is_refused_left_out_of_the_list_and_deleted(people, unit):
    unit.api_token_days = 7
    unit.save()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        old, used = login(), login()
        clock.shift(datetime.timedelta(days=8))
        assert not works(used)  # refused, and deleted as it is refused
        assert AuthToken.objects.filter(user=people["back_office"]).count() == 1
        fresh = login()  # a new token: the person's other expired one goes
        assert AuthToken.objects.filter(user=people["back_office"]).count() == 1
        assert len(with_token(fresh).get(ME).json()) == 1
        assert not works(old)
        clock.shift(datetime.timedelta(days=8))
        session = Client()
        session.force_login(people["back_office"])
        assert session.get(ME).json() == []  # expired: never listed, whichever way one asks


def test_the_person_lists_and_revokes_their_own_tokens_only(people):
    first, second = login(), login()
    other = login("cici")
    listing = with_token(first).get(ME).json()
    assert len(listing) == 2
    assert [t["current"] for t in listing].count(True) == 1
    target = next(t["id"] for t in listing if not t["current"])
    assert with_token(first).delete(f"{ME}{target}/").status_code == 204
    assert works(first) and not works(second)
    other_id = with_token(other).get(ME).json()[0]["id"]
    assert with_token(first).delete(f"{ME}{other_id}/").status_code == 404
    assert works(other)


def test_a_password_change_ends_every_token(people):
    token = login()
    user = people["back_office"]
    user.set_password("sandi-baru-yang-panjang-2026")
    user.save()
    assert not works(token)
    assert not AuthToken.objects.filter(user=user).exists()


def test_a_deactivation_ends_every_token(people):
    token = login()
    user = people["back_office"]
    user.is_active = False
    user.save()
    assert not works(token)


def test_a_lockout_stops_the_token_until_it_ends(people):
    token = login()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(5):
            Client().post(
                "/api/v1/auth/token/",
                {"username": "bella", "password": "salah"},
                REMOTE_ADDR="10.9.9.9",
            )
        assert not works(token)
        clock.shift(datetime.timedelta(hours=1, minutes=1))
        assert works(token)


def test_other_logins_do_not_end_tokens(people):
    token = login()
    assert (
        Client().post("/accounts/login/", {"username": "bella", "password": PASSWORD}).status_code
        == 302
    )
    people["back_office"].full_name = "Bella Baru"
    people["back_office"].save()
    assert works(token)


@pytest.fixture
def unit_admin(people):
    admin_user = people["admin"]
    admin_user.is_staff = True
    admin_user.save()
    return admin_user


def test_the_unit_admin_revokes_their_members_tokens_not_another_units(
    client, people, unit_admin, outsider
):
    mine, _ = issue_token(people["back_office"])
    theirs, _ = issue_token(outsider)
    lonely = make_member(outsider.memberships.first().unit, "lena", Role.OFFICER)
    lonely_token, _ = issue_token(lonely)
    client.force_login(unit_admin)
    listing = client.get("/admin/knox/authtoken/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert mine.token_key in html
    assert theirs.token_key not in html and lonely_token.token_key not in html
    for row in (theirs, lonely_token):
        url = f"/admin/knox/authtoken/{row.pk}/delete/"
        assert client.post(url, {"post": "yes"}).status_code in (302, 403, 404)
        assert AuthToken.objects.filter(pk=row.pk).exists()
    response = client.post(f"/admin/knox/authtoken/{mine.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AuthToken.objects.filter(pk=mine.pk).exists()
