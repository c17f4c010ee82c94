"""Reads scale out: with DATABASE_REPLICA_URL set, dashboards, reports and roll-ups read from a
real PostgreSQL streaming replica (a second local cluster made with pg_basebackup); writes, and
a person's reads right after their own write, stay on the primary."""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1:] or [""]
PG_BIN = Path(BIN[0])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(*args: str) -> list[str]:
    """PostgreSQL refuses to run as root: drop to the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


def run(*args: str) -> None:
    done = subprocess.run(as_postgres(*args), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{args[0]}: {done.stderr or done.stdout}"


@pytest.fixture(scope="module")
def clusters():
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL server binaries not found under {PG_BIN} (postgresql package)")
    # Not under pytest's own tmp dir: the postgres user must be able to reach it.
    base = Path(tempfile.mkdtemp(prefix="pulih-replica-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    primary, standby, sockets = base / "primary", base / "standby", base / "sock"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(sockets, "postgres")
    ports = free_port(), free_port()
    opts = f"-c listen_addresses=127.0.0.1 -k {sockets} -c fsync=off"
    run(str(PG_BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    run(str(PG_BIN / "pg_ctl"), "-D", str(primary), "-l", str(base / "primary.log"), "-w",
        "-o", f"-p {ports[0]} {opts}", "start")  # fmt: skip
    try:
        run(str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(ports[0]), "-U",
            "postgres", "-D", str(standby), "-R", "-X", "stream")  # fmt: skip
        run(str(PG_BIN / "pg_ctl"), "-D", str(standby), "-l", str(base / "standby.log"), "-w",
            "-o", f"-p {ports[1]} {opts}", "start")  # fmt: skip
        try:
            run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(ports[0]), "-U",
                "postgres", "pulih")  # fmt: skip
            yield {
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:{ports[0]}/pulih",
                "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{ports[1]}/pulih",
            }
        finally:
            run(str(PG_BIN / "pg_ctl"), "-D", str(standby), "-m", "immediate", "stop")
    finally:
        run(str(PG_BIN / "pg_ctl"), "-D", str(primary), "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


def probe(urls: dict) -> dict:
    env = {**os.environ, **urls, "DEBUG": "1", "HTTPS": "0", "ALLOWED_HOSTS": "testserver"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT, env={**env, "DATABASE_REPLICA_URL": ""}, check=True, timeout=300,
    )  # fmt: skip
    out = subprocess.run(
        [python, "-m", "pulih.tests.replica_probe"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return json.loads(out.stdout)


def test_dashboards_read_the_replica_and_writes_stay_on_the_primary(clusters):
    seen = probe(clusters)
    assert seen["standby"] is True  # the replica really is a standby in recovery
    # The dashboard's figures come from the replica (the session and the person from the
    # primary, before the view) and show the answer written on the primary.
    assert seen["dashboard"]["status"] == 200
    assert seen["dashboard"]["replica"] > seen["dashboard"]["primary"]
    assert seen["dashboard_shows_the_answer"] is True
    assert seen["public"]["status"] == 200 and seen["public"]["replica"] > 0
    # Her own write, then the same page at once: every query on the primary.
    assert seen["write"]["status"] == 302 and seen["write"]["replica"] == 0
    assert seen["after_write"]["status"] == 200
    assert seen["after_write"]["replica"] == 0 and seen["after_write"]["primary"] > 0
    assert seen["phone_on_primary"] == "0811"
