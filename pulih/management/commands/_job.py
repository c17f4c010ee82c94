"""A daily job's command: hands the job's task to a task worker, or runs it here with --now."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django_tasks.base import Task

from pulih.lib.tasks import run_job


class JobCommand(BaseCommand):
    job: Task

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run here instead of a worker")

    def handle(self, *args, now=False, **options):
        done, value = run_job(self.job, now=now)
        if not done:
            self.stdout.write(f"{self.job.name} queued as task {value}")
            return
        self.stdout.write(self.summary(value))

    def summary(self, value: dict) -> str:
        raise NotImplementedError
