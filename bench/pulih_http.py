"""Pulih's pages and the IKM API timed over HTTP through gunicorn on 127.0.0.1,
served the same way as the peer (2 gthread workers × 2 threads, DEBUG off), on the seeded
bench database, with the bench's settings (bench/settings.py) so that the framework floor page
of the same run (bench/pages.py) is served by the same server. (The PDFs are rendered in
process: bench.pulih_inproc.pdfs.)"""

from __future__ import annotations

import json

from reliability.server import Server, free_port

from .httpmeasure import Client, MeasureError, login_session, time_in_turn, time_requests
from .pulih_db import VAR, database_url, django_env
from .report import percentile
from .seed import MEASURED_UNIT, PASSWORD

WORKERS = 2
THREADS = 2
FLOOR_PAGE_PATH = "/bench/page/"
ROUNDS = 4  # of `reps` requests of each page, each followed by one of the floor's


def api_token(base: str, username: str) -> str:
    body = json.dumps({"username": username, "password": PASSWORD}).encode()
    with Client(base) as c:
        resp = c.request(
            "POST", "/api/v1/auth/token/", body=body, headers={"Content-Type": "application/json"}
        )
    if resp.status != 200:
        raise MeasureError(f"token for {username}: {resp.status} {resp.text[:200]}")
    return json.loads(resp.body)["token"]


def bench_env(engine: str) -> dict[str, str]:
    return django_env(database_url(engine), DJANGO_SETTINGS_MODULE="bench.settings")


def merged(parts: list[dict]) -> dict:
    """One timing from parts measured apart (in rounds, so that drift in the machine's load
    hits the page and its floor alike)."""
    samples = [x for part in parts for x in part["samples_ms"]]
    return {
        "p50_ms": round(percentile(samples, 50), 1),
        "p95_ms": round(percentile(samples, 95), 1),
        "n": len(samples),
        "bytes": parts[0]["bytes"],
        "samples_ms": samples,
    }


def measure(engine: str, pages: dict[str, str], ikm: dict, reps: int, warmup: int) -> dict:
    """Every HTTP figure of one database; `pages` and `ikm` come from bench.pulih_inproc."""
    from .pulih_inproc import PAGE_READER

    server = Server(
        bench_env(engine),
        free_port(),
        workers=WORKERS,
        threads=THREADS,
        log=VAR / f"pulih-gunicorn-{engine}.log",
    )
    server.start(timeout=60)
    try:
        base = server.url
        sessions = {
            user: login_session(base, user, PASSWORD)
            for user in {f"{MEASURED_UNIT}-head", *PAGE_READER.values()}
        }
        cookies = sessions[f"{MEASURED_UNIT}-head"]
        # The pages in ROUNDS rounds, each page's requests in a block per round: a p95 of one
        # block of 30 was the second-slowest request of one stretch of time, and moved by a
        # third from run to run on the same tree; ROUNDS × reps samples spread over the whole
        # measurement hold it. Each page's request is followed by one of the floor's: timed
        # in blocks of their own (a third of a second against a page's one or two), the floor
        # missed the slow stretches its pages met, and a page's ratio moved from 3.4x to 5.5x
        # between runs of the same tree.
        parts: dict[str, list[dict]] = {name: [] for name in [*pages, "framework floor"]}
        for _round in range(ROUNDS):
            for name, path in pages.items():
                who = sessions[PAGE_READER.get(name, f"{MEASURED_UNIT}-head")]
                page, floor = time_in_turn(
                    base, path, FLOOR_PAGE_PATH, reps, who, cookies, warmup=warmup
                )
                parts[name].append(page)
                parts["framework floor"].append(floor)
        results = {name: merged(timings) for name, timings in parts.items()}
        token = api_token(base, f"{MEASURED_UNIT}-head")
        query = f"unit={ikm['unit']}&start={ikm['start']}&end={ikm['end']}"
        api = f"{base}/api/v1/ikm/?{query}"
        with Client(base, headers={"Authorization": f"Token {token}"}) as c:
            answer = json.loads(c.get(api).body)
        if answer.get("score") != ikm["score"] or answer.get("respondents") != ikm["respondents"]:
            raise MeasureError(f"the API's IKM {answer} differs from the command's {ikm}")
        results["ikm api"] = time_requests(
            api, reps, headers={"Authorization": f"Token {token}"}, warmup=warmup
        )
        return {"server": f"gunicorn, {WORKERS} gthread workers × {THREADS} threads", **results}
    finally:
        server.stop()
