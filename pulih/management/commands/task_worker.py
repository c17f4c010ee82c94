"""The task worker for whichever backend settings chose: `db_worker` (django-tasks-db) by
default, RQ's worker on Redis when REDIS_URL is set. One command for make run and systemd."""

import logging
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import OperationalError, connections

logger = logging.getLogger(__name__)
# After the database failed the worker (restarting, or SQLite locked longer than its timeout),
# it starts again after this pause instead of ending: `make run` stops with its worker.
RESTART_SECONDS = 5


class Command(BaseCommand):
    help = "Run background tasks (notifications, reports, imports, daily jobs) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--name", help="a name unique among the workers (default: generated)")
        parser.add_argument(
            "--check", action="store_true", help="say which worker would run, and stop"
        )
        parser.add_argument(
            "--burst", action="store_true", help="run the tasks already queued, then stop"
        )

    def handle(self, *args, name=None, check=False, burst=False, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        queues = sorted(settings.TASKS["default"].get("QUEUES", ["default"]))
        if backend.endswith("RQBackend"):
            worker = f"rqworker {' '.join(queues)} --job-class django_tasks_rq.Job --with-scheduler"
            run = lambda: call_command(  # noqa: E731
                "rqworker",
                *queues,
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
                burst=burst,
                **({"name": name} if name else {}),
            )
        elif backend.endswith("DatabaseBackend"):
            worker = "db_worker"
            run = lambda: call_command(  # noqa: E731
                "db_worker",
                batch=burst,
                startup_delay=not burst,
                **({"worker_id": name} if name else {}),
            )
        else:
            worker = ""
            run = None
        if check or run is None:
            self.stdout.write(worker or f"{backend} runs tasks in place: no worker needed")
            return
        while True:
            try:
                run()
                return
            except OperationalError:
                if burst:
                    raise
                logger.exception("The task worker lost the database; again in %ss", RESTART_SECONDS)
                connections.close_all()
                time.sleep(RESTART_SECONDS)
