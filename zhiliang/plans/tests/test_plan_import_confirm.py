import hashlib
from decimal import Decimal
from unittest.mock import patch

import pytest
from auditlog.models import LogEntry

from zhiliang.departments.models import AliasSource, Department, DepartmentAlias
from zhiliang.plans.models import (
    Assignment,
    Deadline,
    Measure,
    Plan,
    PlanSource,
    ResolvedBy,
    Section,
    Target,
    TargetBreakdown,
    Task,
    UnitReview,
    UnitReviewStatus,
)
from zhiliang.plans.services import PlanImportError, plan_import_confirm
from zhiliang.plans.tests.documents import plan_document
from zhiliang.sample_data.loader import PLANS_DIR

pytestmark = pytest.mark.django_db

PLAN_TABLES = [
    PlanSource,
    Plan,
    Section,
    Task,
    Measure,
    Assignment,
    Target,
    TargetBreakdown,
    Deadline,
    UnitReview,
]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in [*PLAN_TABLES, LogEntry]}


def test_it_records_where_the_plan_came_from(imported_plan, sample_plan_bytes, office_admin):
    source = imported_plan.source
    assert source.file_name == "zhejiang_2017.txt"
    assert source.content_hash == hashlib.sha256(sample_plan_bytes).hexdigest()
    assert source.size == len(sample_plan_bytes)
    assert (source.encoding, source.format) == ("utf-8", "text")
    assert source.text.startswith("浙江省人民政府办公厅关于印发")
    assert source.imported_by == office_admin
    assert source.imported_at is not None


def test_it_writes_the_plan_with_its_region(imported_plan, zhejiang):
    assert imported_plan.title == "浙江省2017年质量强省建设行动计划"
    assert imported_plan.doc_number == "浙政办发〔2017〕48号"
    assert imported_plan.date.isoformat() == "2017-05-16"
    assert (imported_plan.year, imported_plan.region, imported_plan.level) == (2017, zhejiang, "province")
    assert imported_plan.ordinal == 1


def test_it_writes_sections_tasks_and_measures(imported_plan):
    assert list(imported_plan.sections.values_list("kind", flat=True)) == [
        "goals",
        "tasks",
        "tasks",
        "tasks",
        "other",
    ]
    tasks = list(imported_plan.tasks.order_by("number"))
    assert [t.number for t in tasks] == list(range(1, 13))
    assert tasks[1].label == "（二）"
    assert tasks[1].title == "加快“浙江制造”标准体系建设"
    assert tasks[1].section.title == "实施质量提升工程"
    assert Measure.objects.filter(task__plan=imported_plan).count() > 12


def test_it_gives_every_task_a_stable_source_reference(imported_plan):
    prefix = imported_plan.source.content_hash[:12]
    task = imported_plan.tasks.get(number=7)
    assert task.source_ref == f"{prefix}-1-007"


def test_it_points_each_task_into_the_source_text(imported_plan):
    text = imported_plan.source.text
    for task in imported_plan.tasks.all():
        excerpt = text[task.source_start : task.source_end]
        assert excerpt.startswith(f"{task.label}{task.title}")
    last = imported_plan.tasks.get(number=12)
    assert text[last.source_start : last.source_end].endswith(
        "（省委宣传部、省质监局负责，各市、县人民政府配合）"
    )


def test_it_links_assignments_to_departments_found_by_the_parser(imported_plan):
    task = imported_plan.tasks.get(number=2)
    rows = list(
        task.assignments.order_by("order").values_list("name", "role", "department__code", "resolved_by")
    )
    assert rows == [
        ("省质监局", "lead", "QTS", ResolvedBy.PARSER),
        ("省经信委", "assist", "EIC", ResolvedBy.PARSER),
        ("省科技厅", "assist", "SCI", ResolvedBy.PARSER),
        ("省商务厅", "assist", "COMMERCE", ResolvedBy.PARSER),
    ]
    assert not Assignment.objects.unresolved().exists()


def test_it_writes_targets_with_their_regional_breakdown(imported_plan, hangzhou):
    target = Target.objects.get(task__plan=imported_plan, task__number=3)
    assert "浙江名牌产品" in target.subject
    assert (target.value, target.unit) == (Decimal(100), "个")
    breakdown = list(target.breakdown.all())
    assert len(breakdown) == 11
    assert (breakdown[0].region, breakdown[0].region_name, breakdown[0].value) == (
        hangzhou,
        "杭州市",
        Decimal(22),
    )
    assert sum(b.value for b in breakdown) == 100
    assert all(b.region is not None for b in breakdown)


def test_it_writes_deadlines_resolved_against_the_plan_year(imported_plan):
    deadlines = Deadline.objects.filter(task__plan=imported_plan, task__number=9)
    assert [(d.text, d.date.isoformat()) for d in deadlines] == [("6月底前", "2017-06-30")]


def test_it_keeps_notes_attached_to_single_measures(office_admin):
    data = (PLANS_DIR / "zhejiang_2018.txt").read_bytes()
    [plan] = plan_import_confirm(data=data, file_name="zhejiang_2018.txt", importer=office_admin).plans
    task = plan.tasks.get(number=1)
    assert task.assignments.filter(measure__isnull=True).count() == 4
    first, second = task.measures.filter(assignments__isnull=False).distinct().order_by("order")
    assert list(first.assignments.values_list("name", "role")) == [
        ("省经信厅", "lead"),
        ("省市场监管局", "assist"),
        ("省科技厅", "assist"),
    ]
    assert second.assignments.first().name == "省科技厅"


def test_it_queues_unknown_unit_names_for_review(office_admin):
    plan_import_confirm(data=plan_document(), file_name="要点.txt", importer=office_admin)
    review = UnitReview.objects.get()
    assert (review.name, review.status) == ("省标准化研究院", UnitReviewStatus.OPEN)
    assignment = Assignment.objects.unresolved().get()
    assert (assignment.name, assignment.resolved_by) == ("省标准化研究院", ResolvedBy.UNRESOLVED)


def test_it_resolves_a_name_by_a_remembered_alias(office_admin):
    DepartmentAlias.objects.create(
        name="省标准化研究院", department=Department.objects.get(code="QTS"), source=AliasSource.REVIEW
    )
    plan_import_confirm(data=plan_document(), file_name="要点.txt", importer=office_admin)
    assignment = Assignment.objects.get(name="省标准化研究院")
    assert (assignment.department.code, assignment.resolved_by) == ("QTS", ResolvedBy.ALIAS)
    assert not UnitReview.objects.exists()


def test_it_does_not_queue_a_name_twice(office_admin):
    plan_import_confirm(data=plan_document(year=2019), file_name="a.txt", importer=office_admin)
    plan_import_confirm(data=plan_document(year=2020), file_name="b.txt", importer=office_admin)
    assert UnitReview.objects.filter(name="省标准化研究院").count() == 1
    assert Assignment.objects.unresolved().count() == 2


def test_it_imports_the_same_bytes_only_once(imported_plan, sample_plan_bytes, office_admin):
    before = row_counts()
    result = plan_import_confirm(data=sample_plan_bytes, file_name="再次上传.txt", importer=office_admin)
    assert result.created is False
    assert result.plans == [imported_plan]
    assert row_counts() == before


def test_it_says_a_new_import_was_created(office_admin, sample_plan_bytes):
    result = plan_import_confirm(data=sample_plan_bytes, file_name="zhejiang_2017.txt", importer=office_admin)
    assert result.created is True
    assert Plan.objects.count() == 1


def test_it_leaves_nothing_behind_when_the_import_fails_midway(office_admin, sample_plan_bytes):
    before = row_counts()
    with patch.object(Deadline.objects, "bulk_create", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            plan_import_confirm(data=plan_document(), file_name="要点.txt", importer=office_admin)
    assert row_counts() == before
    assert all(model.objects.count() == 0 for model in PLAN_TABLES)


def test_it_refuses_plans_of_regions_outside_the_allowed_ones(office_admin, sample_plan_bytes, hangzhou):
    with pytest.raises(PlanImportError, match="无权导入浙江省地区的计划"):
        plan_import_confirm(
            data=sample_plan_bytes,
            file_name="zhejiang_2017.txt",
            importer=office_admin,
            allowed_region_ids={hangzhou.pk},
        )
    assert not PlanSource.objects.exists()


def test_it_allows_plans_of_regions_below_the_allowed_one(office_admin, zhejiang):
    data = (PLANS_DIR / "hangzhou_2017.txt").read_bytes()
    result = plan_import_confirm(
        data=data,
        file_name="hangzhou_2017.txt",
        importer=office_admin,
        allowed_region_ids=zhejiang.descendant_ids(),
    )
    assert result.plans[0].region.name == "杭州市"


def test_it_refuses_a_plan_whose_region_is_unknown_when_regions_are_restricted(office_admin, zhejiang):
    data = plan_document(region="", year=2019)
    with pytest.raises(PlanImportError, match="无法确定计划所属地区"):
        plan_import_confirm(
            data=data, file_name="无地区.txt", importer=office_admin, allowed_region_ids={zhejiang.pk}
        )


def test_it_records_the_import_in_the_audit_history(imported_plan, office_admin):
    entry = LogEntry.objects.get_for_object(imported_plan).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == office_admin
    assert entry.timestamp is not None
    assert entry.additional_data["import"]["file_name"] == "zhejiang_2017.txt"
    assert entry.additional_data["import"]["tasks"] == 12


def test_it_imports_without_a_user_from_the_command_line(sample_plan_bytes):
    result = plan_import_confirm(data=sample_plan_bytes, file_name="zhejiang_2017.txt", importer=None)
    assert result.plans[0].source.imported_by is None


def test_it_raises_a_readable_error_for_a_file_without_a_plan(office_admin):
    with pytest.raises(PlanImportError, match="未找到任何行动计划"):
        plan_import_confirm(data="只是一段话。".encode(), file_name="x.txt", importer=office_admin)
    assert not PlanSource.objects.exists()
