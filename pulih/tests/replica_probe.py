"""Run by test_replica.py in its own process, against a real primary and its streaming replica:
prints, as JSON, which database served each request's queries."""

from __future__ import annotations

import json
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulih.settings")
django.setup()

from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from pulih.lib.replica import replica_reads  # noqa: E402
from surveys.services import submit_response  # noqa: E402
from units.models import ELEMENT_CODES, Membership, Role, Unit, User  # noqa: E402
from units.standard import load_standard  # noqa: E402


def wait_for_replay(timeout: float = 30) -> None:
    with connections["default"].cursor() as cur:
        cur.execute("SELECT pg_current_wal_lsn()")
        (target,) = cur.fetchone()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connections["replica"].cursor() as cur:
            cur.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cur.fetchone()[0]:
                return
        time.sleep(0.1)
    raise SystemExit("the replica did not catch up")


def served(client: Client, method: str, path: str, data=None) -> dict:
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = getattr(client, method)(path, data or {})
    return {
        "status": response.status_code,
        "primary": len(primary.captured_queries),
        "replica": len(replica.captured_queries),
        "body": response.content.decode(errors="replace") if method == "get" else "",
    }


def main() -> None:
    unit, _ = load_standard()
    head = User.objects.create_user("kepala-replika", password="x", full_name="Kepala")
    Membership.objects.create(user=head, unit=unit, role=Role.HEAD)
    submit_response(unit, answers=dict.fromkeys(ELEMENT_CODES, 4), submitted_at=timezone.now())
    wait_for_replay()
    with connections["replica"].cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        (standby,) = cur.fetchone()

    client = Client()
    client.force_login(head)
    today = timezone.localdate().isoformat()
    dashboard = served(client, "get", f"/laporan/?start={today}&end={today}")
    public = served(Client(), "get", f"/u/{unit.code}/hasil/")
    # Her own write (switching the unit is a POST), then the same dashboard at once.
    wrote = served(client, "post", "/unit/switch/", {"unit": unit.code, "next": "/"})
    after_write = served(client, "get", f"/laporan/?start={today}&end={today}")
    with replica_reads():
        Unit.objects.filter(pk=unit.pk).update(phone="0811")  # a write never goes to the replica
    json.dump(
        {
            "standby": standby,
            "dashboard": {k: v for k, v in dashboard.items() if k != "body"},
            "dashboard_shows_the_answer": 'id="kpi-respondents">1<' in dashboard["body"],
            "public": {k: v for k, v in public.items() if k != "body"},
            "write": {k: v for k, v in wrote.items() if k != "body"},
            "after_write": {k: v for k, v in after_write.items() if k != "body"},
            "phone_on_primary": Unit.objects.using("default").get(pk=unit.pk).phone,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
