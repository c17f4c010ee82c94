"""Pulih's own figures at national size, for one database: seed the data set, then the IKM
against its floor, the pages, the decree PDF, and the case list against the peer."""

from __future__ import annotations

from .pulih_db import database_url, reset, run_inproc, server_version
from .pulih_http import THREADS, WORKERS, measure
from .report import Figure, fmt_ms, ratio
from .seed import MEASURED_UNIT

IKM_TARGET_MS = 20.0
PAGE_TARGET_MS = 100.0
PDF_TARGET_MS = 250.0
REPORT_PDF_TARGET = 3.0  # the report PDF at most 3× the decree PDF (issue 15)
PEER_TARGET = 0.10


def prepare(engine: str, log=print) -> dict:
    """An empty database, migrated and seeded."""
    reset(engine)
    return run_inproc(engine, "prepare", log=log) | {
        "db_version": server_version(engine),
        "database_url": database_url(engine),
        "unit": MEASURED_UNIT,
    }


def measure_all(engine: str, reps: int, warmup: int, log=print) -> dict:
    """Every figure of this part on the prepared database (after the writes of the other
    parts, so the IKM check covers answers stored by the API and the import too)."""
    ikm = run_inproc(engine, "ikm", "--reps", str(reps), "--warmup", str(warmup), log=log)
    log(
        f"{engine}: IKM {ikm['unit']} {ikm['start']}..{ikm['end']}: {ikm['respondents']:,} "
        f"respondents, score {ikm['score']} ({ikm['grade']}), equal to the raw scan; command "
        f"p50 {fmt_ms(ikm['command']['p50_ms'])} ms, floor p50 {fmt_ms(ikm['floor']['p50_ms'])} ms"
    )
    counted = run_inproc(engine, "queries", log=log)
    http = measure(engine, counted["pages"], ikm, counted["decree_cases"], reps, warmup)
    for name in [*counted["pages"], "ikm api", "decree pdf", "report pdf"]:
        log(
            f"{engine}: {name}: p50 {fmt_ms(http[name]['p50_ms'])} ms, "
            f"p95 {fmt_ms(http[name]['p95_ms'])} ms"
            + (f", {counted['queries'][name]} queries" if name in counted["queries"] else "")
        )
    return {
        "ikm": ikm,
        "queries": counted["queries"],
        "pages": counted["pages"],
        "sizes": counted["sizes"],
        "http": http,
    }


def figures(engine: str, run: dict, peer_p50: float | None = None) -> list[Figure]:
    ikm, http = run["ikm"], run["http"]
    floor = ikm["floor"]
    out = [
        Figure(
            f"IKM, one unit, one year: raw SQL aggregate (floor), {engine}",
            floor["p50_ms"],
            floor["p95_ms"],
            note=f"{ikm['respondents']:,} responses scanned",
        )
    ]
    for name, timing in (("command path", ikm["command"]), ("API path", http["ikm api"])):
        out.append(
            Figure(
                f"IKM, one unit, one year, {name}, {engine}",
                timing["p50_ms"],
                timing["p95_ms"],
                target=f"p50 ≤ {IKM_TARGET_MS:.0f} ms, below the floor",
                reference="raw SQL aggregate",
                ratio=ratio(timing["p50_ms"], floor["p50_ms"]),
                met=timing["p50_ms"] <= IKM_TARGET_MS and timing["p50_ms"] < floor["p50_ms"],
                note="equal to the raw scan to the hundredth",
            )
        )
    for name in run["pages"]:
        timing = http[name]
        out.append(
            Figure(
                f"{name}, {engine}",
                timing["p50_ms"],
                timing["p95_ms"],
                target=f"p95 ≤ {PAGE_TARGET_MS:.0f} ms",
                met=timing["p95_ms"] <= PAGE_TARGET_MS,
                note=f"{run['queries'][name]} queries",
            )
        )
    pdf = http["decree pdf"]
    out.append(
        Figure(
            f"decree PDF, per document, {engine}",
            pdf["p50_ms"],
            pdf["p95_ms"],
            target=f"p50 ≤ {PDF_TARGET_MS:.0f} ms",
            met=pdf["p50_ms"] <= PDF_TARGET_MS,
            note=f"{pdf['n']} different decrees",
        )
    )
    report = http.get("report pdf")
    if report is not None:
        times = ratio(report["p50_ms"], pdf["p50_ms"])
        out.append(
            Figure(
                f"report PDF (dashboard's default period) against the decree PDF, {engine}",
                report["p50_ms"],
                report["p95_ms"],
                target=f"p50 ≤ {REPORT_PDF_TARGET:.0f}× the decree PDF's",
                reference=f"decree PDF p50 {fmt_ms(pdf['p50_ms'])} ms",
                ratio=times,
                met=times is not None and times <= REPORT_PDF_TARGET,
                note=f"{report['n']} renders",
            )
        )
    if peer_p50 is not None:
        mine = http["case list"]
        share = ratio(mine["p50_ms"], peer_p50)
        out.append(
            Figure(
                f"case list against django-helpdesk's first page, {engine}",
                mine["p50_ms"],
                mine["p95_ms"],
                target=f"p50 ≤ {PEER_TARGET:.0%} of the peer's",
                reference=f"peer p50 {fmt_ms(peer_p50)} ms",
                ratio=share,
                met=share is not None and share <= PEER_TARGET,
            )
        )
    return out


def server_text() -> str:
    return f"gunicorn, {WORKERS} gthread workers × {THREADS} threads, DEBUG off"
