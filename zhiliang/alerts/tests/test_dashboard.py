"""Office dashboard: permissions over HTTP, honest traffic lights, constant query count; progress report."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from zhiliang import factories
from zhiliang.alerts import dashboards
from zhiliang.alerts.tests.conftest import redate
from zhiliang.plans.models import Role as AssignmentRole
from zhiliang.supervision import services as sv
from zhiliang.supervision.models import ReportDue, WorkItem

MAX_QUERIES = 24


def url(plan) -> str:
    return f"/alerts/office/{plan.pk}/"


def test_office_sees_tables_legend_and_chart_data(issued_plan, office_admin, client_as):
    response = client_as(office_admin).get(url(issued_plan))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("按部分", "按责任单位", "按地区（市）", "红黄绿灯说明", "逾期事项", "被退回事项", "杭州市"):
        assert text in html
    assert 'id="dashboard-data" type="application/json"' in html
    assert "vendor/echarts/echarts.min.js" in html and "cdn" not in html.lower()


def test_leader_view_may_read_it(issued_plan, leader_view, client_as):
    assert client_as(leader_view).get(url(issued_plan)).status_code == 200


def test_units_and_other_provinces_are_kept_out(
    issued_plan, department_liaison, city_liaison, other_office_admin, client_as
):
    assert client_as(department_liaison).get(url(issued_plan)).status_code == 403
    assert client_as(city_liaison).get("/alerts/office/").status_code == 403
    assert client_as(other_office_admin).get(url(issued_plan)).status_code == 404
    assert (
        client_as(other_office_admin)
        .get(f"/alerts/office/{issued_plan.pk}/report.docx?period=2026")
        .status_code
        == 404
    )
    assert (
        client_as(department_liaison)
        .get(f"/alerts/office/{issued_plan.pk}/report.xlsx?period=2026")
        .status_code
        == 403
    )


def test_traffic_lights(
    issued_plan, lead, assist, city_item, office_admin, department_liaison, assist_liaison
):
    today = datetime.date(2026, 4, 1)
    redate(lead, datetime.date(2026, 3, 31))  # overdue → red
    redate(assist, datetime.date(2026, 4, 10))  # due within 14 days, nothing accepted → amber
    redate(city_item, datetime.date(2026, 9, 30))  # far off → green
    items = WorkItem.objects.filter(pk__in=[lead.pk, assist.pk, city_item.pk])
    lights = dict(dashboards.with_light(items, on=today).values_list("pk", "light"))
    assert lights == {lead.pk: "red", assist.pk: "amber", city_item.pk: "green"}


def _accept(item, liaison, office_admin, *, percent, narrative, actuals=None):
    sv.work_item_acknowledge(item=item, user=liaison)
    report = sv.progress_report_save(
        item=item, user=liaison, percent=percent, narrative=narrative, actuals=actuals
    )
    sv.progress_report_submit(report=report, user=liaison)
    report.refresh_from_db()
    if report.status == "pending_leader":
        leader = factories.member("leader_x", organisation=item.organisation, role="department_leader")
        sv.report_leader_approve(report=report, user=leader)
    sv.report_office_accept(report=report, user=office_admin)
    return report


def test_a_target_gap_in_the_latest_accepted_report_is_amber(
    issued_plan, lead, office_admin, department_liaison
):
    redate(lead, datetime.date(2026, 6, 30), datetime.date(2026, 12, 31))
    target = lead.task.targets.get()  # 120 项
    _accept(
        lead,
        department_liaison,
        office_admin,
        percent=40,
        narrative="推进中",
        actuals={(target.pk, None): Decimal(60)},
    )
    today = datetime.date(2026, 7, 1)
    assert dashboards.with_light(WorkItem.objects.filter(pk=lead.pk), on=today).get().light == "amber"


def test_query_count_does_not_grow_with_the_plan(
    issued_plan, office_admin, client_as, django_assert_max_num_queries
):
    client = client_as(office_admin)
    client.get(url(issued_plan))  # warm up
    # About 10 queries of figures; the rest is session, membership and the region tree walk that
    # supervision.access repeats per check (3 queries each) — all independent of the plan's size.
    with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as small:
        client.get(url(issued_plan))
    # Ten more units on every task, some overdue.
    for n in range(10):
        org = factories.OrganisationFactory(name=f"测试单位{n}")
        for task in issued_plan.tasks.all():
            item = WorkItem.objects.create(
                schedule=issued_plan.reporting_schedule,
                task=task,
                organisation=org,
                role=AssignmentRole.ASSIST,
                due_date=datetime.date(2026, 3, 31),
                next_due_on=datetime.date(2026, 3, 31),
            )
            ReportDue.objects.create(work_item=item, due_on=datetime.date(2026, 3, 31), is_final=True)
    with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as large:
        response = client.get(url(issued_plan))
    assert len(large) == len(small)
    assert "测试单位9" in response.content.decode()


def test_progress_report_uses_accepted_reports_only(
    issued_plan, lead, city_item, office_admin, department_liaison, city_liaison, client_as
):
    due = timezone.localdate() + datetime.timedelta(days=30)
    redate(lead, due)
    redate(city_item, due)
    target = lead.task.targets.get()
    _accept(
        lead,
        department_liaison,
        office_admin,
        percent=80,
        narrative="新增浙江制造标准98项",
        actuals={(target.pk, None): Decimal(98)},
    )
    sv.work_item_acknowledge(item=city_item, user=city_liaison)
    sv.progress_report_save(item=city_item, user=city_liaison, percent=10, narrative="草稿不应出现")
    period = f"{due.year}Q{(due.month - 1) // 3 + 1}"
    client = client_as(office_admin)

    docx = client.get(f"/alerts/office/{issued_plan.pk}/report.docx", {"period": period})
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "落实情况" in text and "新增浙江制造标准98项" in text and "草稿不应出现" not in text
    assert "本期无已采纳的进展报告" in text
    table = Document(io.BytesIO(docx.content)).tables[0]
    assert [c.text for c in table.rows[1].cells] == ["浙江制造标准", "120项", "98项"]

    xlsx = client.get(f"/alerts/office/{issued_plan.pk}/report.xlsx", {"period": period})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert any(
        r[3] == "浙江省质量技术监督局" and r[7] == "新增浙江制造标准98项" and r[10] == 98 for r in rows
    )
    assert not any(r[7] == "草稿不应出现" for r in rows)

    bad = client.get(f"/alerts/office/{issued_plan.pk}/report.docx", {"period": "next year"})
    assert bad.status_code == 302


def test_healthz():
    from django.test import Client

    response = Client().get("/alerts/healthz")
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.parametrize("value", ["2017", "2017Q4", "2017q1"])
def test_periods_parse(value):
    from zhiliang.alerts.reports import Period

    p = Period.parse(value)
    assert p.start.year == 2017 and p.end >= p.start
