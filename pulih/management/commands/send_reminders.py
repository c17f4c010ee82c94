from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.services import queue_mail
from pulih.lib.registry import reminder_sources
from units.models import SentReminder


class Command(BaseCommand):
    help = "Email whoever owes a due or overdue step (outbox); escalate overdue ones. Idempotent."

    def handle(self, *args, **options):
        today = timezone.localdate()
        sent = skipped = 0
        for collect in reminder_sources:  # each app's reminders.py
            for reminder in collect(today):
                emails = sorted({u.email for u in reminder.recipients if u.email})
                if not emails:
                    continue
                try:
                    with transaction.atomic():
                        SentReminder.objects.create(key=reminder.key, recipients=",".join(emails))
                        queue_mail("reminder", emails, reminder.subject, reminder.body)
                except IntegrityError:
                    skipped += 1
                    continue
                sent += 1
        self.stdout.write(f"{sent} reminders sent, {skipped} already sent earlier")
