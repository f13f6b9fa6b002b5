"""Rebuild the parser's contract JSON (contracts/plan-json.md) from the database.

Exports (JSON, Markdown, xlsx) and the API read plans through here, so a stored plan looks exactly
like the parser's output. Queries are constant per call, whatever the size of the plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from zhiliang.plans.models import Assignment, Measure, Plan, Section, SectionKind, Target, Task

Contract = dict[str, Any]


def _number(value: Decimal) -> int | float:
    """Decimal('22.0000') → 22, Decimal('93.5000') → 93.5 (the contract's JSON numbers)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _none_if_blank(value: str) -> str | None:
    return value or None


def contract_queryset(queryset: QuerySet[Plan] | None = None) -> QuerySet[Plan]:
    """Plans with everything plan_to_contract reads, prefetched (eight queries in all)."""
    queryset = Plan.objects.all() if queryset is None else queryset
    assignments = Assignment.objects.select_related("department").order_by("order", "pk")
    return queryset.select_related("source", "region").prefetch_related(
        Prefetch("sections", queryset=Section.objects.order_by("number")),
        Prefetch(
            "sections__tasks",
            queryset=Task.objects.order_by("number").prefetch_related(
                Prefetch("measures", queryset=Measure.objects.order_by("order")),
                Prefetch("assignments", queryset=assignments),
                Prefetch("targets", queryset=Target.objects.order_by("order").prefetch_related("breakdown")),
                "deadlines",
            ),
        ),
    )


def _responsible(assignment: Assignment) -> Contract:
    return {
        "name": assignment.name,
        "role": assignment.role,
        "department": assignment.department.code if assignment.department_id else None,
    }


def _target(target: Target) -> Contract:
    return {
        "text": target.text,
        "subject": target.subject,
        "value": _number(target.value),
        "unit": target.unit,
        "comparator": target.comparator,
        "breakdown": [
            {"region": b.region_name, "value": _number(b.value)}
            for b in sorted(target.breakdown.all(), key=lambda b: b.pk)
        ],
    }


def _task(task: Task) -> Contract:
    assignments = list(task.assignments.all())
    by_measure: dict[int, list[Contract]] = {}
    for a in assignments:
        if a.measure_id is not None:
            by_measure.setdefault(a.measure_id, []).append(_responsible(a))
    return {
        "number": task.number,
        "label": task.label,
        "title": task.title,
        "text": task.text,
        "measures": [{"text": m.text, "responsible": by_measure.get(m.pk, [])} for m in task.measures.all()],
        "responsible": [_responsible(a) for a in assignments if a.measure_id is None],
        "targets": [_target(t) for t in task.targets.all()],
        "deadlines": [
            {"text": d.text, "date": d.date.isoformat() if d.date else None, "recurring": d.recurring}
            for d in sorted(task.deadlines.all(), key=lambda d: d.order)
        ],
    }


def _section(section: Section) -> Contract:
    data: Contract = {
        "number": section.number,
        "label": section.label,
        "title": section.title,
        "kind": section.kind,
        "tasks": [_task(t) for t in section.tasks.all()],
    }
    if section.kind != SectionKind.TASKS:
        data["text"] = section.text
    return data


def _plan(plan: Plan) -> Contract:
    return {
        "source": plan.source.file_name,
        "title": _none_if_blank(plan.title),
        "notice_title": _none_if_blank(plan.notice_title),
        "issuer": _none_if_blank(plan.issuer),
        "doc_number": _none_if_blank(plan.doc_number),
        "date": plan.date.isoformat() if plan.date else None,
        "year": plan.year,
        "region": _none_if_blank(plan.region_name),
        "level": _none_if_blank(plan.level),
        "basis": list(plan.basis),
        "sections": [_section(s) for s in plan.sections.all()],
        "duplicates_removed": plan.duplicates_removed,
        "warnings": list(plan.warnings),
    }


def plan_to_contract(plan: Plan) -> Contract:
    """The contract dict of one stored plan (re-read with prefetching: constant queries)."""
    return _plan(contract_queryset(Plan.objects.filter(pk=plan.pk)).get())


def plans_to_contract(plans: QuerySet[Plan] | Iterable[Plan]) -> list[Contract]:
    """Contract dicts of many plans, in the queryset's order, with the same constant query count."""
    if not isinstance(plans, QuerySet):
        ids = [p.pk for p in plans]
        by_id = {p.pk: p for p in contract_queryset(Plan.objects.filter(pk__in=ids))}
        return [_plan(by_id[i]) for i in ids if i in by_id]
    return [_plan(p) for p in contract_queryset(plans)]
