"""The task worker for whichever backend settings chose: `db_worker` (django-tasks-db) by
default, RQ's worker on Redis when REDIS_URL is set. One command for make run and systemd."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks (notifications, reports, imports) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--name", help="a name unique among the workers (default: generated)")
        parser.add_argument(
            "--check", action="store_true", help="say which worker would run, and stop"
        )

    def handle(self, *args, name=None, check=False, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.endswith("RQBackend"):
            worker = "rqworker default --job-class django_tasks_rq.Job --with-scheduler"
            run = lambda: call_command(  # noqa: E731
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
                **({"name": name} if name else {}),
            )
        elif backend.endswith("DatabaseBackend"):
            worker = "db_worker"
            run = lambda: call_command(  # noqa: E731
                "db_worker", **({"worker_id": name} if name else {})
            )
        else:
            worker = ""
            run = None
        if check or run is None:
            self.stdout.write(worker or f"{backend} runs tasks in place: no worker needed")
            return
        run()
