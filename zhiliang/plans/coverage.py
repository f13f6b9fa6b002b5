"""Read side of decomposition: how far the areas below have decomposed a plan (覆盖情况).

``plan_coverage`` answers, for the office, in a fixed number of queries:

* which parent tasks each city (or county) has not decomposed (未分解);
* which local time limits are later than the parent's (时限晚于上级): a local task's latest dated
  limit compared with its parent task's latest one;
* which local targets still wait for their share (目标未分配);
* which targets' allocations to the areas do not add up to the plan's figure. Rates (合格率 93%)
  apply to every area as they are and are not summed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from zhiliang.plans.decomposition import effective_allocations
from zhiliang.plans.models import Deadline, Plan, Target, TargetAllocation, Task
from zhiliang.regions.models import Region

DECOMPOSED = "decomposed"
UNDECOMPOSED = "undecomposed"
LATE = "late"
UNALLOCATED = "unallocated"
MARK_LABELS = {
    DECOMPOSED: "已分解",
    UNDECOMPOSED: "未分解",
    LATE: "时限晚于上级",
    UNALLOCATED: "目标未分配",
}


def latest_date(deadlines) -> datetime.date | None:
    dates = [d.date for d in deadlines if d.date is not None and not d.recurring]
    return max(dates) if dates else None


def is_late(child_deadlines, parent_deadlines) -> bool:
    """Does the local task end later than the task it decomposes?"""
    child, parent = latest_date(child_deadlines), latest_date(parent_deadlines)
    return child is not None and parent is not None and child > parent


@dataclass
class CoverageCell:
    task: Task  # the parent task
    children: list[Task]
    marks: list[str]  # UNDECOMPOSED, or DECOMPOSED plus any of LATE, UNALLOCATED

    @property
    def status(self) -> str:
        """The worst mark: what the cell is coloured by."""
        for mark in (UNDECOMPOSED, LATE, UNALLOCATED):
            if mark in self.marks:
                return mark
        return DECOMPOSED

    @property
    def labels(self) -> list[str]:
        return [MARK_LABELS[m] for m in self.marks]


@dataclass
class CoverageRow:
    region: Region
    plans: list[Plan]  # the area's plans under this one (usually one)
    cells: list[CoverageCell]
    local_tasks: int = 0

    def count(self, mark: str) -> int:
        return sum(mark in c.marks for c in self.cells)

    @property
    def decomposed(self) -> int:
        return self.count(DECOMPOSED)

    @property
    def undecomposed(self) -> int:
        return self.count(UNDECOMPOSED)

    @property
    def late(self) -> int:
        return self.count(LATE)

    @property
    def unallocated(self) -> int:
        return self.count(UNALLOCATED)


@dataclass
class AreaShare:
    region: Region
    value: Decimal | None  # None: no share yet
    allocated_by_office: bool = False


@dataclass
class TargetGap:
    target: Target
    shares: list[AreaShare]
    total: Decimal

    @property
    def difference(self) -> Decimal:
        """Sum of the areas' shares minus the plan's figure (negative: not everything shared out)."""
        return self.total - self.target.value

    @property
    def missing(self) -> list[Region]:
        return [s.region for s in self.shares if s.value is None]


@dataclass
class Coverage:
    plan: Plan
    regions: list[Region]
    tasks: list[Task]
    rows: list[CoverageRow]
    target_gaps: list[TargetGap]
    targets: list[Target] = field(default_factory=list)  # countable targets of the plan (shareable)

    def total(self, mark: str) -> int:
        return sum(r.count(mark) for r in self.rows)


def plan_coverage(*, plan: Plan) -> Coverage:
    """Coverage of *plan* by the areas directly below its region (cities of a province, …)."""
    regions = list(Region.objects.filter(parent_id=plan.region_id).order_by("code")) if plan.region_id else []
    region_ids = {r.pk for r in regions}
    deadlines = Deadline.objects.order_by("order")
    parent_tasks = list(
        plan.tasks.order_by("number").prefetch_related(
            Prefetch("deadlines", queryset=deadlines),
            Prefetch("targets", queryset=Target.objects.order_by("order")),
        )
    )
    child_plans = list(
        Plan.objects.filter(parent=plan, region_id__in=region_ids)
        .select_related("region")
        .order_by("region__code", "pk")
    )
    child_tasks = list(
        Task.objects.filter(plan__in=child_plans)
        .order_by("plan_id", "number")
        .prefetch_related(Prefetch("deadlines", queryset=deadlines), "targets")
    )
    plan_region = {p.pk: p.region_id for p in child_plans}
    children_of: dict[tuple[int, int], list[Task]] = {}
    local_count: dict[int, int] = {}
    for t in child_tasks:
        region_id = plan_region[t.plan_id]
        if t.parent_id is None:
            local_count[region_id] = local_count.get(region_id, 0) + 1
        else:
            children_of.setdefault((region_id, t.parent_id), []).append(t)

    rows = []
    for region in regions:
        cells = []
        for task in parent_tasks:
            children = children_of.get((region.pk, task.pk), [])
            if not children:
                cells.append(CoverageCell(task=task, children=[], marks=[UNDECOMPOSED]))
                continue
            marks = [DECOMPOSED]
            parent_deadlines = list(task.deadlines.all())
            if any(is_late(list(c.deadlines.all()), parent_deadlines) for c in children):
                marks.append(LATE)
            if any(not g.allocated for c in children for g in c.targets.all()):
                marks.append(UNALLOCATED)
            cells.append(CoverageCell(task=task, children=children, marks=marks))
        rows.append(
            CoverageRow(
                region=region,
                plans=[p for p in child_plans if p.region_id == region.pk],
                cells=cells,
                local_tasks=local_count.get(region.pk, 0),
            )
        )

    countable = [g for t in parent_tasks for g in t.targets.all() if not g.is_rate]
    shares = effective_allocations(countable, region_ids)
    by_office = set(
        TargetAllocation.objects.filter(target__in=countable, region_id__in=region_ids).values_list(
            "target_id", "region_id"
        )
    )
    gaps = []
    for target in countable:
        area_shares = [
            AreaShare(
                region=r,
                value=shares.get((target.pk, r.pk)),
                allocated_by_office=(target.pk, r.pk) in by_office,
            )
            for r in regions
        ]
        total = sum((s.value for s in area_shares if s.value is not None), Decimal(0))
        if total != target.value:
            gaps.append(TargetGap(target=target, shares=area_shares, total=total))
    return Coverage(
        plan=plan, regions=regions, tasks=parent_tasks, rows=rows, target_gaps=gaps, targets=countable
    )
