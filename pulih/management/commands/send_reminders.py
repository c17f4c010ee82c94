from pulih.jobs import send_reminders

from ._job import JobCommand


class Command(JobCommand):
    help = (
        "Email whoever owes a due or overdue step (outbox); escalate overdue ones. Idempotent. "
        "Enqueued for a task worker unless --now."
    )
    job = send_reminders

    def summary(self, value: dict) -> str:
        return f"{value['sent']} reminders sent, {value['skipped']} already sent earlier"
