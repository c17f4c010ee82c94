"""Run a task here or hand it to the task workers: the one seam the daily jobs' management
commands share (pulih.jobs, recovery.tasks)."""

from __future__ import annotations

from django_tasks import TaskResultStatus
from django_tasks.base import Task


def run_job(job: Task, *args, now: bool = False):
    """Run `job` here (`now`), or enqueue it for a task worker. Returns (finished, value):
    the job's return value when it ran (here, or in place on the immediate backend), else the
    queued task's id."""
    if now:
        return True, job.call(*args)
    result = job.enqueue(*args)
    if result.status == TaskResultStatus.SUCCESSFUL:
        return True, result.return_value
    if result.status == TaskResultStatus.FAILED:
        raise RuntimeError(f"{job.name} failed: {result.errors[-1].traceback}")
    return False, result.id
