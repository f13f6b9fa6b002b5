"""Output shapes of the read API. Plain field mapping only: scoping and filtering live in the views."""

from __future__ import annotations

from rest_framework import serializers

from zhiliang.departments.models import Department
from zhiliang.plans.models import (
    Assignment,
    Deadline,
    Measure,
    Plan,
    Section,
    Target,
    TargetBreakdown,
    Task,
)
from zhiliang.plans.models import Role as AssignmentRole
from zhiliang.regions.models import Region, RegionLevel


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level"]


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        fields = ["id", "order", "text"]


class AssignmentSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="部门代码；未识别时为 null"
    )
    department_name = serializers.CharField(
        source="department.canonical_name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="部门规范名称",
    )
    measure = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="责任说明附在某条措施后时，该措施的 id；否则为 null"
    )

    class Meta:
        model = Assignment
        fields = ["name", "role", "department", "department_name", "resolved_by", "measure"]


class TargetBreakdownSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_name", help_text="地区（原文）")
    value = serializers.DecimalField(max_digits=18, decimal_places=4, coerce_to_string=False)

    class Meta:
        model = TargetBreakdown
        fields = ["region", "value"]


class TargetSerializer(serializers.ModelSerializer):
    value = serializers.DecimalField(max_digits=18, decimal_places=4, coerce_to_string=False)
    breakdown = TargetBreakdownSerializer(many=True, read_only=True)

    class Meta:
        model = Target
        fields = ["text", "subject", "value", "unit", "comparator", "breakdown"]


class DeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deadline
        fields = ["text", "date", "recurring"]


class TaskBodySerializer(serializers.ModelSerializer):
    """A task with its measures, assignments (responsible units), targets and deadlines."""

    measures = MeasureSerializer(many=True, read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)
    targets = TargetSerializer(many=True, read_only=True)
    deadlines = DeadlineSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "number", "label", "title", "text", "measures", "assignments", "targets", "deadlines"]


class SectionRefSerializer(serializers.ModelSerializer):
    # Without `kind`: a task's section is always a `tasks` section (and one `kind` enum per component
    # keeps the schema's enum names unambiguous).
    class Meta:
        model = Section
        fields = ["number", "label", "title"]


class TaskSerializer(TaskBodySerializer):
    plan_title = serializers.CharField(source="plan.display_title", read_only=True)
    section = SectionRefSerializer(read_only=True)

    class Meta(TaskBodySerializer.Meta):
        fields = ["id", "plan", "plan_title", "section", *TaskBodySerializer.Meta.fields[1:]]


class SectionSerializer(serializers.ModelSerializer):
    tasks = TaskBodySerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["number", "label", "title", "kind", "text", "tasks"]


class PlanSerializer(serializers.ModelSerializer):
    region = RegionSerializer(read_only=True, allow_null=True)
    source_file = serializers.CharField(source="source.file_name", read_only=True)
    task_count = serializers.IntegerField(read_only=True, help_text="任务数")
    unresolved_count = serializers.IntegerField(read_only=True, help_text="未识别单位的责任分工数")

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "notice_title",
            "issuer",
            "doc_number",
            "date",
            "year",
            "region",
            "region_name",
            "level",
            "source_file",
            "task_count",
            "unresolved_count",
            "created_at",
        ]


class PlanDetailSerializer(PlanSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "basis", "duplicates_removed", "warnings", "sections"]


class DepartmentSerializer(serializers.ModelSerializer):
    task_count = serializers.IntegerField(read_only=True, help_text="可见计划中由该部门承担的任务数")
    lead_count = serializers.IntegerField(read_only=True, help_text="其中牵头的任务数")
    assist_count = serializers.IntegerField(read_only=True, help_text="其中配合的任务数")
    shared_count = serializers.IntegerField(read_only=True, help_text="其中分工负责的任务数")
    aliases = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True, help_text="别名")

    class Meta:
        model = Department
        fields = [
            "code",
            "kind",
            "canonical_name",
            "national_forms",
            "successor_2018",
            "notes",
            "task_count",
            "lead_count",
            "assist_count",
            "shared_count",
            "aliases",
        ]


# Query-string input (validated, then applied by the views).


class PlanFilterSerializer(serializers.Serializer):
    region = serializers.CharField(required=False, max_length=6, help_text="行政区划代码，如 330000")
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2100, help_text="年度")
    level = serializers.ChoiceField(required=False, choices=RegionLevel.choices, help_text="层级")


class TaskFilterSerializer(serializers.Serializer):
    plan = serializers.IntegerField(required=False, min_value=1, help_text="计划 id")
    department = serializers.CharField(required=False, max_length=32, help_text="部门代码，如 QTS")
    role = serializers.ChoiceField(
        required=False,
        choices=AssignmentRole.choices,
        help_text="角色（与 department 一同使用时须为同一条分工）",
    )
