"""The unit-review queue: listing open names, mapping one to a department, the decided tab."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhiliang import factories
from zhiliang.departments.models import DepartmentAlias
from zhiliang.plans.models import Assignment, ResolvedBy, UnitReview, UnitReviewStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def unknown(db):
    """省火星办 named in two tasks of a 浙江 plan and queued for review; 皖未知办 in an 安徽 plan."""
    plan = factories.PlanFactory(title="浙江省2017年行动计划")
    first = factories.TaskFactory(section__plan=plan, number=1, label="（一）", title="推进质量试点")
    second = factories.TaskFactory(section=first.section, number=2, label="（二）", title="加强品牌建设")
    for task in (first, second):
        factories.AssignmentFactory(
            task=task, name="省火星办", department=None, resolved_by="", role="assist"
        )
    anhui = factories.PlanFactory(title="安徽省计划", region=factories.region("340000"), region_name="安徽省")
    factories.AssignmentFactory(
        task=factories.TaskFactory(section__plan=anhui), name="皖未知办", department=None, resolved_by=""
    )
    return {
        "plan": plan,
        "review": factories.UnitReviewFactory(name="省火星办"),
        "anhui_review": factories.UnitReviewFactory(name="皖未知办"),
    }


def map_url(review: UnitReview) -> str:
    return reverse("reviews-map", args=[review.pk])


def test_it_lists_open_names_with_their_use(client_as, office_admin, unknown):
    response = client_as(office_admin).get(reverse("reviews-list"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "省火星办" in content
    assert "浙江省2017年行动计划" in content
    assert "推进质量试点" in content  # a sample task
    assert reverse("plans-detail", args=[unknown["plan"].pk]) in content
    assert "QTS · " in content  # the department picker: code and name
    row = next(r for r in response.context["rows"] if r.review.name == "省火星办")
    assert (row.assignment_count, row.plan_count) == (2, 1)


def test_it_lists_only_names_used_in_visible_plans(client_as, office_admin, other_office_admin, unknown):
    zhejiang = client_as(office_admin).get(reverse("reviews-list")).content.decode()
    anhui = client_as(other_office_admin).get(reverse("reviews-list")).content.decode()

    assert "皖未知办" not in zhejiang
    assert "省火星办" not in anhui
    assert "皖未知办" in anhui


def test_it_filters_names(client_as, office_admin, unknown):
    factories.AssignmentFactory(
        task=factories.TaskFactory(), name="省其他办", department=None, resolved_by=""
    )
    factories.UnitReviewFactory(name="省其他办")

    response = client_as(office_admin).get(reverse("reviews-list"), {"q": "火星"})

    assert [r.review.name for r in response.context["rows"]] == ["省火星办"]


def test_mapping_updates_the_assignments_and_shows_a_message(client_as, office_admin, unknown):
    client = client_as(office_admin)
    review = unknown["review"]

    response = client.post(map_url(review), {f"r{review.pk}-department": "DRC"}, follow=True)

    assert response.status_code == 200
    assert "已将“省火星办”认定为 省发展和改革委员会，更新 2 条责任分工" in response.content.decode()
    assignments = Assignment.objects.filter(name="省火星办")
    assert {a.department.code for a in assignments} == {"DRC"}
    assert {a.resolved_by for a in assignments} == {ResolvedBy.REVIEW}
    review.refresh_from_db()
    assert review.status == UnitReviewStatus.MAPPED
    assert review.decided_by == office_admin
    assert DepartmentAlias.objects.get(name="省火星办").department.code == "DRC"


def test_the_mapping_shows_on_the_plan_page(client_as, office_admin, unknown):
    client = client_as(office_admin)
    review = unknown["review"]
    before = client.get(reverse("plans-detail", args=[unknown["plan"].pk])).content.decode()

    client.post(map_url(review), {f"r{review.pk}-department": "DRC"})
    after = client.get(reverse("plans-detail", args=[unknown["plan"].pk])).content.decode()

    assert "省发展和改革委员会" not in before
    assert "省发展和改革委员会" in after
    assert reverse("departments-detail", args=["DRC"]) in after


def test_an_htmx_mapping_returns_the_updated_row(client_as, office_admin, unknown):
    review = unknown["review"]

    response = client_as(office_admin).post(
        map_url(review), {f"r{review.pk}-department": "DRC"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith(f'<tr id="review-{review.pk}"')
    assert "<html" not in content
    assert "更新 2 条责任分工" in content
    assert "省发展和改革委员会" in content
    assert "HX-Request" in response["Vary"]


def test_an_htmx_mapping_without_a_department_shows_the_error_in_the_row(client_as, office_admin, unknown):
    review = unknown["review"]

    response = client_as(office_admin).post(map_url(review), {}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "请选择部门" in response.content.decode()
    assert Assignment.objects.filter(name="省火星办", department__isnull=True).count() == 2


def test_an_unknown_department_code_is_refused(client_as, office_admin, unknown):
    review = unknown["review"]

    response = client_as(office_admin).post(
        map_url(review), {f"r{review.pk}-department": "NOPE"}, follow=True
    )

    assert "没有这个部门" in response.content.decode()
    review.refresh_from_db()
    assert review.status == UnitReviewStatus.OPEN


def test_the_decided_tab_shows_who_decided_and_when(client_as, office_admin, unknown):
    client = client_as(office_admin)
    review = unknown["review"]
    client.post(map_url(review), {f"r{review.pk}-department": "DRC"})

    open_tab = client.get(reverse("reviews-list"))
    decided = client.get(reverse("reviews-list"), {"status": "mapped"}).content.decode()

    assert [r.review.name for r in open_tab.context["rows"]] == []
    assert "省火星办" in decided
    assert "office_admin" in decided
    assert "省发展和改革委员会" in decided


def test_another_province_cannot_map_a_name_it_cannot_see(client_as, other_office_admin, unknown):
    review = unknown["review"]

    response = client_as(other_office_admin).post(map_url(review), {f"r{review.pk}-department": "DRC"})

    assert response.status_code == 404
    assert Assignment.objects.filter(name="省火星办", department__isnull=True).count() == 2


@pytest.mark.parametrize("persona", ["department_liaison", "city_liaison", "leader_view"])
def test_a_non_office_user_gets_403_on_every_review_endpoint(request, client_as, persona, unknown):
    client = client_as(request.getfixturevalue(persona))
    review = unknown["review"]

    assert client.get(reverse("reviews-list")).status_code == 403
    assert client.post(map_url(review), {f"r{review.pk}-department": "DRC"}).status_code == 403
    review.refresh_from_db()
    assert review.status == UnitReviewStatus.OPEN


def test_mapping_refuses_get(client_as, office_admin, unknown):
    assert client_as(office_admin).get(map_url(unknown["review"])).status_code == 405


def test_the_list_runs_a_fixed_number_of_queries(
    client_as, office_admin, unknown, django_assert_max_num_queries
):
    client = client_as(office_admin)
    for n in range(10):
        name = f"省未知单位{n}"
        factories.AssignmentFactory(task=factories.TaskFactory(), name=name, department=None, resolved_by="")
        factories.UnitReviewFactory(name=name)

    with django_assert_max_num_queries(13):  # 6 for session, user, membership and region tree
        response = client.get(reverse("reviews-list"))

    assert len(response.context["rows"]) == 11


def test_an_htmx_filter_returns_only_the_table(client_as, office_admin, unknown):
    response = client_as(office_admin).get(
        reverse("reviews-list"), {"q": "火星"}, headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert content.lstrip().startswith('<div id="review-table"')
    assert "省火星办" in content
    assert "<html" not in content
