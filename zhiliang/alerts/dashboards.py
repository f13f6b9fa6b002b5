"""Read side of the office dashboard: completion and traffic lights per section, unit and city.

Every figure is one aggregate query (``values().annotate(Count(..., filter=...))``), so the page
costs the same handful of queries for 10 work items or 10,000.

Traffic lights (shown as the legend on the page):

- red: overdue (a report or the final report is owed and its date has passed), returned, or
  closed as not achieved;
- amber: not red, not closed, and either the item is due within 14 days with no accepted report
  yet, or its latest accepted report puts a target more than 20% short of its value (for "不超过"
  targets: more than 20% over);
- green: everything else (on track, or closed as achieved).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from zhiliang.plans.models import Comparator, Plan
from zhiliang.regions.models import Region, RegionLevel
from zhiliang.supervision.models import (
    CloseOutcome,
    DisplayStatus,
    ProgressReport,
    ReportStatus,
    TargetProgress,
    WorkItem,
    WorkItemStatus,
)

AMBER_DAYS = 14
LIST_LIMIT = 50
GAP = Decimal("0.2")
LIGHTS = ("red", "amber", "green")


def accepted_report_exists() -> Exists:
    return Exists(ProgressReport.objects.filter(work_item=OuterRef("pk"), status=ReportStatus.ACCEPTED))


def target_gap_exists() -> Exists:
    """The item's latest accepted report has a target more than 20% off (whole-target rows only)."""
    latest = (
        ProgressReport.objects.filter(work_item=OuterRef(OuterRef("pk")), status=ReportStatus.ACCEPTED)
        .order_by("-report_due__due_on", "-pk")
        .values("pk")[:1]
    )
    dec = DecimalField(max_digits=18, decimal_places=4)
    low = ExpressionWrapper(F("target__value") * Value(1 - GAP, output_field=dec), output_field=dec)
    high = ExpressionWrapper(F("target__value") * Value(1 + GAP, output_field=dec), output_field=dec)
    short = TargetProgress.objects.filter(report=Subquery(latest), breakdown__isnull=True).annotate(
        low=low, high=high
    )
    return Exists(
        short.filter(
            Q(target__comparator=Comparator.LTE, actual__gt=F("high"))
            | (~Q(target__comparator=Comparator.LTE) & Q(target__value__gt=0, actual__lt=F("low")))
        )
    )


def with_light(items: QuerySet[WorkItem], *, on: datetime.date) -> QuerySet[WorkItem]:
    """Annotate ``light`` ("red" / "amber" / "green") and ``is_done`` on work items."""
    soon = on + datetime.timedelta(days=AMBER_DAYS)
    closed = Q(status=WorkItemStatus.CLOSED)
    return items.annotate(
        has_accepted=accepted_report_exists(),
        has_gap=target_gap_exists(),
        light=Case(
            When(closed & Q(close_outcome=CloseOutcome.ACHIEVED), then=Value("green")),
            When(closed, then=Value("red")),
            When(status=WorkItemStatus.RETURNED, then=Value("red")),
            When(next_due_on__lt=on, then=Value("red")),
            When(Q(due_date__lte=soon, has_accepted=False) | Q(has_gap=True), then=Value("amber")),
            default=Value("green"),
            output_field=CharField(),
        ),
    )


def _counts(on: datetime.date) -> dict:
    """Counts per group; red / amber / green come from grouping by ``light`` (see ``_light_counts``).

    Grouping by the light (instead of three ``Count(filter=Q(light=...))``) puts its CASE and
    subqueries into the SQL once, not three times over.
    """
    done = Q(status=WorkItemStatus.CLOSED, close_outcome=CloseOutcome.ACHIEVED)
    return {
        "total": Count("pk"),
        "done": Count("pk", filter=done),
        "overdue": Count("pk", filter=Q(next_due_on__lt=on) & ~Q(status=WorkItemStatus.CLOSED)),
        "returned": Count("pk", filter=Q(status=WorkItemStatus.RETURNED)),
    }


def _light_counts(groups: list[dict]) -> list[dict]:
    """Give each group (one light each) its red / amber / green counts."""
    for g in groups:
        for light in LIGHTS:
            g[light] = g["total"] if g["light"] == light else 0
    return groups


@dataclass
class Row:
    key: object
    label: str
    total: int
    done: int
    overdue: int
    returned: int
    red: int
    amber: int
    green: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def city_expression() -> Case:
    """The city an item's unit belongs to: its own region if a city, its parent if a county."""
    return Case(
        When(organisation__region__level=RegionLevel.CITY, then=F("organisation__region_id")),
        When(organisation__region__level=RegionLevel.COUNTY, then=F("organisation__region__parent_id")),
        default=Value(None),
        output_field=IntegerField(),
    )


COUNT_KEYS = ("total", "done", "overdue", "returned", "red", "amber", "green")


def _rollup(groups: list[dict], key: str, label_of) -> list[Row]:  # noqa: ANN001
    """Sum the finest groups up to one dimension (the counts themselves come from the database)."""
    rows: dict[object, Row] = {}
    for g in groups:
        k = g[key]
        if k not in rows:
            rows[k] = Row(key=k, label=label_of(g), **dict.fromkeys(COUNT_KEYS, 0))
        row = rows[k]
        for c in COUNT_KEYS:
            setattr(row, c, getattr(row, c) + g[c])
    return list(rows.values())


def office_dashboard(*, plan: Plan, on: datetime.date) -> dict:
    """Everything the office dashboard shows for *plan* (the caller has checked the office oversees it).

    One aggregate query grouped by (section, unit, city, light) gives every count; sections, units, cities
    and totals are sums over those few groups (at most tasks × units, usually far fewer).
    """
    base = with_light(WorkItem.objects.for_plan(plan), on=on).annotate(city=city_expression()).order_by()
    groups = list(
        base.values(
            "task__section_id",
            "task__section__number",
            "task__section__label",
            "task__section__title",
            "organisation_id",
            "organisation__name",
            "city",
            "light",
        ).annotate(**_counts(on))
    )
    _light_counts(groups)
    names = dict(
        Region.objects.filter(pk__in={g["city"] for g in groups if g["city"]}).values_list("pk", "name")
    )
    provincial = "省级部门"
    sections = sorted(
        _rollup(
            groups,
            "task__section_id",
            lambda r: f"{r['task__section__label']}{r['task__section__title']}".strip()
            or f"第{r['task__section__number']}部分",
        ),
        key=lambda r: next(g["task__section__number"] for g in groups if g["task__section_id"] == r.key),
    )
    units = sorted(
        _rollup(groups, "organisation_id", lambda r: r["organisation__name"]), key=lambda r: r.label
    )
    cities = sorted(
        _rollup(groups, "city", lambda r: names.get(r["city"], provincial) if r["city"] else provincial),
        key=lambda r: (r.key is None, r.key or 0),
    )
    totals = {c: sum(g[c] for g in groups) for c in COUNT_KEYS}
    flagged = list(
        WorkItem.objects.for_plan(plan)
        .with_display_status(on=on)
        .filter(display_status_code__in=(DisplayStatus.OVERDUE, DisplayStatus.RETURNED))
        .select_related("task__section", "organisation")
        .order_by("next_due_on", "due_date", "pk")
    )
    # The lists show the most urgent LIST_LIMIT of each; the counts above are complete.
    overdue = [i for i in flagged if i.display_status_code == DisplayStatus.OVERDUE][:LIST_LIMIT]
    returned = [i for i in flagged if i.display_status_code == DisplayStatus.RETURNED][:LIST_LIMIT]
    chart = {
        "lights": {k: totals[k] for k in LIGHTS},
        "labels": {"red": "红灯", "amber": "黄灯", "green": "绿灯"},
        "groups": {
            name: {
                "labels": [r.label for r in rows],
                "done": [r.done for r in rows],
                "red": [r.red for r in rows],
                "amber": [r.amber for r in rows],
                "green": [r.green for r in rows],
                "percent": [r.percent for r in rows],
            }
            for name, rows in (("section", sections), ("unit", units), ("city", cities))
        },
    }
    return {
        "totals": totals,
        "percent": round(100 * totals["done"] / totals["total"]) if totals["total"] else 0,
        "sections": sections,
        "units": units,
        "cities": cities,
        "overdue": overdue,
        "returned": returned,
        "chart": chart,
        "amber_days": AMBER_DAYS,
        "gap_percent": round(GAP * 100),
    }


def office_plans(items: QuerySet[WorkItem], *, on: datetime.date) -> list[dict]:
    """Issued plans the user oversees, with totals (one query)."""
    rows = (
        items.order_by()
        .values("task__plan_id", "task__plan__title", "task__plan__year", "task__plan__region__name")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=WorkItemStatus.CLOSED, close_outcome=CloseOutcome.ACHIEVED)),
            overdue=Count("pk", filter=Q(next_due_on__lt=on) & ~Q(status=WorkItemStatus.CLOSED)),
        )
        .order_by("-task__plan__year", "task__plan__region__name", "task__plan__title")
    )
    return list(rows)
