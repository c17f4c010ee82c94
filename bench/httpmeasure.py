"""Time HTTP requests against a server on this machine: one keep-alive connection,
sequential requests, client-side wall time from sending the request to the last byte
of the body. Generic: used for the peer (django-helpdesk) and for Pulih's own pages."""

from __future__ import annotations

import http.client
import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http.cookies import SimpleCookie

from .report import percentile

DEFAULT_TIMEOUT = 60.0
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


class MeasureError(RuntimeError):
    """A request answered something other than what the measurement expects."""


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Client:
    """A tiny HTTP/1.1 client with one keep-alive connection and a cookie jar.

    It reconnects when the server closes the connection (e.g. gunicorn's sync worker,
    which does not keep connections alive)."""

    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"only http://host[:port] URLs are supported: {self.base_url}")
        self.host, self.port = parts.hostname, parts.port or 80
        self.origin = f"http://{parts.netloc}"
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._conn

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """Send one request (path relative to base_url, or an absolute URL on the same
        server), read the whole body, store the cookies it sets."""
        if path.startswith("http://"):
            if not path.startswith(self.origin):
                raise ValueError(f"{path} is not on {self.origin}")
            path = path[len(self.origin) :] or "/"
        all_headers = {**self.headers, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=all_headers)
                resp = conn.getresponse()
                data = resp.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server had closed: retry once on a new one.
                self.close()
                if attempt == 2:
                    raise
                continue
            if resp.will_close:
                self.close()
            for raw in resp.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(raw)
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Response(resp.status, resp.headers, data)
        raise AssertionError("unreachable")

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return self.request("GET", path, headers=headers)


def login_session(
    base_url: str,
    username: str,
    password: str,
    login_path: str = "/accounts/login/",
    timeout: float = DEFAULT_TIMEOUT,
) -> dict[str, str]:
    """Log in through a Django login form (GET it for the CSRF token, POST the credentials)
    and return the cookies of the new session. Raises MeasureError if the login fails."""
    with Client(base_url, timeout=timeout) as client:
        page = client.get(login_path)
        if page.status != 200:
            raise MeasureError(f"GET {login_path} answered {page.status}")
        match = CSRF_INPUT.search(page.text)
        if not match:
            raise MeasureError(f"no csrfmiddlewaretoken in the form at {login_path}")
        before = dict(client.cookies)
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": match[1]}
        ).encode()
        done = client.request(
            "POST",
            login_path,
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": base_url.rstrip("/") + login_path,
                "Origin": client.origin,
            },
        )
        new = {k: v for k, v in client.cookies.items() if before.get(k) != v}
        new.pop("csrftoken", None)
        if done.status not in (302, 303) or not new:
            raise MeasureError(
                f"login as {username} at {login_path} failed: {done.status}, "
                f"cookies set: {sorted(new)}"
            )
        return dict(client.cookies)


def time_requests(
    url: str,
    n: int,
    cookies: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    warmup: int = 3,
    timeout: float = DEFAULT_TIMEOUT,
) -> dict:
    """GET url warmup + n times on one keep-alive connection; return
    {p50_ms, p95_ms, mean_ms, min_ms, max_ms, n, status, bytes}. Every answer must be 200."""
    if n < 1:
        raise ValueError("n must be at least 1")
    parts = urllib.parse.urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return time_paths(
        base, [path] * n, cookies=cookies, headers=headers, warmup=warmup, timeout=timeout
    )


def time_paths(
    base: str,
    paths: list[str],
    cookies: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    warmup: int = 3,
    timeout: float = DEFAULT_TIMEOUT,
    check: Callable[[Response], bool] | None = None,
    follow: bool = False,
) -> dict:
    """GET each path once in order, after `warmup` GETs of the first, on one keep-alive
    connection; the same figures as time_requests. Every answer must be 200 (and pass
    `check`, if given); with `follow`, redirects are followed and timed with it."""
    samples: list[float] = []
    size = 0
    with Client(
        base, cookies=dict(cookies or {}), headers=dict(headers or {}), timeout=timeout
    ) as c:
        for i, path in enumerate([paths[0]] * warmup + paths):
            elapsed, size = _timed_get(c, path, check=check, follow=follow)
            if i >= warmup:
                samples.append(elapsed)
    return _figures(samples, size)


def time_in_turn(
    base: str,
    path: str,
    floor_path: str,
    n: int,
    cookies: dict[str, str] | None = None,
    floor_cookies: dict[str, str] | None = None,
    warmup: int = 3,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[dict, dict]:
    """GET `path` and `floor_path` in turn, warmup + n times each, each on its own keep-alive
    connection (its own session's cookies), so that the floor is timed in the same moments as
    the page: on a shared machine a slow stretch of a second or two then slows both alike,
    where a block of the floor's requests and a block of the page's would sample different
    stretches. Returns (the page's figures, the floor's figures), as time_requests."""
    if n < 1:
        raise ValueError("n must be at least 1")
    samples: tuple[list[float], list[float]] = ([], [])
    sizes = [0, 0]
    with (
        Client(base, cookies=dict(cookies or {}), timeout=timeout) as page,
        Client(base, cookies=dict(floor_cookies or cookies or {}), timeout=timeout) as floor,
    ):
        for i in range(warmup + n):
            for k, (client, target) in enumerate(((page, path), (floor, floor_path))):
                elapsed, sizes[k] = _timed_get(client, target)
                if i >= warmup:
                    samples[k].append(elapsed)
    return _figures(samples[0], sizes[0]), _figures(samples[1], sizes[1])


def _timed_get(
    c: Client,
    path: str,
    check: Callable[[Response], bool] | None = None,
    follow: bool = False,
) -> tuple[float, int]:
    """(milliseconds, body bytes) of one GET, which must answer 200 (and pass `check`)."""
    started = time.perf_counter()
    resp = c.get(path)
    while follow and resp.status in (301, 302, 303) and resp.headers.get("Location"):
        resp = c.get(resp.headers["Location"])
    elapsed = (time.perf_counter() - started) * 1000
    if resp.status != 200 or (check is not None and not check(resp)):
        raise MeasureError(f"GET {c.origin}{path} answered {resp.status}: {resp.text[:300]}")
    return elapsed, len(resp.body)


def _figures(samples: list[float], size: int) -> dict:
    return {
        "p50_ms": round(percentile(samples, 50), 1),
        "p95_ms": round(percentile(samples, 95), 1),
        "mean_ms": round(sum(samples) / len(samples), 1),
        "min_ms": round(min(samples), 1),
        "max_ms": round(max(samples), 1),
        "n": len(samples),
        "status": 200,
        "bytes": size,
        "samples_ms": [round(x, 2) for x in samples],
    }
