"""Production settings (DEBUG off, a real secret key, HTTPS by default) pass
`check --deploy` with no warnings, and turn on secure cookies and HSTS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

# 50 characters, many distinct: what `check --deploy` asks of a production key.
PRODUCTION_KEY = "k8Jq2vR9xT4mW7zL1pN6sD3fG5hY0cB8nM2qX7wE4rT9yU1iO6"
PROBE = """
import json
from django.conf import settings
from django.test import Client, override_settings
# Only the static files storage differs from production: no collectstatic manifest here.
static = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
override_settings(STORAGES=static).enable()
response = Client().get("/accounts/login/", secure=True, HTTP_HOST="pulih.example.go.id")
cookie = response.cookies["csrftoken"]
print(json.dumps({
    "status": response.status_code,
    "hsts": response.get("Strict-Transport-Security", ""),
    "csrf_cookie_secure": bool(cookie["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "debug": settings.DEBUG,
    "plain_http": Client().get("/accounts/login/", HTTP_HOST="pulih.example.go.id").status_code,
}))
"""


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    unset = {"HTTPS", "DEBUG", "HSTS_SECONDS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        DEBUG="0",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="pulih.example.go.id",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "uploads"),
    )
    env.update(extra)
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    result = _manage(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_check_deploy_complains_about_a_weak_key(tmp_path):
    """The check above can fail: a short key is reported."""
    env = _production_env(tmp_path, SECRET_KEY="short")
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_production_settings_send_secure_cookies_and_hsts(tmp_path):
    result = _manage(_production_env(tmp_path), "shell", "-v", "0", "-c", PROBE)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["debug"] is False
    assert seen["status"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["csrf_cookie_secure"] is True
    assert seen["session_cookie_secure"] is True
    assert seen["session_cookie_httponly"] is True
    assert seen["ssl_redirect"] is True
    assert seen["plain_http"] == 301


def test_plain_http_deployments_can_opt_out(tmp_path):
    result = _manage(_production_env(tmp_path, HTTPS="0"), "shell", "-v", "0", "-c", PROBE)
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["hsts"] == ""
    assert seen["csrf_cookie_secure"] is False
    assert seen["plain_http"] == 200
