"""`manage.py backup` and `restore` on SQLite and PostgreSQL: data and uploads come back as
they were, and a backup taken while another connection writes is internally consistent."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import textwrap
import threading
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import dj_database_url
import pytest
from django.conf import settings

from pulih.lib import backups
from pulih.lib.errors import InvalidInput

SEED = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from complaints.models import Complaint
from surveys.models import ServiceRecord, SurveyResponse
from units.models import ComplaintChannel, Membership, Role, ServiceType, User
from units.standard import load_standard

unit, _ = load_standard()
officer = User.objects.create_user("oscar", password="rahasia-uji-123", full_name="Oscar")
Membership.objects.create(user=officer, unit=unit, role=Role.OFFICER)
kind = ServiceType.objects.create(unit=unit, code="informasi", name="Layanan informasi")
now = timezone.now()
for i in range(3):
    record = ServiceRecord.objects.create(
        unit=unit, service_type=kind, officer=officer, served_at=now,
        customer_name=f"Pelanggan {i}", customer_contact=f"0812000{i}")
    SurveyResponse.objects.create(
        unit=unit, service_record=record, service_type=kind, officer=officer,
        submitted_at=now, u7=i + 1, comment="Ramah, cepat — terima kasih")
Complaint.objects.create(
    unit=unit, channel=ComplaintChannel.objects.get(unit=unit, code="web"), received_at=now,
    name="Siti", contact="0813", text="Lambat", tracking_code="ADU-0001")
default_storage.save("complaints/surat.pdf", ContentFile(b"%PDF-1.4 isi surat"))
"""

CHANGE = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from complaints.models import Complaint
from surveys.models import SurveyResponse
from units.models import Unit

Complaint.objects.all().delete()
SurveyResponse.objects.filter(u7=1).update(u7=4, comment="diubah")
Unit.objects.update(name="Nama lain")
default_storage.delete("complaints/surat.pdf")
default_storage.save("complaints/baru.txt", ContentFile(b"baru"))
"""

STATE = """
from django.apps import apps
from complaints.models import Complaint
from surveys.models import SurveyResponse
from units.models import Unit

root = Path(settings.MEDIA_ROOT)
return ({
    "counts": {m._meta.label: m.objects.count() for m in apps.get_models()},
    "units": list(Unit.objects.order_by("pk").values_list("code", "name")),
    "ratings": list(SurveyResponse.objects.order_by("pk").values_list("pk", "u7", "comment")),
    "complaints": list(Complaint.objects.order_by("pk").values_list("pk", "tracking_code")),
    "files": {str(p.relative_to(root)): p.read_bytes().decode()
              for p in sorted(root.rglob("*")) if p.is_file()},
})
"""


# One process runs the whole story through the real commands (call_command), printing the
# state after each step: a Django start-up per step would cost more than the steps themselves.
STORY = f"""
import json, shutil
from pathlib import Path
from django.conf import settings
from django.core.management import call_command
from django.db import connections

def state():
{textwrap.indent(STATE, "    ")}

steps = {{}}
call_command("migrate", "--noinput", verbosity=0)
exec({SEED!r})
steps["seeded"] = state()
call_command("backup", output=ARCHIVE)
exec({CHANGE!r})
steps["changed"] = state()
call_command("restore", ARCHIVE, yes=True)
steps["restored"] = state()
if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Disaster: the database file and the uploads are lost; the archive brings them back.
    connections.close_all()
    db = Path(settings.DATABASES["default"]["NAME"])
    for lost in db.parent.glob(db.name + "*"):
        lost.unlink()
    shutil.rmtree(settings.MEDIA_ROOT)
    call_command("restore", ARCHIVE, yes=True)
    steps["rebuilt"] = state()
print("STEPS " + json.dumps(steps))
"""


def _run_story(env: dict[str, str], archive: Path) -> tuple[dict, str]:
    script = f"ARCHIVE = {str(archive)!r}\n" + STORY
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("STEPS "))
    return json.loads(line.removeprefix("STEPS ")), result.stdout


# --- PostgreSQL: a throwaway database of our own ---------------------------------------------


def _admin_url() -> str:
    url = os.environ.get("PULIH_TEST_PG_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return urlunparse(urlparse(url)._replace(path="/postgres"))


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL backup tests cannot run in CI: {reason}")
    pytest.skip(f"PostgreSQL backup tests skipped: {reason}")


@pytest.fixture
def throwaway_pg():
    """Create a database of our own for the test and drop it afterwards; yields a URL maker."""
    import psycopg

    admin = _admin_url()
    try:
        conn = psycopg.connect(admin, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        _unavailable(f"PostgreSQL unreachable at {admin.split('@')[-1]} ({exc})".strip())
    for tool in ("pg_dump", "pg_restore"):
        if subprocess.run(["which", tool], capture_output=True).returncode:
            _unavailable(f"{tool} not installed (apt-get install postgresql-client)")
    created = []

    def make(suffix: str = "") -> str:
        name = f"pulih_backup_test_{os.getpid()}{suffix}"
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return urlunparse(urlparse(admin)._replace(path=f"/{name}"))

    yield make
    for name in created:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def app_env(request, tmp_path):
    """An environment for manage.py with its own database, uploads and backup directory."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'pulih.sqlite3'}"
    else:
        url = request.getfixturevalue("throwaway_pg")()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL=url,
        MEDIA_ROOT=str(tmp_path / "uploads"),
        BACKUP_DIR=str(tmp_path / "backups"),
        DEBUG="0",
        HTTPS="0",
    )
    return env


def test_restore_brings_back_data_and_uploads(app_env, tmp_path):
    archive = tmp_path / "snapshot.tar.gz"
    steps, out = _run_story(app_env, archive)
    seeded = steps["seeded"]
    assert seeded["counts"]["surveys.SurveyResponse"] == 3
    assert seeded["complaints"][0][1] == "ADU-0001"
    assert seeded["files"] == {"complaints/surat.pdf": "%PDF-1.4 isi surat"}
    assert "1 uploaded files written to" in out
    assert archive.stat().st_mode & 0o077 == 0
    manifest = backups.read_manifest(archive)
    expected = "sqlite" if app_env["DATABASE_URL"].startswith("sqlite") else "postgresql"
    assert manifest.engine == expected
    assert "0003_personal_data_retention" in manifest.migrations["units"]

    changed = steps["changed"]
    assert changed["complaints"] == []
    assert changed["units"] != seeded["units"]
    assert changed["files"] == {"complaints/baru.txt": "baru"}

    assert steps["restored"] == seeded
    if expected == "sqlite":
        assert steps["rebuilt"] == seeded


def test_restore_needs_yes(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    live = tmp_path / "live.sqlite3"
    _make_ledger(live, rows=3)
    archive, _ = backups.create_backup(
        tmp_path / "b.tar.gz", database=_sqlite(live), media_root=tmp_path / "uploads"
    )
    with pytest.raises(CommandError, match="pass --yes"):
        call_command("restore", str(archive))


# --- in-process checks of the library ------------------------------------------------------


def _sqlite(path: Path) -> dict:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


def _make_ledger(path: Path, rows: int) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE entry (seq INTEGER PRIMARY KEY, amount INTEGER, memo TEXT)")
    conn.execute("CREATE TABLE tally (id INTEGER PRIMARY KEY, transfers INTEGER)")
    conn.execute("INSERT INTO tally VALUES (1, 0)")
    with conn:
        for _ in range(rows):
            _transfer(conn)
    conn.close()


def _transfer(conn, memo: str = "x" * 200) -> None:
    """One transfer: two entries that sum to zero and the tally, all in one transaction."""
    conn.execute("INSERT INTO entry (amount, memo) VALUES (500, ?)", (memo,))
    conn.execute("INSERT INTO entry (amount, memo) VALUES (-500, ?)", (memo,))
    conn.execute("UPDATE tally SET transfers = transfers + 1")


def _ledger_state(query) -> tuple[int, int, int]:
    entries, total = query("SELECT count(*), coalesce(sum(amount), 0) FROM entry")
    (transfers,) = query("SELECT transfers FROM tally")
    return entries, total, transfers


class Writer(threading.Thread):
    """Commits transfers, one transaction each, until told to stop."""

    def __init__(self, connect, begin: str, placeholder: str):
        super().__init__(daemon=True)
        self.connect, self.begin, self.placeholder = connect, begin, placeholder
        self.commits = 0
        self.errors: list[Exception] = []
        self.stop = threading.Event()
        self.progress = threading.Condition()

    def run(self) -> None:
        conn = self.connect()
        try:
            while not self.stop.is_set():
                conn.execute(self.begin)
                p = self.placeholder
                conn.execute(
                    f"INSERT INTO entry (amount, memo) VALUES (500, {p}), (-500, {p})",
                    ("y" * 200, "y" * 200),
                )
                conn.execute("UPDATE tally SET transfers = transfers + 1")
                conn.execute("COMMIT")
                with self.progress:
                    self.commits += 1
                    self.progress.notify_all()
        except Exception as exc:  # reported by the test
            self.errors.append(exc)
            with self.progress:
                self.progress.notify_all()
        finally:
            conn.close()

    def wait_for(self, commits: int) -> None:
        with self.progress:
            ok = self.progress.wait_for(lambda: self.commits >= commits or self.errors, timeout=60)
        assert ok and not self.errors, self.errors


def _snapshots_while_writing(writer: Writer, take_snapshot, read_snapshot) -> list[tuple]:
    """Three snapshots while `writer` commits; between them it commits more."""
    writer.start()
    states = []
    try:
        for _ in range(3):
            writer.wait_for(writer.commits + 20)
            states.append(read_snapshot(take_snapshot(len(states))))
        writer.wait_for(writer.commits + 20)
    finally:
        writer.stop.set()
        writer.join(timeout=60)
    assert not writer.errors, writer.errors
    return states


def _assert_consistent_and_growing(states: list[tuple], prefilled: int) -> None:
    for entries, total, transfers in states:
        assert total == 0  # never one leg of a transfer without the other
        assert entries == 2 * transfers  # and the tally matches the entries
    transfers = [t for _, _, t in states]
    assert transfers == sorted(set(transfers))  # each snapshot later than the one before
    assert transfers[0] > prefilled


def test_sqlite_snapshot_is_consistent_while_another_connection_writes(tmp_path):
    import sqlite3

    live = tmp_path / "live.sqlite3"
    _make_ledger(live, rows=5000)
    writer = Writer(
        lambda: sqlite3.connect(live, timeout=30, isolation_level=None, check_same_thread=False),
        "BEGIN IMMEDIATE",
        "?",
    )

    def take(i: int) -> Path:
        archive, _ = backups.create_backup(
            tmp_path / f"b{i}.tar.gz", database=_sqlite(live), media_root=tmp_path / "none"
        )
        with tarfile.open(archive) as tar:
            tar.extract("database.sqlite3", tmp_path / f"x{i}", filter="data")
        return tmp_path / f"x{i}" / "database.sqlite3"

    def read(path: Path) -> tuple:
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        state = _ledger_state(lambda sql: conn.execute(sql).fetchone())
        conn.close()
        return state

    states = _snapshots_while_writing(writer, take, read)
    _assert_consistent_and_growing(states, prefilled=5000)
    final = read(live)
    assert final[2] == writer.commits + 5000 > states[-1][2]


def test_postgresql_dump_is_consistent_while_another_connection_writes(throwaway_pg, tmp_path):
    import psycopg

    url = throwaway_pg()
    database = dj_database_url.parse(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE django_migrations (app text, name text)")
        conn.execute("CREATE TABLE entry (seq serial PRIMARY KEY, amount int, memo text)")
        conn.execute("CREATE TABLE tally (id int PRIMARY KEY, transfers int)")
        conn.execute("INSERT INTO tally VALUES (1, 0)")
        with conn.transaction():
            for _ in range(2000):
                conn.execute("INSERT INTO entry (amount, memo) VALUES (500, 'x'), (-500, 'x')")
                conn.execute("UPDATE tally SET transfers = transfers + 1")
    writer = Writer(lambda: psycopg.connect(url, autocommit=True), "BEGIN", "%s")
    check_url = throwaway_pg("_check")
    check = dj_database_url.parse(check_url)

    def take(i: int) -> Path:
        target = tmp_path / f"dump{i}.pgdump"
        backups.dump_postgresql(database, target)
        return target

    def read(dump: Path) -> tuple:
        backups.restore_postgresql(dump, check)
        with psycopg.connect(check_url) as conn:
            return _ledger_state(lambda sql: conn.execute(sql).fetchone())

    states = _snapshots_while_writing(writer, take, read)
    _assert_consistent_and_growing(states, prefilled=2000)


def test_in_memory_sqlite_cannot_be_backed_up(tmp_path):
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    with pytest.raises(InvalidInput):
        backups.create_backup(tmp_path / "b.tar.gz", database=database)


def test_restore_refuses_a_backup_of_another_engine(tmp_path):
    live = tmp_path / "live.sqlite3"
    _make_ledger(live, rows=1)
    archive, _ = backups.create_backup(
        tmp_path / "b.tar.gz", database=_sqlite(live), media_root=tmp_path / "uploads"
    )
    pg = {"ENGINE": "django.db.backends.postgresql", "NAME": "never_touched"}
    with pytest.raises(backups.BackupError, match="sqlite"):
        backups.restore_backup(archive, database=pg, media_root=tmp_path / "uploads")


def test_restore_refuses_an_archive_that_escapes_its_directory(tmp_path):
    archive = tmp_path / "evil.tar.gz"
    manifest = json.dumps(
        {
            "format": 1,
            "created_at": "2026-01-01T00:00:00+00:00",
            "engine": "sqlite",
            "database": "database.sqlite3",
            "migrations": {},
            "uploads": 0,
        }
    ).encode()
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in [("manifest.json", manifest), ("../../escaped.txt", b"boo")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    live = tmp_path / "live" / "db.sqlite3"
    with pytest.raises(InvalidInput, match="safely"):
        backups.restore_backup(
            archive, database=_sqlite(live), media_root=tmp_path / "live" / "uploads"
        )
    assert not list(tmp_path.parent.glob("escaped.txt"))
    assert not live.exists()


def test_not_a_backup_is_refused(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tarball")
    with pytest.raises(InvalidInput):
        backups.read_manifest(bogus)


def test_postgres_password_goes_through_the_environment_not_argv(monkeypatch, tmp_path):
    seen = {}

    def fake_run(command, env, **kwargs):
        seen.update(command=command, env=env)
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(backups.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(backups.subprocess, "run", fake_run)
    database = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "pulih",
        "USER": "pulih",
        "PASSWORD": "s3cret-Pa55",
        "HOST": "db.internal",
        "PORT": 5433,
        "OPTIONS": {"sslmode": "require"},
    }
    backups.restore_postgresql(tmp_path / "x.pgdump", database)
    assert "s3cret-Pa55" not in " ".join(seen["command"])
    assert seen["command"][:4] == ["pg_restore", "--clean", "--if-exists", "--no-owner"]
    assert seen["env"]["PGPASSWORD"] == "s3cret-Pa55"
    assert seen["env"]["PGHOST"] == "db.internal"
    assert seen["env"]["PGPORT"] == "5433"
    assert seen["env"]["PGSSLMODE"] == "require"


def test_uploads_in_a_store_that_is_not_a_directory_are_backed_up_and_restored(tmp_path, settings):
    """Through the storage API only: the same code serves an S3-compatible store."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    store = storages["default"]  # Django's in-memory store: no directory behind it
    store.save("complaints/2026/surat.pdf", ContentFile(b"%PDF-1.4 surat"))
    store.save("cases/7/foto.png", ContentFile(b"\x89PNG isi"))
    live = tmp_path / "live.sqlite3"
    _make_ledger(live, rows=2)
    archive, manifest = backups.create_backup(tmp_path / "b.tar.gz", database=_sqlite(live))
    assert manifest.uploads == 2

    store.delete("cases/7/foto.png")
    store.save("complaints/2026/baru.txt", ContentFile(b"baru"))
    backups.restore_backup(archive, database=_sqlite(live))
    assert sorted(backups.stored_files(store)) == [
        "cases/7/foto.png",
        "complaints/2026/surat.pdf",
    ]
    with store.open("cases/7/foto.png") as handle:
        assert handle.read() == b"\x89PNG isi"
