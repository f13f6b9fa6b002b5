"""/api/tasks/: tasks with assignments, targets and deadlines, filters, and region scoping."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhiliang import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(db):
    plan = factories.PlanFactory(title="浙江省2017年行动计划")
    led = factories.TaskFactory(section__plan=plan, number=1, title="质监局牵头的任务")
    factories.AssignmentFactory(task=led, department=factories.department("QTS"), role="lead")
    factories.AssignmentFactory(
        task=led, name="省发改委", department=factories.department("DRC"), role="assist"
    )
    assisted = factories.TaskFactory(section=led.section, number=2, title="质监局配合的任务")
    factories.AssignmentFactory(
        task=assisted, name="省发改委", department=factories.department("DRC"), role="lead"
    )
    factories.AssignmentFactory(task=assisted, department=factories.department("QTS"), role="assist")
    factories.DeadlineFactory(task=assisted, text="6月底前")
    anhui = factories.PlanFactory(title="安徽省计划", region=factories.region("340000"), region_name="安徽省")
    factories.AssignmentFactory(task=factories.TaskFactory(section__plan=anhui, title="安徽的任务"))
    return {"plan": plan, "led": led, "assisted": assisted, "anhui": anhui}


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [t["title"] for t in response.json()["results"]]


def test_it_lists_visible_tasks_with_their_rows(client_as, office_admin, tasks):
    response = client_as(office_admin).get(reverse("api-tasks-list"))

    assert titles(response) == ["质监局牵头的任务", "质监局配合的任务"]
    second = response.json()["results"][1]
    assert second["plan"] == tasks["plan"].pk
    assert second["plan_title"] == "浙江省2017年行动计划"
    assert [(a["department"], a["role"]) for a in second["assignments"]] == [
        ("DRC", "lead"),
        ("QTS", "assist"),
    ]
    assert second["deadlines"] == [{"text": "6月底前", "date": None, "recurring": False}]
    assert second["section"]["title"] == "重点任务"


def test_it_filters_by_department_and_role_of_the_same_assignment(client_as, office_admin, tasks):
    client = client_as(office_admin)
    url = reverse("api-tasks-list")

    assert titles(client.get(url, {"department": "QTS"})) == ["质监局牵头的任务", "质监局配合的任务"]
    assert titles(client.get(url, {"department": "QTS", "role": "lead"})) == ["质监局牵头的任务"]
    assert titles(client.get(url, {"department": "QTS", "role": "assist"})) == ["质监局配合的任务"]
    assert titles(client.get(url, {"role": "shared"})) == []


def test_it_filters_by_plan(client_as, superuser, tasks):
    response = client_as(superuser).get(reverse("api-tasks-list"), {"plan": tasks["anhui"].pk})

    assert titles(response) == ["安徽的任务"]


def test_another_province_cannot_see_the_tasks(client_as, other_office_admin, tasks):
    client = client_as(other_office_admin)

    assert titles(client.get(reverse("api-tasks-list"))) == ["安徽的任务"]
    assert titles(client.get(reverse("api-tasks-list"), {"plan": tasks["plan"].pk})) == []
    assert client.get(reverse("api-tasks-detail", args=[tasks["led"].pk])).status_code == 404


def test_a_bad_role_is_a_400(client_as, office_admin, tasks):
    assert client_as(office_admin).get(reverse("api-tasks-list"), {"role": "boss"}).status_code == 400


def test_the_task_list_runs_a_fixed_number_of_queries(
    client_as, office_admin, tasks, django_assert_max_num_queries
):
    client = client_as(office_admin)
    for n in range(10):
        task = factories.TaskFactory(section=tasks["led"].section, number=10 + n)
        factories.AssignmentFactory(task=task)
        factories.TargetFactory(task=task)
        factories.DeadlineFactory(task=task)

    with django_assert_max_num_queries(13):  # 6 for session, user, membership and region tree
        response = client.get(reverse("api-tasks-list"))

    assert response.json()["count"] == 12
