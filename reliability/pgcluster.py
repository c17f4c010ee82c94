"""A throwaway PostgreSQL cluster of the reliability run's own.

The run stops and restarts PostgreSQL on purpose (the outage scenario), so it never uses a
cluster anything else relies on: it makes its own with initdb in a temporary directory, serves
it with pg_ctl on a free port of 127.0.0.1, and removes it afterwards. Run as root, the server
runs as the `postgres` user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from .server import free_port


def bin_dir() -> Path:
    """The newest installed PostgreSQL's programs (PG_BIN overrides)."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if found:
        return Path(found[-1])
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl is None:
        raise RuntimeError("PostgreSQL server programs not found; set PG_BIN")
    return Path(pg_ctl).parent


class Cluster:
    """initdb into a temporary directory; start, stop and remove it on request."""

    def __init__(self, data_dir: Path | None = None, port: int | None = None):
        self.bin = bin_dir()
        self.owned = data_dir is None
        self.root = (
            Path(tempfile.mkdtemp(prefix="pulih-reliability-pg-"))
            if data_dir is None
            else data_dir.parent
        )
        self.data = data_dir or self.root / "data"
        self.port = port or free_port()
        self._user = pwd.getpwnam("postgres") if os.geteuid() == 0 else None

    @property
    def admin_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._user is not None:
            command = ["runuser", "-u", self._user.pw_name, "--", *command]
        subprocess.run(
            command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.root
        )

    def init(self) -> Cluster:
        if self._user is not None:
            os.chown(self.root, self._user.pw_uid, self._user.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        )
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self.stop()
        if self.owned:
            shutil.rmtree(self.root, ignore_errors=True)

    def environ(self) -> dict[str, str]:
        """What a child process needs to find this cluster (see `from_environ`)."""
        return {"RELIABILITY_PGDATA": str(self.data), "RELIABILITY_PGPORT": str(self.port)}

    @classmethod
    def from_environ(cls) -> Cluster | None:
        if not os.environ.get("RELIABILITY_PGDATA"):
            return None
        return cls(Path(os.environ["RELIABILITY_PGDATA"]), int(os.environ["RELIABILITY_PGPORT"]))

    def __enter__(self) -> Cluster:
        self.init()
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.remove()
