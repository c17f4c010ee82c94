import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand

from pulih.personal_data import export_personal_data

from ._personal import add_person_arguments, unit_and_query


class Command(BaseCommand):
    help = (
        "Export, as JSON, everything the unit holds about one customer (UU 27/2022 "
        "right of access). Writes to --output (readable by its owner only) or stdout."
    )

    def add_arguments(self, parser):
        add_person_arguments(parser)
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        unit, query = unit_and_query(options)
        document = export_personal_data(unit, query)
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if not options["output"]:
            self.stdout.write(text, ending="")
            return
        path = Path(options["output"])
        # Personal data: create the file readable by its owner only.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        self.stdout.write(f"{document['total']} records written to {path}")
