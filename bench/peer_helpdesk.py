"""The peer measurement: django-helpdesk's ticket list with 100,000 tickets.

django-helpdesk is installed into its own virtual environment (var/bench/peer-venv), never
into Pulih's; a minimal Django project for it is written to var/bench/peer-project from the
templates in bench/peer_templates/. For each database (SQLite, PostgreSQL) it is migrated
and seeded, served by gunicorn on 127.0.0.1, and the request that fills the first page of
the ticket list (helpdesk's list page is an empty DataTables table filled by a JSON request
to `datatables_ticket_list/<query>`) is timed after logging in as a staff user."""

from __future__ import annotations

import base64
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .httpmeasure import Client, MeasureError, login_session, time_requests
from .report import ROOT, Figure, fmt_ms, format_machine, format_table, machine_info, today

VAR = ROOT / "var" / "bench"
VENV = VAR / "peer-venv"
PROJECT = VAR / "peer-project"
TEMPLATES = Path(__file__).resolve().parent / "peer_templates"
SQLITE_PATH = VAR / "peer-helpdesk.sqlite3"
PG_DATABASE = "pulih_bench_peer"
PG_ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")

# What the peer's virtual environment holds, pinned: django-helpdesk and the framework
# (the same Django as Pulih's), its REST framework, the server and the PostgreSQL driver.
PEER_PINS = {
    "django-helpdesk": "2.6.1",
    "Django": "5.2.19",
    "djangorestframework": "3.18.3",
    "gunicorn": "27.0.1",
    "psycopg": "3.3.9",
    "psycopg-binary": "3.3.9",
}
PEER_REQUIREMENTS = [
    f"django-helpdesk=={PEER_PINS['django-helpdesk']}",
    f"Django=={PEER_PINS['Django']}",
    f"djangorestframework=={PEER_PINS['djangorestframework']}",
    f"gunicorn=={PEER_PINS['gunicorn']}",
    f"psycopg[binary]=={PEER_PINS['psycopg']}",
]

SECTION_TITLE = "Peer: django-helpdesk ticket list"
USERNAME = "bench"
PASSWORD = "bench-peer-password-2026"  # noqa: S105 (a throw-away local account)
PAGE_LENGTH = 25  # helpdesk's default tickets_per_page
SEED = 8
WORKERS = 2
THREADS = 2
SUBPROCESS_TIMEOUT = 300  # seconds, for any one install, migrate or seed step
# What jQuery's ajax (DataTables) sends with the request.
XHR_HEADERS = {
    "Accept": "application/json, text/javascript, */*; q=0.01",
    "X-Requested-With": "XMLHttpRequest",
}
DATATABLES_URL = re.compile(r"/helpdesk/datatables_ticket_list/[A-Za-z0-9+/=]+")

Log = Callable[[str], None]


def _log(msg: str) -> None:
    print(msg, flush=True)


def _run(cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    """Run a step with a time limit; on failure show its output and raise."""
    out = subprocess.run(
        cmd,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, cmd))} exited {out.returncode}\n"
            f"{out.stdout[-3000:]}\n{out.stderr[-5000:]}"
        )
    return out.stdout


# --- the peer's virtual environment -------------------------------------------------


def peer_python() -> Path:
    return VENV / "bin" / "python"


def installed_versions(python: Path) -> dict[str, str | None]:
    """Versions of the pinned packages in the given interpreter (None where missing)."""
    code = (
        "import json, importlib.metadata as m\n"
        "def v(n):\n"
        "    try: return m.version(n)\n"
        "    except m.PackageNotFoundError: return None\n"
        f"print(json.dumps({{n: v(n) for n in {list(PEER_PINS)!r}}}))"
    )
    return json.loads(_run([str(python), "-c", code]).strip().splitlines()[-1])


def ensure_venv(log: Log = _log) -> dict[str, str | None]:
    """Create or reuse var/bench/peer-venv with exactly PEER_PINS; return the versions."""
    python = peer_python()
    if python.exists():
        versions = installed_versions(python)
        if versions == PEER_PINS:
            log(f"peer venv: reusing {VENV.relative_to(ROOT)}")
            return versions
        log(f"peer venv: versions differ ({versions}), reinstalling")
    uv = Path(sys.executable).with_name("uv")
    uv_cmd = str(uv) if uv.exists() else shutil.which("uv")
    if not python.exists():
        VENV.parent.mkdir(parents=True, exist_ok=True)
        base = shutil.which("python3") or sys.executable
        _run([base, "-m", "venv", *(["--without-pip"] if uv_cmd else []), str(VENV)])
    log(f"peer venv: installing {' '.join(PEER_REQUIREMENTS)} with {'uv' if uv_cmd else 'pip'}")
    if uv_cmd:
        _run([uv_cmd, "pip", "install", "-q", "-p", str(python), *PEER_REQUIREMENTS])
    else:
        _run([str(python), "-m", "pip", "install", "-q", *PEER_REQUIREMENTS])
    versions = installed_versions(python)
    if versions != PEER_PINS:
        raise RuntimeError(f"peer venv holds {versions}, expected {PEER_PINS}")
    return versions


# --- the peer's Django project and database -------------------------------------------


def write_project() -> None:
    """Write var/bench/peer-project/{peerdesk/settings,urls,wsgi}.py, seed.py, queries.py."""
    package = PROJECT / "peerdesk"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    for name in ("settings", "urls", "wsgi"):
        (package / f"{name}.py").write_text((TEMPLATES / f"{name}.py.tmpl").read_text())
    for script in ("seed", "queries"):
        (PROJECT / f"{script}.py").write_text((TEMPLATES / f"{script}.py.tmpl").read_text())


@dataclass
class Database:
    engine: str  # "sqlite" or "postgres"

    @property
    def env(self) -> dict[str, str]:
        if self.engine == "sqlite":
            return {"PEER_DB_ENGINE": "sqlite", "PEER_DB_NAME": str(SQLITE_PATH)}
        admin = urllib.parse.urlsplit(PG_ADMIN_URL)
        return {
            "PEER_DB_ENGINE": "postgres",
            "PEER_DB_NAME": PG_DATABASE,
            "PEER_DB_USER": admin.username or "postgres",
            "PEER_DB_PASSWORD": urllib.parse.unquote(admin.password or ""),
            "PEER_DB_HOST": admin.hostname or "127.0.0.1",
            "PEER_DB_PORT": str(admin.port or 5432),
        }

    def reset(self) -> None:
        """Start from an empty database."""
        self.drop()
        if self.engine == "sqlite":
            SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        else:
            self._admin(f"CREATE DATABASE {PG_DATABASE}")

    def drop(self) -> None:
        if self.engine == "postgres":
            self._admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)

    def server_version(self, python: Path) -> str:
        if self.engine == "sqlite":
            code = "import sqlite3; print(sqlite3.sqlite_version)"
            return "SQLite " + _run([str(python), "-c", code]).strip()
        return "PostgreSQL " + str(self._admin("SHOW server_version"))

    @staticmethod
    def _admin(sql: str) -> object:
        import psycopg  # Pulih's own driver, to create and drop the peer's database

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
            cur = conn.execute(sql)  # type: ignore[arg-type]
            return cur.fetchone()[0] if cur.description else None


def peer_env(db: Database) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PEER_DB_", "DJANGO_", "PYTHON")) and k != "VIRTUAL_ENV"
    }
    env.update(db.env)
    env.update(
        {
            "PYTHONPATH": str(PROJECT),
            "DJANGO_SETTINGS_MODULE": "peerdesk.settings",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def prepare_data(db: Database, tickets: int, log: Log = _log) -> dict:
    """Empty database, migrate, seed; return what the seed made and how long it took."""
    env = peer_env(db)
    started = time.monotonic()
    db.reset()
    _run([str(peer_python()), "-m", "django", "migrate", "--noinput", "-v0"], env=env, cwd=PROJECT)
    migrated = time.monotonic() - started
    out = _run(
        [
            str(peer_python()),
            "seed.py",
            "--tickets",
            str(tickets),
            "--seed",
            str(SEED),
            "--username",
            USERNAME,
            "--password",
            PASSWORD,
        ],
        env=env,
        cwd=PROJECT,
    )
    seeded = json.loads(out.strip().splitlines()[-1])
    seeded["migrate_s"] = round(migrated, 1)
    log(
        f"peer {db.engine}: migrated in {migrated:.1f} s, seeded {seeded['tickets']:,} tickets "
        f"and {seeded['followups']:,} follow-ups in {seeded['seed_s']} s"
    )
    if seeded["tickets"] != tickets:
        raise RuntimeError(f"seeded {seeded['tickets']} tickets, expected {tickets}")
    return seeded


# --- serving and measuring ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(db: Database, timeout: float = 60.0) -> Iterator[str]:
    """gunicorn (2 gthread workers) serving the peer on a free port of 127.0.0.1; yields
    the base URL and stops the server (its whole process group) on the way out."""
    port = free_port()
    log_path = VAR / f"peer-gunicorn-{db.engine}.log"
    with log_path.open("wb") as log_file:
        proc = subprocess.Popen(
            [
                str(VENV / "bin" / "gunicorn"),
                "peerdesk.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "gthread",
                "--threads",
                str(THREADS),
                "--timeout",
                "120",
                "--graceful-timeout",
                "5",
            ],
            cwd=PROJECT,
            env=peer_env(db),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"gunicorn exited {proc.returncode}; see {log_path}")
                try:
                    with Client(base, timeout=5) as c:
                        if c.get("/helpdesk/login/").status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not answer in {timeout} s; see {log_path}")
                time.sleep(0.2)
            yield base
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)


def first_page_params(order_column: int | None = 5, order_dir: str = "desc") -> dict[str, str]:
    """The GET parameters DataTables sends for the first page (server-side processing), as
    captured from Chromium on helpdesk 2.6.1's list, ordered by a column: 5 is `created`,
    so by default newest first. With order_column None: no order parameters, as on the
    page's first opening, where helpdesk then sorts by its query's `created` ascending."""
    columns = [
        ("id", False),
        ("ticket", True),
        ("priority", True),
        ("queue", True),
        ("status", True),
        ("created", True),
        ("due_date", True),
        ("assigned_to", True),
        ("submitter", True),
        ("last_followup", True),
        ("time_spent", True),
        ("kbitem", True),
    ]
    params = {"draw": "1"}
    for i, (data, orderable) in enumerate(columns):
        params.update(
            {
                f"columns[{i}][data]": data,
                f"columns[{i}][name]": "",
                f"columns[{i}][searchable]": "true",
                f"columns[{i}][orderable]": "true" if orderable else "false",
                f"columns[{i}][search][value]": "",
                f"columns[{i}][search][regex]": "false",
            }
        )
    if order_column is not None:
        params.update(
            {
                "order[0][column]": str(order_column),
                "order[0][dir]": order_dir,
                "order[0][name]": "",
            }
        )
    params.update(
        {
            "start": "0",
            "length": str(PAGE_LENGTH),
            "search[value]": "",
            "search[regex]": "false",
            "_": "1767225600000",  # jQuery's cache buster
        }
    )
    return params


def find_datatables_url(base: str, cookies: dict[str, str]) -> tuple[str, dict]:
    """Open the ticket list page as the browser does and take from it the URL of the JSON
    request that fills the table, with the query (filters, sorting) it encodes."""
    with Client(base, cookies=dict(cookies)) as c:
        page = c.get("/helpdesk/tickets/")
    if page.status != 200:
        raise MeasureError(f"the ticket list page answered {page.status}")
    match = DATATABLES_URL.search(page.text)
    if not match:
        raise MeasureError("no datatables_ticket_list URL on the ticket list page")
    path = match[0]
    query = json.loads(base64.b64decode(path.rsplit("/", 1)[1]))
    return path, query


def check_first_page(base: str, cookies: dict[str, str], url: str, expected_total: int) -> dict:
    """Fetch the first page once and make sure it holds ticket rows, newest first, and the
    count helpdesk reports equals the tickets the list's query matches."""
    with Client(base, cookies=dict(cookies), headers=XHR_HEADERS) as c:
        resp = c.get(url)
    if resp.status != 200:
        raise MeasureError(f"GET {url} answered {resp.status}: {resp.text[:300]}")
    body = json.loads(resp.body)
    rows = body.get("data") or []
    if len(rows) != min(PAGE_LENGTH, expected_total):
        raise MeasureError(f"first page holds {len(rows)} rows, expected {PAGE_LENGTH}")
    if body.get("recordsTotal") != expected_total or body.get("recordsFiltered") != expected_total:
        raise MeasureError(
            f"helpdesk counts {body.get('recordsTotal')}/{body.get('recordsFiltered')} "
            f"tickets, the data set has {expected_total} open or reopened"
        )
    created = [r["created"] for r in rows]
    if created != sorted(created, reverse=True) or not all(r.get("title") for r in rows):
        raise MeasureError("the first page is not the newest tickets with titles")
    return {"rows": len(rows), "records_total": body["recordsTotal"], "bytes": len(resp.body)}


def count_queries(db: Database, url: str) -> dict:
    """The SQL queries one request of url runs (in-process, in the peer's venv)."""
    out = _run(
        [str(peer_python()), "queries.py", "--username", USERNAME, url],
        env=peer_env(db),
        cwd=PROJECT,
    )
    result = json.loads(out.strip().splitlines()[-1])
    if result["status"] != 200:
        raise MeasureError(f"in-process GET {url} answered {result['status']}")
    return result


def measure(db: Database, seeded: dict, reps: int, warmup: int, log: Log = _log) -> dict:
    with serve(db) as base:
        cookies = login_session(base, USERNAME, PASSWORD, login_path="/helpdesk/login/")
        path, query = find_datatables_url(base, cookies)
        if query.get("filtering") != {"status__in": [1, 2]}:
            raise MeasureError(f"unexpected default query of the ticket list: {query}")
        url = f"{path}?{urllib.parse.urlencode(first_page_params())}"
        checked = check_first_page(base, cookies, url, seeded["open_or_reopened"])
        timing = time_requests(
            base + url, reps, cookies=cookies, headers=XHR_HEADERS, warmup=warmup
        )
    queries = count_queries(db, url)
    log(
        f"peer {db.engine}: first page of {checked['rows']} of {checked['records_total']:,} "
        f"open tickets: p50 {fmt_ms(timing['p50_ms'])} ms, p95 {fmt_ms(timing['p95_ms'])} ms "
        f"({timing['n']} requests after {warmup} warm-up); {queries['queries']} SQL queries"
    )
    return {
        "path": path,
        "query": query,
        "sql": queries,
        **checked,
        **timing,
    }


def cpu_seconds() -> float:
    """User + system CPU time of this process and of the children it has waited for
    (the peer's installs, migrations, seeding and gunicorn; not the PostgreSQL server)."""
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def prepare_peer(dbs: list[str], tickets: int = 100_000, log: Log = _log) -> dict:
    """The peer's venv, project and seeded databases (nothing timed): what `run_peer`
    measures. Separate, so the bench can prepare it while it seeds Pulih's databases."""
    started = time.monotonic()
    versions = ensure_venv(log)
    write_project()
    seeded = {engine: prepare_data(Database(engine), tickets, log) for engine in dbs}
    return {
        "versions": versions,
        "tickets": tickets,
        "seeded": seeded,
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def run_peer(
    dbs: list[str],
    reps: int = 30,
    warmup: int = 3,
    tickets: int = 100_000,
    keep: bool = False,
    log: Log = _log,
    prepared: dict | None = None,
) -> dict:
    """The whole peer part for each database (prepared here unless `prepared`, what
    `prepare_peer` returned); returns figures and versions. The databases are dropped at
    the end unless keep."""
    started, cpu_started = time.monotonic(), cpu_seconds()
    machine = machine_info()  # the load average before this part adds its own
    alongside = prepared is not None  # prepared while Pulih's databases were seeded
    prepared = prepared or prepare_peer(dbs, tickets, log)
    results = []
    for engine in dbs:
        db = Database(engine)
        db_started = time.monotonic()
        try:
            seeded = prepared["seeded"][engine]
            measured = measure(db, seeded, reps, warmup, log)
            results.append(
                {
                    "db": engine,
                    "db_version": db.server_version(peer_python()),
                    "seeded": seeded,
                    **measured,
                    "elapsed_s": round(time.monotonic() - db_started, 1),
                }
            )
        finally:
            if not keep:
                db.drop()
    return {
        "date": today(),
        "machine": machine,
        "versions": prepared["versions"],
        "peer_python": _run(
            [str(peer_python()), "-c", "import platform; print(platform.python_version())"]
        ).strip(),
        "tickets": prepared["tickets"],
        "reps": reps,
        "warmup": warmup,
        "results": results,
        "prepare_s": prepared["elapsed_s"] if alongside else None,
        "elapsed_s": round(time.monotonic() - started, 1),
        "cpu_s": round(cpu_seconds() - cpu_started, 1),
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }


# --- figures --------------------------------------------------------------------------


def figures(run: dict) -> list[Figure]:
    return [
        Figure(
            name=f"django-helpdesk ticket list, first page, {r['db']}",
            p50_ms=r["p50_ms"],
            p95_ms=r["p95_ms"],
            target=f"peer: Pulih's case list p50 ≤ {fmt_ms(r['p50_ms'] / 10)} ms",
        )
        for r in run["results"]
    ]


def busy_warning(run: dict) -> list[str]:
    """A caution when other work kept the machine's CPUs busy during the run."""
    load = max((run["machine"].get("load") or [0])[0], (run.get("load_after") or [0])[0])
    if load <= (run["machine"].get("nproc") or 1):
        return []
    return [
        "",
        f"*Caution: the machine was busy with other work (load average up to {load} on "
        f"{run['machine']['nproc']} CPUs), so these times are slower than on an idle "
        "machine.*",
    ]


def section(run: dict) -> str:
    """The Markdown body of docs/benchmarks.md's peer section."""
    v = run["versions"]
    lines = [
        f"Measured by `make bench` (`python -m bench --only peer`) on {run['date']}: "
        f"{format_machine(run['machine'])}"
        + (f", {run['load_after'][0]} when it ended." if run.get("load_after") else "."),
        *busy_warning(run),
        "",
        f"django-helpdesk {v['django-helpdesk']} on Django {v['Django']}, "
        f"djangorestframework {v['djangorestframework']}, Python {run['peer_python']}, "
        f"in its own virtual environment (`var/bench/peer-venv`, not a dependency of Pulih), "
        f"served by gunicorn {v['gunicorn']} ({WORKERS} gthread workers × {THREADS} threads, "
        f"DEBUG off) on 127.0.0.1; psycopg {v['psycopg']}.",
        "",
        f"Data: {run['tickets']:,} tickets in one queue over one year (seeded: status open "
        "25 %, reopened 5 %, resolved 30 %, closed 35 %, duplicate 5 %; 70 % assigned to one "
        "of 5 agents), each with the follow-ups helpdesk itself records (*Ticket Opened*, "
        "and a closing one for resolved and closed tickets).",
        "",
        "Measured: the request that fills the first page of the staff ticket list. Helpdesk's "
        "list page is an empty DataTables table; its rows come from "
        "`GET /helpdesk/datatables_ticket_list/<query>` with the list's default query "
        "(open and reopened tickets) and DataTables' parameters for the first page: "
        f"{PAGE_LENGTH} rows ordered by *created*, newest first. Logged in as a superuser "
        "through the login form; each response checked to hold the rows and the right count "
        f"before timing; {run['warmup']} warm-up requests, then {run['reps']} timed in "
        "sequence on one keep-alive connection (client-side time to the last byte).",
        "",
        format_table(figures(run)),
        "",
        "| database | server | matching tickets | rows | response | SQL queries | SQL time "
        "| migrate | seed | measured in |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in run["results"]:
        s = r["seeded"]
        lines.append(
            f"| {r['db']} | {r['db_version']} | {r['records_total']:,} | {r['rows']} | "
            f"{r['bytes'] / 1024:.1f} KiB | {r['sql']['queries']} | {r['sql']['sql_ms']:,} ms | "
            f"{s['migrate_s']} s | {s['seed_s']} s | {r['elapsed_s']} s |"
        )
    lines += [
        "",
        "SQL counted in-process (Django's test client in the peer's venv, one request after "
        "a warm one). Where the time goes, slowest queries:",
        "",
    ]
    for r in run["results"]:
        slowest = "; ".join(f"{q['ms']:,} ms `{q['sql'][:70]}…`" for q in r["sql"]["slowest"])
        lines.append(f"- {r['db']}: {slowest}")
    lines += [
        "",
        (
            f"The peer's venv and data took {run['prepare_s']} s, alongside the seeding of "
            "Pulih's databases; its measurement "
            if run.get("prepare_s") is not None
            else "The peer part took "
        )
        + f"{run['elapsed_s']} s"
        + (f", {run['cpu_s']} s of CPU time." if run.get("cpu_s") is not None else "."),
    ]
    return "\n".join(lines)
