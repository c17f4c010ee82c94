"""Write a notification into the outbox; deliver it once; sweep up what was left unsent.

- `queue_mail(...)` inside the caller's transaction: the row commits with the event or not at
  all, and the delivery task is enqueued only after the commit.
- `deliver(pk)` claims the row with one conditional UPDATE (so two workers, or a worker and a
  sweep, never both send it), sends it, and records sent / retrying (with back-off) / failed.
  A mail outage therefore never fails or repeats the action that caused the notification.
- `sweep()` enqueues every row that is due and not being sent (the periodic timer).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task as background_task

from .models import UNSENT, OutboxMessage, OutboxState

logger = logging.getLogger(__name__)

# A claimed row is someone's for this long (longer than EMAIL_TIMEOUT); a worker that died
# while sending leaves it to the next sweep after that.
LEASE = datetime.timedelta(minutes=5)
# A deferred task may start up to a second before its time (RQ schedules in whole seconds).
EARLY = datetime.timedelta(seconds=1)
HEADER = "X-Pulih-Notification"  # the row's id on every mail: a duplicate is visible


def queue_mail(
    kind: str,
    recipients: Iterable[str],
    subject: str,
    body: str,
    *,
    case=None,
    complaint=None,
) -> OutboxMessage | None:
    """An outbox row for one email, enqueued for delivery once the transaction commits."""
    addresses = sorted({r.strip() for r in recipients if r and r.strip()})
    if not addresses:
        return None
    message = OutboxMessage.objects.create(
        kind=kind,
        recipients=",".join(addresses),
        subject=subject[:255],
        body=body,
        case=case,
        complaint=complaint,
        next_attempt_at=timezone.now(),
    )
    pk = message.pk
    transaction.on_commit(lambda: enqueue(pk))
    return message


def enqueue(pk: int, run_after: datetime.datetime | None = None) -> bool:
    """Hand the row to the task queue. A queue that is down is logged, not raised: the row
    waits in the outbox and the sweep enqueues it later."""
    task = deliver_message
    try:
        if run_after is not None and task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
        task.enqueue(pk)
    except Exception:
        logger.exception("Could not enqueue notification %s; the sweep will", pk)
        return False
    return True


def _due(now: datetime.datetime) -> Q:
    return Q(state__in=UNSENT, next_attempt_at__lte=now) | Q(
        state=OutboxState.SENDING, claimed_until__lt=now
    )


def backoff(attempts: int) -> datetime.timedelta:
    seconds = settings.OUTBOX_BACKOFF_SECONDS * 2 ** max(0, attempts - 1)
    return datetime.timedelta(seconds=min(seconds, settings.OUTBOX_MAX_BACKOFF_SECONDS))


def _wait_again(pk: int, now: datetime.datetime) -> None:
    """A deferred delivery that ran before its row's time (RQ keeps whole seconds) is deferred
    again, so a retry chain never ends on an early run; a sent, failed or claimed row is left."""
    if not deliver_message.get_backend().supports_defer:
        return
    waiting = (
        OutboxMessage.objects.filter(pk=pk, state__in=UNSENT, next_attempt_at__gt=now)
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if waiting is not None:
        enqueue(pk, run_after=waiting + EARLY)


def deliver(pk: int) -> str:
    """Send row `pk` if it is due and nobody else is sending it. Returns its state after."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(_due(now), pk=pk).update(
        state=OutboxState.SENDING, claimed_until=now + LEASE, attempts=F("attempts") + 1
    )
    if not claimed:
        _wait_again(pk, now)
        return "not-due"
    message = OutboxMessage.objects.get(pk=pk)
    try:
        EmailMessage(
            message.subject,
            message.body,
            None,
            message.recipient_list,
            headers={HEADER: str(message.pk)},
        ).send()
    except Exception as exc:  # SMTP down, refused, timed out: try again later
        failed = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        message.state = OutboxState.FAILED if failed else OutboxState.RETRYING
        message.next_attempt_at = timezone.now() + backoff(message.attempts)
        message.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        message.claimed_until = None
        message.save(update_fields=["state", "next_attempt_at", "last_error", "claimed_until"])
        logger.warning("Notification %s not sent (attempt %s): %s", pk, message.attempts, exc)
        if not failed:
            enqueue(pk, run_after=message.next_attempt_at + EARLY)
        return message.state
    OutboxMessage.objects.filter(pk=pk).update(
        state=OutboxState.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    logger.info("Notification %s sent to %s", pk, message.recipients)
    return OutboxState.SENT


def sweep(*, dry_run: bool = False) -> list[int]:
    """Enqueue every row that is due (new, retrying, or claimed by a worker that vanished)."""
    due = list(
        OutboxMessage.objects.filter(_due(timezone.now()))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not dry_run:
        for pk in due:
            enqueue(pk)
    return due


# The outbox's tasks (Django's Tasks API), beside the functions they run.
@background_task()
def deliver_message(message_id: int) -> str:
    return deliver(message_id)


@background_task()
def sweep_outbox() -> int:
    return len(sweep())
