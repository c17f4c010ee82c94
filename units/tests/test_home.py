import pytest

from units.models import Role


@pytest.mark.parametrize("role", list(Role.values))
def test_each_role_sees_its_own_home(client, people, role):
    client.force_login(people[role])
    html = client.get("/").content.decode()
    assert f'id="home-{role}"' in html
    others = [r for r in Role.values if r != role]
    assert not any(f'id="home-{r}"' in html for r in others)


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_and_logout(client, people):
    from conftest import PASSWORD

    response = client.post("/accounts/login/", {"username": "bella", "password": PASSWORD})
    assert response.status_code == 302
    assert "Bella Back" in client.get("/").content.decode()
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_user_sees_only_their_units(client, people, outsider, other_unit, unit):
    client.force_login(people["coordinator"])
    html = client.get("/").content.decode()
    assert unit.name in html
    assert other_unit.name not in html
    response = client.post("/unit/switch/", {"unit": other_unit.code})
    assert response.status_code == 404


def test_login_form_is_indonesian(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert "Masuk" in html
    assert "Kata sandi" in html
