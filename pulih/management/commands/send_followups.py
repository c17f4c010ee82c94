"""E-mail each customer their follow-up question once it opens (run daily; safe to run twice)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from pulih.lib.tasks import run_job
from recovery.tasks import send_followups


class Command(BaseCommand):
    help = (
        "E-mail compensated customers the recovery follow-up question once it opens. "
        "Enqueued for a task worker unless --now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run here instead of a worker")

    def handle(self, *args, now=False, **options):
        done, value = run_job(send_followups, now=now)
        if not done:
            self.stdout.write(f"send_followups queued as task {value}")
            return
        self.stdout.write(f"{value['queued']} follow-up e-mails queued")
