"""schemathesis over the whole API as every kind of client, on SQLite and PostgreSQL.

Runs api/tests/test_schemathesis.py (one test per role) with SCHEMATHESIS_REQUESTS requests in
all per database and collects its figures: requests, 5xx, schema violations (status code,
content type, response body not as documented), schema-valid requests refused for a reason the
schema states (an unknown code or id) and refused for any other (drift; the test fails).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .pgcluster import Cluster
from .server import ROOT

PG_DB = "pulih_reliability_schema"


def run_schema(db: str, requests: int, cluster: Cluster | None = None) -> dict:
    """PostgreSQL: on `cluster`, the run's own throwaway cluster (never the shared one)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "schemathesis.jsonl"
        env = {
            **os.environ,
            "SCHEMATHESIS_REQUESTS": str(requests),
            "SCHEMATHESIS_REPORT": str(report),
        }
        if db == "postgres":
            assert cluster is not None, "PostgreSQL runs only on the run's own cluster"
            env["DATABASE_URL"] = cluster.url(PG_DB)
        else:
            env.pop("DATABASE_URL", None)
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "api/tests/test_schemathesis.py",
                "-q",
                "-p",
                "no:randomly",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        roles = (
            [json.loads(line) for line in report.read_text().splitlines()]
            if report.exists()
            else []
        )
    return {"db": db, "passed": out.returncode == 0, "roles": roles, "output": out.stdout[-2000:]}


def schema_table(runs: list[dict]) -> list[str]:
    lines = [
        "## Schemathesis over the whole API",
        "",
        "`api/tests/test_schemathesis.py`: requests generated from `/api/v1/schema/` to every "
        "operation, as each kind of client (anonymous, and a token of an officer, a coordinator, "
        "the head and the unit admin). *Schema violations*: an answer whose status code, content "
        "type or body the schema does not document. *Refused, stated*: a schema-valid request "
        "answered with a documented 400 (410 for a follow-up link) because a code or id in it "
        "names a row that does not exist — data, which a schema cannot list — or because it "
        "breaks a rule between fields the schema states in words (an end before the start); "
        "the test lists these fields per operation. *Refused, not stated*: any other "
        "schema-valid request refused — drift between the schema and the server; the test "
        "fails on one.",
        "",
        "| database | role | requests | 5xx | schema violations | refused, stated | "
        "refused, not stated |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        for r in run["roles"]:
            lines.append(
                f"| {run['db']} | {r['role']} | {r['requests']} | {r['server_errors']} | "
                f"{r['schema_violations']} | {r['refused_stated']} | {r['valid_refused']} |"
            )
    return lines + [""]


def write_schema_section(doc_path: Path, runs: list[dict]) -> None:
    """Replace (or add) the schemathesis section of docs/reliability.md."""
    text = doc_path.read_text() if doc_path.exists() else "# Reliability\n"
    head = text.split("## Schemathesis over the whole API")[0].rstrip() + "\n\n"
    doc_path.write_text(head + "\n".join(schema_table(runs)))
