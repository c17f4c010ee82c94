"""THE rate limiter and THE client address, for the web forms and the API alike.

- `client_address(request)`: REMOTE_ADDR, unless NUM_PROXIES trusted proxies sit in front (one
  behind nginx); then the address the outermost trusted proxy appended to X-Forwarded-For —
  DRF's rule, so a client's own X-Forwarded-For never escapes a limit.
- `hit(scope, request)`: count one request against the scope's rate (REST_FRAMEWORK's
  DEFAULT_THROTTLE_RATES, e.g. "5/minute"; None turns the scope off) in a fixed window, in the
  shared cache with an atomic increment: the limit holds exactly across gunicorn's workers and
  across machines sharing the cache. Answers the seconds to wait, or None when allowed.
- `ScopedRateThrottle`: DRF's throttle interface (`throttle_scope` on the view) on `hit`.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [a.strip() for a in forwarded.split(",")]
    return addresses[-min(proxies, len(addresses))] or remote


def parse_rate(rate: str) -> tuple[int, int]:
    """'5/minute' -> (5, 60), as DRF reads its throttle rates."""
    count, period = rate.split("/")
    return int(count), _PERIODS[period.strip()[0]]


def scope_rate(scope: str) -> tuple[int, int] | None:
    rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope)
    return parse_rate(rate) if rate else None


def hit_key(scope: str, ident: str) -> int | None:
    """Count one request by `ident` in `scope`; seconds to wait if over the rate, else None."""
    rate = scope_rate(scope)
    if rate is None:
        return None
    allowed, period = rate
    now = time.time()
    window = int(now // period)
    key = f"rate:{scope}:{ident}:{window}"
    for _attempt in range(3):
        cache.add(key, 0, timeout=period + 5)
        try:
            count = cache.incr(key)
            break
        except ValueError:  # expired or evicted between add and incr: start the count again
            continue
    else:
        return None
    if count <= allowed:
        return None
    return max(1, int((window + 1) * period - now))


def hit(scope: str, request: HttpRequest) -> int | None:
    return hit_key(scope, client_address(request))


class ScopedRateThrottle(BaseThrottle):
    """DRF's ScopedRateThrottle on the shared limiter: the view's `throttle_scope`, counted per
    client address; views without a scope are not throttled."""

    scope_attr = "throttle_scope"

    def allow_request(self, request, view) -> bool:
        scope = getattr(view, self.scope_attr, None)
        self._wait = hit(scope, request) if scope else None
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait

    def get_ident(self, request) -> str:
        return client_address(request)
