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
    unset = {"HTTPS", "DEBUG", "HSTS_SECONDS", "DJANGO_ALLOW_ASYNC_UNSAFE", "TASKS_BACKEND"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        DJANGO_SETTINGS_MODULE="pulih.settings",  # production's, not the suite's
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


def test_with_debug_off_the_app_refuses_to_start_without_a_real_key(tmp_path):
    for key in ("short", "", "insecure-development-key-change-me-" + "x" * 20):
        env = _production_env(tmp_path, SECRET_KEY=key)
        result = _manage(env, "check")
        assert result.returncode != 0, key
        assert "SECRET_KEY is missing or weak" in result.stderr
    env = _production_env(tmp_path, DEBUG="1", SECRET_KEY="")
    assert _manage(env, "check").returncode == 0  # a developer's machine needs none


def test_settings_read_the_env_file_and_keep_sqlite_in_the_project(tmp_path):
    env = _production_env(tmp_path)
    for name in ("SECRET_KEY", "DATABASE_URL", "SITE_URL"):
        env.pop(name, None)
    env_file = tmp_path / "pulih.env"
    env_file.write_text(
        f"SECRET_KEY={PRODUCTION_KEY}\nSITE_URL=https://pulih.example.go.id\n"
        "DATABASE_URL=sqlite:///var/pulih-test-relative.sqlite3\n"
    )
    env["ENV_FILE"] = str(env_file)
    probe = (
        "from django.conf import settings; "
        "print(settings.SITE_URL, settings.DATABASES['default']['NAME'], settings.MEDIA_ROOT)"
    )
    result = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "shell", "-v", "0", "-c", probe],
        cwd=tmp_path,  # as cron or systemd would: anywhere but the project
        env={**env, "MEDIA_ROOT": "var/uploads"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    site, database, media = result.stdout.split()
    assert site == "https://pulih.example.go.id"
    assert database == str(settings.BASE_DIR / "var" / "pulih-test-relative.sqlite3")
    assert media == str(settings.BASE_DIR / "var" / "uploads")


HEALTH_PROBE = """
import json
from django.test import Client
response = Client().get("/healthz", HTTP_HOST="10.0.0.5:8000", HTTP_X_REQUEST_ID="probe-12345678")
print(json.dumps({"status": response.status_code, "body": json.loads(response.content),
                  "request_id": response["X-Request-ID"]}))
"""


def test_healthz_answers_a_plain_http_probe_by_address_with_database_and_queue(tmp_path):
    env = _production_env(tmp_path)
    assert _manage(env, "migrate", "-v", "0").returncode == 0
    result = _manage(env, "shell", "-v", "0", "-c", HEALTH_PROBE)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["status"] == 200  # not redirected to HTTPS, not refused for its Host
    assert seen["body"]["database"] == {"ok": True, "engine": "sqlite"}
    assert seen["body"]["tasks"]["backend"] == "DatabaseBackend"
    assert seen["body"]["tasks"]["ok"] is True
    assert seen["request_id"] == "probe-12345678"


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


CONNECTION_PROBE = """
import io, sys
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
app = WSGIHandler()
def get(path):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_NAME": "10.0.0.5",
               "SERVER_PORT": "8000", "HTTP_HOST": "10.0.0.5:8000", "wsgi.input": io.BytesIO(),
               "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr}
    result = app(environ, lambda status, headers, exc_info=None: None)
    b"".join(result)
    result.close()  # the end of the request: Django closes connections too old to keep
    return connection.connection
first = get("/healthz")
print(first is not None and get("/healthz") is first)
"""


def test_production_keeps_its_database_connection_between_requests(tmp_path):
    """Opening the database per request (CONN_MAX_AGE=0) cost a survey answer several times
    its own work (SQLite reads its schema again, PostgreSQL starts a backend): each gunicorn
    worker keeps its connection, PostgreSQL's checked before each request's first query."""
    env = _production_env(tmp_path, HTTPS="0")
    env.pop("CONN_MAX_AGE", None)
    assert _manage(env, "migrate", "--noinput", "-v", "0").returncode == 0
    result = _manage(env, "shell", "-v", "0", "-c", CONNECTION_PROBE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"]
