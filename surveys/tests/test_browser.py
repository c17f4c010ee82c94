"""On phones: a service is recorded, the customer answers from the receipt's link, and the
back office finds the poor rating on its daily page with the right officer."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base_url}/")


def test_customer_answers_from_the_receipt_and_back_office_sees_it(
    browser, live_server, settings, people, service_type
):
    settings.SITE_URL = live_server.url
    contexts = [browser.new_context(**PHONE) for _ in range(3)]
    try:
        run_flow(contexts, live_server, service_type)
    finally:
        for context in contexts:
            context.close()


def run_flow(contexts, live_server, service_type) -> None:
    officer = contexts[0].new_page()
    log_in(officer, live_server.url, "oscar")
    officer.click("#home-surveys-record a.button.primary")
    officer.select_option("#id_service_type", str(service_type.pk))
    officer.fill("#id_customer_name", "Siti Pelanggan")
    officer.click("button[type=submit].primary")
    officer.click("#receipt-link")
    link = officer.locator(".receipt .url").first.inner_text().strip()
    assert link.startswith(f"{live_server.url}/s/")

    customer = contexts[1].new_page()
    customer.goto(link)
    assert customer.locator("h1").inner_text() == "Survei kepuasan pelanggan"
    for code in [f"U{i}" for i in range(1, 10)]:
        score = "1" if code == "U7" else "4"
        customer.locator(
            f"#element-{code} label", has=customer.locator(f"input[value='{score}']")
        ).tap()
    customer.fill("#id_comment", "Petugas membentak saya.")
    customer.click("button[type=submit].primary")
    customer.wait_for_selector("#survey-done")
    assert "Terima kasih" in customer.content()

    back_office = contexts[2].new_page()
    log_in(back_office, live_server.url, "bella")
    back_office.click("#home-surveys-daily a.button")
    row = back_office.locator("#flagged tr.flagged")
    # count() does not wait: the daily check may still be loading after the click.
    expect(row).to_have_count(1)
    assert row.locator(".officer").inner_text() == "Oscar Officer"
    assert "U7" in row.locator(".elements").inner_text()
    assert "Kasus #" not in row.inner_text()  # A → B: it waits here to be referred
    assert "Siti" not in back_office.content()
    # B → C: the back office ticks it and refers it; the row then links to its case.
    row.locator("input[name=responses]").check()
    day_url = back_office.url
    back_office.click("#refer-button")
    back_office.wait_for_url("**/kasus/*/")  # one case referred: the back office lands on it
    back_office.goto(day_url)
    row = back_office.locator("#flagged tr.flagged")
    assert "Kasus #" in row.locator(".follow-up a").inner_text()  # the day's row links its case

    # The officer's own record page keeps no survey link once the receipt is printed.
    officer.go_back()
    officer.reload()
    assert link not in officer.content()
    assert officer.locator("#receipt-printed").count() == 1
