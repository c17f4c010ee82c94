"""Run the reliability scenarios on SQLite and PostgreSQL; print figures and write
docs/reliability.md. Exits non-zero if any scenario fails."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import subprocess
import sys

from .pgcluster import Cluster
from .schema import run_schema, write_schema_section
from .server import ROOT


def table(run: dict) -> list[str]:
    lines = [
        f"### {run['db']}",
        "",
        "| scenario | requests | acknowledged | stored | ack. but missing | duplicates | "
        "errors by status | during outage | p50 ms | p99 ms | req/s | passed |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in run["results"]:
        errors = ", ".join(f"{k}: {v}" for k, v in r["errors_by_status"].items()) or "none"
        outage = ", ".join(f"{k}: {v}" for k, v in r["outage_statuses"].items()) or "—"
        lines.append(
            f"| {r['scenario']} | {r['requests']} | {r['acknowledged']} | {r['stored']} "
            f"| {r['acknowledged_but_missing']} | {r['duplicates']} | {errors} | "
            f"{outage} | {r['p50_ms']} | {r['p99_ms']} | {r['rps']} | "
            f"{'yes' if r['passed'] else 'NO'} |"
        )
    return lines + [""]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument(
        "--schema-requests", type=int, default=1250, help="schemathesis requests per database"
    )
    parser.add_argument(
        "--schema-only",
        action="store_true",
        help="only the schemathesis run (no server, no outage)",
    )
    args = parser.parse_args()
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    with contextlib.ExitStack() as stack:
        # PostgreSQL: a throwaway cluster of the run's own, never the shared one on 5432 (the
        # outage scenario stops and restarts it).
        cluster = stack.enter_context(Cluster()) if "postgres" in dbs else None
        return measure(args, dbs, cluster)


def measure(args: argparse.Namespace, dbs: list[str], cluster: Cluster | None) -> int:
    schema_runs = []
    for db in dbs:
        print(f"== {db}: schemathesis, {args.schema_requests} requests", flush=True)
        run = run_schema(db, args.schema_requests, cluster)
        schema_runs.append(run)
        for r in run["roles"]:
            print(json.dumps({k: v for k, v in r.items() if k not in ("problems", "refused")}))
        if not run["passed"]:
            print(run["output"])
    schema_failed = [r["db"] for r in schema_runs if not r["passed"]]
    if args.schema_only:
        write_schema_section(ROOT / "docs" / "reliability.md", schema_runs)
        print("written docs/reliability.md;", schema_failed or "all passed")
        return 1 if schema_failed else 0
    runs = []
    for db in dbs:
        print(f"== {db}: {args.requests} survey submissions, {args.clients} clients", flush=True)
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "reliability.run",
                "--db",
                db,
                "--requests",
                str(args.requests),
                "--clients",
                str(args.clients),
            ],
            cwd=ROOT,
            env={**os.environ, **(cluster.environ() if cluster else {})},
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            print(out.stdout[-3000:], out.stderr[-5000:], sep="\n")
            return out.returncode
        run = json.loads(out.stdout.strip().splitlines()[-1])
        runs.append(run)
        for r in run["results"]:
            print(json.dumps(r, ensure_ascii=False))
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    doc = [
        "# Reliability",
        "",
        f"Measured by `make reliability` on {today}, "
        f"{platform.node()} ({platform.machine()}, Python {platform.python_version()}), "
        "gunicorn with 4 gthread workers × 4 threads on 127.0.0.1; "
        f"{args.clients} concurrent clients submitting survey responses "
        "(`POST /api/v1/surveys/{token}/`), each token once; a failed connection or 5xx is "
        "retried as a customer would press send again.",
        "",
        "- *load*: every submission acknowledged with 2xx is stored, nothing else fails.",
        "- *crash*: SIGKILL of the whole server mid-load, restart; every acknowledged response "
        "is stored exactly once (a request cut by the crash may be stored unacknowledged; its "
        "retry is told it was already answered).",
        "- *database outage* (PostgreSQL): the run's own throwaway cluster (initdb in a "
        "temporary directory, never a shared one) is stopped for 3 s mid-load and "
        "restarted; requests during it get 503, never 500, and service resumes by itself.",
        "",
    ]
    for run in runs:
        doc += table(run)
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "reliability.md").write_text("\n".join(doc))
    write_schema_section(ROOT / "docs" / "reliability.md", schema_runs)
    failed = [r["scenario"] for run in runs for r in run["results"] if not r["passed"]]
    failed += [f"schemathesis on {db}" for db in schema_failed]
    print("written docs/reliability.md;", "all passed" if not failed else f"FAILED: {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
