from django.core.management.base import BaseCommand, CommandError

from pulih.jobs import apply_retention
from pulih.lib.tasks import run_job
from units.models import Unit


class Command(BaseCommand):
    help = (
        "Anonymise customers' names and contacts older than each unit's retention period "
        "(Unit.personal_data_retention_years, UU 27/2022). Safe to run daily and twice. "
        "Enqueued for a task worker unless --now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="only this unit's code (default: every unit)")
        parser.add_argument("--now", action="store_true", help="run here instead of a worker")

    def handle(self, *args, now=False, **options):
        code = options["unit"] or ""
        if code and not Unit.objects.filter(code=code).exists():
            raise CommandError(f"No unit with code {code!r}.")
        done, value = run_job(apply_retention, code, now=now)
        if not done:
            self.stdout.write(f"apply_retention queued as task {value}")
            return
        units = {u.code: u for u in Unit.objects.filter(code__in=value)}
        for unit_code, count in value.items():
            years = units[unit_code].personal_data_retention_years
            self.stdout.write(f"{unit_code}: {count} records older than {years} years anonymised")
        self.stdout.write(f"{sum(value.values())} records anonymised")
