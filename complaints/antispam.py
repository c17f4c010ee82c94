"""Abuse protection for the public form, without any third-party service.

- A rate limit per client address (pulih.lib.ratelimit: the same `complaint` count as the API).
- A honeypot field that people never see (hidden by a CSS class) but form-filling bots do.
- A minimum fill time: the form carries a signed timestamp; a submission sooner than a person
  could type is refused, and a forged or stale timestamp is refused as well.

The public API gets the same three in a shape that fits an API: the client first asks for a
form token (`GET /api/v1/complaints/form-token/?unit=CODE`), a signed timestamp that must be
at least `COMPLAINT_MIN_FILL_SECONDS` old and at most `COMPLAINT_API_TOKEN_MAX_AGE` seconds
old when the complaint is posted, and that is good for one complaint only.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

from pulih.lib import ratelimit

SALT = "complaints.public-form"
MAX_FORM_AGE = 12 * 60 * 60  # seconds a rendered form stays valid
DEFAULT_MIN_FILL_SECONDS = 3


def min_fill_seconds() -> float:
    return float(getattr(settings, "COMPLAINT_MIN_FILL_SECONDS", DEFAULT_MIN_FILL_SECONDS))


def form_token(unit_code: str) -> str:
    return signing.dumps({"u": unit_code, "t": time.time()}, salt=SALT)


def _token_problem(token: str, unit_code: str, *, salt: str, max_age: int) -> str | None:
    """None if the signed token is this unit's, unexpired and old enough to have been filled in
    by a person; otherwise 'expired' or 'too_fast'."""
    try:
        payload = signing.loads(token or "", salt=salt, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return "expired"
    if not isinstance(payload, dict) or payload.get("u") != unit_code:
        return "expired"
    started = payload.get("t")
    if not isinstance(started, int | float):
        return "expired"
    if time.time() - started < min_fill_seconds():
        return "too_fast"
    return None


def check_form_token(token: str, unit_code: str) -> str | None:
    """None if the token is good; otherwise 'expired' or 'too_fast'."""
    return _token_problem(token, unit_code, salt=SALT, max_age=MAX_FORM_AGE)


API_SALT = "complaints.api-form-token"
DEFAULT_API_TOKEN_MAX_AGE = 30 * 60


def api_token_max_age() -> int:
    return int(getattr(settings, "COMPLAINT_API_TOKEN_MAX_AGE", DEFAULT_API_TOKEN_MAX_AGE))


def api_form_token(unit_code: str) -> str:
    """A signed, single-use token for one complaint through the API."""
    payload = {"u": unit_code, "t": time.time(), "n": secrets.token_hex(8)}
    return signing.dumps(payload, salt=API_SALT)


def use_api_form_token(token: str, unit_code: str) -> str | None:
    """None if the token is good (it is then used up); else 'expired', 'too_fast' or 'used'."""
    problem = _token_problem(token, unit_code, salt=API_SALT, max_age=api_token_max_age())
    if problem is not None:
        return problem
    key = "pulih:complaint-form-token:" + hashlib.sha256(token.encode()).hexdigest()
    if not cache.add(key, 1, timeout=api_token_max_age() + 60):
        return "used"
    return None


def throttle_wait(request: HttpRequest, scope: str, default: str = "") -> int | None:
    """Count this request; the seconds to wait if the address is over the scope's rate (the
    one shared limiter, the same count as the API's)."""
    return ratelimit.hit(scope, request)
