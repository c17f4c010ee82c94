"""`python -m bench` (`make bench`): Pulih at national size on SQLite and PostgreSQL, each
figure against its floor or the peer, printed with its target and whether it is met, and
written to docs/benchmarks.md.

For each database: seed the data set (bench/seed.py), measure survey submissions over HTTP
(bench/submit_rate.py) and the import (bench/import_rate.py) — both add answers through
Pulih's real paths — then the IKM against its floor (checked equal to the raw scan), the
pages, the decree PDF (bench/pulih_part.py); then the peer, django-helpdesk, on the same
databases and server (bench/peer_helpdesk.py).

Nothing is timed while the data sets are made: every database (Pulih's on each engine, the
peer's) is seeded first, all at once, and then the parts are measured one after the other
on a machine doing nothing else."""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from . import peer_helpdesk, pulih_part
from .pulih_db import VAR, collectstatic, drop
from .report import (
    DOC,
    ROOT,
    Figure,
    format_console,
    format_machine,
    machine_info,
    today,
    write_section,
)
from .seed import CASES, IMPORT_UNIT, RESPONSES
from .writeup import write_document

PARTS = ["pulih", "submit", "import", "peer"]
TIME_LIMIT_S = 600


def versions() -> dict[str, str]:
    names = ["Django", "djangorestframework", "weasyprint", "gunicorn", "psycopg"]
    return {n: importlib.metadata.version(n) for n in names}


def prepare_all(dbs: list[str], parts: list[str], args: argparse.Namespace) -> dict:
    """Every database the run measures, seeded at once (each seed is one process, mostly
    one CPU's work or the server's): {engine: Pulih's data, "peer": the peer's}."""
    jobs = {}
    with ThreadPoolExecutor(max_workers=len(dbs) + 1) as pool:
        if set(parts) - {"peer"}:
            for engine in dbs:
                print(f"== {engine}: seeding the data set", flush=True)
                jobs[engine] = pool.submit(
                    pulih_part.prepare, engine, responses=args.responses, cases=args.cases
                )
        if "peer" in parts:
            print(f"== peer: django-helpdesk, {args.tickets:,} tickets, {dbs}", flush=True)
            jobs["peer"] = pool.submit(peer_helpdesk.prepare_peer, dbs, args.tickets)
        return {name: job.result() for name, job in jobs.items()}


def run_engine(engine: str, data: dict, parts: list[str], args: argparse.Namespace) -> dict:
    """Every Pulih part on one seeded database, in the order that lets the IKM check see
    them all."""
    result: dict = {"data": data}
    started = time.monotonic()
    url, unit = data["database_url"], data["unit"]
    try:
        if "submit" in parts:
            from . import submit_rate

            print(f"== {engine}: survey submissions over HTTP", flush=True)
            result["submit"] = submit_rate.run_submit(url, unit)
        if "import" in parts:
            from . import import_rate

            print(f"== {engine}: import of 100,000 CSV rows", flush=True)
            result["import"] = import_rate.run_import(url, IMPORT_UNIT)
        if "pulih" in parts:
            print(f"== {engine}: IKM, pages and decree PDF", flush=True)
            result["pulih"] = pulih_part.measure_all(engine, args.reps, args.warmup)
    finally:
        if not args.keep:
            drop(engine)
    result["elapsed_s"] = round(time.monotonic() - started, 1)
    return result


def all_figures(run: dict) -> list[Figure]:
    figures: list[Figure] = []
    peer = {r["db"]: r["p50_ms"] for r in (run.get("peer") or {}).get("results", [])}
    for engine, result in run["engines"].items():
        if "pulih" in result:
            figures += pulih_part.figures(engine, result["pulih"], peer.get(engine))
        if "submit" in result:
            from . import submit_rate

            figures += submit_rate.figures(result["submit"])
        if "import" in result:
            from . import import_rate

            figures += import_rate.figures(result["import"])
    if run.get("peer"):
        figures += peer_helpdesk.figures(run["peer"])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", choices=PARTS, action="append", help="run only this part")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--reps", type=int, default=30, help="timed requests per figure")
    parser.add_argument("--warmup", type=int, default=3)
    # The peer's page takes a second: 12 of them give a p50 within a few per cent, and the case
    # list sits at 0.06-0.07x of it, against 0.1.
    parser.add_argument("--peer-reps", type=int, default=12, help="timed requests of the peer")
    parser.add_argument("--tickets", type=int, default=100_000, help="peer's tickets")
    parser.add_argument("--keep", action="store_true", help="keep the bench databases")
    parser.add_argument("--responses", type=int, default=RESPONSES, help="size of the data set")
    parser.add_argument("--cases", type=int, default=CASES)
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/")
    args = parser.parse_args(argv)
    parts = args.only or PARTS
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    started = time.monotonic()
    run: dict = {
        "date": today(),
        "machine": machine_info(),
        "versions": versions(),
        "parts": parts,
        "engines": {},
    }
    print(f"== bench: {format_machine(run['machine'])}", flush=True)
    if set(parts) - {"peer"}:
        collectstatic()
    prepared = prepare_all(dbs, parts, args)
    run["prepare_s"] = round(time.monotonic() - started, 1)
    print(f"== bench: data sets ready in {run['prepare_s']:.0f} s", flush=True)
    for engine in dbs:
        if engine in prepared:
            run["engines"][engine] = run_engine(engine, prepared[engine], parts, args)
    if "peer" in parts:
        print(f"== peer: django-helpdesk ticket list, {args.tickets:,} tickets, {dbs}", flush=True)
        run["peer"] = peer_helpdesk.run_peer(
            dbs,
            reps=args.peer_reps,
            warmup=args.warmup,
            keep=args.keep,
            prepared=prepared["peer"],
        )
    run["elapsed_s"] = round(time.monotonic() - started, 1)
    run["machine_after"] = machine_info()

    VAR.mkdir(parents=True, exist_ok=True)
    out = VAR / "bench.json"
    out.write_text(json.dumps(run, indent=2, ensure_ascii=False, default=str))
    figures = all_figures(run)
    print()
    print(format_console(figures))
    missed = [f.name for f in figures if f.met is False]
    print(
        f"\nbench: {run['elapsed_s']:.0f} s (limit {TIME_LIMIT_S} s: "
        f"{'met' if run['elapsed_s'] <= TIME_LIMIT_S else 'NOT met'}); "
        f"{len([f for f in figures if f.met])} targets met, {len(missed)} missed; "
        f"raw figures in {out.relative_to(ROOT)}"
    )
    if not args.no_write:
        if set(PARTS) <= set(parts) and args.db == "both":
            write_document(run, figures)
        elif "peer" in parts:
            write_section(peer_helpdesk.SECTION_TITLE, peer_helpdesk.section(run["peer"]))
        print(f"written {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
