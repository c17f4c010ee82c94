"""manage.py import_skm FILE --unit CODE [--date-order dmy|mdy] — all or nothing; see
surveys/importer.py."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from surveys.importer import DATE_ORDERS, ImportFailed, error_report, import_file
from units.models import Unit


class Command(BaseCommand):
    help = (
        "Import SKM responses from a CSV (UTF-8, UTF-16 or Windows-1252; comma, semicolon or "
        "tab), XLSX, XLS or ODS file: Pulih's header submitted_at,service,officer,U1..U9,comment, "
        "or a Google Forms or spreadsheet export whose columns are read by their wording. "
        "A file with any bad cell imports nothing and lists each bad row, column and reason."
    )
    # A data import needs the models, not the project-wide checks (which import every view
    # and URL); `migrate`, `check` and the server run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="unit code")
        parser.add_argument(
            "--date-order",
            choices=DATE_ORDERS,
            help="day-first (dmy) or month-first (mdy) numeric dates, when the file cannot say",
        )

    def handle(self, *args, file, unit, date_order, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        target = Unit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(f"Unknown unit: {unit}")
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if total and done % 10_000 and done != total:
                return
            message = (
                _("imported %(count)s of %(total)s rows") % {"count": done, "total": total}
                if total
                else _("checked %(count)s rows") % {"count": done}
            )
            if not total and done % 10_000:
                return
            self.stderr.write(f"{message} ({time.monotonic() - started:.1f} s)")

        # The report is for the unit's operators: in the default language (Indonesian).
        with translation.override(settings.LANGUAGE_CODE):
            try:
                count = import_file(path, target, date_order=date_order, progress=progress)
            except ImportFailed as exc:
                self.stderr.write(error_report(exc))
                raise CommandError(
                    _("%(count)s errors; nothing was imported.")
                    % {"count": len(exc.errors) + exc.more}
                ) from None
        self.stdout.write(f"{count} rows imported into {target.code}.")
