"""The responsibility matrix: marks, counts, filters, sorting, htmx fragment, permissions, queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhiliang import factories
from zhiliang.plans.models import Plan, Role, SectionKind

pytestmark = pytest.mark.django_db


def build_matrix_plan(extra_tasks: int = 0) -> Plan:
    """Two sections; QTS leads tasks 1 and 3, EIC assists 1 and shares 2, an unknown unit assists 3."""
    plan = factories.PlanFactory(title="矩阵测试计划")
    first = factories.SectionFactory(
        plan=plan, number=1, label="一、", title="质量提升", kind=SectionKind.TASKS
    )
    second = factories.SectionFactory(
        plan=plan, number=2, label="二、", title="质量监管", kind=SectionKind.TASKS
    )
    qts, eic = factories.department("QTS"), factories.department("EIC")

    def task(section, n):
        return factories.TaskFactory(
            plan=plan,
            section=section,
            number=n,
            label=f"（{n}）",
            title=f"任务{n}",
            source_ref=f"m{plan.pk}-{n}",
        )

    t1, t2, t3 = task(first, 1), task(first, 2), task(second, 3)
    factories.AssignmentFactory(task=t1, order=1, name="省质监局", role=Role.LEAD, department=qts)
    factories.AssignmentFactory(task=t1, order=2, name="省经信委", role=Role.ASSIST, department=eic)
    factories.AssignmentFactory(task=t2, order=1, name="省经信委", role=Role.SHARED, department=eic)
    factories.AssignmentFactory(task=t3, order=1, name="省质量技术监督局", role=Role.LEAD, department=qts)
    factories.AssignmentFactory(task=t3, order=2, name="省未知中心", role=Role.ASSIST, department=None)
    for n in range(4, 4 + extra_tasks):
        t = task(second, n)
        factories.AssignmentFactory(task=t, order=1, name="省质监局", role=Role.LEAD, department=qts)
        factories.AssignmentFactory(task=t, order=2, name=f"省未知单位{n}", role=Role.ASSIST, department=None)
    return plan


def columns_of(response) -> list[str]:
    return [u.name for u in response.context["columns"]]


def cells_of(response) -> dict[tuple[int, str], list[str]]:
    cells = {}
    for row in response.context["rows"]:
        for unit, cell in zip(response.context["columns"], row.cells):
            if cell:
                cells[(row.task.number, unit.name)] = cell.roles
    return cells


def test_the_matrix_shows_marks_units_and_legend(client_as, office_admin):
    plan = build_matrix_plan()
    response = client_as(office_admin).get(reverse("plans-matrix", args=[plan.pk]))
    assert response.status_code == 200
    assert columns_of(response) == ["省质量技术监督局", "省经济和信息化委员会", "省未知中心"]
    assert cells_of(response) == {
        (1, "省质量技术监督局"): ["lead"],
        (1, "省经济和信息化委员会"): ["assist"],
        (2, "省经济和信息化委员会"): ["shared"],
        (3, "省质量技术监督局"): ["lead"],
        (3, "省未知中心"): ["assist"],
    }
    body = response.content.decode()
    assert '<abbr class="mark mark-lead" title="牵头">牵</abbr>' in body
    assert '<abbr class="mark mark-assist" title="配合">配</abbr>' in body
    assert '<abbr class="mark mark-shared" title="分工负责">共</abbr>' in body
    assert 'class="legend"' in body
    assert 'class="unit unit-unresolved"' in body
    assert f'href="{reverse("departments-detail", args=["QTS"])}"' in body


def test_the_footer_counts_tasks_per_unit_and_role(client_as, office_admin):
    plan = build_matrix_plan()
    response = client_as(office_admin).get(reverse("plans-matrix", args=[plan.pk]))
    footer = {key: counts for key, _label, counts in response.context["footer"]}
    # columns: QTS, EIC, unknown
    assert footer == {"total": [2, 2, 1], "lead": [2, 0, 0], "assist": [0, 1, 1], "shared": [0, 1, 0]}
    assert "任务合计" in response.content.decode()


def test_the_matrix_filters_by_role(client_as, office_admin):
    plan = build_matrix_plan()
    response = client_as(office_admin).get(reverse("plans-matrix", args=[plan.pk]), {"role": "lead"})
    assert columns_of(response) == ["省质量技术监督局"]
    assert [r.task.number for r in response.context["rows"]] == [1, 3]


def test_the_matrix_filters_by_section(client_as, office_admin):
    plan = build_matrix_plan()
    section = plan.sections.get(number=2)
    response = client_as(office_admin).get(reverse("plans-matrix", args=[plan.pk]), {"section": section.pk})
    assert [r.task.number for r in response.context["rows"]] == [3]
    assert columns_of(response) == ["省质量技术监督局", "省未知中心"]


def test_the_matrix_searches_units_by_name_code_or_original_name(client_as, office_admin):
    plan = build_matrix_plan()
    client = client_as(office_admin)
    url = reverse("plans-matrix", args=[plan.pk])
    assert columns_of(client.get(url, {"unit": "经济"})) == ["省经济和信息化委员会"]
    assert columns_of(client.get(url, {"unit": "qts"})) == ["省质量技术监督局"]
    assert columns_of(client.get(url, {"unit": "质监局"})) == ["省质量技术监督局"]  # the plan's own wording
    searched = client.get(url, {"unit": "未知"})
    assert columns_of(searched) == ["省未知中心"]
    assert [r.task.number for r in searched.context["rows"]] == [3]


def test_the_matrix_sorts_units_and_tasks(client_as, office_admin):
    plan = build_matrix_plan()
    client = client_as(office_admin)
    url = reverse("plans-matrix", args=[plan.pk])
    assert columns_of(client.get(url, {"unit_sort": "lead"}))[0] == "省质量技术监督局"
    # by name: resolved departments first (by name), unresolved names last
    assert columns_of(client.get(url, {"unit_sort": "name"})) == [
        "省经济和信息化委员会",
        "省质量技术监督局",
        "省未知中心",
    ]
    descending = client.get(url, {"task_sort": "-number"})
    assert [r.task.number for r in descending.context["rows"]] == [3, 2, 1]


def test_bad_matrix_options_fall_back_to_defaults(client_as, office_admin):
    plan = build_matrix_plan()
    response = client_as(office_admin).get(
        reverse("plans-matrix", args=[plan.pk]), {"role": "boss", "unit_sort": "x", "section": "abc"}
    )
    assert response.status_code == 200
    assert response.context["options"]["role"] == ""
    assert response.context["options"]["unit_sort"] == "total"
    assert len(response.context["rows"]) == 3
    assert set(response.context["form"].errors) == {"role", "unit_sort", "section"}


def test_htmx_requests_get_only_the_matrix_fragment(client_as, office_admin):
    plan = build_matrix_plan()
    response = client_as(office_admin).get(
        reverse("plans-matrix", args=[plan.pk]), {"role": "assist"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="matrix-table"')
    assert "<html" not in body and "<form" not in body
    assert "mark-assist" in body and "mark-lead" not in body.split("</ul>", 1)[1]


def test_the_full_page_has_the_form_and_sticky_table(client_as, office_admin):
    plan = build_matrix_plan()
    body = client_as(office_admin).get(reverse("plans-matrix", args=[plan.pk])).content.decode()
    assert f'method="get" action="{reverse("plans-matrix", args=[plan.pk])}"' in body
    assert 'hx-target="#matrix-table"' in body
    assert '<label for="id_unit">单位</label>' in body
    assert 'class="matrix-wrap"' in body and "<tfoot>" in body


def test_the_imported_plan_matrix_renders(client_as, city_liaison, imported_plan):
    response = client_as(city_liaison).get(reverse("plans-matrix", args=[imported_plan.pk]))
    assert response.status_code == 200
    assert len(response.context["rows"]) == imported_plan.tasks.count()
    assert "省质量技术监督局" in columns_of(response)


def test_a_plan_of_another_province_has_no_matrix(client_as, other_office_admin, imported_plan):
    response = client_as(other_office_admin).get(reverse("plans-matrix", args=[imported_plan.pk]))
    assert response.status_code == 404


def test_anonymous_users_are_sent_to_login(client, imported_plan):
    url = reverse("plans-matrix", args=[imported_plan.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts-login"))


def test_the_matrix_runs_a_fixed_number_of_queries(client_as, office_admin, django_assert_max_num_queries):
    client = client_as(office_admin)
    small, large = build_matrix_plan(), build_matrix_plan(extra_tasks=20)
    client.get(reverse("plans-list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("plans-matrix", args=[small.pk]))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("plans-matrix", args=[large.pk]))
    assert len(response.context["columns"]) == 23
    assert len(many) == len(few)
    with django_assert_max_num_queries(10):  # auth 3 + regions 3 + plan, sections, tasks, assignments
        client.get(reverse("plans-matrix", args=[large.pk]))
