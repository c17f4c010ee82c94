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
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "pulih_bench")
PG_ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
STEP_TIMEOUT = 3600  # seconds for any one in-process part (a loaded machine is slow)


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
    """What every Pulih process of the bench gets (in-process parts, manage.py, gunicorn):
    the bench database, DEBUG off, a throw-away key, the per-address limits off (all load
    comes from 127.0.0.1; "off" rather than a huge rate, whose window DRF would re-pickle on
    every request), production's database connections (each worker keeps its own), and
    bytecode cached as in any installed deployment (else each child would time Python
    compiling Django). `extra` overrides or adds variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("CONN_MAX_AGE", None)  # production's persistent connections (pulih/settings.py)
    env.update(
        {
            "DATABASE_URL": url,
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": "bench-run-" + "k" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SURVEY_RATE": "off",
            "PUBLIC_RATE": "off",
            "LOGIN_RATE": "100000000/minute",
            "LOG_LEVEL": "ERROR",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "pulih.settings",
            **extra,
        }
    )
    return env


def run_json(args: list[str], env: dict[str, str], log=None, cwd: Path = ROOT) -> dict:
    """Run a Python child (`python <args>`) in `cwd` (the project folder); pass its progress
    lines to `log`, fail with its error output, return the JSON object of its last line."""
    proc = subprocess.run(  # noqa: S603 (our own interpreter and modules)
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(args)} exited {proc.returncode}\n{proc.stderr[-5000:]}")
    for line in lines[:-1]:
        if log:
            log(line)
    return json.loads(lines[-1])


def run_inproc(engine: str, *args: str, log=print) -> dict:
    """`python -m bench.pulih_inproc args` on the engine's bench database."""
    return run_json(
        ["-m", "bench.pulih_inproc", *args],
        django_env(database_url(engine)),
        log=lambda line: log(f"  {engine}: {line}"),
    )


def _static_is_current() -> bool:
    """The manifest exists and no static source (the apps' static/ folders) is newer."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    for folder in ROOT.glob("*/static"):
        if any(f.stat().st_mtime > built for f in folder.rglob("*") if f.is_file()):
            return False
    return True


def collectstatic() -> None:
    """The pages are served with DEBUG off, as in production: they need the static manifest
    (built again only when a static file changed since; minutes on a loaded machine)."""
    if _static_is_current():
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=django_env(database_url("sqlite")),
        check=True,
        timeout=600,  # a loaded machine takes minutes to post-process the manifest
    )
