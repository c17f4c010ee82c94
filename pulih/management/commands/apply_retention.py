from django.core.management.base import BaseCommand, CommandError

from pulih.personal_data import apply_retention
from units.models import Unit


class Command(BaseCommand):
    help = (
        "Anonymise customers' names and contacts older than each unit's retention period "
        "(Unit.personal_data_retention_years, UU 27/2022). Safe to run daily and twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="only this unit's code (default: every unit)")

    def handle(self, *args, **options):
        units = Unit.objects.order_by("code")
        if options["unit"]:
            units = units.filter(code=options["unit"])
            if not units.exists():
                raise CommandError(f"No unit with code {options['unit']!r}.")
        total = 0
        for unit in units:
            log = apply_retention(unit)
            count = log.total if log else 0
            total += count
            years = unit.personal_data_retention_years
            self.stdout.write(f"{unit.code}: {count} records older than {years} years anonymised")
        self.stdout.write(f"{total} records anonymised")
