from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils import timezone

from pulih.lib.registry import reminder_sources
from units.models import SentReminder


class Command(BaseCommand):
    help = "Email whoever owes a due or overdue step; escalate overdue ones. Safe to run twice."

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
                        send_mail(reminder.subject, reminder.body, None, emails)
                except IntegrityError:
                    skipped += 1
                    continue
                sent += 1
        self.stdout.write(f"{sent} reminders sent, {skipped} already sent earlier")
