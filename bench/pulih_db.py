"""Pulih's bench databases (a SQLite file under var/bench, PostgreSQL database
`pulih_bench`), the environment a bench process or server gets, and running the in-process
parts (bench/pulih_inproc.py) against them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .report import ROOT

VAR = ROOT / "var" / "bench"
SQLITE_PATH = VAR / "pulih-bench.sqlite3"
PG_DATABASE = "pulih_bench"
PG_ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
STEP_TIMEOUT = 600  # seconds for any one in-process part


def database_url(engine: str) -> str:
    if engine == "sqlite":
        return f"sqlite:///{SQLITE_PATH}"
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DATABASE}"


def _pg_admin(sql: str) -> object:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        cur = conn.execute(sql)  # type: ignore[arg-type]
        return cur.fetchone()[0] if cur.description else None


def reset(engine: str) -> None:
    """An empty database for the run."""
    drop(engine)
    if engine == "sqlite":
        VAR.mkdir(parents=True, exist_ok=True)
    else:
        _pg_admin(f"CREATE DATABASE {PG_DATABASE}")


def drop(engine: str) -> None:
    if engine == "postgres":
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)


def server_version(engine: str) -> str:
    if engine == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return f"PostgreSQL {_pg_admin('SHOW server_version')}"


def django_env(url: str, **extra: str) -> dict[str, str]:
    """What a Pulih process (in-process part or gunicorn) gets: the bench database, DEBUG off,
    a throw-away key, and the per-address limits lifted (all load comes from 127.0.0.1)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DATABASE_URL": url,
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": "bench-run-" + "k" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SURVEY_RATE": "100000000/minute",
            "PUBLIC_RATE": "100000000/minute",
            "LOGIN_RATE": "100000000/minute",
            "CONN_MAX_AGE": "60",
            "LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "pulih.settings",
            **extra,
        }
    )
    return env


def run_inproc(engine: str, *args: str, log=print) -> dict:
    """Run `python -m bench.pulih_inproc args` on the engine's bench database; pass its
    progress lines on and return the JSON of its last line."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.pulih_inproc", *args],
        cwd=ROOT,
        env=django_env(database_url(engine)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = proc.communicate(timeout=STEP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    lines = out.strip().splitlines()
    for line in lines[:-1]:
        log(f"  {engine}: {line}")
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"bench.pulih_inproc {' '.join(args)} exited {proc.returncode}\n{err}")
    return json.loads(lines[-1])
