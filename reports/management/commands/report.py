import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.figures import gather
from reports.render import report_pdf, report_xlsx
from units.models import Unit


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Write the monthly/quarterly report of a unit for a period as PDF or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--start", required=True)
        parser.add_argument("--end", required=True)
        parser.add_argument("--format", choices=["pdf", "xlsx"], required=True)
        parser.add_argument("--output", required=True)

    def handle(self, *args, unit, start, end, format, output, **options):
        found = Unit.objects.filter(code=unit).first()
        if found is None:
            raise CommandError(f"unknown unit: {unit}")
        start_date, end_date = _date(start), _date(end)
        if start_date > end_date:
            raise CommandError("--start is after --end")
        figures = gather(found, start_date, end_date)
        content = report_pdf(figures) if format == "pdf" else report_xlsx(figures)
        Path(output).write_bytes(content)
        score = figures.ikm.score if figures.ikm.score is not None else "—"
        self.stdout.write(
            f"{output}: {len(content)} bytes; IKM {score} {figures.ikm.grade}, "
            f"{figures.ikm.respondents} respondents"
        )
