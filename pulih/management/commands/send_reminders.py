from django.core.management.base import BaseCommand

from pulih.jobs import send_reminders
from pulih.lib.tasks import run_job


class Command(BaseCommand):
    help = (
        "Email whoever owes a due or overdue step (outbox); escalate overdue ones. Idempotent. "
        "Enqueued for a task worker unless --now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run here instead of a worker")

    def handle(self, *args, now=False, **options):
        done, value = run_job(send_reminders, now=now)
        if not done:
            self.stdout.write(f"send_reminders queued as task {value}")
            return
        self.stdout.write(
            f"{value['sent']} reminders sent, {value['skipped']} already sent earlier"
        )
