"""What /healthz reports: the database, and the task queue with the outbox's backlog."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection

from notifications.models import OutboxMessage, OutboxState


def database_status() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return {"ok": False, "engine": connection.vendor, "error": type(exc).__name__}
    return {"ok": True, "engine": connection.vendor}


def queue_status() -> dict[str, Any]:
    """The configured backend answers; how many tasks wait; how many notifications are owed."""
    backend = settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1]
    status: dict[str, Any] = {"backend": backend}
    try:
        if backend == "RQBackend":
            import django_rq

            queue = django_rq.get_queue("default")
            queue.connection.ping()
            status["waiting"] = queue.count
        elif backend == "DatabaseBackend":
            from django_tasks_db.models import DBTaskResult

            status["waiting"] = DBTaskResult.objects.ready().count()
        unsent = OutboxMessage.objects.exclude(state=OutboxState.SENT)
        status["outbox_unsent"] = unsent.exclude(state=OutboxState.FAILED).count()
        status["outbox_failed"] = unsent.filter(state=OutboxState.FAILED).count()
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy", reported as such
        status.update(ok=False, error=type(exc).__name__)
        return status
    status["ok"] = True
    return status
