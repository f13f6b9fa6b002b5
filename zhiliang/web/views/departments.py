"""The department registry and one department's tasks across the plans the user can see."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from zhiliang.accounts.access import visible_region_ids
from zhiliang.departments.models import Department
from zhiliang.plans.models import Assignment, Role, Task
from zhiliang.web.forms import DepartmentFilterForm
from zhiliang.web.views import is_fragment_request, vary_on_htmx

ROLES = [Role.LEAD, Role.ASSIST, Role.SHARED]


def _visible_assignments_q(prefix: str, region_ids: set[int] | None) -> Q:
    """Assignments in plans the user may read; None (every region) still needs a plan region."""
    if region_ids is None:
        return Q()
    return Q(**{f"{prefix}task__plan__region_id__in": region_ids})


@require_GET
@login_required
def departments_list(request: HttpRequest) -> HttpResponse:
    region_ids = visible_region_ids(request.user)
    form = DepartmentFilterForm(request.GET or None)
    departments = Department.objects.annotate(
        task_count=Count(
            "assignments__task",
            filter=_visible_assignments_q("assignments__", region_ids),
            distinct=True,
        )
    ).order_by("code")
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            departments = departments.filter(
                Q(code__icontains=q) | Q(canonical_name__icontains=q) | Q(aliases__name__icontains=q)
            ).distinct()
        if form.cleaned_data["kind"]:
            departments = departments.filter(kind=form.cleaned_data["kind"])

    departments = list(departments)
    # Link a 2018 successor to its own row when the registry has it (one query for all rows).
    codes_by_name = dict(Department.objects.values_list("canonical_name", "code"))
    for d in departments:
        d.successor_code = (
            codes_by_name.get(d.successor_2018) if d.successor_2018 != d.canonical_name else None
        )

    ctx = {"form": form, "departments": departments}
    template = (
        "departments/list.html#department-table" if is_fragment_request(request) else "departments/list.html"
    )
    return vary_on_htmx(render(request, template, ctx))


@dataclass
class TaskRoles:
    task: Task
    roles: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


@require_GET
@login_required
def departments_detail(request: HttpRequest, code: str) -> HttpResponse:
    department = get_object_or_404(Department.objects.prefetch_related("aliases"), code=code)
    region_ids = visible_region_ids(request.user)
    assignments = (
        Assignment.objects.filter(department=department)
        .filter(_visible_assignments_q("", region_ids))
        .select_related("task__plan__region", "task__section")
        .order_by("-task__plan__year", "task__plan__region__code", "task__plan_id", "task__number", "order")
    )
    by_task: dict[int, TaskRoles] = {}
    for a in assignments:
        entry = by_task.setdefault(a.task_id, TaskRoles(a.task))
        if a.role not in entry.roles:
            entry.roles.append(a.role)
        if a.name not in entry.names:
            entry.names.append(a.name)
    # One plan header per group of rows, in the order the query gave.
    plans: list[tuple] = []
    for entry in by_task.values():
        entry.roles.sort(key=ROLES.index)
        if not plans or plans[-1][0].pk != entry.task.plan_id:
            plans.append((entry.task.plan, []))
        plans[-1][1].append(entry)

    counts = {r: sum(1 for e in by_task.values() if r in e.roles) for r in ROLES}
    successor = None
    if department.successor_2018 and department.successor_2018 != department.canonical_name:
        successor = Department.objects.filter(canonical_name=department.successor_2018).first()

    ctx = {
        "department": department,
        "plans": plans,
        "task_total": len(by_task),
        "role_counts": [(r, Role(r).label, counts[r]) for r in ROLES],
        "national_forms": [f for f in department.national_forms.split("|") if f],
        "aliases": list(department.aliases.all()),
        "successor": successor,
    }
    return render(request, "departments/detail.html", ctx)
