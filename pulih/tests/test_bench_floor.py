"""The benchmark's floor view (pulih/benchfloor.py) exists only when BENCH_FLOOR=1 is set:
absent by default and in production settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

PROBE = """
import json
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import resolve
from pulih import benchfloor
benchfloor.create_table()
before = benchfloor.count_rows()
body = json.dumps({"answers": {"U1": 4}})
answer = Client().post("/bench/floor/abc/", body, content_type="application/json",
                       HTTP_HOST="127.0.0.1")
print(json.dumps({"flag": settings.BENCH_FLOOR, "view": resolve("/bench/floor/abc/").url_name,
                  "status": answer.status_code, "rows": benchfloor.count_rows() - before}))
"""


def test_floor_is_off_by_default(client):
    assert settings.BENCH_FLOOR is False
    with pytest.raises(Resolver404):
        resolve("/bench/floor/abc/")
    body = json.dumps({"answers": {"U1": 4}})
    response = client.post("/bench/floor/abc/", body, content_type="application/json")
    assert response.status_code == 404


def _run(tmp_path, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "BENCH_FLOOR"}
    env.update(
        DEBUG="0",
        HTTPS="0",
        SECRET_KEY="k8Jq2vR9xT4mW7zL1pN6sD3fG5hY0cB8nM2qX7wE4rT9yU1iO6",
        DATABASE_URL=f"sqlite:///{tmp_path / 'floor.sqlite3'}",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_floor_is_absent_without_the_setting(tmp_path):
    result = _run(tmp_path)
    assert result.returncode != 0
    assert "Resolver404" in result.stderr


def test_floor_inserts_one_row_when_enabled(tmp_path):
    result = _run(tmp_path, BENCH_FLOOR="1")
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {"flag": True, "view": "bench-floor", "status": 201, "rows": 1}
