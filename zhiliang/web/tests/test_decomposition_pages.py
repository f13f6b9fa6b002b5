"""Decomposition pages: coverage (office), the local plan's edit page (city), task matching."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from zhiliang.conftest import SAMPLE_PLANS_DIR
from zhiliang.plans.decomposition import plan_derive
from zhiliang.plans.models import Plan, Target, TargetAllocation
from zhiliang.plans.services import plan_import_confirm
from zhiliang.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def hangzhou_plan(imported_plan, hangzhou, city_liaison):
    return plan_derive(parent=imported_plan, region=hangzhou, user=city_liaison)


class TestCoveragePage:
    def test_it_shows_the_matrix_and_the_target_gaps(
        self, client_as, office_admin, imported_plan, hangzhou_plan
    ):
        response = client_as(office_admin).get(reverse("decomposition-coverage", args=[imported_plan.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "任务分解矩阵" in html and "目标分配核对" in html
        assert 'data-region="330100"' in html and 'data-status="undecomposed"' in html
        assert 'data-status="unallocated"' in html
        assert "首席质量官" in html
        assert reverse("decomposition-plan", args=[hangzhou_plan.pk]) in html
        assert reverse("decomposition-allocate", args=[imported_plan.pk]) in html

    def test_a_city_liaison_is_offered_its_own_city_only(self, client_as, city_liaison, imported_plan):
        response = client_as(city_liaison).get(reverse("decomposition-coverage", args=[imported_plan.pk]))
        form = response.context["derive_form"]
        assert [r.code for r in form.fields["region"].queryset] == ["330100"]
        assert not response.context["can_allocate"]
        assert reverse("decomposition-allocate", args=[imported_plan.pk]) not in response.content.decode()

    def test_another_province_gets_404(self, client_as, other_office_admin, imported_plan):
        response = client_as(other_office_admin).get(
            reverse("decomposition-coverage", args=[imported_plan.pk])
        )
        assert response.status_code == 404

    def test_anonymous_users_are_sent_to_login(self, client, imported_plan):
        response = client.get(reverse("decomposition-coverage", args=[imported_plan.pk]))
        assert response.status_code == 302

    def test_it_takes_a_constant_number_of_queries(
        self, client_as, office_admin, imported_plan, hangzhou_plan, django_assert_max_num_queries
    ):
        client = client_as(office_admin)
        url = reverse("decomposition-coverage", args=[imported_plan.pk])
        client.get(url)
        plan_derive(parent=imported_plan, region=Region.objects.get(code="330200"), user=office_admin)
        plan_derive(parent=imported_plan, region=Region.objects.get(code="330300"), user=office_admin)
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200


class TestDerive:
    def test_the_city_derives_its_plan_and_lands_on_it(
        self, client_as, city_liaison, imported_plan, hangzhou
    ):
        response = client_as(city_liaison).post(
            reverse("decomposition-derive", args=[imported_plan.pk]), {"region": hangzhou.pk}
        )
        plan = Plan.objects.get(parent=imported_plan, region=hangzhou)
        assert response.status_code == 302
        assert response.url == reverse("decomposition-plan", args=[plan.pk])

    def test_another_city_is_forbidden(self, client_as, city_liaison, imported_plan):
        ningbo = Region.objects.get(code="330200")
        response = client_as(city_liaison).post(
            reverse("decomposition-derive", args=[imported_plan.pk]), {"region": ningbo.pk}
        )
        assert response.status_code == 403
        assert not Plan.objects.filter(parent=imported_plan).exists()

    def test_it_only_accepts_post(self, client_as, city_liaison, imported_plan):
        response = client_as(city_liaison).get(reverse("decomposition-derive", args=[imported_plan.pk]))
        assert response.status_code == 405


class TestLocalPlanPage:
    def test_it_shows_tasks_with_their_parents_and_edit_forms(self, client_as, city_liaison, hangzhou_plan):
        response = client_as(city_liaison).get(reverse("decomposition-plan", args=[hangzhou_plan.pk]))
        html = response.content.decode()
        assert response.status_code == 200 and response.context["editable"]
        assert "上级任务" in html and "市质监局" in html and "编辑任务" in html and "新增本地任务" in html
        assert "待分配" in html

    def test_the_office_of_another_province_cannot_see_it(self, client_as, other_office_admin, hangzhou_plan):
        response = client_as(other_office_admin).get(reverse("decomposition-plan", args=[hangzhou_plan.pk]))
        assert response.status_code == 404

    def test_read_only_users_see_no_forms(self, client_as, leader_view, hangzhou_plan):
        response = client_as(leader_view).get(reverse("decomposition-plan", args=[hangzhou_plan.pk]))
        assert response.status_code == 200 and not response.context["editable"]
        assert "编辑任务" not in response.content.decode()

    def test_it_takes_a_constant_number_of_queries(
        self, client_as, city_liaison, hangzhou_plan, django_assert_max_num_queries
    ):
        client = client_as(city_liaison)
        with django_assert_max_num_queries(25):
            assert client.get(reverse("decomposition-plan", args=[hangzhou_plan.pk])).status_code == 200

    def test_editing_a_task_with_a_later_time_limit_warns(self, client_as, city_liaison, hangzhou_plan):
        task = hangzhou_plan.tasks.get(number=12)
        prefix = f"task-{task.pk}"
        response = client_as(city_liaison).post(
            reverse("decomposition-task-edit", args=[task.pk]),
            {
                f"{prefix}-title": "营造“杭州质量”文化氛围",
                f"{prefix}-text": "组织质量月活动。",
                f"{prefix}-deadline": "2017-10-31",
            },
            follow=True,
        )
        task.refresh_from_db()
        assert task.title == "营造“杭州质量”文化氛围"
        assert task.deadlines.get().date == datetime.date(2017, 10, 31)
        assert "晚于上级任务的时限" in response.content.decode()

    def test_another_city_cannot_edit(self, client_as, hangzhou_plan):
        from zhiliang import factories
        from zhiliang.accounts.models import Role

        ningbo = factories.member(
            "ningbo", organisation=factories.government("330200"), role=Role.CITY_LIAISON
        )
        task = hangzhou_plan.tasks.get(number=1)
        prefix = f"task-{task.pk}"
        response = client_as(ningbo).post(
            reverse("decomposition-task-edit", args=[task.pk]), {f"{prefix}-title": "x", f"{prefix}-text": ""}
        )
        assert response.status_code == 404  # 宁波市 does not even see 杭州市's plan

    def test_adding_a_local_task(self, client_as, city_liaison, hangzhou_plan):
        section = hangzhou_plan.sections.get(number=2)
        response = client_as(city_liaison).post(
            reverse("decomposition-task-add", args=[hangzhou_plan.pk]),
            {
                "add-section": section.pk,
                "add-title": "打造“杭州质量”品牌",
                "add-text": "",
                "add-deadline": "2017-11-30",
            },
        )
        task = hangzhou_plan.tasks.get(is_local=True)
        assert response.status_code == 302 and response.url.endswith(f"#task-{task.number}")
        assert task.section == section

    def test_setting_a_local_target(self, client_as, city_liaison, hangzhou_plan):
        target = hangzhou_plan.tasks.get(number=1).targets.get()
        client_as(city_liaison).post(
            reverse("decomposition-target-edit", args=[target.pk]), {f"target-{target.pk}-value": "80"}
        )
        target.refresh_from_db()
        assert (target.value, target.allocated) == (Decimal(80), True)


class TestAllocate:
    def test_the_office_allocates_a_target(
        self, client_as, office_admin, imported_plan, hangzhou, hangzhou_plan
    ):
        target = Target.objects.get(task__plan=imported_plan, task__number=1)
        response = client_as(office_admin).post(
            reverse("decomposition-allocate", args=[imported_plan.pk]),
            {"target": target.pk, "region": hangzhou.pk, "value": "80"},
        )
        assert response.status_code == 302
        assert TargetAllocation.objects.get().value == Decimal(80)
        assert hangzhou_plan.tasks.get(number=1).targets.get().value == Decimal(80)

    def test_a_city_may_not_allocate(self, client_as, city_liaison, imported_plan, hangzhou):
        target = Target.objects.get(task__plan=imported_plan, task__number=1)
        response = client_as(city_liaison).post(
            reverse("decomposition-allocate", args=[imported_plan.pk]),
            {"target": target.pk, "region": hangzhou.pk, "value": "80"},
        )
        assert response.status_code == 403
        assert not TargetAllocation.objects.exists()


class TestMatchPage:
    @pytest.fixture
    def city_plan(self, office_admin):
        data = (SAMPLE_PLANS_DIR / "hangzhou_2017.txt").read_bytes()
        return plan_import_confirm(data=data, file_name="hangzhou_2017.txt", importer=office_admin).plans[0]

    def test_it_suggests_and_confirms_links(self, client_as, city_liaison, imported_plan, city_plan):
        client = client_as(city_liaison)
        url = reverse("decomposition-match", args=[city_plan.pk])
        response = client.get(url)
        assert response.context["parent"] == imported_plan
        assert len(response.context["suggestions"]) == 9
        assert "确认对应" in response.content.decode()
        first = response.context["suggestions"][0]
        response = client.post(
            reverse("decomposition-link", args=[city_plan.pk]),
            {
                "parent_plan": imported_plan.pk,
                "child_task": first.child_task.pk,
                "parent_task": first.parent_task.pk,
            },
            follow=True,
        )
        city_plan.refresh_from_db()
        assert city_plan.parent == imported_plan
        assert len(response.context["linked"]) == 1 and len(response.context["suggestions"]) == 8

    def test_the_linked_city_plan_shows_up_in_coverage(
        self, client_as, office_admin, imported_plan, city_plan
    ):
        client = client_as(office_admin)
        for task_number, parent_number in [(1, 1), (4, 5)]:
            client.post(
                reverse("decomposition-link", args=[city_plan.pk]),
                {
                    "parent_plan": imported_plan.pk,
                    "child_task": city_plan.tasks.get(number=task_number).pk,
                    "parent_task": imported_plan.tasks.get(number=parent_number).pk,
                },
            )
        response = client.get(reverse("decomposition-coverage", args=[imported_plan.pk]))
        row = next(r for r in response.context["coverage"].rows if r.region.code == "330100")
        assert (row.decomposed, row.undecomposed, row.local_tasks) == (2, 10, 7)

    def test_another_province_cannot_link(self, client_as, other_office_admin, imported_plan, city_plan):
        response = client_as(other_office_admin).post(
            reverse("decomposition-link", args=[city_plan.pk]),
            {
                "parent_plan": imported_plan.pk,
                "child_task": city_plan.tasks.first().pk,
                "parent_task": imported_plan.tasks.first().pk,
            },
        )
        assert response.status_code == 404
