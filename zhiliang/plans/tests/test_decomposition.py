"""plan_derive, task_edit, task_add_local, target_edit, target_allocate: a city derives its plan."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from zhiliang import factories
from zhiliang.accounts.models import Role as MemberRole
from zhiliang.plans.decomposition import (
    DecompositionError,
    can_decompose,
    chinese_number,
    derivation_hash,
    local_unit_name,
    plan_derive,
    target_allocate,
    target_edit,
    task_add_local,
    task_edit,
)
from zhiliang.plans.models import Assignment, Plan, PlanOrigin, Target, TargetAllocation, Task
from zhiliang.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def ningbo(db):
    return Region.objects.get(code="330200")


@pytest.fixture
def hangzhou_plan(imported_plan, hangzhou, city_liaison):
    return plan_derive(parent=imported_plan, region=hangzhou, user=city_liaison)


def task_of(plan, number):
    return plan.tasks.get(number=number)


class TestPlanDerive:
    def test_it_copies_every_section_and_task_with_a_link_to_its_parent(self, imported_plan, hangzhou_plan):
        assert hangzhou_plan.parent == imported_plan
        assert hangzhou_plan.origin == PlanOrigin.DERIVED
        assert hangzhou_plan.sections.count() == imported_plan.sections.count()
        pairs = list(
            hangzhou_plan.tasks.order_by("number").values_list("number", "parent__number", "is_local")
        )
        assert pairs == [(n, n, False) for n in range(1, 13)]
        assert set(hangzhou_plan.tasks.values_list("parent__plan", flat=True)) == {imported_plan.pk}

    def test_it_names_the_plan_after_the_city(self, hangzhou_plan, hangzhou):
        assert hangzhou_plan.title == "杭州市2017年质量强市建设行动计划"
        assert (hangzhou_plan.region, hangzhou_plan.level, hangzhou_plan.year) == (hangzhou, "city", 2017)
        assert hangzhou_plan.issuer == "杭州市人民政府"

    def test_it_describes_the_derivation_as_its_source(self, imported_plan, hangzhou_plan, hangzhou):
        source = hangzhou_plan.source
        assert source.content_hash == derivation_hash(imported_plan, hangzhou)
        assert source.format == "derived"
        assert imported_plan.display_title in source.text

    def test_it_maps_provincial_units_to_their_local_counterparts(self, hangzhou_plan):
        owners = list(
            Assignment.objects.filter(task=task_of(hangzhou_plan, 2)).values_list(
                "name", "role", "department__code"
            )
        )
        assert owners == [
            ("市质监局", "lead", "QTS"),
            ("市经信委", "assist", "EIC"),
            ("市科技厅", "assist", "SCI"),
            ("市商务厅", "assist", "COMMERCE"),
        ]
        culture = task_of(hangzhou_plan, 12).assignments.get(department__code="LOCAL_GOVS")
        assert culture.name == "各区、县（市）人民政府"

    def test_it_copies_only_task_level_owners(self, imported_plan, hangzhou_plan):
        expected = Assignment.objects.filter(task__plan=imported_plan, measure__isnull=True).count()
        assert Assignment.objects.filter(task__plan=hangzhou_plan).count() == expected
        assert not Assignment.objects.filter(task__plan=hangzhou_plan, measure__isnull=False).exists()

    def test_it_keeps_time_limits_no_later_than_the_parents(self, imported_plan, hangzhou_plan):
        for task in hangzhou_plan.tasks.select_related("parent"):
            mine = [d.date for d in task.deadlines.all()]
            theirs = [d.date for d in task.parent.deadlines.all()]
            assert mine == theirs

    def test_it_takes_the_citys_share_from_the_breakdown(self, hangzhou_plan):
        standards = task_of(hangzhou_plan, 2).targets.get()
        assert (standards.value, standards.allocated, standards.unit) == (Decimal(22), True, "项")
        assert standards.parent_target.value == Decimal(120)

    def test_it_keeps_rates_as_they_are(self, hangzhou_plan):
        rate = task_of(hangzhou_plan, 4).targets.get()
        assert (rate.value, rate.unit, rate.allocated) == (Decimal(97), "%", True)

    def test_it_flags_counts_without_a_share_as_unallocated(self, hangzhou_plan):
        officers = task_of(hangzhou_plan, 1).targets.get()
        assert (officers.value, officers.allocated) == (Decimal(0), False)

    def test_an_office_allocation_overrides_the_breakdown(
        self, imported_plan, hangzhou, office_admin, city_liaison
    ):
        parent_target = Target.objects.get(task__plan=imported_plan, task__number=2)
        target_allocate(parent_target=parent_target, region=hangzhou, value=Decimal(25), user=office_admin)
        plan = plan_derive(parent=imported_plan, region=hangzhou, user=city_liaison)
        assert task_of(plan, 2).targets.get().value == Decimal(25)

    def test_it_is_idempotent(self, imported_plan, hangzhou, hangzhou_plan, office_admin):
        again = plan_derive(parent=imported_plan, region=hangzhou, user=office_admin)
        assert again == hangzhou_plan
        assert Plan.objects.filter(parent=imported_plan).count() == 1

    def test_it_records_who_derived_the_plan(self, hangzhou_plan, city_liaison):
        entry = LogEntry.objects.get_for_object(hangzhou_plan).get(action=LogEntry.Action.CREATE)
        assert entry.actor == city_liaison
        assert entry.additional_data["derive"]["tasks"] == 12
        assert entry.additional_data["derive"]["unallocated_targets"] >= 1

    def test_the_provincial_office_may_derive_for_any_of_its_cities(
        self, imported_plan, ningbo, office_admin
    ):
        plan = plan_derive(parent=imported_plan, region=ningbo, user=office_admin)
        assert task_of(plan, 3).targets.get().value == Decimal(20)

    def test_a_city_liaison_may_not_derive_for_another_city(self, imported_plan, ningbo, city_liaison):
        with pytest.raises(PermissionDenied):
            plan_derive(parent=imported_plan, region=ningbo, user=city_liaison)

    def test_another_provinces_office_may_not_derive(self, imported_plan, hangzhou, other_office_admin):
        with pytest.raises(PermissionDenied):
            plan_derive(parent=imported_plan, region=hangzhou, user=other_office_admin)

    def test_read_only_roles_may_not_derive(self, imported_plan, hangzhou, leader_view, department_liaison):
        for user in (leader_view, department_liaison):
            with pytest.raises(PermissionDenied):
                plan_derive(parent=imported_plan, region=hangzhou, user=user)

    def test_it_refuses_an_area_that_is_not_directly_below(self, imported_plan, office_admin):
        xiaoshan = Region.objects.get(code="330109")
        with pytest.raises(DecompositionError, match="不是浙江省的下级地区"):
            plan_derive(parent=imported_plan, region=xiaoshan, user=office_admin)

    def test_a_county_derives_from_its_citys_plan(self, hangzhou_plan, office_admin):
        xiaoshan = Region.objects.get(code="330109")
        county = plan_derive(parent=hangzhou_plan, region=xiaoshan, user=office_admin)
        assert county.title == "萧山区2017年质量强区建设行动计划"
        assert task_of(county, 2).assignments.get(role="lead").name == "区质监局"
        assert (
            task_of(county, 12).assignments.get(department__code="LOCAL_GOVS").name
            == "各乡镇人民政府、街道办事处"
        )


class TestTaskEdit:
    def test_the_city_edits_its_copy_and_keeps_the_link(self, hangzhou_plan, city_liaison):
        task = task_of(hangzhou_plan, 2)
        task_edit(task=task, user=city_liaison, title="推进“浙江制造”标准研制", text="组织龙头企业参与。")
        task.refresh_from_db()
        assert (task.title, task.text, task.parent.number) == (
            "推进“浙江制造”标准研制",
            "组织龙头企业参与。",
            2,
        )
        entry = LogEntry.objects.get_for_object(task).latest("timestamp")
        assert entry.actor == city_liaison

    def test_it_moves_the_last_time_limit(self, hangzhou_plan, city_liaison):
        task = task_of(hangzhou_plan, 6)
        before = [d.date for d in task.deadlines.order_by("order")]
        task_edit(
            task=task,
            user=city_liaison,
            title=task.title,
            text=task.text,
            deadline=datetime.date(2017, 11, 30),
        )
        after = [d.date for d in task.deadlines.order_by("order")]
        assert before[0] == datetime.date(2017, 6, 30) and before[-1] == datetime.date(2017, 12, 31)
        assert after == [*before[:-1], datetime.date(2017, 11, 30)]

    def test_it_adds_a_time_limit_to_a_task_without_one(self, hangzhou_plan, city_liaison):
        task = task_of(hangzhou_plan, 3)
        task_edit(
            task=task,
            user=city_liaison,
            title=task.title,
            text=task.text,
            deadline=datetime.date(2017, 10, 31),
        )
        deadline = task.deadlines.get()
        assert (deadline.date, deadline.text) == (datetime.date(2017, 10, 31), "2017年10月31日前")

    def test_it_refuses_an_empty_title(self, hangzhou_plan, city_liaison):
        with pytest.raises(ValidationError):
            task_edit(task=task_of(hangzhou_plan, 1), user=city_liaison, title="  ", text="")

    def test_another_city_may_not_edit(self, hangzhou_plan):
        ningbo_liaison = factories.member(
            "ningbo_liaison", organisation=factories.government("330200"), role=MemberRole.CITY_LIAISON
        )
        with pytest.raises(PermissionDenied):
            task_edit(task=task_of(hangzhou_plan, 1), user=ningbo_liaison, title="x", text="")

    def test_an_imported_plan_without_parent_is_not_edited_here(self, imported_plan, office_admin):
        with pytest.raises(DecompositionError):
            task_edit(task=task_of(imported_plan, 1), user=office_admin, title="x", text="")


class TestTaskAddLocal:
    def test_it_appends_a_local_task_with_its_lead_unit(self, hangzhou_plan, city_liaison):
        section = hangzhou_plan.tasks.get(number=12).section
        qts = factories.department("QTS")
        task = task_add_local(
            plan=hangzhou_plan,
            section=section,
            user=city_liaison,
            title="打造“杭州质量”品牌",
            text="开展杭州市政府质量奖评选。",
            deadline=datetime.date(2017, 11, 30),
            lead=qts,
        )
        assert (task.number, task.label, task.is_local, task.parent) == (13, "（十三）", True, None)
        assert task.assignments.get().name == "市质量技术监督局"
        assert task.deadlines.get().date == datetime.date(2017, 11, 30)
        assert Task.objects.filter(source_ref=task.source_ref).count() == 1

    def test_it_refuses_a_section_of_another_plan(self, imported_plan, hangzhou_plan, city_liaison):
        with pytest.raises(DecompositionError):
            task_add_local(
                plan=hangzhou_plan, section=imported_plan.sections.first(), user=city_liaison, title="x"
            )


class TestTargets:
    def test_the_city_sets_its_own_figure(self, hangzhou_plan, city_liaison):
        target = task_of(hangzhou_plan, 1).targets.get()
        target_edit(target=target, value=Decimal(80), user=city_liaison)
        target.refresh_from_db()
        assert (target.value, target.allocated) == (Decimal(80), True)

    def test_the_office_allocates_and_the_local_copy_follows(
        self, imported_plan, hangzhou_plan, hangzhou, office_admin
    ):
        parent_target = Target.objects.get(task__plan=imported_plan, task__number=1)
        allocation = target_allocate(
            parent_target=parent_target, region=hangzhou, value=Decimal(80), user=office_admin
        )
        assert TargetAllocation.objects.get() == allocation
        local = task_of(hangzhou_plan, 1).targets.get()
        assert (local.value, local.allocated) == (Decimal(80), True)
        entry = LogEntry.objects.get_for_object(allocation).get()
        assert entry.actor == office_admin

    def test_a_reallocation_leaves_a_figure_the_city_raised(
        self, imported_plan, hangzhou_plan, hangzhou, office_admin, city_liaison
    ):
        parent_target = Target.objects.get(task__plan=imported_plan, task__number=2)
        local = task_of(hangzhou_plan, 2).targets.get()
        target_edit(target=local, value=Decimal(30), user=city_liaison)
        target_allocate(parent_target=parent_target, region=hangzhou, value=Decimal(24), user=office_admin)
        local.refresh_from_db()
        assert local.value == Decimal(30)

    def test_only_the_office_allocates(self, imported_plan, hangzhou, city_liaison, other_office_admin):
        parent_target = Target.objects.get(task__plan=imported_plan, task__number=1)
        for user in (city_liaison, other_office_admin):
            with pytest.raises(PermissionDenied):
                target_allocate(parent_target=parent_target, region=hangzhou, value=Decimal(1), user=user)

    def test_it_allocates_only_to_areas_directly_below(self, imported_plan, office_admin):
        parent_target = Target.objects.get(task__plan=imported_plan, task__number=1)
        with pytest.raises(DecompositionError):
            target_allocate(
                parent_target=parent_target,
                region=Region.objects.get(code="340100"),
                value=Decimal(1),
                user=office_admin,
            )


class TestHelpers:
    @pytest.mark.parametrize(
        ("name", "code", "expected"),
        [
            ("省质监局", "QTS", "市质监局"),
            ("浙江省经信委", "EIC", "杭州市经信委"),
            ("省委宣传部", "PROPAGANDA", "市委宣传部"),
            ("各市、县人民政府", "LOCAL_GOVS", "各区、县（市）人民政府"),
            ("人行杭州中心支行", "PBOC", "人行杭州中心支行"),
        ],
    )
    def test_local_unit_names(self, zhejiang, hangzhou, name, code, expected):
        assert (
            local_unit_name(name, department_code=code, parent_region=zhejiang, region=hangzhou) == expected
        )

    @pytest.mark.parametrize(
        ("n", "text"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五")]
    )
    def test_chinese_numbers(self, n, text):
        assert chinese_number(n) == text

    def test_every_county_of_zhejiang_is_loaded(self, zhejiang):
        counties = Region.objects.filter(parent__parent=zhejiang)
        assert counties.count() == 90
        assert Region.objects.get(code="331127").name == "景宁畲族自治县"
        assert all(c.level == "county" for c in counties)

    def test_who_may_decompose(self, hangzhou, office_admin, city_liaison, other_office_admin, superuser):
        assert can_decompose(office_admin, hangzhou)
        assert can_decompose(city_liaison, hangzhou)
        assert not can_decompose(city_liaison, Region.objects.get(code="330200"))
        assert not can_decompose(other_office_admin, hangzhou)
        assert can_decompose(superuser, hangzhou)
