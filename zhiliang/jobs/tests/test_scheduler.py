from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhiliang.jobs.schedule import SCHEDULE, due_jobs


def test_every_scheduled_path_names_a_task():
    for job in SCHEDULE:
        assert hasattr(job.task(), "enqueue"), job.task_path


def test_it_runs_each_job_once_then_waits_for_its_interval():
    now = timezone.now()
    assert due_jobs({}, now) == list(SCHEDULE)
    last_run = {job.task_path: now for job in SCHEDULE}
    assert due_jobs(last_run, now + timedelta(minutes=4)) == []
    due = due_jobs(last_run, now + timedelta(minutes=16))
    assert [job.task_path for job in due] == [
        "zhiliang.alerts.tasks:send_reminders_task",
        "zhiliang.credit.tasks:regrade_dirty_task",
    ]


@pytest.mark.django_db
def test_the_command_enqueues_every_job_for_the_worker():
    out = StringIO()
    call_command("scheduler", stdout=out)
    queued = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == {job.task_path.replace(":", ".") for job in SCHEDULE}
    assert out.getvalue().count("已排队") == len(SCHEDULE)


@pytest.mark.django_db
def test_the_purge_job_drops_only_stale_uploads(office_admin):
    from zhiliang.plans.models import PendingImport
    from zhiliang.plans.tasks import pending_imports_purge_task

    fresh = PendingImport.objects.create(
        uploaded_by=office_admin, file_name="a.txt", data=b"x", content_hash="a"
    )
    stale = PendingImport.objects.create(
        uploaded_by=office_admin, file_name="b.txt", data=b"y", content_hash="b"
    )
    PendingImport.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=2))
    assert pending_imports_purge_task.call() == 1
    assert list(PendingImport.objects.values_list("pk", flat=True)) == [fresh.pk]
