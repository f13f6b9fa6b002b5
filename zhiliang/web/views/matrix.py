"""The responsibility matrix of one plan: tasks × units, with 牵/配/共 marks."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from zhiliang.departments.models import Department
from zhiliang.plans.models import Assignment, Plan, Role, Section, Task
from zhiliang.web.forms import MatrixFilterForm
from zhiliang.web.views import get_visible_plan, is_fragment_request, vary_on_htmx

ROLES = [Role.LEAD, Role.ASSIST, Role.SHARED]
MARKS = {Role.LEAD: "牵", Role.ASSIST: "配", Role.SHARED: "共"}


@dataclass
class Unit:
    """One column: a department, or an unresolved name standing on its own."""

    key: str
    name: str
    department: Department | None = None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys([*ROLES, "total"], 0))

    @property
    def resolved(self) -> bool:
        return self.department is not None

    def matches(self, needle: str) -> bool:
        needle = needle.casefold()
        haystack = [self.name]
        if self.department is not None:
            haystack += [self.department.code, self.department.canonical_name]
        return any(needle in h.casefold() for h in haystack)


@dataclass
class Cell:
    roles: list[str]

    @property
    def marks(self) -> list[tuple[str, str, str]]:
        return [(r, MARKS[r], Role(r).label) for r in self.roles]


@dataclass
class Row:
    task: Task
    cells: list[Cell | None]


def unit_of(a: Assignment) -> tuple[str, str, Department | None]:
    if a.department_id is not None:
        return f"d{a.department_id}", a.department.canonical_name, a.department
    return f"n:{a.name}", a.name, None


def build_matrix(tasks: list[Task], options: dict) -> tuple[list[Unit], list[Row]]:
    """Columns, rows and per-unit counts after the role and unit filters; sorted as asked."""
    units: dict[str, Unit] = {}
    roles_by_task: dict[int, dict[str, set[str]]] = {}
    names_by_key: dict[str, set[str]] = {}
    for task in tasks:
        per_unit = roles_by_task.setdefault(task.pk, {})
        for a in task.assignments.all():
            if options["role"] and a.role != options["role"]:
                continue
            key, name, department = unit_of(a)
            units.setdefault(key, Unit(key, name, department))
            names_by_key.setdefault(key, set()).add(a.name)
            per_unit.setdefault(key, set()).add(a.role)

    if options["unit"]:
        needle = options["unit"]
        units = {
            k: u
            for k, u in units.items()
            if u.matches(needle) or any(needle.casefold() in n.casefold() for n in names_by_key[k])
        }

    rows_tasks = tasks
    if options["role"] or options["unit"]:
        rows_tasks = [t for t in tasks if any(k in units for k in roles_by_task[t.pk])]

    for task in rows_tasks:
        for key, roles in roles_by_task[task.pk].items():
            if key not in units:
                continue
            counts = units[key].counts
            counts["total"] += 1
            for r in roles:
                counts[r] += 1

    columns = list(units.values())
    if options["unit_sort"] == "name":
        columns.sort(key=lambda u: (not u.resolved, u.name))
    else:
        first, second = ("total", Role.LEAD) if options["unit_sort"] == "total" else (Role.LEAD, "total")
        columns.sort(key=lambda u: (-u.counts[first], -u.counts[second], not u.resolved, u.name))

    rows_tasks = sorted(rows_tasks, key=lambda t: t.number, reverse=options["task_sort"] == "-number")
    rows = []
    for task in rows_tasks:
        per_unit = roles_by_task[task.pk]
        cells = []
        for unit in columns:
            roles = per_unit.get(unit.key)
            cells.append(Cell([r for r in ROLES if r in roles]) if roles else None)
        rows.append(Row(task, cells))
    return columns, rows


@require_GET
@login_required
def plans_matrix(request: HttpRequest, pk: int) -> HttpResponse:
    assignments = Assignment.objects.select_related("department").order_by("order", "pk")
    tasks_qs = Task.objects.order_by("number").prefetch_related(Prefetch("assignments", queryset=assignments))
    plan = get_visible_plan(
        request,
        pk,
        Plan.objects.select_related("region").prefetch_related(
            Prefetch("sections", queryset=Section.objects.order_by("number")),
            Prefetch("tasks", queryset=tasks_qs),
        ),
    )
    sections = list(plan.sections.all())
    form = MatrixFilterForm(request.GET or None, sections=sections)
    options = form.options()
    tasks = list(plan.tasks.all())
    if options["section"]:
        tasks = [t for t in tasks if t.section_id == options["section"]]
    columns, rows = build_matrix(tasks, options)

    ctx = {
        "plan": plan,
        "form": form,
        "options": options,
        "columns": columns,
        "rows": rows,
        "legend": [(r, MARKS[r], Role(r).label) for r in ROLES],
        "footer": [
            (key, label, [u.counts[key] for u in columns])
            for key, label in [("total", _("任务合计")), *((r, Role(r).label) for r in ROLES)]
        ],
    }
    template = "plans/matrix.html#matrix-table" if is_fragment_request(request) else "plans/matrix.html"
    return vary_on_htmx(render(request, template, ctx))
