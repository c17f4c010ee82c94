"""deploy/ cannot drift from what runs: every systemd unit's ExecStart is run here (not systemd
itself) — each `manage.py` subcommand with --help, and its dry run where it has one; gunicorn
loads the application with --check-config; every service has its timer or is a daemon."""

from __future__ import annotations

import configparser
import json
import os
import shlex
import shutil
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


def exec_starts(path: Path) -> list[list[str]]:
    """The unit's commands (a oneshot may have several ExecStart lines, run in order) with the
    install prefix mapped to this checkout."""
    lines = [
        line.split("=", 1)[1]
        for line in path.read_text().splitlines()
        if line.startswith("ExecStart=")
    ]
    venv_bin = Path(sys.executable).parent
    commands = []
    for line in lines:
        mapped = []
        for word in shlex.split(line):
            if word.startswith("/srv/pulih/.venv/bin/"):
                word = str(venv_bin / Path(word).name)
            mapped.append(word.replace("%H", "host").replace("%i", "1"))
        commands.append(mapped)
    return commands


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def environment(tmp_path: Path) -> dict[str, str]:
    unset = {"DJANGO_ALLOW_ASYNC_UNSAFE", "TASKS_BACKEND"}  # the suite's in-place tasks
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        DJANGO_SETTINGS_MODULE="pulih.settings",
        DEBUG="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'units.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "uploads"),
        BACKUP_DIR=str(tmp_path / "backups"),
    )
    return env


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """One migrated database with the standard loaded, copied for each test (migrating is the
    slow part)."""
    folder = tmp_path_factory.mktemp("deploy-db")
    env = environment(folder)
    for command in (["migrate", "-v0"], ["createcachetable"], ["load_standard"]):
        result = run([sys.executable, "manage.py", *command], env)
        assert result.returncode == 0, result.stdout + result.stderr
    return folder / "units.sqlite3"


@pytest.fixture
def production_env(tmp_path, migrated) -> dict[str, str]:
    shutil.copyfile(migrated, tmp_path / "units.sqlite3")
    return environment(tmp_path)


def test_the_deploy_directory_has_every_unit_the_guide_names():
    names = {p.name for p in (DEPLOY / "systemd").iterdir()}
    for job in ("reminders", "retention", "backup", "outbox"):
        assert {f"pulih-{job}.service", f"pulih-{job}.timer"} <= names
    assert names >= DAEMONS
    guide = (Path(settings.BASE_DIR) / "docs" / "deploy.md").read_text()
    for name in names:
        assert name in guide, f"docs/deploy.md does not mention {name}"


@pytest.mark.parametrize("path", UNITS, ids=[p.name for p in UNITS])
def test_each_unit_runs_commands_that_exist(path, production_env):
    unit = unit_file(path)
    commands = exec_starts(path)
    assert commands
    assert unit["Service"]["WorkingDirectory"] == "/srv/pulih"
    if path.name not in DAEMONS:
        assert unit["Service"]["Type"] == "oneshot"
        assert (path.parent / path.name.replace(".service", ".timer")).exists()
    else:
        assert len(commands) == 1
    for command in commands:
        if Path(command[0]).name == "gunicorn":
            assert command[1] == "pulih.wsgi"
            result = run([*command, "--check-config"], production_env)
            assert result.returncode == 0, result.stdout + result.stderr
            continue
        assert command[1] == "manage.py"
        subcommand = command[2]
        result = run([*command[:3], "--help"], production_env)
        assert result.returncode == 0, result.stdout + result.stderr
        for option in command[3:]:
            if option.startswith("--"):
                assert option in result.stdout, f"{subcommand} has no {option}"
        if subcommand in DRY_RUNS:
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


TIMERS = sorted(p for p in UNITS if p.name not in DAEMONS)
WORKER = exec_starts(DEPLOY / "systemd" / "pulih-worker@.service")[0]
# What each job's task leaves behind for a test to see: its return value, by task.
JOBS = {
    "pulih.jobs.send_reminders": "sent",
    "recovery.tasks.send_followups": "queued",
    "pulih.jobs.apply_retention": "bpmp-kalteng",
    "pulih.jobs.backup": "path",
}
RESULTS = """
import json
from django.conf import settings
backend = settings.TASKS["default"]["BACKEND"]
results = {}
if backend.endswith("DatabaseBackend"):
    from django_tasks_db.models import DBTaskResult
    for row in DBTaskResult.objects.all():
        results.setdefault(row.task_path, []).append([row.status, row.return_value])
else:
    import django_rq
    from rq.registry import FailedJobRegistry, FinishedJobRegistry
    queue = django_rq.get_queue("default")
    for registry, status in ((FinishedJobRegistry, "SUCCESSFUL"), (FailedJobRegistry, "FAILED")):
        ids = registry(queue=queue).get_job_ids()
        for job in queue.job_class.fetch_many(ids, queue.connection):
            results.setdefault(job.func_name, []).append([status, job.return_value()])
    results["_waiting"] = queue.count
print("RESULTS " + json.dumps(results, default=str))
"""


def run_the_timers_then_a_worker(env: dict[str, str], tmp_path: Path) -> dict:
    """Every timer's commands, for real, as systemd runs them; then one task worker (the
    worker unit's command) runs what they queued and stops."""
    for command in (
        [sys.executable, "manage.py", "migrate", "-v0"],
        [sys.executable, "manage.py", "load_standard"],
    ):
        result = run(command, env)
        assert result.returncode == 0, result.stdout + result.stderr
    for timer in TIMERS:
        for command in exec_starts(timer):
            result = run(command, env)
            assert result.returncode == 0, result.stdout + result.stderr
            if command[2] != "sweep_outbox":
                assert "queued as task" in result.stdout, (command, result.stdout)
    assert not list((tmp_path / "backups").glob("*.tar.gz"))  # queued, not yet run
    result = run([*WORKER, "--burst"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    result = run([sys.executable, "manage.py", "shell", "-c", RESULTS], env)
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULTS "))
    return json.loads(line.removeprefix("RESULTS "))


def assert_every_job_ran_once(results: dict, tmp_path: Path) -> None:
    for path, key in JOBS.items():
        assert len(results.get(path, [])) == 1, (path, results)
        status, value = results[path][0]
        assert status == "SUCCESSFUL", (path, value)
        assert key in value, (path, value)
    assert results.get("_waiting", 0) == 0
    assert len(list((tmp_path / "backups").glob("pulih-*.tar.gz"))) == 1


def test_the_timers_jobs_run_on_the_database_task_queue(production_env, tmp_path):
    results = run_the_timers_then_a_worker(production_env, tmp_path)
    assert_every_job_ran_once(results, tmp_path)


def test_the_timers_jobs_run_on_redis(production_env, tmp_path):
    from pulih.tests.redis_run import redis_of_this_run

    with redis_of_this_run() as url:
        env = {**production_env, "REDIS_URL": url, "CACHE_PREFIX": f"deploy-{tmp_path.name}"}
        results = run_the_timers_then_a_worker(env, tmp_path)
    assert_every_job_ran_once(results, tmp_path)
