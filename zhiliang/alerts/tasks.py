"""Background jobs (django-tasks, database backend by default). Thin wrappers around the services."""

from __future__ import annotations

from django_tasks import task


@task()  # callers enqueue from transaction.on_commit
def send_reminders_task() -> int:
    """Send the reminders and overdue alerts due now (what ``zhiliang send_reminders`` does)."""
    from zhiliang.alerts.services import reminders_send

    return len(reminders_send().sent)


@task()
def notice_notify_task(notice_id: int) -> int:
    """Tell the unit about a freshly issued 督办单 / 催办单 (in-app and e-mail)."""
    from zhiliang.alerts.services import notice_notify

    return notice_notify(notice_id=notice_id)
