from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pulih.lib.backups import create_backup
from pulih.lib.errors import DomainError


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the database and the uploads to one .tar.gz, while "
        "the app keeps serving (default: BACKUP_DIR/pulih-<time>.tar.gz)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the archive to write")

    def handle(self, *args, **options):
        output = Path(options["output"]) if options["output"] else None
        try:
            path, manifest = create_backup(output)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        size = path.stat().st_size
        self.stdout.write(
            f"{manifest.engine} database and {manifest.uploads} uploaded files "
            f"written to {path} ({size:,} bytes)"
        )
