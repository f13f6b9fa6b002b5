"""Department registry and department pages: counts within visible plans, search, permissions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhiliang import factories
from zhiliang.departments.models import Department, DepartmentAlias
from zhiliang.plans.models import Role

pytestmark = pytest.mark.django_db


def task_for(
    department_code: str | None, *, role: str, region_code: str = "330000", plan=None, number: int = 1
):
    plan = plan or factories.PlanFactory(region=factories.region(region_code))
    section = plan.sections.first() or factories.SectionFactory(plan=plan, number=1)
    task = factories.TaskFactory(plan=plan, section=section, number=number, source_ref=f"d{plan.pk}-{number}")
    department = factories.department(department_code) if department_code else None
    factories.AssignmentFactory(task=task, order=1, name="原文名称", role=role, department=department)
    return task


def test_the_registry_lists_departments_with_task_counts(client_as, office_admin, imported_plan):
    response = client_as(office_admin).get(reverse("departments-list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "省质量技术监督局" in body and "<code>QTS</code>" in body
    qts = next(d for d in response.context["departments"] if d.code == "QTS")
    assert (
        qts.task_count == imported_plan.tasks.filter(assignments__department__code="QTS").distinct().count()
    )
    assert qts.task_count > 0
    assert len(response.context["departments"]) == Department.objects.count()


def test_task_counts_only_include_visible_plans(client_as, other_office_admin, superuser):
    task_for("QTS", role=Role.LEAD, region_code="330000")
    task_for("QTS", role=Role.LEAD, region_code="340000")
    counts = lambda r: {d.code: d.task_count for d in r.context["departments"]}  # noqa: E731
    assert counts(client_as(other_office_admin).get(reverse("departments-list")))["QTS"] == 1
    assert counts(client_as(superuser).get(reverse("departments-list")))["QTS"] == 2


def test_the_registry_can_be_searched_by_name_code_alias_and_kind(client_as, office_admin):
    client = client_as(office_admin)
    url = reverse("departments-list")
    codes = lambda r: {d.code for d in r.context["departments"]}  # noqa: E731
    assert "QTS" in codes(client.get(url, {"q": "质量技术监督"}))
    assert codes(client.get(url, {"q": "qts"})) >= {"QTS"}
    alias = DepartmentAlias.objects.filter(department__code="DRC").first()
    assert "DRC" in codes(client.get(url, {"q": alias.name}))
    kinds = {d.kind for d in client.get(url, {"kind": "collective"}).context["departments"]}
    assert kinds == {"collective"}


def test_htmx_search_returns_only_the_table(client_as, office_admin):
    response = client_as(office_admin).get(reverse("departments-list"), {"q": "质监"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="department-table"')
    assert "<html" not in body


def test_the_registry_runs_a_fixed_number_of_queries(client_as, superuser):
    client = client_as(superuser)
    task_for("QTS", role=Role.LEAD)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("departments-list"))
    for n in range(10):
        task_for("EIC", role=Role.ASSIST, region_code="340000" if n % 2 else "330000")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("departments-list"))
    assert len(many) == len(few)


def test_the_department_page_lists_its_tasks_and_roles(client_as, office_admin, imported_plan):
    response = client_as(office_admin).get(reverse("departments-detail", args=["QTS"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>省质量技术监督局</h1>" in body
    assert imported_plan.display_title in body
    assert f"{reverse('plans-detail', args=[imported_plan.pk])}#task-1" in body
    expected = imported_plan.tasks.filter(assignments__department__code="QTS").distinct().count()
    assert response.context["task_total"] == expected
    role_counts = {role: n for role, _label, n in response.context["role_counts"]}
    assert role_counts["lead"] > 0 and role_counts["shared"] > 0
    assert "省质监局" in body  # an alias
    assert response.context["national_forms"]
    for form in response.context["national_forms"]:
        assert f'<span class="tag">{form}</span>' in body


def test_a_task_counts_once_per_role_on_the_department_page(client_as, office_admin):
    task = task_for("QTS", role=Role.LEAD)
    measure = factories.MeasureFactory(task=task, order=1)
    factories.AssignmentFactory(
        task=task,
        measure=measure,
        order=2,
        name="省质监局",
        role=Role.ASSIST,
        department=factories.department("QTS"),
    )
    factories.AssignmentFactory(
        task=task,
        measure=measure,
        order=3,
        name="省质监局",
        role=Role.LEAD,
        department=factories.department("QTS"),
    )
    response = client_as(office_admin).get(reverse("departments-detail", args=["QTS"]))
    assert response.context["task_total"] == 1
    assert {r: n for r, _l, n in response.context["role_counts"]} == {"lead": 1, "assist": 1, "shared": 0}
    [(plan, entries)] = response.context["plans"]
    assert entries[0].roles == ["lead", "assist"]


def test_the_2018_successor_links_to_its_own_page(client_as, office_admin):
    qts = Department.objects.get(code="QTS")
    successor = Department.objects.get(canonical_name=qts.successor_2018)
    successor_url = reverse("departments-detail", args=[successor.code])
    client = client_as(office_admin)
    detail = client.get(reverse("departments-detail", args=["QTS"]))
    assert detail.context["successor"] == successor
    assert f'<a href="{successor_url}">{successor.canonical_name}</a>' in detail.content.decode()
    listing = client.get(reverse("departments-list"), {"q": "QTS"}).content.decode()
    assert f'<a href="{successor_url}">{qts.successor_2018}</a>' in listing


def test_the_department_page_hides_tasks_of_other_provinces(client_as, other_office_admin, imported_plan):
    response = client_as(other_office_admin).get(reverse("departments-detail", args=["QTS"]))
    assert response.status_code == 200
    assert response.context["task_total"] == 0
    assert imported_plan.display_title not in response.content.decode()
    assert "还没有承担任务" in response.content.decode()


def test_an_unknown_department_is_not_found(client_as, office_admin):
    assert client_as(office_admin).get(reverse("departments-detail", args=["NOPE"])).status_code == 404


def test_anonymous_users_are_sent_to_login(client):
    for url in [reverse("departments-list"), reverse("departments-detail", args=["QTS"])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts-login"))


def test_the_department_page_runs_a_fixed_number_of_queries(client_as, superuser):
    client = client_as(superuser)
    plan = task_for("QTS", role=Role.LEAD).plan
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("departments-detail", args=["QTS"]))
    for n in range(2, 12):
        task_for("QTS", role=Role.ASSIST, plan=plan, number=n)
        task_for("QTS", role=Role.SHARED, number=1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("departments-detail", args=["QTS"]))
    assert response.context["task_total"] == 21
    assert len(many) == len(few)
