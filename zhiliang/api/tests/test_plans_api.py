"""/api/plans/: list with filters, nested detail, contract JSON, and region scoping."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhiliang import factories
from zhiliang.plans.contract import plan_to_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(db):
    """A 浙江 2017 provincial plan with a task, a 杭州 2018 city plan, and an 安徽 2016 plan."""
    zhejiang = factories.PlanFactory(title="浙江省2017年行动计划", year=2017)
    task = factories.TaskFactory(section__plan=zhejiang, title="提升产品质量")
    factories.AssignmentFactory(task=task)
    factories.AssignmentFactory(task=task, name="省未知办", department=None, resolved_by="", role="assist")
    factories.TargetFactory(task=task)
    factories.DeadlineFactory(task=task)
    factories.MeasureFactory(task=task)
    hangzhou = factories.PlanFactory(
        title="杭州市2018年行动计划",
        year=2018,
        region=factories.region("330100"),
        region_name="杭州市",
        level="city",
    )
    anhui = factories.PlanFactory(
        title="安徽省2016年行动计划", year=2016, region=factories.region("340000"), region_name="安徽省"
    )
    return {"zhejiang": zhejiang, "hangzhou": hangzhou, "anhui": anhui}


def titles(response) -> list[str]:
    return [p["title"] for p in response.json()["results"]]


def test_it_lists_only_the_plans_of_visible_regions(client_as, office_admin, plans):
    response = client_as(office_admin).get(reverse("api-plans-list"))

    assert response.status_code == 200
    assert sorted(titles(response)) == ["杭州市2018年行动计划", "浙江省2017年行动计划"]


def test_another_province_sees_only_its_own_plans(client_as, other_office_admin, plans):
    client = client_as(other_office_admin)

    assert titles(client.get(reverse("api-plans-list"))) == ["安徽省2016年行动计划"]
    assert client.get(reverse("api-plans-detail", args=[plans["zhejiang"].pk])).status_code == 404
    assert client.get(reverse("api-plans-contract", args=[plans["zhejiang"].pk])).status_code == 404


def test_a_city_sees_its_own_plan_and_the_provincial_one(client_as, city_liaison, plans):
    response = client_as(city_liaison).get(reverse("api-plans-list"))

    assert sorted(titles(response)) == ["杭州市2018年行动计划", "浙江省2017年行动计划"]


def test_a_superuser_sees_every_plan(client_as, superuser, plans):
    assert len(titles(client_as(superuser).get(reverse("api-plans-list")))) == 3


def test_it_requires_a_signed_in_user(client, plans):
    assert client.get(reverse("api-plans-list")).status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"region": "330100"}, ["杭州市2018年行动计划"]),
        ({"year": 2017}, ["浙江省2017年行动计划"]),
        ({"level": "province"}, ["浙江省2017年行动计划"]),
        ({"level": "city", "year": 2017}, []),
    ],
)
def test_it_filters_plans(client_as, office_admin, plans, query, expected):
    assert titles(client_as(office_admin).get(reverse("api-plans-list"), query)) == expected


def test_a_bad_filter_is_a_400_with_the_reason(client_as, office_admin, plans):
    response = client_as(office_admin).get(reverse("api-plans-list"), {"level": "galaxy", "year": "abc"})

    assert response.status_code == 400
    assert set(response.json()) == {"level", "year"}


def test_the_list_gives_counts(client_as, office_admin, plans):
    response = client_as(office_admin).get(reverse("api-plans-list"), {"year": 2017})

    plan = response.json()["results"][0]
    assert plan["task_count"] == 1
    assert plan["unresolved_count"] == 1
    assert plan["region"] == {"code": "330000", "name": "浙江省", "level": "province"}


def test_the_list_runs_a_fixed_number_of_queries(
    client_as, office_admin, plans, django_assert_max_num_queries
):
    client = client_as(office_admin)
    for n in range(5):
        factories.TaskFactory(section__plan=factories.PlanFactory(title=f"附加计划{n}"))

    with django_assert_max_num_queries(8):
        response = client.get(reverse("api-plans-list"))

    assert response.json()["count"] == 7


def test_the_detail_nests_sections_and_tasks(client_as, office_admin, plans):
    response = client_as(office_admin).get(reverse("api-plans-detail", args=[plans["zhejiang"].pk]))

    assert response.status_code == 200
    data = response.json()
    task = data["sections"][0]["tasks"][0]
    assert task["title"] == "提升产品质量"
    assert [(a["name"], a["role"], a["department"]) for a in task["assignments"]] == [
        ("省质监局", "lead", "QTS"),
        ("省未知办", "assist", None),
    ]
    assert task["targets"][0]["value"] == 100
    assert task["targets"][0]["unit"] == "个"
    assert task["deadlines"][0]["text"] == "年内"
    assert task["measures"][0]["text"] == "加强质量监管。"


def test_the_detail_runs_a_fixed_number_of_queries(
    client_as, office_admin, plans, django_assert_max_num_queries
):
    client = client_as(office_admin)
    for _ in range(4):
        task = factories.TaskFactory(section=plans["zhejiang"].sections.get())
        factories.AssignmentFactory(task=task)
        factories.TargetFactory(task=task)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("api-plans-detail", args=[plans["zhejiang"].pk]))

    assert len(response.json()["sections"][0]["tasks"]) == 5


def test_the_contract_endpoint_equals_the_stored_contract(client_as, office_admin, imported_plan):
    response = client_as(office_admin).get(reverse("api-plans-contract", args=[imported_plan.pk]))

    assert response.status_code == 200
    assert response.json() == plan_to_contract(imported_plan)
    assert response.json()["doc_number"] == "浙政办发〔2017〕48号"
