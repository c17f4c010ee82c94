from django.core.management.base import BaseCommand

from cases.workflow_doc import DOC, render


class Command(BaseCommand):
    help = "Write docs/workflow.md from the workflow table."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="fail if the file differs")

    def handle(self, *args, check: bool = False, **options) -> None:
        text = render()
        if check:
            if not DOC.exists() or DOC.read_text() != text:
                raise SystemExit("docs/workflow.md is out of date: run manage.py workflow_doc")
            return
        DOC.write_text(text)
        self.stdout.write(f"Wrote {DOC}")
