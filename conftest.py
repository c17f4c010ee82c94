"""Fixtures shared by every test: the default unit, one named person per role, an outsider."""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# pytest-playwright runs an event loop; Django's ORM in the same test needs this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
HAVE_CHROMIUM = os.path.exists(CHROMIUM)

# Property tests judge behaviour, never speed: a shared, loaded machine must not fail them.
hypothesis_settings.register_profile(
    "pulih", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("pulih")
PASSWORD = "rahasia-uji-123"


def pytest_configure(config):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
    # In-process tests: tasks run where they are enqueued (TASKS_BACKEND=immediate, set in
    # pulih/test_settings.py before the task backends load), and the cache is this process's
    # memory, so a test without a database can clear it. The shared cache and the real task
    # workers are exercised by the production-layout tests.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def pytest_collection_modifyitems(config, items):
    browser_items = [i for i in items if i.get_closest_marker("browser")]
    if HAVE_CHROMIUM or not browser_items:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"Browser tests need Chromium at {CHROMIUM}; CI must install it.")
    skip = pytest.mark.skip(
        reason="Chromium not found: `apt-get install chromium` (or set CHROMIUM_PATH) to run."
    )
    for item in browser_items:
        item.add_marker(skip)
    config.issue_config_time_warning(
        pytest.PytestWarning(
            f"{len(browser_items)} browser tests skipped: no Chromium; "
            "`apt-get install chromium` to enable them."
        ),
        stacklevel=2,
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.BACKUP_DIR = tmp_path / "backups"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def unit(db):
    from units.standard import load_standard

    loaded, _ = load_standard()
    return loaded


@pytest.fixture
def service_type(unit):
    from units.models import ServiceType

    return ServiceType.objects.create(unit=unit, code="informasi", name="Layanan informasi")


def make_member(unit, username: str, *roles: str, full_name: str = ""):
    from units.models import Membership, User

    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        full_name=full_name or username.title(),
        email=f"{username}@pulih.test",
    )
    for role in roles:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def people(unit):
    """One named person per role in the default unit."""
    from units.models import Role

    return {
        "back_office": make_member(unit, "bella", Role.BACK_OFFICE, full_name="Bella Back"),
        "officer": make_member(unit, "oscar", Role.OFFICER, full_name="Oscar Officer"),
        "officer2": make_member(unit, "olive", Role.OFFICER, full_name="Olive Officer"),
        "coordinator": make_member(unit, "cici", Role.COORDINATOR, full_name="Cici Koordinator"),
        "person_in_charge": make_member(unit, "putri", Role.PERSON_IN_CHARGE, full_name="Putri PJ"),
        "head": make_member(unit, "hadi", Role.HEAD, full_name="Hadi Kepala"),
        "supervisor": make_member(unit, "sari", Role.SUPERVISOR, full_name="Sari Kasubbag"),
        "admin": make_member(unit, "adam", Role.ADMIN, full_name="Adam Admin"),
    }


@pytest.fixture
def other_unit(db):
    from units.models import Unit

    return Unit.objects.create(code="other-unit", name="Unit Lain")


@pytest.fixture
def outsider(other_unit):
    """Holds every role, but in another unit."""
    from units.models import Role

    return make_member(other_unit, "ursula", *Role.values, full_name="Ursula Outsider")
