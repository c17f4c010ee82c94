"""Pulih's pages, the IKM API and the PDFs timed over HTTP through gunicorn on 127.0.0.1,
served the same way as the peer (2 gthread workers × 2 threads, DEBUG off), on the seeded
bench database, with the bench's settings (bench/settings.py) so that the floors of the same
run are served by the same server: the framework floor page and the reference letter
(bench/pages.py)."""

from __future__ import annotations

import json

from reliability.server import Server, free_port

from .httpmeasure import Client, MeasureError, login_session, time_paths, time_requests
from .pages import pdf_pages
from .pulih_db import VAR, database_url, django_env
from .report import percentile
from .seed import MEASURED_UNIT, PASSWORD

WORKERS = 2
THREADS = 2
REPORT_PDF_PATH = "/laporan/unduh.pdf"
FLOOR_PAGE_PATH = "/bench/page/"
REFERENCE_PDF_PATH = "/bench/reference-letter.pdf"


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


def merged(first: dict, second: dict) -> dict:
    """One timing from two halves measured apart (before and after the figures compared with
    them, so drift in the machine's load hits both sides)."""
    samples = first["samples_ms"] + second["samples_ms"]
    return {
        "p50_ms": round(percentile(samples, 50), 1),
        "p95_ms": round(percentile(samples, 95), 1),
        "n": len(samples),
        "bytes": first["bytes"],
        "samples_ms": samples,
    }


def time_pdfs(base: str, paths: list[str], cookies: dict, warmup: int) -> dict:
    """The PDFs' times, with each one's page count and its time per page."""
    pages: list[int] = []

    def check(resp) -> bool:
        pages.append(pdf_pages(resp.body))
        return resp.body.startswith(b"%PDF-") and pages[-1] > 0

    timing = time_paths(base, paths, cookies=cookies, warmup=warmup, check=check)
    pages = pages[warmup:]
    per_page = [ms / n for ms, n in zip(timing["samples_ms"], pages, strict=True)]
    return timing | {
        "pages": pages,
        "pages_mean": round(sum(pages) / len(pages), 2),
        "per_page_p50_ms": round(percentile(per_page, 50), 1),
        "per_page_p95_ms": round(percentile(per_page, 95), 1),
    }


def measure(
    engine: str, pages: dict[str, str], ikm: dict, decree_cases: list[int], reps: int, warmup: int
) -> dict:
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
        half = max(1, reps // 2)
        floor_before = time_requests(base + FLOOR_PAGE_PATH, half, cookies=cookies, warmup=warmup)
        results = {}
        for name, path in pages.items():
            who = sessions[PAGE_READER.get(name, f"{MEASURED_UNIT}-head")]
            results[name] = time_requests(base + path, reps, cookies=who, warmup=warmup)
        floor_after = time_requests(base + FLOOR_PAGE_PATH, half, cookies=cookies, warmup=warmup)
        results["framework floor"] = merged(floor_before, floor_after)
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
        n = max(len(decree_cases), 2)
        reference = [REFERENCE_PDF_PATH] * (n // 2)
        ref_before = time_pdfs(base, reference, cookies, warmup)
        results["decree pdf"] = time_pdfs(
            base, [f"/kasus/{pk}/sk.pdf" for pk in decree_cases], cookies, warmup
        )
        # The report PDF of the dashboard's default period, as often as the decree PDFs, on
        # the same connection (issue 15: its time at most 3× the decree PDF's).
        results["report pdf"] = time_pdfs(base, [REPORT_PDF_PATH] * n, cookies, warmup)
        ref_after = time_pdfs(base, reference, cookies, warmup)
        results["reference letter"] = merged(ref_before, ref_after) | {
            "pages": ref_before["pages"] + ref_after["pages"],
            "pages_mean": ref_before["pages_mean"],
        }
        if set(results["reference letter"]["pages"]) != {1}:
            raise MeasureError("the reference letter must be one page")
        return {"server": f"gunicorn, {WORKERS} gthread workers × {THREADS} threads", **results}
    finally:
        server.stop()
