"""Suggested links between the tasks of an imported local plan and the tasks of its parent plan.

A city that wrote its own plan (杭州市2017年质量强市建设实施方案) follows the provincial one loosely:
tasks are merged, renumbered and renamed ("开展重点产品质量提升" for "深入开展重点产品质量提升行动").
Each pair is scored on character bigrams of the normalised titles and texts (Jaccard), the
responsible departments both name and the target subjects both set; every pair's score comes with
its reasons, and a user confirms the link (``zhiliang.plans.decomposition.task_link_confirm``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch

from zhiliang.plans.models import Assignment, Plan, Target, Task

# Words that say which government speaks, not what the task is about.
_NOISE_RE = re.compile(
    r"全省|全市|全县|我省|我市|我县|各地|省级|市级|县级|年内|全年|以上|深入|大力|加快|着力|推进|加强"
)
_KEEP_RE = re.compile(r"[\w]+")
_LEVEL_RE = re.compile(r"^省(?:委)?")
TITLE_WEIGHT, TEXT_WEIGHT, UNIT_WEIGHT, TARGET_WEIGHT = 0.5, 0.25, 0.15, 0.10
MIN_SCORE = 0.15


@dataclass(frozen=True)
class Suggestion:
    child_task: Task
    parent_task: Task
    score: float  # 0…1
    reasons: tuple[str, ...] = field(default=())

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def normalise(text: str, places: tuple[str, ...] = ()) -> str:
    """Letters and digits only, without place names and the words every plan repeats."""
    for place in places:
        if place:
            text = text.replace(place, "")
    text = _NOISE_RE.sub("", text)
    return "".join(_KEEP_RE.findall(text)).replace("_", "")


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text} - {""}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass
class _Features:
    task: Task
    title: set[str]
    text: set[str]
    departments: dict[int, str]
    subjects: set[str]


def _places(plan: Plan) -> tuple[str, ...]:
    region = plan.region
    if region is None:
        return (plan.region_name,)
    return (region.name, region.short_name)


def _features(plan: Plan) -> list[_Features]:
    places = _places(plan)
    tasks = plan.tasks.order_by("number").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(measure__isnull=True, department__isnull=False).select_related(
                "department"
            ),
            to_attr="owner_rows",
        ),
        Prefetch("targets", queryset=Target.objects.only("pk", "task_id", "subject"), to_attr="target_rows"),
    )
    return [
        _Features(
            task=t,
            title=bigrams(normalise(t.title, places)),
            text=bigrams(normalise(t.text, places)),
            departments={
                a.department_id: _LEVEL_RE.sub("", a.department.canonical_name) for a in t.owner_rows
            },
            subjects={normalise(g.subject) for g in t.target_rows if g.subject},
        )
        for t in tasks
    ]


def _score(child: _Features, parent: _Features) -> tuple[float, tuple[str, ...]]:
    title = jaccard(child.title, parent.title)
    text = jaccard(child.text, parent.text)
    shared_units = sorted(set(child.departments) & set(parent.departments))
    units = len(shared_units) / len(set(child.departments) | set(parent.departments)) if shared_units else 0.0
    shared_subjects = sorted(child.subjects & parent.subjects)
    targets = 1.0 if shared_subjects else 0.0
    score = TITLE_WEIGHT * title + TEXT_WEIGHT * text + UNIT_WEIGHT * units + TARGET_WEIGHT * targets
    reasons = [f"标题相似度 {title:.0%}", f"正文相似度 {text:.0%}"]
    if shared_units:
        reasons.append("共同责任部门：" + "、".join(child.departments[d] for d in shared_units))
    if shared_subjects:
        reasons.append("共同指标：" + "、".join(shared_subjects))
    return min(score, 1.0), tuple(reasons)


def plan_match_suggestions(*, child_plan: Plan, parent_plan: Plan) -> list[Suggestion]:
    """One suggested parent task per task of *child_plan* (best first, each parent task used once).

    Pairs score below ``MIN_SCORE`` are not suggested. Tasks already linked keep their link and
    are left out, as are the parent tasks they use. Sorted by the child task's number.
    """
    children = [f for f in _features(child_plan) if f.task.parent_id is None]
    linked = set(child_plan.tasks.filter(parent__isnull=False).values_list("parent_id", flat=True))
    parents = [f for f in _features(parent_plan) if f.task.pk not in linked]
    scored = []
    for c in children:
        for p in parents:
            score, reasons = _score(c, p)
            if score >= MIN_SCORE:
                scored.append((score, c.task.number, p.task.number, c, p, reasons))
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    taken_children: set[int] = set()
    taken_parents: set[int] = set()
    suggestions = []
    for score, _cn, _pn, c, p, reasons in scored:
        if c.task.pk in taken_children or p.task.pk in taken_parents:
            continue
        taken_children.add(c.task.pk)
        taken_parents.add(p.task.pk)
        suggestions.append(
            Suggestion(child_task=c.task, parent_task=p.task, score=round(score, 3), reasons=reasons)
        )
    return sorted(suggestions, key=lambda s: s.child_task.number)
