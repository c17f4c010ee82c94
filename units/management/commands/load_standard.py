from django.core.management.base import BaseCommand

from units.standard import UNIT_CODE, load_standard


class Command(BaseCommand):
    help = "Load the default standard (BPMP Provinsi Kalimantan Tengah). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--unit", default=UNIT_CODE, help="unit code to load it into")

    def handle(self, *args, unit: str, **options):
        loaded, created = load_standard(unit)
        self.stdout.write(f"{loaded.code}: {created} new entries")
