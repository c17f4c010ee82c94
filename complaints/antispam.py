"""Abuse protection for the public form, without any third-party service.

- A rate limit per client address (pulih.lib.ratelimit: the same `complaint` count as the API).
- A honeypot field that people never see (hidden by a CSS class) but form-filling bots do.
- A minimum fill time: the form carries a signed timestamp; a submission sooner than a person
  could type is refused, and a forged or stale timestamp is refused as well.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.http import HttpRequest

from pulih.lib import ratelimit

SALT = "complaints.public-form"
MAX_FORM_AGE = 12 * 60 * 60  # seconds a rendered form stays valid
DEFAULT_MIN_FILL_SECONDS = 3


def min_fill_seconds() -> float:
    return float(getattr(settings, "COMPLAINT_MIN_FILL_SECONDS", DEFAULT_MIN_FILL_SECONDS))


def form_token(unit_code: str) -> str:
    return signing.dumps({"u": unit_code, "t": time.time()}, salt=SALT)


def check_form_token(token: str, unit_code: str) -> str | None:
    """None if the token is good; otherwise 'expired' or 'too_fast'."""
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=MAX_FORM_AGE)
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


def throttle_wait(request: HttpRequest, scope: str, default: str = "") -> int | None:
    """Count this request; the seconds to wait if the address is over the scope's rate (the
    one shared limiter, the same count as the API's)."""
    return ratelimit.hit(scope, request)
