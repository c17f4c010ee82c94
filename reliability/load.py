"""Concurrent survey submissions over HTTP, bounded in count and time."""

from __future__ import annotations

import http.client
import json
import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

ANSWERS = {"U1": 4, "U2": 3, "U3": 4, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 3, "U9": 4}


@dataclass
class LoadResult:
    sent: int = 0
    acknowledged: set[str] = field(default_factory=set)
    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    duration: float = 0.0
    outage_statuses: Counter = field(default_factory=Counter)

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def submit_all(
    port: int,
    tokens: list[str],
    clients: int = 32,
    *,
    retry_until: float = 0.0,
    max_seconds: float = 600.0,
    in_outage: threading.Event | None = None,
) -> LoadResult:
    """Each token is submitted until the server answers it (2xx or 4xx); connection failures and
    5xx are retried (within `max_seconds`), as a customer pressing "send" again would."""
    work: queue.Queue[str] = queue.Queue()
    for token in tokens:
        work.put(token)
    result = LoadResult()
    lock = threading.Lock()
    started = time.monotonic()
    stop_at = started + max_seconds
    body = json.dumps({"answers": ANSWERS, "comment": ""}).encode()
    headers = {"Content-Type": "application/json", "Connection": "keep-alive"}

    def worker() -> None:
        conn: http.client.HTTPConnection | None = None
        while time.monotonic() < stop_at:
            try:
                token = work.get_nowait()
            except queue.Empty:
                return
            while time.monotonic() < stop_at:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                t0 = time.monotonic()
                try:
                    conn.request("POST", f"/api/v1/surveys/{token}/", body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = None
                    with lock:
                        result.statuses["connection-error"] += 1
                        result.sent += 1
                    time.sleep(0.2)
                    continue
                elapsed = time.monotonic() - t0
                with lock:
                    result.sent += 1
                    result.statuses[status] += 1
                    result.latencies.append(elapsed)
                    if in_outage is not None and in_outage.is_set():
                        result.outage_statuses[status] += 1
                    if status == 201:
                        result.acknowledged.add(token)
                if status < 500:
                    break
                time.sleep(0.2)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max_seconds + 60)
    result.duration = time.monotonic() - started
    return result
