from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pulih.lib.backups import read_manifest, restore_backup
from pulih.lib.errors import DomainError


class Command(BaseCommand):
    help = (
        "Bring back the database and the uploads from an archive written by `backup`. "
        "Replaces the current database and uploads: needs --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz written by `backup`")
        parser.add_argument("--yes", action="store_true", help="really replace the current data")

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"No file {archive}.")
        try:
            manifest = read_manifest(archive)
            if not options["yes"]:
                raise CommandError(
                    f"{archive} holds a {manifest.engine} snapshot of {manifest.created_at}. "
                    "Restoring replaces the current database and uploads: pass --yes."
                )
            manifest = restore_backup(archive)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Restored the {manifest.engine} snapshot of {manifest.created_at} "
            f"and {manifest.uploads} uploaded files"
        )
        for note in manifest.notes:
            self.stdout.write(note)
