"""THE rate limiter and THE client address serve the web forms and the API alike."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from pulih.lib.ratelimit import client_address, hit


def request(remote: str = "192.0.2.10", forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def proxies(settings):
    def set_proxies(count: int) -> None:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}

    return set_proxies


def test_without_a_trusted_proxy_a_client_cannot_choose_its_address(proxies):
    proxies(0)
    assert client_address(request(forwarded="203.0.113.5")) == "192.0.2.10"


def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_claimed(proxies):
    proxies(1)
    assert client_address(request("127.0.0.1", "203.0.113.5")) == "203.0.113.5"
    assert client_address(request("127.0.0.1", "6.6.6.6, 203.0.113.5")) == "203.0.113.5"
    assert client_address(request("127.0.0.1")) == "127.0.0.1"  # no header: the peer


def test_clients_behind_the_proxy_have_their_own_buckets(proxies, settings):
    proxies(1)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"complaint": "2/hour"},
    }
    first = [hit("complaint", request("127.0.0.1", "203.0.113.1")) for _ in range(3)]
    second = [hit("complaint", request("127.0.0.1", "203.0.113.2")) for _ in range(3)]
    assert [w is None for w in first] == [True, True, False]
    assert [w is None for w in second] == [True, True, False]
    assert 0 < first[2] <= 3600


def test_the_public_form_and_the_api_share_one_count(unit, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "complaint": "2/hour",
        },
    }
    settings.COMPLAINT_MIN_FILL_SECONDS = 0
    api = APIClient(REMOTE_ADDR="198.51.100.4")

    def complain_through_the_api() -> int:
        # As a client does: a form token first, then the complaint carrying it.
        token = api.get("/api/v1/complaints/form-token/", {"unit": unit.code})
        assert token.status_code == 200
        data = {
            "unit": unit.code,
            "text": "Loket tutup lebih awal.",
            "form_token": token.json()["form_token"],
        }
        return api.post("/api/v1/complaints/", data, format="json").status_code

    assert [complain_through_the_api() for _ in range(2)] == [201, 201]
    form = api.post(f"/u/{unit.code}/pengaduan/", {"text": "Lagi"}, REMOTE_ADDR="198.51.100.4")
    assert form.status_code == 429
    other = api.post(f"/u/{unit.code}/pengaduan/", {"text": "Lagi"}, REMOTE_ADDR="198.51.100.5")
    assert other.status_code != 429


def test_the_database_cache_counts_in_place_and_keeps_the_expiry(db, settings):
    from django.core.cache import caches
    from django.core.management import call_command

    settings.CACHES = {
        "default": {"BACKEND": "pulih.lib.cache.DatabaseCache", "LOCATION": "pulih_cache_test"}
    }
    call_command("createcachetable")
    cache = caches["default"]
    assert cache.add("n", 0, timeout=60)
    assert [cache.incr("n") for _ in range(3)] == [1, 2, 3]
    assert cache.decr("n") == 2
    assert cache.get("n") == 2
    assert not cache.add("n", 0, timeout=60)  # still there: add does not reset the count
    with pytest.raises(ValueError):
        cache.incr("missing")
    cache.set("gone", 5, timeout=-1)
    with pytest.raises(ValueError):
        cache.incr("gone")


def test_no_code_keeps_a_limiter_of_its_own():
    """DRF's own throttles and a hand-made counter keep per-process or racy counts: every limit
    goes through pulih.lib.ratelimit."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    offenders = []
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        # (var: what runs leave behind, the bench's peer and its own venv among them)
        if parts[0] in {".venv", "var", "bench"} or "tests" in parts or path.name == "ratelimit.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "rest_framework.throttling import" in text or "cache.incr(" in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
