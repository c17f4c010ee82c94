"""One database's reliability run: load, crash, and (PostgreSQL) outage. Prints JSON figures.

PostgreSQL is always a throwaway cluster of the run's own (reliability.pgcluster), never the
shared one on 5432: the outage scenario stops and restarts it.

Run as `python -m reliability.run --db sqlite|postgres`; `python -m reliability` runs both."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import threading
import time
from pathlib import Path

from .load import LoadResult, submit_all
from .pgcluster import Cluster
from .server import ROOT, Server, free_port

PG_DB = "pulih_reliability"


def database_url(db: str, cluster: Cluster | None = None) -> str:
    if db == "sqlite":
        path = ROOT / "var" / "reliability" / "reliability.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    assert cluster is not None, "PostgreSQL runs only on the run's own cluster"
    with psycopg.connect(cluster.admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')
    return cluster.url(PG_DB)


def server_env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "reliability-run-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # The load comes from one address: lift the per-address limits for this run only.
        "SURVEY_RATE": "100000000/minute",
        "PUBLIC_RATE": "100000000/minute",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "ERROR",
    }


def setup_django(url: str) -> None:
    os.environ.update(server_env(url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulih.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_standard", verbosity=0)


def seed(count: int) -> list[str]:
    """`count` service records, each with its own survey token."""
    from django.utils import timezone

    from surveys.models import ServiceRecord
    from surveys.services import store_records
    from units.models import Membership, Role, ServiceType, Unit, User

    unit = Unit.objects.get(code="bpmp-kalteng")
    officer, _ = User.objects.get_or_create(username="petugas-reliability")
    Membership.objects.get_or_create(user=officer, unit=unit, role=Role.OFFICER)
    service, _ = ServiceType.objects.get_or_create(
        unit=unit, code="informasi", defaults={"name": "Layanan informasi"}
    )
    now = timezone.now()
    records = [
        ServiceRecord(
            unit=unit,
            service_type=service,
            officer=officer,
            customer_name="Pelanggan",
            served_at=now,
        )
        for _ in range(count)
    ]
    store_records(unit, records)
    tokens = [r.survey_token for r in records]
    return tokens


def stored(tokens: list[str]) -> tuple[int, int]:
    """(responses stored for these tokens, tokens with more than one response)."""
    from django.db import connection
    from django.db.models import Count

    from surveys.models import SurveyResponse

    connection.close()  # the database may have restarted: take a fresh connection
    rows = (
        SurveyResponse.objects.filter(service_record__survey_token__in=tokens)
        .values("service_record")
        .annotate(n=Count("id"))
    )
    total = duplicates = 0
    for row in rows.iterator():
        total += row["n"]
        duplicates += row["n"] > 1
    return total, duplicates


def figures(name: str, result: LoadResult, tokens: list[str]) -> dict:
    stored_count, duplicates = stored(tokens)
    missing = len(result.acknowledged) - len(set(result.acknowledged) & set(_stored_tokens(tokens)))
    return {
        "scenario": name,
        "requests": result.sent,
        "acknowledged": len(result.acknowledged),
        "stored": stored_count,
        "acknowledged_but_missing": missing,
        "duplicates": duplicates,
        "errors_by_status": {
            str(k): v for k, v in sorted(result.statuses.items(), key=str) if k != 201
        },
        "outage_statuses": {str(k): v for k, v in result.outage_statuses.items()},
        "p50_ms": round(result.percentile(50), 1),
        "p99_ms": round(result.percentile(99), 1),
        "seconds": round(result.duration, 1),
        "rps": round(result.sent / result.duration, 1) if result.duration else 0,
    }


def _stored_tokens(tokens: list[str]) -> list[str]:
    from surveys.models import SurveyResponse

    return list(
        SurveyResponse.objects.filter(service_record__survey_token__in=tokens)
        .values_list("service_record__survey_token", flat=True)
        .iterator()
    )


def scenario_load(server: Server, count: int, clients: int) -> dict:
    tokens = seed(count)
    result = submit_all(server.port, tokens, clients)
    out = figures("load", result, tokens)
    out["passed"] = (
        out["acknowledged"] == count == out["stored"]
        and not out["errors_by_status"]
        and out["duplicates"] == 0
    )
    return out


def scenario_crash(server: Server, count: int, clients: int) -> dict:
    tokens = seed(count)
    holder: dict = {}
    t = threading.Thread(
        target=lambda: holder.setdefault(
            "r", submit_all(server.port, tokens, clients, max_seconds=300)
        )
    )
    t.start()
    time.sleep(max(1.0, count / 4000))  # well inside the run
    server.kill()
    time.sleep(1.0)
    server.start()
    t.join()
    result: LoadResult = holder["r"]
    out = figures("crash (SIGKILL mid-load, restart)", result, tokens)
    # Acknowledged exactly once; a request cut by the crash may be stored without an
    # acknowledgement (the retry then answers 409), never twice.
    out["passed"] = (
        out["acknowledged_but_missing"] == 0 and out["duplicates"] == 0 and out["stored"] == count
    )
    return out


def scenario_outage(server: Server, cluster: Cluster, count: int, clients: int) -> dict:
    """Stop the run's own throwaway cluster (never a shared one) for 3 s mid-load."""
    tokens = seed(count)
    in_outage = threading.Event()
    holder: dict = {}
    t = threading.Thread(
        target=lambda: holder.setdefault(
            "r", submit_all(server.port, tokens, clients, max_seconds=300, in_outage=in_outage)
        )
    )
    t.start()
    time.sleep(max(1.0, count / 6000))
    in_outage.set()
    cluster.stop()
    time.sleep(3.0)
    cluster.start()
    in_outage.clear()
    t.join()
    result: LoadResult = holder["r"]
    out = figures("database outage (stop and restart PostgreSQL)", result, tokens)
    out["passed"] = (
        "500" not in out["outage_statuses"]
        and out["stored"] == count
        and out["acknowledged_but_missing"] == 0
        and out["duplicates"] == 0
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        cluster = None
        if args.db == "postgres":
            # python -m reliability passes its cluster; run alone, this makes one of its own.
            cluster = Cluster.from_environ() or stack.enter_context(Cluster())
        url = database_url(args.db, cluster)
        setup_django(url)
        server = Server(server_env(url), free_port())
        server.start()
        stack.callback(server.stop)
        count = max(2000, args.requests // 2)
        results = [
            scenario_load(server, args.requests, args.clients),
            scenario_crash(server, count, args.clients),
        ]
        if cluster is not None:
            results.append(scenario_outage(server, cluster, count, args.clients))
    print(json.dumps({"db": args.db, "results": results}))


if __name__ == "__main__":
    main()
