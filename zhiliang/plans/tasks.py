"""Background jobs of the plans app (django-tasks). Thin wrappers around the services."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task


@task()
def pending_imports_purge_task() -> int:
    """Drop uploads whose preview was never confirmed within a day."""
    from zhiliang.plans.services import pending_import_purge

    return pending_import_purge(older_than=timedelta(days=1))
