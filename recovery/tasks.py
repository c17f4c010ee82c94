"""Background work of the recovery domain (the Tasks API): the daily follow-up mail."""

from __future__ import annotations

from django_tasks import task

from .notify import send_due_followups


@task()
def send_followups() -> dict[str, int]:
    """E-mail each compensated customer their recovery follow-up once it opens."""
    return {"queued": send_due_followups()}
