"""Pulih's pages, the IKM API and the decree PDF timed over HTTP through gunicorn on
127.0.0.1, served the same way as the peer (2 gthread workers × 2 threads, DEBUG off), on the
seeded bench database."""

from __future__ import annotations

import json

from reliability.server import Server, free_port

from .httpmeasure import Client, MeasureError, login_session, time_paths, time_requests
from .pulih_db import VAR, database_url, django_env
from .seed import MEASURED_UNIT, PASSWORD

WORKERS = 2
THREADS = 2
REPORT_PDF_PATH = "/laporan/unduh.pdf"


def api_token(base: str, username: str) -> str:
    body = json.dumps({"username": username, "password": PASSWORD}).encode()
    with Client(base) as c:
        resp = c.request(
            "POST", "/api/v1/auth/token/", body=body, headers={"Content-Type": "application/json"}
        )
    if resp.status != 200:
        raise MeasureError(f"token for {username}: {resp.status} {resp.text[:200]}")
    return json.loads(resp.body)["token"]


def measure(
    engine: str, pages: dict[str, str], ikm: dict, decree_cases: list[int], reps: int, warmup: int
) -> dict:
    """Every HTTP figure of one database; `pages` and `ikm` come from bench.pulih_inproc."""
    server = Server(
        # The report file is built by a task: here in the request that asks for it (the
        # immediate backend), so its time is the build's plus the file page's two redirects.
        django_env(database_url(engine), TASKS_BACKEND="immediate"),
        free_port(),
        workers=WORKERS,
        threads=THREADS,
        log=VAR / f"pulih-gunicorn-{engine}.log",
    )
    server.start(timeout=60)
    try:
        base = server.url
        cookies = login_session(base, f"{MEASURED_UNIT}-head", PASSWORD)
        results = {}
        for name, path in pages.items():
            results[name] = time_requests(base + path, reps, cookies=cookies, warmup=warmup)
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
        results["decree pdf"] = time_paths(
            base,
            [f"/kasus/{pk}/sk.pdf" for pk in decree_cases],
            cookies=cookies,
            warmup=warmup,
            check=lambda resp: resp.body.startswith(b"%PDF-"),
        )
        # The report PDF of the dashboard's default period, as often as the decree PDFs,
        # on the same connection: its time over theirs is the figure (issue 15: ≤ 3×).
        results["report pdf"] = time_paths(
            base,
            [REPORT_PDF_PATH] * max(len(decree_cases), 1),
            cookies=cookies,
            warmup=warmup,
            check=lambda resp: resp.body.startswith(b"%PDF-"),
            follow=True,
        )
        return {"server": f"gunicorn, {WORKERS} gthread workers × {THREADS} threads", **results}
    finally:
        server.stop()
