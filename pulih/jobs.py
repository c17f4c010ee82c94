"""The daily jobs as tasks (the Tasks API), so the systemd timers, `make run`'s worker and the
workers on Redis run them one way: each timer's command enqueues its task
(`pulih.lib.tasks.run_job`), a task worker runs it; `--now` runs the same task function in the
command's own process. The recovery follow-ups are recovery's own task (`recovery.tasks`).

Every job is idempotent (safe twice, safe after a missed day): reminders and follow-ups are
recorded as sent in the same transaction as their outbox row, retention anonymises what is
past the period, a backup is a new archive.
"""

from __future__ import annotations

from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from notifications.services import queue_mail
from pulih.lib.backups import create_backup
from pulih.lib.registry import reminder_sources
from pulih.personal_data import apply_retention as apply_to_unit
from units.models import SentReminder, Unit


@task()
def send_reminders() -> dict[str, int]:
    """Email whoever owes a due or overdue step (each app's reminders.py), once per reminder."""
    today = timezone.localdate()
    sent = skipped = 0
    for collect in reminder_sources:
        for reminder in collect(today):
            emails = sorted({u.email for u in reminder.recipients if u.email})
            if not emails:
                continue
            try:
                with transaction.atomic():
                    SentReminder.objects.create(key=reminder.key, recipients=",".join(emails))
                    queue_mail("reminder", emails, reminder.subject, reminder.body)
            except IntegrityError:
                skipped += 1
                continue
            sent += 1
    return {"sent": sent, "skipped": skipped}


@task()
def apply_retention(unit_code: str = "") -> dict[str, int]:
    """Anonymise customers' data past each unit's retention period: {unit code: records}."""

    units = Unit.objects.order_by("code")
    if unit_code:
        units = units.filter(code=unit_code)
    counts = {}
    for unit in units:
        log = apply_to_unit(unit)
        counts[unit.code] = log.total if log else 0
    return counts


@task()
def backup(output: str = "") -> dict:
    """A snapshot archive of the database and the uploads in BACKUP_DIR (of the machine whose
    worker runs it) or at `output`."""

    path, manifest = create_backup(Path(output) if output else None)
    return {
        "path": str(path),
        "engine": manifest.engine,
        "uploads": manifest.uploads,
        "bytes": path.stat().st_size,
    }
