"""deploy/ cannot drift from what runs: every systemd unit's ExecStart is run here (not systemd
itself) — each `manage.py` subcommand with --help, and its dry run where it has one; gunicorn
loads the application with --check-config; every service has its timer or is a daemon."""

from __future__ import annotations

import configparser
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
DAEMONS = {"pulih-web.service", "pulih-worker@.service"}
# Commands that can run for real without changing anything.
DRY_RUNS = {
    "sweep_outbox": ["--dry-run"],
    "task_worker": ["--check"],
}


def unit_file(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(path)
    return parser


def exec_start(path: Path) -> list[str]:
    """The unit's command with the install prefix mapped to this checkout."""
    command = shlex.split(unit_file(path)["Service"]["ExecStart"])
    venv_bin = Path(sys.executable).parent
    mapped = []
    for word in command:
        if word.startswith("/srv/pulih/.venv/bin/"):
            word = str(venv_bin / Path(word).name)
        mapped.append(word.replace("%H", "host").replace("%i", "1"))
    return mapped


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="pulih.settings",
        DEBUG="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'units.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "uploads"),
        BACKUP_DIR=str(tmp_path / "backups"),
    )
    return env


def test_the_deploy_directory_has_every_unit_the_guide_names():
    names = {p.name for p in (DEPLOY / "systemd").iterdir()}
    for job in ("reminders", "retention", "backup", "outbox"):
        assert {f"pulih-{job}.service", f"pulih-{job}.timer"} <= names
    assert names >= DAEMONS
    guide = (Path(settings.BASE_DIR) / "docs" / "deploy.md").read_text()
    for name in names:
        assert name in guide, f"docs/deploy.md does not mention {name}"


@pytest.mark.parametrize("path", UNITS, ids=[p.name for p in UNITS])
def test_each_unit_runs_a_command_that_exists(path, production_env):
    unit = unit_file(path)
    command = exec_start(path)
    assert unit["Service"]["WorkingDirectory"] == "/srv/pulih"
    if path.name not in DAEMONS:
        assert unit["Service"]["Type"] == "oneshot"
        assert (path.parent / path.name.replace(".service", ".timer")).exists()
    if Path(command[0]).name == "gunicorn":
        assert command[1] == "pulih.wsgi"
        result = run([*command, "--check-config"], production_env)
        assert result.returncode == 0, result.stdout + result.stderr
        return
    assert command[1] == "manage.py"
    subcommand = command[2]
    result = run([*command[:3], "--help"], production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    for option in command[3:]:
        if option.startswith("--"):
            assert option in result.stdout, f"{subcommand} has no {option}"
    if subcommand in DRY_RUNS:
        assert run([sys.executable, "manage.py", "migrate", "-v0"], production_env).returncode == 0
        result = run([*command, *DRY_RUNS[subcommand]], production_env)
        assert result.returncode == 0, result.stdout + result.stderr


def test_timers_run_daily_or_often():
    for timer in sorted((DEPLOY / "systemd").glob("*.timer")):
        calendar = unit_file(timer)["Timer"]["OnCalendar"]
        assert calendar, timer.name
        assert unit_file(timer)["Timer"]["Persistent"] == "true"


def test_the_nginx_site_forwards_what_the_app_reads():
    site = (DEPLOY / "nginx" / "pulih.conf").read_text()
    for needed in (
        "X-Forwarded-For $proxy_add_x_forwarded_for",
        "X-Forwarded-Proto $scheme",
        "X-Request-ID $request_id",
        "location = /healthz",
        "alias /srv/pulih/staticfiles/",
        "ssl_certificate ",
    ):
        assert needed in site
