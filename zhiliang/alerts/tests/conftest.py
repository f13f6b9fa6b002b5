"""Alerts fixtures: the supervision personas and small issued plan, plus helpers to date its reports.

Background tasks use the configured database backend: tests check the queued row (DBTaskResult)
and run the task body with ``.call()``, as the worker would.
"""

from __future__ import annotations

import datetime

import pytest

from zhiliang.supervision.models import ReportDue, WorkItem
from zhiliang.supervision.tests.conftest import (  # noqa: F401 (fixtures)
    _plain_static_and_private_media,
    assist_liaison,
    department_leader,
    issued_plan,
    other_city_liaison,
    small_plan,
)


@pytest.fixture(autouse=True)
def _alert_settings(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALERT_REMINDER_DAYS_BEFORE = ["7", "1"]
    settings.ALERT_OVERDUE_REPEAT_DAYS = 7


def redate(item: WorkItem, *dates: datetime.date) -> WorkItem:
    """Give *item* exactly these reporting dates (the last is the due date) and refresh it."""
    ReportDue.objects.filter(work_item=item).delete()
    ReportDue.objects.bulk_create(
        [ReportDue(work_item=item, due_on=d, is_final=(d == dates[-1])) for d in dates]
    )
    WorkItem.objects.filter(pk=item.pk).update(due_date=dates[-1], next_due_on=min(dates))
    item.refresh_from_db()
    return item


@pytest.fixture
def lead(issued_plan) -> WorkItem:  # noqa: F811
    return WorkItem.objects.get(task__plan=issued_plan, organisation__name="浙江省质量技术监督局")


@pytest.fixture
def city_item(issued_plan) -> WorkItem:  # noqa: F811
    return WorkItem.objects.get(task__plan=issued_plan, organisation__name="杭州市人民政府")


@pytest.fixture
def assist(issued_plan) -> WorkItem:  # noqa: F811
    return WorkItem.objects.get(task__plan=issued_plan, organisation__name="浙江省经济和信息化委员会")
