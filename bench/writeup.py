"""docs/benchmarks.md from one full run of `make bench`."""

from __future__ import annotations

import re
from pathlib import Path

from . import peer_helpdesk, pulih_part
from .report import DOC, DOC_TITLE, Figure, fmt_ms, format_machine, format_table
from .seed import CASES, MEASURED_SHARE, PROFILE_STATED, RESPONSES, STATE_SHARES, UNITS

FIXES = Path(__file__).resolve().parent / "FIXES.md"


def _header(run: dict) -> list[str]:
    v = run["versions"]
    engines = run["engines"]
    dbs = ", ".join(
        e["data"]["db_version"] for e in engines.values() if e.get("data", {}).get("db_version")
    )
    load_after = (run.get("machine_after") or {}).get("load") or [None]
    return [
        DOC_TITLE,
        "",
        f"All figures below come from one run of `make bench` on {run['date']}, which took "
        f"**{run['elapsed_s']:.0f} s** in all (limit 600 s)"
        + (
            f", of which {run['prepare_s']:.0f} s seeding every database at once, before "
            "anything was timed."
            if run.get("prepare_s") is not None
            else "."
        ),
        "",
        f"- Machine: {format_machine(run['machine'])}"
        + (f"; {load_after[0]} when it ended." if load_after[0] is not None else "."),
        f"- Software: Django {v['Django']}, djangorestframework {v['djangorestframework']}, "
        f"WeasyPrint {v['weasyprint']}, gunicorn {v['gunicorn']}, psycopg {v['psycopg']}; {dbs}.",
        f"- Pulih's pages are served like the peer's: {pulih_part.server_text()}, on 127.0.0.1; "
        "times are client-side, from sending the request to the last byte, one keep-alive "
        "connection, after warm-up requests.",
        "- Medians and 95th percentiles; a ratio is this figure's median (p95 for the pages) "
        "over its floor's or the peer's, measured in the same run. Absolute times are "
        "reported, never judged: the machine is shared and its speed is not the product's.",
        "",
    ]


TARGETS = """## Targets

Every target is a ratio to a floor or a peer measured in the same run, on the same database and
server, so that it holds on any machine:

| what | target | floor or peer (same run) |
|---|---|---|
| IKM of one unit (command and API) and every roll-up (`surveys.ikm.ikm_of_units`, \
`organisations.rollup.rollup`) | p50 ≤ 0.1× the floor; figures equal to the floor's to the \
hundredth (asserted: the run stops otherwise) | the raw SQL scan of the same responses (one \
hand-written aggregate, grouped by unit for the roll-ups) |
| case list `/kasus/` | p50 ≤ 0.1× the peer's | django-helpdesk's first page of tickets |
| dashboard `/laporan/`, daily check `/harian/`, organisation dashboard `/organisasi/<code>/` \
| p95 ≤ 5× the floor's p95, and a query count that does not grow with the data (counted at \
two data sizes) | the framework floor: a minimal signed-in page on the same base template \
(`/bench/page/`, bench/pages.py, mounted only by the bench's settings) |
| decree (SK) PDF and report PDF | per page, p50 ≤ 2× the floor's; the report PDF's p50 also \
≤ 3× the decree PDF's (issue 15) | WeasyPrint rendering a fixed one-page reference letter \
(bench/pages.py), in the same process, in turn with them |
| import of 100,000 CSV rows | wall time ≤ 15× the floor, memory flat | the database's own \
bulk load of the same rows (`executemany` on SQLite, `COPY` on PostgreSQL) |
| survey submission | ≥ 33 % of the floor's throughput at 32 connections, p99 ≤ 100 ms, \
on SQLite and PostgreSQL | the bare-insert floor view (bench/floor.py) on the same server |
| `make bench` / `make bench-national` | within 10 / 15 minutes on 2 CPUs | — |

The floors of the pages and submissions are served only under `bench.settings`
(bench/urls.py); Pulih's own URLs know nothing of them.
"""


def _data(run: dict) -> list[str]:
    lines = [
        "## Data set",
        "",
        f"Seeded with a fixed random seed by `bench/seed.py`: {UNITS} units, 3 officers each "
        f"(60) plus 5 staff each, {RESPONSES:,} survey responses spread over the 365 days "
        f"ending on the day of the run (08:00–16:00 local), and {CASES:,} cases opened from "
        "the flagged responses, in every state, with the rows each state implies (hearings, "
        "proposals with their violation, verifications, decrees, compensations, deliveries "
        "and the append-only timeline). The measured unit, `satuan-01`, holds "
        f"{MEASURED_SHARE:.0%} of everything — the size of a large unit — the others share "
        "the rest. Cases by state (per thousand): "
        + ", ".join(f"{s} {n}" for s, n in STATE_SHARES.items())
        + f". Each respondent states each profile field with a probability of "
        f"{PROFILE_STATED:.0%} (an answer of the regulation's list). The daily tallies are "
        "built by one INSERT … "
        "SELECT … GROUP BY over the responses, the units' day tallies by summing those and "
        "grouping the profile answers, their monthly tallies by summing the day tallies, "
        "the case tallies (cases per opening day and state, decrees, deliveries, violations, "
        "spending) recounted by `cases.tally.rebuild`; "
        "every answer the run adds afterwards (survey API, import) goes through Pulih's own "
        "code, which keeps the tallies in the same transaction.",
        "",
        "| database | responses | daily tallies | cases | events | decrees | migrate | "
        "responses | tallies | cases |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for engine, result in run["engines"].items():
        d = result["data"]
        s = d["seconds"]
        lines.append(
            f"| {engine} | {d['responses']:,} | {d['tallies']:,} | {d['cases']:,} | "
            f"{d['events']:,} | {d['decrees']:,} | {d['migrate_s']} s | {s['responses']} s | "
            f"{s['tallies']} s | {s['cases']} s |"
        )
    return [*lines, ""]


def _pulih(run: dict) -> list[str]:
    lines = [
        "## IKM, pages and the decree PDF",
        "",
        "- **IKM**: the measured unit over the year. *Command path*: "
        "`manage.py ikm --unit … --start … --end … --json` run in-process with "
        "`call_command` (its arguments parsed as on the command line, its JSON parsed); "
        "*API path*: `GET /api/v1/ikm/` with a token, over HTTP. Both read the unit's "
        "monthly tallies for the year's whole months and its day tallies for the days "
        "outside them (`surveys.UnitMonthTally`, `surveys.UnitDayTally`: one row per local "
        "month or day, and one per profile answer for the respondent profile table; kept in "
        "the same transaction as every answer, with the daily tallies per service type and "
        "officer), and the population of the sample's adequacy from its daily service counts "
        "(`surveys.RecordTally`, kept in the transaction of every service recorded). *Floor*: "
        "one "
        "hand-written `SELECT COUNT(*), SUM(u1), COUNT(u1), …` over the unit's responses of "
        "the year, timed 10 times after a warm-up (the paths 30 times). The run stops unless "
        "the respondents, every element's NRR, the IKM and the "
        "score from the tallies equal the raw scan's to the hundredth, and unless every unit's "
        "tallied sums and counts over the year (daily, whole-day and per profile answer) "
        "equal its responses' exactly — checked after "
        "the survey API (into `satuan-01`) and the import (into `satuan-02`, so the measured "
        "unit keeps the data set's size) have added their answers, so the check covers the "
        "tallies kept by all three ways in.",
        "- **Roll-ups**: the organisation `bench-kementerian` (a ministry over two directorates "
        "general of 10 units each, all 20 units) over the year and over the current quarter "
        "(the organisation dashboard's default period): `ikm_of_units` (the IKM over all "
        "respondents and each unit's) and `rollup` (all the dashboard shows), in process, "
        "against one hand-written `SELECT unit_id, COUNT(*), SUM(u1), COUNT(u1), … GROUP BY "
        "unit_id` over the same responses (bench/rollup_part.py). The run stops unless the "
        "pooled IKM, every unit's respondents, NRRs, IKM and score, and the mean of the units' "
        "scores equal the raw scan's to the hundredth.",
        "- **Pages**, as the head of the measured unit opens them: the dashboard `/laporan/` "
        "(default period: the current quarter), the daily check `/harian/?day=<yesterday>` "
        "(all the day's answers and the flagged ones, 50 per page), the case list `/kasus/` "
        "(50 per page, newest first); and as the ministry's leader, the organisation "
        "dashboard `/organisasi/bench-kementerian/`. The pages and the framework floor "
        "`/bench/page/` are timed in 4 rounds; in each, every page's 30 requests (after 3 "
        "warm-ups) alternate one for one with the floor's, on a connection of each: 120 "
        "requests a page and 480 of the floor, the floor timed in the same moments as every "
        "page, so that a stretch of load hits the floor and the pages alike. Queries "
        "counted in-process at two data sizes: the measured unit (half of all responses) "
        "and the smallest (`satuan-20`, about 2.6 %); the ministry (all responses) and its "
        "second directorate general (`bench-ditjen-b`, the 10 small units).",
        "- **PDFs**, rendered in process (the report PDF is built by a background task, so "
        "the three are compared as what they are, renders), in turn — reference letter, "
        "decree, report — 12 times after a warm-up, each one's pages counted (pypdf) and its "
        "time divided by them. *Decree (SK)*: a different issued decree each time, its "
        "snapshot and letter rendered as `cases.issuing` renders it when the SK is first "
        "downloaded (with its verification QR code; not stored). *Report*: the dashboard's "
        "default period (the current quarter), figures gathered and rendered as "
        "`reports.files` builds the file. *Reference letter*: a fixed one-page letter "
        "(letterhead, number, addressee, a small table, signature) rendered by WeasyPrint from "
        "a constant HTML string (bench/pages.py), no database.",
        "",
        "What the pages stood on when they were measured (after the other parts' writes):",
        "",
        "| database | responses | the unit's | IKM respondents (year) | score | answers on the "
        "day (flagged) | cases | the unit's | queries: dashboard / daily check / case list / "
        "organisation dashboard |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for engine, result in run["engines"].items():
        p = result.get("pulih")
        if not p:
            continue
        q, z = p["queries"], p["sizes"]
        lines.append(
            f"| {engine} | {z['responses']:,} | {z['unit_responses']:,} | "
            f"{p['ikm']['respondents']:,} | {p['ikm']['score']} | {z['day_answers']:,} "
            f"({z['day_flagged']:,}) | {z['cases']:,} | {z['unit_cases']:,} | "
            f"{q['dashboard']} / {q['daily check']} / {q['case list']} / "
            f"{q.get('organisation dashboard', '—')} |"
        )
    return [*lines, ""]


def _helper_sections(run: dict) -> list[str]:
    lines: list[str] = []
    for part in ("submit", "import"):
        runs = {e: r[part] for e, r in run["engines"].items() if part in r}
        if not runs:
            continue
        module = __import__(f"bench.{part}_rate", fromlist=["section"])
        for engine, result in runs.items():
            lines += [f"## {module.SECTION_TITLE}, {engine}", "", module.section(result), ""]
    return lines


def document(run: dict, figures: list[Figure]) -> str:
    lines = [
        *_header(run),
        TARGETS,
        "## Summary",
        "",
        format_table(figures),
        "",
        *_data(run),
        *_pulih(run),
        *_helper_sections(run),
    ]
    if run.get("peer"):
        lines += [f"## {peer_helpdesk.SECTION_TITLE}", "", peer_helpdesk.section(run["peer"]), ""]
    if FIXES.exists():
        lines += [FIXES.read_text().strip(), ""]
    return "\n".join(lines)


def write_document(run: dict, figures: list[Figure], path: Path = DOC) -> Path:
    """The whole document from this run; the national data set's section (its own command,
    `make bench-national`) is kept as it is."""
    from .national import SECTION_TITLE

    path.parent.mkdir(parents=True, exist_ok=True)
    text = document(run, figures)
    old = path.read_text() if path.exists() else ""
    national = re.search(rf"^## {re.escape(SECTION_TITLE)}[ \t]*$.*?(?=^## |\Z)", old, re.M | re.S)
    if national:
        text = text.rstrip("\n") + "\n\n" + national.group(0).rstrip("\n") + "\n"
    path.write_text(text)
    return path


__all__ = ["document", "fmt_ms", "write_document"]
