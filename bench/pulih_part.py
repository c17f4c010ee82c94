"""Pulih's own figures at national size, for one database: seed the data set, then the IKM
against its floor, the pages, the decree PDF, and the case list against the peer."""

from __future__ import annotations

from .pulih_db import database_url, reset, run_inproc, server_version
from .pulih_http import THREADS, WORKERS, measure
from .report import Figure, fmt_ms, ratio
from .seed import CASES, MEASURED_UNIT, RESPONSES

# The targets (docs/benchmarks.md), each a ratio to a floor or the peer of the same run.
ROLLUP_TARGET = 0.10  # IKM and every roll-up: p50 ≤ 0.1× the raw SQL scan of the same rows
# Timed runs of each roll-up and of its raw scans (seconds each on SQLite): a p50 of 4 holds
# ratios of 0.01-0.09 to the scan, and the run stays within its 10 minutes.
ROLLUP_REPS = 4
PAGE_TARGET = 5.0  # dashboard, daily check, organisation dashboard: p95 ≤ 5× the framework floor
PDF_PAGE_TARGET = 2.0  # decree and report PDF: per page ≤ 2× the reference letter
REPORT_PDF_TARGET = 3.0  # the report PDF at most 3× the decree PDF (issue 15)
# Timed renders of each PDF (the report's cost 0.6 s each): three interleaved series of 12.
PDF_REPS = 12
PEER_TARGET = 0.10  # the case list ≤ 0.1× django-helpdesk's first page
FLOOR_PAGES = ("dashboard", "daily check", "organisation dashboard")


def prepare(engine: str, log=print, responses: int = RESPONSES, cases: int = CASES) -> dict:
    """An empty database, migrated and seeded."""
    reset(engine)
    size = ["--responses", str(responses), "--cases", str(cases)]
    return run_inproc(engine, "prepare", *size, log=log) | {
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
    rollups = run_inproc(
        engine,
        "rollups",
        "--reps",
        str(min(reps, ROLLUP_REPS)),
        "--warmup",
        str(min(warmup, 1)),
        log=log,
    )
    for period, r in rollups.items():
        log(
            f"{engine}: organisation {r['organisation']} ({r['units']} units), {period}: "
            f"{r['respondents']:,} respondents, equal to the raw scan; ikm_of_units p50 "
            f"{fmt_ms(r['ikm_of_units']['p50_ms'])} ms, rollup p50 {fmt_ms(r['rollup']['p50_ms'])}"
            f" ms, raw scan p50 {fmt_ms(r['floor']['p50_ms'])} ms"
        )
    counted = run_inproc(engine, "queries", log=log)
    http = measure(engine, counted["pages"], ikm, reps, warmup)
    # The PDFs are rendered in process: the report PDF is built by a background task, so
    # the three are compared as what they are, renders (see bench.pulih_inproc.pdfs).
    pdfs = run_inproc(
        engine, "pdfs", "--reps", str(min(reps, PDF_REPS)), "--warmup", str(min(warmup, 1)), log=log
    )
    http |= {k: pdfs[k] for k in ("decree pdf", "report pdf", "reference letter")}
    extra = ["framework floor", "ikm api", "decree pdf", "report pdf", "reference letter"]
    for name in [*counted["pages"], *extra]:
        log(
            f"{engine}: {name}: p50 {fmt_ms(http[name]['p50_ms'])} ms, "
            f"p95 {fmt_ms(http[name]['p95_ms'])} ms"
            + (f", {counted['queries'][name]} queries" if name in counted["queries"] else "")
        )
    return {
        "ikm": ikm,
        "rollups": rollups,
        "queries": counted["queries"],
        "small_queries": counted["small_queries"],
        "data_sizes": counted["data_sizes"],
        "pages": counted["pages"],
        "sizes": counted["sizes"],
        "http": http,
    }


def against_scan(name: str, timing: dict, floor: dict, note: str) -> Figure:
    share = ratio(timing["p50_ms"], floor["p50_ms"])
    return Figure(
        name,
        timing["p50_ms"],
        timing["p95_ms"],
        target=f"p50 ≤ {ROLLUP_TARGET:g}× the raw scan",
        reference=f"raw scan p50 {fmt_ms(floor['p50_ms'])} ms",
        ratio=share,
        met=share is not None and share <= ROLLUP_TARGET,
        note=note,
    )


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
            against_scan(
                f"IKM, one unit, one year, {name}, {engine}",
                timing,
                floor,
                "equal to the raw scan to the hundredth",
            )
        )
    for period, r in (run.get("rollups") or {}).items():
        what = f"organisation {r['organisation']} ({r['units']} units), {period}"
        out.append(
            Figure(
                f"{what}: raw SQL scan grouped by unit (floor), {engine}",
                r["floor"]["p50_ms"],
                r["floor"]["p95_ms"],
                note=f"{r['respondents']:,} responses scanned",
            )
        )
        out.append(
            against_scan(
                f"{what}: ikm_of_units, {engine}",
                r["ikm_of_units"],
                r["floor"],
                "equal to the raw scan to the hundredth",
            )
        )
        floor = r.get("rollup_floor", r["floor"])
        out.append(
            against_scan(
                f"{what}: rollup, {engine}",
                r["rollup"],
                floor,
                "the floor: the period's scan plus one per quarter of its trend; equal to it "
                "to the hundredth",
            )
        )
    base = http.get("framework floor")
    if base is not None:
        out.append(
            Figure(
                f"framework floor: a minimal signed-in page on the base template, {engine}",
                base["p50_ms"],
                base["p95_ms"],
            )
        )
    sizes = run.get("data_sizes") or {}
    small = run.get("small_queries") or {}
    for name in run["pages"]:
        timing = http[name]
        queries = run["queries"][name]
        if name not in FLOOR_PAGES or base is None:
            out.append(
                Figure(
                    f"{name}, {engine}",
                    timing["p50_ms"],
                    timing["p95_ms"],
                    note=f"{queries} queries",
                )
            )
            continue
        times = ratio(timing["p95_ms"], base["p95_ms"])
        key = "organisation_responses" if name.startswith("organisation") else "responses"
        grows = small.get(name, queries) != queries
        size_note = (
            f"{queries} queries at {sizes['large'][key]:,} responses, "
            f"{small.get(name, '?')} at {sizes['small'][key]:,}"
            if sizes
            else f"{queries} queries"
        )
        out.append(
            Figure(
                f"{name}, {engine}",
                timing["p50_ms"],
                timing["p95_ms"],
                target=f"p95 ≤ {PAGE_TARGET:g}× the framework floor's, queries constant",
                reference=f"framework floor p95 {fmt_ms(base['p95_ms'])} ms",
                ratio=times,
                met=times is not None and times <= PAGE_TARGET and not grows,
                note=size_note,
            )
        )
    reference = http.get("reference letter")
    pdf = http["decree pdf"]
    report = http.get("report pdf")
    if reference is not None:
        out.append(
            Figure(
                f"reference letter, one page, WeasyPrint (floor), {engine}",
                reference["p50_ms"],
                reference["p95_ms"],
            )
        )
        for label, timing in (("decree PDF", pdf), ("report PDF", report)):
            if timing is None:
                continue
            times = ratio(timing["per_page_p50_ms"], reference["p50_ms"])
            out.append(
                Figure(
                    f"{label}, per page, {engine}",
                    timing["per_page_p50_ms"],
                    timing["per_page_p95_ms"],
                    target=f"per page p50 ≤ {PDF_PAGE_TARGET:g}× the reference letter's",
                    reference=f"reference letter p50 {fmt_ms(reference['p50_ms'])} ms",
                    ratio=times,
                    met=times is not None and times <= PDF_PAGE_TARGET,
                    note=(
                        f"{timing['n']} renders, {timing['pages_mean']:g} pages on average, "
                        f"whole document p50 {fmt_ms(timing['p50_ms'])} ms"
                    ),
                )
            )
    else:
        out.append(Figure(f"decree PDF, per document, {engine}", pdf["p50_ms"], pdf["p95_ms"]))
    if report is not None:
        times = ratio(report["p50_ms"], pdf["p50_ms"])
        out.append(
            Figure(
                f"report PDF (dashboard's default period) against the decree PDF, {engine}",
                report["p50_ms"],
                report["p95_ms"],
                target=f"p50 ≤ {REPORT_PDF_TARGET:g}× the decree PDF's",
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
