"""The floor of the survey-submission benchmark (`make bench`, bench/submit_rate.py).

A minimal Django view that reads a JSON body and inserts one row, served by the same gunicorn,
settings and middleware as Pulih. Its URL exists only under the bench's own settings and URLs
(bench/settings.py, bench/urls.py: Pulih's with this one path added); Pulih's settings and URLs
know nothing of it. The table it writes to is not a model: the benchmark creates it
(`create_table`) in its own database.
"""

from __future__ import annotations

import json

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

TABLE = "bench_floor_row"


def create_table() -> None:
    """Create the floor's one table in the default database if it is not there."""
    key = (
        "id bigserial PRIMARY KEY"
        if connection.vendor == "postgresql"
        else "id integer PRIMARY KEY AUTOINCREMENT"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} ("  # noqa: S608 (a constant)
            f"{key}, token varchar(64) NOT NULL, answers integer NOT NULL, "
            "created_at timestamp with time zone NOT NULL)"
        )


def drop_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def count_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608 (a constant)
        return cursor.fetchone()[0]


@csrf_exempt
@require_POST
def floor(request: HttpRequest, token: str) -> HttpResponse:
    """Parse the JSON body, insert one row (autocommit: its own transaction), answer 201."""
    try:
        body = json.loads(request.body)
        answers = len(body["answers"])
    except (ValueError, KeyError, TypeError):
        return HttpResponse(status=400)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (token, answers, created_at) VALUES (%s, %s, %s)",  # noqa: S608
            [token[:64], answers, timezone.now()],
        )
    return JsonResponse({"stored": True}, status=201)
