"""The benchmark's floor view (bench/floor.py) exists only under the bench's own settings
(bench/settings.py): Pulih's settings and URLs know nothing of it."""

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
from bench import floor as benchfloor
benchfloor.create_table()
before = benchfloor.count_rows()
body = json.dumps({"answers": {"U1": 4}})
answer = Client().post("/bench/floor/abc/", body, content_type="application/json",
                       HTTP_HOST="127.0.0.1")
print(json.dumps({"urls": settings.ROOT_URLCONF, "view": resolve("/bench/floor/abc/").url_name,
                  "status": answer.status_code, "rows": benchfloor.count_rows() - before}))
"""


def test_floor_is_not_in_the_product(client):
    assert settings.ROOT_URLCONF == "pulih.urls"
    with pytest.raises(Resolver404):
        resolve("/bench/floor/abc/")
    body = json.dumps({"answers": {"U1": 4}})
    response = client.post("/bench/floor/abc/", body, content_type="application/json")
    assert response.status_code == 404


def _run(tmp_path, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
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


def test_floor_is_absent_under_pulihs_settings(tmp_path):
    result = _run(tmp_path)
    assert result.returncode != 0
    assert "Resolver404" in result.stderr


def test_floor_inserts_one_row_under_the_bench_settings(tmp_path):
    result = _run(tmp_path, DJANGO_SETTINGS_MODULE="bench.settings")
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {"urls": "bench.urls", "view": "bench-floor", "status": 201, "rows": 1}
