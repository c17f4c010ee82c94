"""Staff forms need the CSRF token: without it a POST is refused (403) and changes nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from units.middleware import SESSION_KEY
from units.models import Membership, Role


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def _token_from(client, path="/"):
    html = client.get(path).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_logout_without_token_is_refused(csrf_client, people):
    csrf_client.force_login(people["coordinator"])
    response = csrf_client.post("/accounts/logout/")
    assert response.status_code == 403
    assert "Formulir kedaluwarsa" in response.content.decode()
    assert csrf_client.get("/").status_code == 200  # still logged in


def test_logout_with_token_works(csrf_client, people):
    csrf_client.force_login(people["coordinator"])
    token = _token_from(csrf_client)
    response = csrf_client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert csrf_client.get("/").status_code == 302


def test_switch_unit_without_token_is_refused(csrf_client, people, other_unit):
    user = people["coordinator"]
    Membership.objects.create(user=user, unit=other_unit, role=Role.COORDINATOR)
    csrf_client.force_login(user)
    response = csrf_client.post("/unit/switch/", {"unit": other_unit.code})
    assert response.status_code == 403
    assert SESSION_KEY not in csrf_client.session


def test_switch_unit_with_token_works(csrf_client, people, other_unit):
    user = people["coordinator"]
    Membership.objects.create(user=user, unit=other_unit, role=Role.COORDINATOR)
    csrf_client.force_login(user)
    token = _token_from(csrf_client)
    response = csrf_client.post(
        "/unit/switch/", {"unit": other_unit.code, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert csrf_client.session[SESSION_KEY] == other_unit.code


def test_login_form_without_token_is_refused(csrf_client, people):
    from conftest import PASSWORD

    response = csrf_client.post("/accounts/login/", {"username": "bella", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in csrf_client.session
