"""The whole cycle through the services: issue → sign → report → consolidate → review → close."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhiliang.supervision import services
from zhiliang.supervision.models import (
    DisplayStatus,
    EventKind,
    ReportDue,
    ReportDueStatus,
    ReportStatus,
    TimelineEvent,
    WorkItem,
    WorkItemStatus,
)

TODAY = datetime.date(2017, 5, 1)


def _item(plan, org_name):
    return WorkItem.objects.get(task__plan=plan, organisation__name=org_name)


@pytest.fixture
def lead(issued_plan):
    return _item(issued_plan, "浙江省质量技术监督局")


@pytest.fixture
def assist(issued_plan):
    return _item(issued_plan, "浙江省经济和信息化委员会")


def test_it_links_assisting_items_to_the_lead_and_takes_the_deadline_from_the_plan(lead, assist):
    assert assist.lead_item == lead
    assert lead.due_date == datetime.date(2017, 9, 30)
    assert lead.status == WorkItemStatus.ISSUED


def test_it_generates_quarterly_reporting_dates_up_to_the_due_date():
    from zhiliang.supervision.models import ReportingSchedule

    s = ReportingSchedule(kind="quarterly")
    assert s.reporting_dates(start=datetime.date(2017, 5, 1), end=datetime.date(2017, 11, 15)) == [
        datetime.date(2017, 6, 30),
        datetime.date(2017, 9, 30),
        datetime.date(2017, 11, 15),
    ]
    s = ReportingSchedule(kind="monthly")
    assert s.reporting_dates(start=datetime.date(2017, 1, 15), end=datetime.date(2017, 3, 31))[
        0
    ] == datetime.date(2017, 1, 31)
    s = ReportingSchedule(kind="custom", dates=["2017-02-01", "2018-01-01"])
    assert s.reporting_dates(start=datetime.date(2017, 1, 1), end=datetime.date(2017, 6, 30)) == [
        datetime.date(2017, 2, 1),
        datetime.date(2017, 6, 30),
    ]


def test_it_refuses_to_issue_for_another_province(small_plan, other_office_admin):
    with pytest.raises(PermissionDenied):
        services.plan_issue(
            plan=small_plan,
            kind="quarterly",
            default_due_date=datetime.date(2017, 12, 31),
            user=other_office_admin,
        )


def test_it_lists_unmatched_units_and_refuses_to_drop_them_silently(small_plan, office_admin):
    from zhiliang import factories
    from zhiliang.plans.models import Role

    task = small_plan.tasks.first()
    factories.AssignmentFactory(task=task, name="省未知局", role=Role.ASSIST, department=None)
    preview = services.plan_issue_preview(plan=small_plan)
    assert [u.name for u in preview.unmatched] == ["省未知局"]
    with pytest.raises(ValidationError):
        services.plan_issue(
            plan=small_plan, kind="final", default_due_date=datetime.date(2017, 12, 31), user=office_admin
        )
    result = services.plan_issue(
        plan=small_plan,
        kind="final",
        default_due_date=datetime.date(2017, 12, 31),
        user=office_admin,
        mapping={"省未知局": None},
    )
    assert result.skipped == ["省未知局"]
    # issuing again adds nothing
    again = services.plan_issue(
        plan=small_plan,
        kind="final",
        default_due_date=datetime.date(2017, 12, 31),
        user=office_admin,
        mapping={"省未知局": None},
    )
    assert again.created == []


def test_the_whole_cycle_keeps_statuses_honest(
    lead, assist, office_admin, department_liaison, assist_liaison, department_leader
):
    services.work_item_acknowledge(item=lead, user=department_liaison)
    services.work_item_acknowledge(item=assist, user=assist_liaison)
    with pytest.raises(PermissionDenied):
        services.work_item_acknowledge(item=assist, user=department_liaison)

    a = services.progress_report_save(
        item=assist, user=assist_liaison, percent=40, narrative="经信委完成调研"
    )
    services.progress_report_submit(report=a, user=assist_liaison)
    a.refresh_from_db()
    assert a.status == ReportStatus.PENDING_LEAD

    target = lead.task.targets.get()
    hz = target.breakdown.get(region_name="杭州市")
    r = services.progress_report_save(
        item=lead,
        user=department_liaison,
        percent=50,
        narrative="质监局推进标准制定",
        actuals={(target.pk, None): Decimal(60), (target.pk, hz.pk): Decimal(15)},
    )
    services.progress_report_consolidate(report=r, assist_reports=[a], user=department_liaison)
    r.refresh_from_db()
    assert "【浙江省经济和信息化委员会】经信委完成调研" in r.narrative
    a.refresh_from_db()
    assert a.status == ReportStatus.CONSOLIDATED and a.consolidated_into == r

    services.progress_report_submit(report=r, user=department_liaison)
    r.refresh_from_db()
    assert r.status == ReportStatus.PENDING_LEADER  # QTS has a department leader
    lead.refresh_from_db()
    assert lead.status == WorkItemStatus.PENDING_REVIEW

    with pytest.raises(PermissionDenied):
        services.report_leader_approve(report=r, user=department_liaison)
    services.report_leader_approve(report=r, user=department_leader)
    r.refresh_from_db()
    assert r.status == ReportStatus.PENDING_OFFICE

    with pytest.raises(ValidationError):
        services.report_office_return(report=r, user=office_admin, reason="  ")
    services.report_office_return(report=r, user=office_admin, reason="缺少佐证材料")
    r.refresh_from_db()
    lead.refresh_from_db()
    assert r.status == ReportStatus.OFFICE_RETURNED
    assert lead.status == WorkItemStatus.RETURNED
    assert lead.display_status(on=TODAY) == DisplayStatus.RETURNED

    services.progress_report_save(
        item=lead, user=department_liaison, percent=60, narrative=r.narrative + "，补充材料"
    )
    services.progress_report_submit(report=r, user=department_liaison)
    services.report_leader_approve(report=r, user=department_leader)
    services.report_office_accept(report=r, user=office_admin)
    r.refresh_from_db()
    assert r.status == ReportStatus.ACCEPTED
    assert r.report_due.status == ReportDueStatus.ACCEPTED

    with pytest.raises(ValidationError):
        services.work_item_close(item=lead, user=office_admin, outcome="not_achieved", note="")
    services.work_item_close(item=lead, user=office_admin, outcome="not_achieved", note="标准数未达标")
    lead.refresh_from_db()
    assert lead.display_status() == DisplayStatus.CLOSED_NOT_ACHIEVED
    assert not ReportDue.objects.filter(work_item=lead).pending().exists()
    assert WorkItem.objects.filter(pk=lead.pk).overdue(on=datetime.date(2030, 1, 1)).count() == 0

    kinds = list(
        TimelineEvent.objects.for_task(lead.task).filter(work_item=lead).values_list("kind", flat=True)
    )
    assert kinds[0] == EventKind.ISSUED and kinds[-1] == EventKind.CLOSED
    assert EventKind.OFFICE_RETURNED in kinds


def test_overdue_is_a_date_filter_and_counts_are_honest(lead, assist):
    late = lead.next_due_on + datetime.timedelta(days=1)
    assert WorkItem.objects.overdue(on=late).filter(pk=lead.pk).exists()
    assert WorkItem.objects.due_between(lead.next_due_on, lead.next_due_on).filter(pk=lead.pk).exists()
    counts = WorkItem.objects.filter(pk__in=[lead.pk, assist.pk]).status_counts(on=late)
    assert counts["overdue"] == 2 and counts["closed_achieved"] == 0
    assert ReportDue.objects.overdue(on=late).filter(work_item=lead).count() == 1


def test_a_closed_item_takes_no_more_reports(lead, office_admin, department_liaison):
    services.work_item_acknowledge(item=lead, user=department_liaison)
    services.work_item_close(item=lead, user=office_admin, outcome="achieved")
    with pytest.raises(ValidationError):
        services.progress_report_save(item=lead, user=department_liaison, percent=1, narrative="x")
    lead.refresh_from_db()
    assert lead.display_status() == DisplayStatus.CLOSED_ACHIEVED


def test_a_submitted_report_cannot_be_edited(lead, department_liaison):
    services.work_item_acknowledge(item=lead, user=department_liaison)
    r = services.progress_report_save(item=lead, user=department_liaison, percent=10, narrative="x")
    services.progress_report_submit(report=r, user=department_liaison)
    with pytest.raises(ValidationError):
        services.progress_report_save(
            item=lead, user=department_liaison, percent=20, narrative="y", report_due=r.report_due
        )


def test_a_report_holds_one_actual_per_target_and_area(lead, department_liaison):
    from django.db import IntegrityError, transaction

    from zhiliang.supervision.models import TargetProgress

    services.work_item_acknowledge(item=lead, user=department_liaison)
    target = lead.task.targets.get()
    hz = target.breakdown.get(region_name="杭州市")
    report = services.progress_report_save(
        item=lead,
        user=department_liaison,
        percent=10,
        narrative="起步",
        actuals={(target.pk, None): Decimal(5), (target.pk, hz.pk): Decimal(2)},
    )
    for breakdown in (None, hz):  # the whole target and one area: each exactly once, on both databases
        with pytest.raises(IntegrityError), transaction.atomic():
            TargetProgress.objects.create(
                report=report, target=target, breakdown=breakdown, actual=Decimal(1)
            )
    assert report.target_progress.count() == 2
