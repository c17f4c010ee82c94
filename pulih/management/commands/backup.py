from django.core.management.base import BaseCommand, CommandError

from pulih.jobs import backup
from pulih.lib.errors import DomainError
from pulih.lib.tasks import run_job


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the database and the uploads to one .tar.gz, while "
        "the app keeps serving (default: BACKUP_DIR/pulih-<time>.tar.gz). Enqueued for a task "
        "worker unless --now or --output (an archive named here is written here)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the archive to write (runs here)")
        parser.add_argument("--now", action="store_true", help="run here instead of a worker")

    def handle(self, *args, now=False, **options):
        output = options["output"] or ""
        try:
            done, value = run_job(backup, output, now=now or bool(output))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if not done:
            self.stdout.write(f"backup queued as task {value}")
            return
        self.stdout.write(
            f"{value['engine']} database and {value['uploads']} uploaded files "
            f"written to {value['path']} ({value['bytes']:,} bytes)"
        )
