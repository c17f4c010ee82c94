"""A mail outage never fails or repeats a workflow action: the mail is an outbox row written
with the action, delivered after the commit, retried with back-off until the server is back,
sent once, and shown with its state on the case's timeline."""

from __future__ import annotations

import datetime
import socket

import time_machine
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import CaseState, Hearing
from notifications import services as outbox
from notifications.models import OutboxMessage, OutboxState

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def nothing_listening() -> int:
    """A local port with no server behind it: connecting is refused, as when SMTP is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp_down(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = nothing_listening()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


def summon(user, case):
    client = APIClient()
    client.force_authenticate(user)
    data = {"scheduled_at": "2026-12-21T09:00:00+07:00", "place": "Ruang ULT"}
    return client.post(f"/api/v1/cases/{case.pk}/summon/", data, format="json")


def test_a_summons_during_a_mail_outage_is_saved_once_and_mailed_once_later(
    client, make_case, people, settings, django_capture_on_commit_callbacks
):
    case = make_case(CaseState.HEARING)
    outbox.sweep()  # the mail of the steps that brought the case here goes out first
    smtp_down(settings)
    with django_capture_on_commit_callbacks(execute=True):
        response = summon(people["coordinator"], case)
    assert response.status_code == 200, response.content
    assert Hearing.objects.filter(case=case).count() == 1
    row = OutboxMessage.objects.get(case=case, kind="case.summons")
    assert row.state == OutboxState.RETRYING
    assert row.attempts == 1
    assert "ConnectionRefused" in row.last_error
    assert row.recipient_list == [people["officer"].email]

    client.force_login(people["coordinator"])
    page = client.get(f"/kasus/{case.pk}/").content.decode()
    assert f'<li data-state="{OutboxState.RETRYING}">' in page

    settings.EMAIL_BACKEND = LOCMEM  # the mail server is back
    mail.outbox.clear()
    assert outbox.sweep() == []  # not due before its back-off has passed
    assert mail.outbox == []
    later = timezone.now() + datetime.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        assert outbox.sweep() == [row.pk]  # enqueued, and sent by the (immediate) task
        assert outbox.sweep() == []
    row.refresh_from_db()
    assert row.state == OutboxState.SENT
    assert [m.to for m in mail.outbox] == [[people["officer"].email]]
    assert "Ruang ULT" in mail.outbox[0].body
    page = client.get(f"/kasus/{case.pk}/").content.decode()
    assert f'<li data-state="{OutboxState.SENT}">' in page
    assert Hearing.objects.filter(case=case).count() == 1


def test_a_row_is_sent_by_one_delivery_only(make_case, people, django_capture_on_commit_callbacks):
    case = make_case(CaseState.HEARING)
    summon(people["coordinator"], case)  # on_commit not run: the row waits, unsent
    row = OutboxMessage.objects.get(case=case, kind="case.summons")
    assert row.state == OutboxState.PENDING
    mail.outbox.clear()
    assert outbox.deliver(row.pk) == OutboxState.SENT
    assert outbox.deliver(row.pk) == "not-due"  # a second worker, or the sweep, finds it sent
    assert len(mail.outbox) == 1


def test_back_off_doubles_and_the_outbox_gives_up_after_the_last_attempt(
    make_case, people, settings
):
    settings.OUTBOX_BACKOFF_SECONDS = 60
    settings.OUTBOX_MAX_ATTEMPTS = 3
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 12)] == [60, 120, 240, 3600]
    case = make_case(CaseState.HEARING)
    summon(people["coordinator"], case)
    row = OutboxMessage.objects.get(case=case, kind="case.summons")
    smtp_down(settings)
    moment = timezone.now()
    states = []
    for _attempt in range(3):
        with time_machine.travel(moment, tick=False):
            states.append(outbox.deliver(row.pk))
        moment += datetime.timedelta(hours=1)
    assert states == [OutboxState.RETRYING, OutboxState.RETRYING, OutboxState.FAILED]
    row.refresh_from_db()
    assert (row.state, row.attempts) == (OutboxState.FAILED, 3)
    assert row.pk not in outbox.sweep(dry_run=True)  # a failed row stays failed, for staff


def test_a_retry_that_runs_before_its_time_waits_again_on_a_deferring_queue(
    make_case, people, settings, django_capture_on_commit_callbacks
):
    # RQ keeps a deferred task's time in whole seconds, so a retry may start a moment early;
    # the retry chain must not end there, or the mail waits for the next sweep.
    from django_tasks_db.models import DBTaskResult

    case = make_case(CaseState.HEARING)
    summon(people["coordinator"], case)  # on_commit not run: the row waits, unsent
    row = OutboxMessage.objects.get(case=case, kind="case.summons")
    later = timezone.now() + datetime.timedelta(seconds=30)
    OutboxMessage.objects.filter(pk=row.pk).update(
        state=OutboxState.RETRYING, next_attempt_at=later
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert outbox.deliver(row.pk) == "not-due"
    waiting = DBTaskResult.objects.get(task_path="notifications.services.deliver_message")
    assert waiting.args_kwargs["args"] == [row.pk]
    assert waiting.run_after >= later
    OutboxMessage.objects.filter(pk=row.pk).update(state=OutboxState.SENT)
    assert outbox.deliver(row.pk) == "not-due"  # a sent row is left alone
    assert DBTaskResult.objects.count() == 1
