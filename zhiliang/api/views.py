"""The read API: plans, tasks and departments, each scoped to the regions the user may see."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zhiliang.api.permissions import plans_visible_to, tasks_visible_to, visible_assignment_q
from zhiliang.api.serializers import (
    DepartmentSerializer,
    PlanDetailSerializer,
    PlanFilterSerializer,
    PlanSerializer,
    TaskFilterSerializer,
    TaskSerializer,
)
from zhiliang.departments.models import Department
from zhiliang.plans.contract import plan_to_contract
from zhiliang.plans.models import Assignment, Measure, Role, Section, Target, Task


def _task_body_prefetches() -> list[Prefetch]:
    return [
        Prefetch("measures", queryset=Measure.objects.order_by("order")),
        Prefetch(
            "assignments", queryset=Assignment.objects.select_related("department").order_by("order", "pk")
        ),
        Prefetch("targets", queryset=Target.objects.order_by("order").prefetch_related("breakdown")),
        "deadlines",
    ]


def _filters(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)  # a bad filter is a 400, not an empty list
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(summary="行动计划列表", parameters=[PlanFilterSerializer]),
    retrieve=extend_schema(summary="行动计划详情（含部分与任务）"),
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """行动计划：当前用户可见地区（本级、下级与上级）的计划。

    列表可按 `region`（区划代码）、`year`、`level` 筛选；详情嵌套各部分及其任务（措施、责任分工、
    目标、完成时限）；`contract/` 给出与解析器输出一致的 JSON（见 contracts/plan-json.md）。
    """

    def get_queryset(self):
        plans = plans_visible_to(self.request.user).select_related("region", "source")
        if self.action == "list":
            data = _filters(PlanFilterSerializer, self.request)
            if "region" in data:
                plans = plans.filter(region__code=data["region"])
            if "year" in data:
                plans = plans.filter(year=data["year"])
            if "level" in data:
                plans = plans.filter(level=data["level"])
            return plans.with_counts().order_by("-year", "region__code", "title", "pk")
        if self.action == "retrieve":
            tasks = Task.objects.order_by("number").prefetch_related(*_task_body_prefetches())
            sections = Section.objects.order_by("number").prefetch_related(Prefetch("tasks", queryset=tasks))
            return plans.with_counts().prefetch_related(Prefetch("sections", queryset=sections))
        return plans

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer

    @extend_schema(
        summary="计划的解析器格式 JSON",
        responses={200: OpenApiTypes.OBJECT},
        description="与 `zhiliang parse --format json` 输出的单个计划对象字段一致。",
    )
    @action(detail=True, methods=["get"])
    def contract(self, request: Request, pk: str | None = None) -> Response:
        return Response(plan_to_contract(self.get_object()))


@extend_schema_view(
    list=extend_schema(summary="任务列表", parameters=[TaskFilterSerializer]),
    retrieve=extend_schema(summary="任务详情"),
)
class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """任务：可见计划中的重点任务，各含措施、责任分工（单位、角色、部门代码）、目标与完成时限。

    可按 `plan`（计划 id）、`department`（部门代码）和 `role`（lead / assist / shared）筛选；
    `department` 与 `role` 同时给出时，二者须出自同一条责任分工。
    """

    serializer_class = TaskSerializer

    def get_queryset(self):
        tasks = (
            tasks_visible_to(self.request.user)
            .select_related("plan__source", "section")
            .prefetch_related(*_task_body_prefetches())
            .order_by("plan_id", "number")
        )
        if self.action != "list":
            return tasks
        data = _filters(TaskFilterSerializer, self.request)
        if "plan" in data:
            tasks = tasks.filter(plan_id=data["plan"])
        through = {}
        if "department" in data:
            through["assignments__department__code"] = data["department"]
        if "role" in data:
            through["assignments__role"] = data["role"]
        if through:
            # One filter() call: both conditions hold for the same assignment.
            tasks = tasks.filter(pk__in=Task.objects.filter(**through).values("pk"))
        return tasks


@extend_schema_view(
    list=extend_schema(summary="部门列表"),
    retrieve=extend_schema(summary="部门详情"),
)
class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """部门：departments.csv 中的职能部门（各级政府通用代码），按代码查询。

    每个部门给出在当前用户可见计划中承担的任务数（牵头、配合、分工负责），以及 2018 年机构改革后的
    承继机构 `successor_2018`。
    """

    serializer_class = DepartmentSerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9_]+"

    def get_queryset(self):
        visible = visible_assignment_q(self.request.user)

        def tasks(**role) -> Count:
            role_q = Q(**{f"assignments__{k}": v for k, v in role.items()})
            return Count("assignments__task", distinct=True, filter=visible & role_q)

        departments = Department.objects.annotate(
            task_count=tasks(),
            lead_count=tasks(role=Role.LEAD),
            assist_count=tasks(role=Role.ASSIST),
            shared_count=tasks(role=Role.SHARED),
        )
        return departments.prefetch_related("aliases").order_by("code")
