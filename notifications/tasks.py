"""Tasks (Django's Tasks API) of the outbox."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def deliver_message(message_id: int) -> str:
    return services.deliver(message_id)


@task()
def sweep_outbox() -> int:
    return len(services.sweep())
