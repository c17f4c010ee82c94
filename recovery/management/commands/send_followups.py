"""E-mail each customer their follow-up question once it opens (run daily; safe to run twice)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from recovery.notify import send_due_followups


class Command(BaseCommand):
    help = "E-mail compensated customers the recovery follow-up question once it opens."

    def handle(self, *args, **options):
        sent = send_due_followups()
        self.stdout.write(f"{sent} follow-up e-mails queued")
