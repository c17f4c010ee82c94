"""E-mail each customer their follow-up question once it opens (run daily; safe to run twice)."""

from recovery.tasks import send_followups

from ._job import JobCommand


class Command(JobCommand):
    help = (
        "E-mail compensated customers the recovery follow-up question once it opens. "
        "Enqueued for a task worker unless --now."
    )
    job = send_followups

    def summary(self, value: dict) -> str:
        return f"{value['queued']} follow-up e-mails queued"
