"""The Redis database a test run may use for its task queue and cache, held for the run.

PULIH_TEST_REDIS_URL names it (DB 6 by default; give runs that go in parallel a number each).
RQ's keys (`rq:queue:default`, …) have no per-run prefix, so a run holds a lock in that
database while it works: a second run on the same number waits for the first instead of
taking its tasks. The queues are emptied under the lock (tasks left by an earlier run name rows
of a database that no longer exists)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import pytest

REDIS_URL = os.environ.get("PULIH_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
LOCK = "pulih-test-run"


@contextlib.contextmanager
def redis_of_this_run(wait: float = 600) -> Iterator[str]:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not answering at {REDIS_URL}: start redis-server")
        pytest.skip(f"Redis is not answering at {REDIS_URL}")
    lock = client.lock(LOCK, timeout=2 * wait)
    assert lock.acquire(blocking_timeout=wait), f"another run holds {REDIS_URL}"
    try:
        for key in client.scan_iter("rq:*"):
            client.delete(key)
        yield REDIS_URL
    finally:
        lock.release()
