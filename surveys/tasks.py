"""Background work of the satisfaction domain (the Tasks API): the web import."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .importer import ImportFailed, error_report, import_file
from .models import ImportJob


def store_upload(upload) -> str:
    """Keep an uploaded survey file in Django's storage (local or S3, shared by every app
    server and worker) until its import ends; returns its name there (`ImportJob.path`)."""
    return default_storage.save(f"imports/{uuid.uuid4().hex}.upload", upload)


@contextlib.contextmanager
def local_copy(name: str) -> Iterator[Path]:
    """The stored upload as a file on this machine, for the readers that need a path."""
    with (
        default_storage.open(name, "rb") as source,
        tempfile.NamedTemporaryFile(prefix="pulih-import-", suffix=".upload") as target,
    ):
        shutil.copyfileobj(source, target)
        target.flush()
        yield Path(target.name)


def discard_upload(job: ImportJob) -> None:
    default_storage.delete(job.path)


def progress_path(job: ImportJob) -> Path:
    """Progress is written where the worker runs and read by the page on the same machine; a
    page on another machine shows the job's own counts until it ends."""
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{job.pk}.progress"


def read_progress(job: ImportJob) -> dict:
    """{"done": rows, "total": rows (0 while checking)} as the running import last wrote it.
    Kept beside the upload, outside the import's transaction, so a poll sees it move."""
    try:
        return json.loads(progress_path(job).read_text())
    except (OSError, ValueError):
        return {"done": job.done, "total": job.total}


def _write_progress(job: ImportJob, done: int, total: int) -> None:
    path = progress_path(job)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"done": done, "total": total}))
    os.replace(temporary, path)


@task()
def run_import(job_id: int) -> None:
    """Import a confirmed upload with the mapping and date order of its preview: the same
    code and all-or-nothing rule as `import_skm`. The report stays on the job."""
    job = ImportJob.objects.select_related("unit").get(pk=job_id)
    if job.state not in (ImportJob.State.QUEUED, ImportJob.State.RUNNING):
        return
    job.state = ImportJob.State.RUNNING
    job.save(update_fields=["state"])
    fields = [job.mapping.get(str(i), "") for i in range(len(job.mapping))] or None

    def progress(done: int, total: int) -> None:
        _write_progress(job, done, total)

    with translation.override(settings.LANGUAGE_CODE):
        try:
            with local_copy(job.path) as path:
                count = import_file(
                    path,
                    job.unit,
                    fields=fields,
                    date_order=job.date_order or None,
                    progress=progress,
                )
        except ImportFailed as exc:
            job.state = ImportJob.State.FAILED
            job.report = _("Nothing was imported (%(count)s errors):") % {
                "count": len(exc.errors) + exc.more
            }
            job.report += "\n" + error_report(exc)
        except Exception:  # the report must say it; the worker logs the traceback
            job.state = ImportJob.State.FAILED
            job.report = _("The import stopped on an unexpected error; nothing was imported.")
            _finish(job)
            raise
        else:
            job.state = ImportJob.State.DONE
            job.imported = job.done = job.total = count
            job.report = _("%(count)s rows imported from %(file)s.") % {
                "count": count,
                "file": job.file_name,
            }
    _finish(job)


def _finish(job: ImportJob) -> None:
    job.finished_at = timezone.now()
    progress = read_progress(job)
    job.done, job.total = progress.get("done", job.done), progress.get("total", job.total)
    if job.state == ImportJob.State.DONE:
        job.done = job.total = job.imported
    job.save()
    discard_upload(job)
    progress_path(job).unlink(missing_ok=True)
