"""plan_coverage: what the office sees of its cities' decomposition."""

import datetime
from decimal import Decimal

import pytest

from zhiliang.plans.coverage import DECOMPOSED, LATE, UNALLOCATED, UNDECOMPOSED, plan_coverage
from zhiliang.plans.decomposition import plan_derive, target_allocate, task_edit
from zhiliang.plans.models import Target
from zhiliang.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def hangzhou_plan(imported_plan, hangzhou, city_liaison):
    return plan_derive(parent=imported_plan, region=hangzhou, user=city_liaison)


def row_of(coverage, code):
    return next(r for r in coverage.rows if r.region.code == code)


def test_every_city_and_task_is_a_cell(imported_plan):
    coverage = plan_coverage(plan=imported_plan)
    assert [r.region.code for r in coverage.rows][:2] == ["330100", "330200"]
    assert len(coverage.rows) == 11
    assert all(len(r.cells) == 12 for r in coverage.rows)
    assert coverage.total(UNDECOMPOSED) == 11 * 12


def test_a_derived_city_has_decomposed_every_task(imported_plan, hangzhou_plan):
    row = row_of(plan_coverage(plan=imported_plan), "330100")
    assert (row.decomposed, row.undecomposed, row.late) == (12, 0, 0)
    assert row.plans == [hangzhou_plan]
    assert row_of(plan_coverage(plan=imported_plan), "330200").undecomposed == 12


def test_it_marks_targets_still_waiting_for_a_share(imported_plan, hangzhou_plan):
    row = row_of(plan_coverage(plan=imported_plan), "330100")
    unallocated = [c.task.number for c in row.cells if UNALLOCATED in c.marks]
    # 首席质量官 500 名, 食品抽检 4 批/千人, 监督抽查 2000 批, 检验中心 3 个: counts with no breakdown.
    assert unallocated == [1, 5, 6, 9]
    assert row.cells[0].status == UNALLOCATED
    assert row.cells[1].status == DECOMPOSED


def test_it_marks_local_time_limits_later_than_the_parents(imported_plan, hangzhou_plan, city_liaison):
    task = hangzhou_plan.tasks.get(number=9)
    task_edit(
        task=task, user=city_liaison, title=task.title, text=task.text, deadline=datetime.date(2017, 8, 31)
    )
    row = row_of(plan_coverage(plan=imported_plan), "330100")
    cell = row.cells[8]
    assert LATE in cell.marks and cell.status == LATE
    assert "时限晚于上级" in cell.labels
    assert row.late == 1


def test_a_local_task_counts_as_local_not_as_decomposition(imported_plan, hangzhou_plan, city_liaison):
    from zhiliang.plans.decomposition import task_add_local

    task_add_local(
        plan=hangzhou_plan, section=hangzhou_plan.sections.last(), user=city_liaison, title="本地任务"
    )
    row = row_of(plan_coverage(plan=imported_plan), "330100")
    assert (row.local_tasks, row.decomposed) == (1, 12)


def test_it_lists_targets_whose_allocations_do_not_add_up(imported_plan, office_admin):
    gaps = {g.target.subject: g for g in plan_coverage(plan=imported_plan).target_gaps}
    # The breakdowns of 120 standards and 100 brands add up; rates (合格率) are not summed.
    assert "“浙江制造”标准" not in gaps and "新培育浙江名牌产品" not in gaps
    assert not any("率" in subject for subject in gaps)
    officers = gaps["首席质量官"]
    assert (officers.total, officers.difference) == (Decimal(0), Decimal(-500))
    assert len(officers.missing) == 11

    standards = Target.objects.get(task__plan=imported_plan, task__number=2)
    target_allocate(
        parent_target=standards,
        region=Region.objects.get(code="330100"),
        value=Decimal(25),
        user=office_admin,
    )
    gap = next(g for g in plan_coverage(plan=imported_plan).target_gaps if g.target == standards)
    assert (gap.total, gap.difference) == (Decimal(123), Decimal(3))
    assert next(s for s in gap.shares if s.region.code == "330100").allocated_by_office


def test_it_takes_a_constant_number_of_queries(
    imported_plan, hangzhou_plan, django_assert_max_num_queries, office_admin
):
    plan_derive(parent=imported_plan, region=Region.objects.get(code="330200"), user=office_admin)
    with django_assert_max_num_queries(12):
        coverage = plan_coverage(plan=imported_plan)
        for row in coverage.rows:
            for cell in row.cells:
                _ = cell.status, [t.number for t in cell.children]
        for gap in coverage.target_gaps:
            _ = gap.target.task.label, gap.missing
