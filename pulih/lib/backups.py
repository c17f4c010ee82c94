"""Backups while the app serves, and restores: one .tar.gz holding a consistent database
snapshot, the uploads and a manifest. Uploads are read and written through Django's storage
API, so the local directory and an S3-compatible store (S3_BUCKET) are backed up alike.

- SQLite: Python's `sqlite3.Connection.backup` (SQLite's online backup API) copies the whole
  database in one step inside one read transaction; in WAL mode writers carry on meanwhile and
  the copy is the database as of that transaction's start. Restore runs the same API the
  other way, into the live file, under SQLite's own locks.
- PostgreSQL: `pg_dump -Fc` from a snapshot exported by our own REPEATABLE READ transaction,
  in which the manifest's migration state is read too, so both describe the same moment.
  Restore: `pg_restore --clean --if-exists --no-owner` in a single transaction. Connection
  parameters come from settings.DATABASES through the PG* environment variables: no password
  ever appears on a command line.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import connections
from django.utils import timezone

from pulih.lib.errors import InvalidInput, StateConflict

FORMAT = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


@dataclass
class Manifest:
    created_at: str
    engine: str
    database: str
    migrations: dict[str, list[str]]
    uploads: int
    format: int = FORMAT
    notes: list[str] = field(default_factory=list)


class BackupError(StateConflict):
    """The snapshot or the restore could not be made (a tool failed, wrong engine, ...)."""


def engine_of(database: dict[str, Any]) -> str:
    engine = database["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return "sqlite"
    if engine in {"django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"}:
        return "postgresql"
    raise InvalidInput(f"Backups support SQLite and PostgreSQL, not {engine}.")


def _sqlite_path(database: dict[str, Any]) -> Path:
    name = str(database["NAME"])
    if name in {"", ":memory:"} or name.startswith("file:") and "mode=memory" in name:
        raise InvalidInput("An in-memory SQLite database cannot be backed up or restored.")
    return Path(name)


def _grouped(rows) -> dict[str, list[str]]:
    migrations: dict[str, list[str]] = {}
    for app, name in rows:
        migrations.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(migrations.items())}


# --- SQLite ----------------------------------------------------------------------------------


def snapshot_sqlite(source: Path, target: Path) -> dict[str, list[str]]:
    """Copy the live database `source` into the new file `target`; returns its migrations."""
    if not source.exists():
        raise BackupError(f"No database file at {source}.")
    live = sqlite3.connect(source, timeout=30)
    copy = sqlite3.connect(target)
    try:
        live.backup(copy)  # pages=-1: one step, one read transaction, a consistent copy
        copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        try:
            rows = copy.execute("SELECT app, name FROM django_migrations").fetchall()
        except sqlite3.OperationalError:
            rows = []
    finally:
        copy.close()
        live.close()
    return _grouped(rows)


def restore_sqlite(snapshot: Path, target: Path) -> None:
    """Write `snapshot` into the live database `target` through the backup API: other
    connections wait on SQLite's lock and then see the restored database, never a torn file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(snapshot)
    live = sqlite3.connect(target, timeout=30)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The snapshot's database fails SQLite's integrity check.")
        source.backup(live)
    finally:
        live.close()
        source.close()


# --- PostgreSQL ------------------------------------------------------------------------------

_PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


def pg_environment(database: dict[str, Any]) -> dict[str, str]:
    """The PG* variables for pg_dump/pg_restore: the password travels here, not in argv."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGDATABASE": database.get("NAME"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
    }
    for option, variable in _PG_OPTIONS.items():
        values[variable] = (database.get("OPTIONS") or {}).get(option)
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    return env


def _pg_connect(database: dict[str, Any]):
    import psycopg

    params = {
        "dbname": database.get("NAME"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": database.get("PORT"),
    }
    for option in _PG_OPTIONS:
        params[option] = (database.get("OPTIONS") or {}).get(option)
    params = {k: str(v) for k, v in params.items() if v not in (None, "")}
    return psycopg.connect(**params, autocommit=True)  # we issue BEGIN/COMMIT ourselves


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} not found: install the PostgreSQL client tools.")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def dump_postgresql(database: dict[str, Any], target: Path) -> dict[str, list[str]]:
    """pg_dump the database as of one snapshot, and its migrations as of that same snapshot."""
    with _pg_connect(database) as conn, conn.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        cursor.execute("SELECT app, name FROM django_migrations")
        migrations = _grouped(cursor.fetchall())
        # The exported snapshot lives as long as this transaction: dump while it is open.
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            pg_environment(database),
        )
        cursor.execute("COMMIT")
    return migrations


def restore_postgresql(dump: Path, database: dict[str, Any]) -> None:
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={database['NAME']}",
            str(dump),
        ],
        pg_environment(database),
    )


# --- the archive -----------------------------------------------------------------------------


def default_backup_path(now=None) -> Path:
    stamp = (now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return Path(settings.BACKUP_DIR) / f"pulih-{stamp}.tar.gz"


def upload_storage(media_root: Path | None = None) -> Storage:
    """Where the uploads live: the configured default storage (local disk, or an S3-compatible
    store), or the directory `media_root` when one is given."""
    if media_root is not None:
        return FileSystemStorage(location=media_root)
    return storages["default"]


def stored_files(storage: Storage, prefix: str = "") -> Iterator[str]:
    """Every file name in `storage`, through the storage API only (no local paths)."""
    try:
        dirs, files = storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{prefix}{name}"
    for name in sorted(dirs):
        yield from stored_files(storage, f"{prefix}{name}/")


def _add_uploads(tar: tarfile.TarFile, storage: Storage) -> int:
    count = 0
    for name in stored_files(storage):
        info = tarfile.TarInfo(f"{UPLOADS}/{name}")
        info.size = storage.size(name)
        info.mode = 0o600
        with storage.open(name, "rb") as handle:
            tar.addfile(info, handle)
        count += 1
    return count


def _restore_uploads(uploads: Path, storage: Storage) -> None:
    """Replace the uploads in `storage` with the unpacked directory `uploads`."""
    if isinstance(storage, FileSystemStorage):
        _replace_directory(uploads, Path(storage.location))  # renames on one filesystem
        return
    for name in list(stored_files(storage)):
        storage.delete(name)
    for path in sorted(p for p in uploads.rglob("*") if p.is_file()):
        name = path.relative_to(uploads).as_posix()
        with path.open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"The store renamed {name} to {saved} while restoring.")


def create_backup(
    output: Path | None = None,
    *,
    database: dict[str, Any] | None = None,
    media_root: Path | None = None,
) -> tuple[Path, Manifest]:
    """Write the snapshot archive to `output` (default: settings.BACKUP_DIR/pulih-<time>.tar.gz).

    The archive holds personal data: it is created readable by its owner only.
    """
    database = database or settings.DATABASES["default"]
    storage = upload_storage(media_root)
    engine = engine_of(database)
    output = Path(output or default_backup_path())
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pulih-backup-") as work:
        db_file = Path(work) / DATABASE_FILES[engine]
        if engine == "sqlite":
            migrations = snapshot_sqlite(_sqlite_path(database), db_file)
        else:
            migrations = dump_postgresql(database, db_file)
        manifest = Manifest(
            created_at=timezone.now().isoformat(),
            engine=engine,
            database=db_file.name,
            migrations=migrations,
            uploads=0,
        )
        partial = output.with_name(output.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                tar.add(db_file, arcname=db_file.name)
                manifest.uploads = _add_uploads(tar, storage)
                # The manifest last: it counts what was written.
                manifest_file = Path(work) / MANIFEST
                manifest_file.write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
                tar.add(manifest_file, arcname=MANIFEST)
            os.replace(partial, output)  # a finished archive or none: never a half-written one
        finally:
            if partial.exists():
                partial.unlink()
    return output, manifest


def read_manifest(archive: Path) -> Manifest:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            data = json.load(member) if member else None
    except (OSError, tarfile.TarError, KeyError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{archive} is not a Pulih backup: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput(f"{archive} is not a Pulih backup of format {FORMAT}.")
    known = Manifest.__dataclass_fields__
    return Manifest(**{k: v for k, v in data.items() if k in known})


def migration_notes(manifest: Manifest) -> list[str]:
    """How the snapshot's migrations compare with this code's."""
    from django.db.migrations.loader import MigrationLoader

    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    in_snapshot = {(app, name) for app, names in manifest.migrations.items() for name in names}
    notes = []
    if on_disk - in_snapshot:
        notes.append(
            f"{len(on_disk - in_snapshot)} migrations of this code are newer than the snapshot: "
            "run `python manage.py migrate`."
        )
    if in_snapshot - on_disk:
        notes.append(
            f"The snapshot has {len(in_snapshot - on_disk)} migrations this code does not know: "
            "it was made by a newer version of Pulih."
        )
    return notes


def _replace_directory(new: Path, target: Path) -> None:
    """Put `new` where `target` is, then remove the old one (renames on one filesystem)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}.before-restore")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def restore_backup(
    archive: Path,
    *,
    database: dict[str, Any] | None = None,
    media_root: Path | None = None,
) -> Manifest:
    """Bring back the database and the uploads from `archive`; the current ones are replaced."""
    database = database or settings.DATABASES["default"]
    storage = upload_storage(media_root)
    local = Path(storage.location) if isinstance(storage, FileSystemStorage) else None
    engine = engine_of(database)
    manifest = read_manifest(Path(archive))
    if manifest.engine != engine:
        raise BackupError(
            f"The backup is of a {manifest.engine} database; this installation uses {engine}."
        )
    if local is not None:
        local.parent.mkdir(parents=True, exist_ok=True)
    # Unpack beside a local uploads directory, so the final swap is a rename.
    unpack_dir = local.parent if local is not None else None
    with tempfile.TemporaryDirectory(prefix=".pulih-restore-", dir=unpack_dir) as work:
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(work, filter="data")  # refuses absolute paths, "..", devices
        except (OSError, tarfile.TarError) as exc:
            raise InvalidInput(f"{archive} cannot be unpacked safely: {exc}") from exc
        db_file = Path(work) / manifest.database
        if not db_file.is_file():
            raise InvalidInput(f"{archive} has no {manifest.database}.")
        connections.close_all()
        if engine == "sqlite":
            restore_sqlite(db_file, _sqlite_path(database))
        else:
            restore_postgresql(db_file, database)
        uploads = Path(work) / UPLOADS
        if not uploads.is_dir():
            uploads.mkdir()
        _restore_uploads(uploads, storage)
    manifest.notes = migration_notes(manifest)
    return manifest
