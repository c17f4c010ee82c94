"""No page scrolls sideways (issue 15.3): every public page, and every page of every role of the
demo unit, at 390, 768 and 1,280 px in Chromium; a screenshot of each, the widths to a file."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from pulih.tests import screens

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "demo-pass-123"


@pytest.fixture
def demo(unit):
    call_command("demo_data", password=DEMO_PASSWORD, stdout=io.StringIO())
    return unit


@pytest.mark.django_db
def test_every_route_is_listed():
    names = {name for name, _route in screens.routes()}
    unlisted = names - screens.NOT_PAGES - screens.PUBLIC - screens.STAFF - screens.UNMEASURED
    assert not unlisted, f"classify these routes in pulih/tests/screens.py: {sorted(unlisted)}"


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("nav.mainnav")


def measure(page, base: str, path: str, label: str, shots) -> dict[int, int]:
    """scrollWidth at each width (the page loaded once, then resized); screenshots."""
    page.set_viewport_size({"width": screens.WIDTHS[0], "height": 800})
    page.goto(base + path)
    page.wait_for_load_state()
    widths = {}
    for width in screens.WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        widths[width] = page.evaluate("document.documentElement.scrollWidth")
        slug = path.strip("/").replace("/", "_") or "home"
        page.screenshot(path=str(shots / f"{label}-{slug}-{width}.png"), full_page=width == 390)
    return widths


def overflowing(results: dict) -> list[str]:
    return [
        f"{who} {path} at {width}px: {scroll}px"
        for who, pages in results.items()
        for path, widths in pages.items()
        for width, scroll in widths.items()
        if scroll > width
    ]


def test_no_page_scrolls_sideways_for_anyone(page, live_server, demo):
    from units.models import User

    base, shots = live_server.url, screens.output_dir() / "overflow"
    shots.mkdir(exist_ok=True)
    results: dict[str, dict[str, dict[int, int]]] = {"public": {}}
    for path in screens.public_paths(demo):
        results["public"][path] = measure(page, base, path, "public", shots)
    for role, username in screens.ROLES_BY_DEMO_LOGIN.items():
        paths = screens.paths_of(User.objects.get(username=username), demo)
        assert paths, f"{role} has no page"
        context = page.context.browser.new_context()
        staff = context.new_page()
        log_in(staff, base, username)
        results[role] = {path: measure(staff, base, path, role, shots) for path in paths}
        context.close()
    out = screens.save_results("overflow", results)
    counted = sum(len(pages) for pages in results.values())
    assert counted > 40, out
    assert not overflowing(results), f"{out}: " + "; ".join(overflowing(results))
