from django.core.management.base import BaseCommand

from notifications.services import sweep


class Command(BaseCommand):
    help = "Enqueue every notification left unsent (new, retrying, or abandoned by a worker)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List them, enqueue none.")

    def handle(self, *args, dry_run=False, **options):
        # The sweep itself only enqueues (one delivery task per row), so it runs here.
        due = sweep(dry_run=dry_run)
        verb = "due" if dry_run else "enqueued"
        self.stdout.write(f"{len(due)} notifications {verb}")
