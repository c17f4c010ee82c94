"""`make reliability` stops and restarts PostgreSQL on purpose, so it does so only to a cluster
of its own: never the shared one on 5432 that every other process on the machine uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from reliability.pgcluster import Cluster, bin_dir

PACKAGE = Path(__file__).resolve().parent.parent


def test_no_part_of_the_run_names_the_shared_cluster():
    offenders = []
    for path in PACKAGE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "pg_ctlcluster" in text or ":5432" in text or "/etc/postgresql" in text:
            offenders.append(path.name)
    assert offenders == []


def _have_postgres() -> bool:
    try:
        return (bin_dir() / "initdb").exists()
    except RuntimeError:
        return False


@pytest.mark.skipif(not _have_postgres(), reason="no PostgreSQL server programs")
def test_a_throwaway_cluster_serves_survives_a_restart_and_leaves_nothing():
    import psycopg

    with Cluster() as cluster:
        assert cluster.port != 5432
        assert str(cluster.data).startswith(str(cluster.root))
        with psycopg.connect(cluster.admin_url, autocommit=True) as conn:
            conn.execute("CREATE DATABASE probe")
        cluster.stop()
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(cluster.url("probe"), connect_timeout=2)
        cluster.start()
        with psycopg.connect(cluster.url("probe")) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    assert not cluster.root.exists()
