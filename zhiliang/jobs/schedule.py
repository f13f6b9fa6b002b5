"""What runs periodically, and how often. The scheduler only enqueues; the worker runs the jobs.

Every job here is idempotent (reminders are claimed once, expiry and re-grading look at current
state), so enqueueing one again after a restart does no harm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module


@dataclass(frozen=True)
class PeriodicJob:
    task_path: str  # "module:attribute" of a django-tasks task
    every: timedelta

    def task(self):
        module, _, attribute = self.task_path.partition(":")
        return getattr(import_module(module), attribute)


SCHEDULE: tuple[PeriodicJob, ...] = (
    PeriodicJob("zhiliang.alerts.tasks:send_reminders_task", timedelta(minutes=5)),
    # A safety net: changes enqueue re-grading on commit, this catches anything a queue outage missed.
    PeriodicJob("zhiliang.credit.tasks:regrade_dirty_task", timedelta(minutes=15)),
    PeriodicJob("zhiliang.plans.tasks:pending_imports_purge_task", timedelta(hours=1)),
    PeriodicJob("zhiliang.credit.tasks:lists_expire_task", timedelta(days=1)),
)


def due_jobs(last_run: dict[str, datetime], now: datetime) -> list[PeriodicJob]:
    """Jobs never run in this process, or whose interval has passed since their last run."""
    return [
        job for job in SCHEDULE if job.task_path not in last_run or now - last_run[job.task_path] >= job.every
    ]
