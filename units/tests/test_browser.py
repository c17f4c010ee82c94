"""A person logs in as each role and opens the published standard, in Debian's Chromium."""

import pytest

from conftest import PASSWORD
from units.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")


@pytest.mark.parametrize("role", Role.values)
def test_each_role_logs_in_to_its_home(page, live_server, people, role):
    log_in(page, live_server.url, people[role].username)
    page.wait_for_selector(f"#home-{role}")
    assert page.locator(".home-role").count() == 1
    assert "Beranda" in page.title()


def test_published_standard_opens_without_login(page, live_server, unit):
    page.goto(f"{live_server.url}/u/{unit.code}/")
    assert page.locator("h1").inner_text() == "Standar Pelayanan Sanksi dan Kompensasi"
    assert page.locator("#violations li").count() == 13
    assert page.locator("#channels li").count() == 6
    assert page.locator("#legal-basis li").count() == 12


def test_language_can_be_switched_to_english(page, live_server, unit):
    page.goto(f"{live_server.url}/u/{unit.code}/")
    page.select_option("#lang", "en")
    page.click("form.lang button")
    page.wait_for_selector("text=Service standard for sanctions and compensation")
