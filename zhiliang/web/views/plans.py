"""Plan pages: the list, one plan's structure, and its source text."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhiliang.accounts.access import can_review_units
from zhiliang.plans.models import Assignment, Measure, Plan, Role, Section, Target, TargetBreakdown, Task
from zhiliang.web.forms import PlanFilterForm
from zhiliang.web.views import get_visible_plan, is_fragment_request, vary_on_htmx, visible_plans

PLANS_PER_PAGE = 25
ROLE_ORDER = {Role.LEAD: 0, Role.ASSIST: 1, Role.SHARED: 2}


@require_GET
@login_required
def plans_list(request: HttpRequest) -> HttpResponse:
    plans = visible_plans(request)
    form = PlanFilterForm(request.GET or None, plans=plans)
    filtered = (
        form.filter(plans)
        .with_counts()
        .select_related("region", "source", "source__imported_by")
        .order_by("-year", "region__code", "title", "pk")
    )
    page = Paginator(filtered, PLANS_PER_PAGE).get_page(request.GET.get("page"))

    ctx = {"form": form, "page": page, "plans": page.object_list, "filtered": form.is_bound}
    template = "plans/list.html#plan-table" if is_fragment_request(request) else "plans/list.html"
    return vary_on_htmx(render(request, template, ctx))


def _plan_structure_queryset():
    """Everything the plan page shows, in a fixed number of queries whatever the plan's size."""
    assignments = Assignment.objects.select_related("department").order_by("measure_id", "order", "pk")
    breakdown = Prefetch(
        "breakdown", queryset=TargetBreakdown.objects.select_related("region").order_by("pk")
    )
    tasks = Task.objects.order_by("number").prefetch_related(
        Prefetch("measures", queryset=Measure.objects.order_by("order")),
        Prefetch("assignments", queryset=assignments),
        Prefetch("targets", queryset=Target.objects.order_by("order").prefetch_related(breakdown)),
        "deadlines",
    )
    sections = Section.objects.order_by("number").prefetch_related(Prefetch("tasks", queryset=tasks))
    return Plan.objects.select_related("region", "source", "source__imported_by").prefetch_related(
        Prefetch("sections", queryset=sections)
    )


@dataclass
class RoleGroup:
    role: str
    label: str
    assignments: list[Assignment]


def group_by_role(assignments: list[Assignment]) -> list[RoleGroup]:
    """Assignments grouped lead → assist → shared, one entry per unit within a group."""
    groups: dict[str, list[Assignment]] = {}
    seen: set[tuple[str, object]] = set()
    for a in assignments:
        key = (a.role, a.department_id or a.name)
        if key in seen:
            continue
        seen.add(key)
        groups.setdefault(a.role, []).append(a)
    return [
        RoleGroup(role, Role(role).label if role in Role.values else role, items)
        for role, items in sorted(groups.items(), key=lambda kv: ROLE_ORDER.get(kv[0], 9))
    ]


@require_GET
@login_required
def plans_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_plan(request, pk, _plan_structure_queryset())
    sections = list(plan.sections.all())
    for section in sections:
        for task in section.tasks.all():
            by_measure: dict[int | None, list[Assignment]] = {}
            for a in task.assignments.all():
                by_measure.setdefault(a.measure_id, []).append(a)
            task.role_groups = group_by_role(by_measure.get(None, []))
            task.measure_list = list(task.measures.all())
            for measure in task.measure_list:
                measure.role_groups = group_by_role(by_measure.get(measure.pk, []))
            task.unresolved_names = sorted(
                {a.name for a in task.assignments.all() if a.department_id is None}
            )

    ctx = {
        "plan": plan,
        "sections": sections,
        "task_count": sum(len(s.tasks.all()) for s in sections),
        "can_review": can_review_units(request.user),
        "export_formats": [("xlsx", "Excel"), ("json", "JSON"), ("md", "Markdown")],
    }
    return render(request, "plans/detail.html", ctx)


@dataclass
class SourceSegment:
    text: str
    task: Task | None = None


def source_segments(text: str, tasks: list[Task]) -> list[SourceSegment]:
    """Cut the source text into plain runs and task spans (overlapping or bad spans are skipped)."""
    segments: list[SourceSegment] = []
    cursor = 0
    spans = sorted(
        (t for t in tasks if t.source_start is not None and t.source_end is not None),
        key=lambda t: (t.source_start, t.number),
    )
    for task in spans:
        start, end = task.source_start, min(task.source_end, len(text))
        if start < cursor or end <= start:
            continue
        if start > cursor:
            segments.append(SourceSegment(text[cursor:start]))
        segments.append(SourceSegment(text[start:end], task))
        cursor = end
    if cursor < len(text):
        segments.append(SourceSegment(text[cursor:]))
    return segments


@require_GET
@login_required
def plans_source(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_plan(request, pk, Plan.objects.select_related("source", "region"))
    tasks = list(plan.tasks.only("pk", "plan_id", "number", "label", "title", "source_start", "source_end"))
    segments = source_segments(plan.source.text, tasks)
    located = {seg.task.pk for seg in segments if seg.task is not None}
    ctx = {
        "plan": plan,
        "segments": segments,
        "tasks": tasks,
        "unlocated": [t for t in tasks if t.pk not in located],
    }
    return render(request, "plans/source.html", ctx)
