"""Background jobs (django-tasks, database backend). Thin wrappers around the services."""

from __future__ import annotations

from django_tasks import task


@task()  # callers enqueue from transaction.on_commit
def regrade_dirty_task() -> int:
    """Grade the enterprises whose records changed (enqueued on commit after each change)."""
    from zhiliang.credit.grading import regrade_dirty

    return regrade_dirty()


@task()
def lists_expire_task() -> int:
    """Daily: record expired list entries, then re-grade the enterprises concerned."""
    from zhiliang.credit.grading import regrade_dirty
    from zhiliang.credit.lists import lists_expire

    count = lists_expire()
    regrade_dirty()
    return count
