"""The production layout on this machine: gunicorn with 3 workers, two task workers, a real
SMTP server (aiosmtpd), and either PostgreSQL + Redis (cache and RQ task queue) or SQLite +
the database cache and task backend. Cases move through the workflow over the API while the
mail server is stopped for a while and started again: every action is recorded exactly once,
every notification is delivered exactly once. Then the rate limits hold exactly across the
three workers, per client behind one trusted proxy (NUM_PROXIES=1).

One run tests the layout of the database it runs on: `make test` the SQLite one, `make test-pg`
the PostgreSQL + Redis one. The Redis run uses the database of PULIH_TEST_REDIS_URL (DB 6 by
default; give parallel runs a number each) and holds a lock there while it runs, so two runs on
the same number wait for each other instead of taking each other's tasks; its cache keys carry
a prefix of their own.

Nothing here waits on a guess of how long something takes: each step waits for a condition in
the database (with a generous deadline, for a loaded machine), and the mail outage lasts until
every notification queued during it has failed twice."""

from __future__ import annotations

import concurrent.futures
import datetime
import email
import json
import logging
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core import signing
from django.db import connection

from api.tokens import issue_token
from cases.models import CaseAction, CaseState
from cases.tests.conftest import payload
from complaints.antispam import API_SALT
from notifications.services import HEADER
from pulih.tests.redis_run import REDIS_URL, redis_of_this_run

A = CaseAction
COMPLAINT_LIMIT = 5
DEADLINE = 600  # seconds for any one condition: generous, for a machine under load


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """A real SMTP server that can be stopped and started again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[email.message.Message] = []
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        with self.lock:
            self.received.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def ids(self) -> list[int]:
        with self.lock:
            return sorted(int(m[HEADER]) for m in self.received if m[HEADER])


class Layout:
    """gunicorn (3 workers) and two task workers against the database `database_url`."""

    def __init__(self, tmp: Path, database_url: str, smtp_port: int, redis: bool) -> None:
        self.port = free_port()
        self.tmp = tmp
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "CACHE_URL", "TASKS_BACKEND"}
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="pulih.settings",
            ENV_FILE=os.devnull,
            DEBUG="0",
            HTTPS="0",
            SECRET_KEY="layout-test-" + "Zq8wX3vB7nM1kL5pR9tY" * 3,
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=database_url,
            EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
            EMAIL_USE_TLS="0",
            EMAIL_TIMEOUT="5",
            # Retries 1 s, then every 2 s, never given up: the outage ends when the test says.
            OUTBOX_BACKOFF_SECONDS="1",
            OUTBOX_MAX_BACKOFF_SECONDS="2",
            OUTBOX_MAX_ATTEMPTS="100000",
            NUM_PROXIES="1",
            COMPLAINT_RATE=f"{COMPLAINT_LIMIT}/hour",
            COMPLAINT_MIN_FILL_SECONDS="0",
            PUBLIC_RATE="1000/minute",
            LOGIN_RATE="1000/minute",
            MEDIA_ROOT=str(tmp / "uploads"),
            LOG_LEVEL="INFO",
            PYTHONDONTWRITEBYTECODE="1",
        )
        if redis:
            self.env["REDIS_URL"] = REDIS_URL
            self.env["CACHE_PREFIX"] = f"pulih-layout-{secrets.token_hex(4)}"
        self.processes: list[subprocess.Popen] = []

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def spawn(self, name: str, *command: str) -> None:
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        self.processes.append(
            subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        )

    def start(self) -> None:
        bin_dir = Path(sys.executable).parent
        self.spawn(
            "gunicorn",
            str(bin_dir / "gunicorn"),
            "pulih.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "3",
            # A request renders its document (WeasyPrint) inside the action; on a loaded CI
            # machine that can pass gunicorn's default 30 s, which would kill the worker.
            "--timeout",
            str(DEADLINE),
        )
        for n in (1, 2):
            self.spawn(f"worker{n}", sys.executable, "manage.py", "task_worker", "--name", f"w{n}")
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=5) as response:
                    health = json.loads(response.read())
                    if health["status"] == "ok":
                        self.health = health
                        return
            except (OSError, urllib.error.URLError):
                pass
            for process in self.processes:
                assert process.poll() is None, self.logs()
            time.sleep(0.5)
        raise AssertionError("the layout did not come up:\n" + self.logs())

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(self.tmp.glob("*.log"))
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def post(self, path: str, data: dict, *, token: str = "", client: str = "198.51.100.1"):
        request = urllib.request.Request(
            self.url(path),
            data=json.dumps(data, default=str).encode(),
            headers={
                "Content-Type": "application/json",
                # As nginx sends it: whatever the client claimed, then the address it saw.
                "X-Forwarded-For": f"10.9.9.9, {client}",
                **({"Authorization": f"Token {token}"} if token else {}),
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()


class Database:
    """Reads what the layout wrote: the test's own PostgreSQL database, or the SQLite file."""

    def __init__(self, sqlite_path: Path | None) -> None:
        self.sqlite_path = sqlite_path

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.sqlite_path is None:
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchall()
        with sqlite3.connect(self.sqlite_path, timeout=30) as db:
            return db.execute(sql, params).fetchall()


def wait_for(condition, what: str, layout: Layout, seconds: float = DEADLINE) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}\n" + layout.logs())


def outside_window_edge(seconds: int = 3600, margin: int = 90) -> None:
    """Rate windows are fixed (per hour here): never start a count right before one ends."""
    left = seconds - time.time() % seconds
    if left < margin:
        time.sleep(left + 1)


@pytest.fixture
def redis_run():
    with redis_of_this_run(wait=DEADLINE) as url:
        yield url


@pytest.fixture
def layout_parts(transactional_db, tmp_path, request):
    vendor = connection.vendor
    if vendor == "postgresql":
        request.getfixturevalue("redis_run")
        params = connection.settings_dict
        database_url = (
            f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{params['NAME']}"
        )
        if params.get("PASSWORD"):
            database_url = database_url.replace("@", f":{params['PASSWORD']}@", 1)
        return vendor, database_url, None
    sqlite_path = tmp_path / "layout.sqlite3"
    return vendor, f"sqlite:///{sqlite_path}", sqlite_path


def test_the_production_layout_loses_nothing_and_doubles_nothing(
    layout_parts, make_case, people, budget, tmp_path
):
    vendor, database_url, sqlite_path = layout_parts
    case_a = make_case(CaseState.REVIEW)
    # Due process: case_b's summons is for a date now past, so its hearing is recorded now;
    # case_d is summoned for a date to come.
    case_b = make_case("summoned", officer=people["officer2"])
    case_c = make_case(CaseState.DECISION)
    case_d = make_case(CaseState.HEARING, officer=people["officer2"])
    tokens = {role: issue_token(user)[1] for role, user in people.items()}
    if sqlite_path is not None:  # the in-memory test database, copied to a file all can open
        with sqlite3.connect(sqlite_path) as target:
            connection.ensure_connection()
            connection.connection.backup(target)
    db = Database(sqlite_path)
    (last_before,) = db.rows("SELECT COALESCE(MAX(id), 0) FROM notifications_outboxmessage")[0]

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter
    mailbox = Mailbox()
    layout = Layout(tmp_path, database_url, mailbox.port, redis=vendor == "postgresql")
    layout.manage("createcachetable")
    mailbox.start()
    layout.start()
    expected_backend = "RQBackend" if vendor == "postgresql" else "DatabaseBackend"
    assert layout.health["tasks"]["backend"] == expected_backend
    assert layout.health["database"]["engine"] == vendor
    try:
        taken: list[tuple[int, str]] = []

        def act(case, action: str, role: str) -> None:
            data = payload(action)
            status, body = layout.post(
                f"/api/v1/cases/{case.pk}/{action}/", data, token=tokens[role]
            )
            assert status == 200, (action, status, body[:500])
            taken.append((case.pk, action))

        def unsent() -> list[tuple]:
            return db.rows(
                "SELECT id, state, attempts FROM notifications_outboxmessage "
                "WHERE id > ? AND state != 'sent'",
                (last_before,),
            )

        def count_since(pk: int) -> int:
            return db.rows("SELECT COUNT(*) FROM notifications_outboxmessage WHERE id > ?", (pk,))[
                0
            ][0]

        # Mail is up.
        act(case_a, A.REFER, "back_office")
        act(case_d, A.SUMMON, "coordinator")
        wait_for(lambda: not unsent(), "the first notifications to be sent", layout)
        sent_while_up = len(mailbox.ids())
        assert sent_while_up >= 2
        assert sent_while_up == count_since(last_before)

        # Mail is down: every action still answers 200, once; its mail waits and is retried.
        # The outage lasts until every notification queued during it has failed twice.
        mailbox.stop()
        act(case_a, A.SUMMON, "coordinator")
        act(case_b, A.HEARING, "coordinator")
        act(case_b, A.PROPOSE, "coordinator")
        act(case_c, A.DECIDE, "head")
        queued_while_down = count_since(last_before) - sent_while_up
        assert queued_while_down > 0
        wait_for(
            lambda: (
                len(failed := [attempts for _, _, attempts in unsent()]) == queued_while_down
                and min(failed) >= 2
            ),
            "every delivery to fail twice while the mail server is down",
            layout,
        )
        assert len(mailbox.ids()) == sent_while_up

        # Mail is back: the retries deliver; the periodic sweep running meanwhile doubles nothing.
        mailbox.start()
        layout.manage("sweep_outbox")
        act(case_c, A.COMPENSATE, "coordinator")
        wait_for(lambda: not unsent(), "every notification to be sent", layout)
        layout.manage("sweep_outbox")
        time.sleep(3)  # a late duplicate, if any, would arrive now

        rows = db.rows(
            "SELECT id, state, kind FROM notifications_outboxmessage WHERE id > ? ORDER BY id",
            (last_before,),
        )
        assert {state for _, state, _ in rows} == {"sent"}
        assert mailbox.ids() == [pk for pk, _, _ in rows]  # each delivered exactly once
        kinds = [kind for _, _, kind in rows]
        assert kinds.count("case.summons") == 2
        assert kinds.count("case.customer") == 1

        for case_pk, action in taken:
            (count,) = db.rows(
                "SELECT COUNT(*) FROM cases_caseevent WHERE case_id = ? AND action = ?",
                (case_pk, action),
            )[0]
            assert count == 1, (case_pk, action)
        for case in (case_a, case_b, case_d):
            (hearings,) = db.rows(
                "SELECT COUNT(*) FROM cases_hearing WHERE case_id = ?", (case.pk,)
            )[0]
            assert hearings == 1

        # Rate limits: exact across the 3 workers, per client behind the proxy.
        outside_window_edge()
        complaint = {"unit": case_a.unit.code, "text": "Antrean terlalu lama."}

        def submit(client: str) -> int:
            # A fresh form token for each complaint, signed as the server signs them.
            token = signing.dumps(
                {"u": complaint["unit"], "t": time.time(), "n": secrets.token_hex(8)},
                key=layout.env["SECRET_KEY"],
                salt=API_SALT,
            )
            body = {**complaint, "form_token": token}
            return layout.post("/api/v1/complaints/", body, client=client)[0]

        with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
            one_client = list(pool.map(submit, ["203.0.113.7"] * 60))
            clients = [f"203.0.113.{20 + n}" for n in range(8)]
            many = list(pool.map(submit, [c for c in clients for _ in range(10)]))
        assert one_client.count(201) == COMPLAINT_LIMIT, one_client
        assert one_client.count(429) == 60 - COMPLAINT_LIMIT
        for n, client in enumerate(clients):
            answers = many[n * 10 : (n + 1) * 10]
            assert answers.count(201) == COMPLAINT_LIMIT, (client, answers)
    finally:
        layout.stop()
        mailbox.stop()
    when = datetime.datetime.now(datetime.UTC).isoformat()
    print(f"{when} layout {vendor}: {len(rows)} notifications, each delivered once")
