"""The screens in Chromium on the demo unit. No page scrolls sideways (issue 15.3): every public
page, and every page of every role, at 390, 768 and 1,280 px; a screenshot of each at 390 px,
the widths to var/screens/overflow.json. Accessible (issue 15.7): axe-core finds no serious or
critical violation on the public pages and the main staff pages; to var/screens/axe.json."""

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
    """scrollWidth at each width (the page loaded once, then resized); a screenshot of the
    phone width, and of any width that overflows (screenshots cost most of the time)."""
    page.set_viewport_size({"width": screens.WIDTHS[0], "height": 800})
    page.goto(base + path)
    page.wait_for_load_state()
    widths = {}
    slug = path.strip("/").replace("/", "_") or "home"
    for width in screens.WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        widths[width] = page.evaluate("document.documentElement.scrollWidth")
        if width == screens.WIDTHS[0] or widths[width] > width:
            page.screenshot(path=str(shots / f"{label}-{slug}-{width}.png"), full_page=True)
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


# The staff pages people use most, checked for accessibility as the coordinator sees them.
MAIN_STAFF_PAGES = (
    "home",
    "cases:list",
    "cases:detail",
    "daily-check",
    "complaints:register",
    "complaints:detail",
    "ikm",
    "reports:dashboard",
)
AXE_ROLE = "coordinator"


def axe_violations(page, axe) -> list[dict]:
    """Every violation axe-core finds on the loaded page (the serious and critical ones fail)."""
    results = axe.run(page)
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [" ".join(map(str, n["target"])) for n in v["nodes"]][:5],
        }
        for v in results.response["violations"]
    ]


def test_no_serious_accessibility_fault_on_public_or_main_staff_pages(page, live_server, demo):
    """axe-core (bundled by axe-playwright-python, no network) on every public page and on the
    main staff pages (two of each kind of object); results and screenshots to var/screens."""
    from axe_playwright_python.sync_playwright import Axe

    axe, base = Axe(), live_server.url
    shots = screens.output_dir() / "axe"
    shots.mkdir(exist_ok=True)
    pages = screens.samples(demo)
    checked: dict[str, dict[str, list]] = {"public": {}, AXE_ROLE: {}}
    page.set_viewport_size({"width": 1280, "height": 800})
    for path in screens.public_paths(demo):
        page.goto(base + path)
        checked["public"][path] = axe_violations(page, axe)
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 800})
    staff = context.new_page()
    log_in(staff, base, screens.ROLES_BY_DEMO_LOGIN[AXE_ROLE])
    for name in MAIN_STAFF_PAGES:
        for path in pages[name][:2]:
            staff.goto(base + path)
            checked[AXE_ROLE][path] = axe_violations(staff, axe)
            slug = path.strip("/").replace("/", "_") or "home"
            staff.screenshot(path=str(shots / f"{slug}.png"))
    context.close()
    out = screens.save_results("axe", checked)
    assert sum(len(p) for p in checked.values()) > 15, out
    faults = [
        f"{path}: {f['rule']} ({f['impact']}) at {f['targets']}"
        for by_path in checked.values()
        for path, found in by_path.items()
        for f in found
        if f["impact"] in ("serious", "critical")
    ]
    assert not faults, f"{out}: " + "; ".join(faults)
