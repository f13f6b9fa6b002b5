"""/api/departments/: the registry by code, with task counts over visible plans."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhiliang import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignments(db):
    zhejiang = factories.PlanFactory()
    first = factories.TaskFactory(section__plan=zhejiang)
    factories.AssignmentFactory(task=first, role="lead")
    factories.AssignmentFactory(task=first, role="lead")  # a second note on the same task counts once
    factories.AssignmentFactory(task=factories.TaskFactory(section=first.section), role="assist")
    anhui = factories.PlanFactory(region=factories.region("340000"), region_name="安徽省")
    factories.AssignmentFactory(task=factories.TaskFactory(section__plan=anhui), role="shared")


def by_code(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content
    return {d["code"]: d for d in response.json()["results"]}


def test_it_lists_departments_with_counts_over_visible_plans(client_as, office_admin, assignments):
    qts = by_code(client_as(office_admin).get(reverse("api-departments-list"), {"limit": 200}))["QTS"]

    assert qts["canonical_name"]
    assert (qts["task_count"], qts["lead_count"], qts["assist_count"], qts["shared_count"]) == (2, 1, 1, 0)
    assert "successor_2018" in qts


def test_another_province_counts_only_its_own_plans(client_as, other_office_admin, assignments):
    qts = by_code(client_as(other_office_admin).get(reverse("api-departments-list"), {"limit": 200}))["QTS"]

    assert (qts["task_count"], qts["shared_count"]) == (1, 1)


def test_the_detail_is_found_by_code(client_as, office_admin, assignments):
    response = client_as(office_admin).get(reverse("api-departments-detail", args=["QTS"]))

    assert response.status_code == 200
    data = response.json()
    assert data["code"] == "QTS"
    assert data["task_count"] == 2
    assert isinstance(data["aliases"], list) and data["aliases"]
    assert client_as(office_admin).get(reverse("api-departments-detail", args=["NOPE"])).status_code == 404


def test_the_department_list_runs_a_fixed_number_of_queries(
    client_as, office_admin, assignments, django_assert_max_num_queries
):
    client = client_as(office_admin)

    with django_assert_max_num_queries(9):  # 6 for session, user, membership and region tree
        response = client.get(reverse("api-departments-list"), {"limit": 200})

    assert response.json()["count"] > 50
