"""Write paths for decomposition (分解): a city or county derives its plan from the plan one level up.

Every plan ends by telling the governments below to "参照以上工作安排和部门分工…细化任务，明确时限和
要求，逐级落实责任". ``plan_derive`` makes that local plan as a copy of the parent: tasks keep a link to
the task they decompose, provincial units become their local counterparts (省质监局 → 市质监局, same
department code), time limits start at the parent's and numeric targets take the area's share. The
city then edits its copy (``task_edit``, ``target_edit``), adds local tasks (``task_add_local``); the
office shares out targets the parent plan did not break down (``target_allocate``). A city plan
imported from its own document is linked task by task (``task_link_confirm``) after
``zhiliang.plans.matching`` suggested the pairs.

Who may: a city's (or county's) own office administrator or liaison, and the offices above it.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from zhiliang.accounts.access import AnyUser, membership_of, writable_region_ids
from zhiliang.accounts.models import Role as MemberRole
from zhiliang.departments.models import Department
from zhiliang.plans.models import (
    Assignment,
    Deadline,
    Measure,
    Plan,
    PlanOrigin,
    PlanSource,
    ResolvedBy,
    Role,
    Section,
    Target,
    TargetAllocation,
    TargetBreakdown,
    Task,
)
from zhiliang.plans.services import _audit, _clip
from zhiliang.regions.models import Region, RegionLevel

LOCAL_GOVS = "LOCAL_GOVS"
# Who the parent's "各市、县人民政府" are, seen from the level below.
_LOCAL_GOVS_NAME = {
    RegionLevel.CITY: "各区、县（市）人民政府",
    RegionLevel.COUNTY: "各乡镇人民政府、街道办事处",
}
_CN_DIGITS = "零一二三四五六七八九"


class DecompositionError(Exception):
    """A decomposition step that cannot be done; ``str(e)`` is a Chinese message for the user."""


# --------------------------------------------------------------------------- permissions


def decomposable_region_ids(user: AnyUser) -> set[int] | None:
    """Region ids whose plans *user* may derive and edit; None means every region.

    Its own office administrator or liaison (city_liaison of 杭州市 → 杭州市 only) and the quality
    offices above it (浙江省 office → every city and county of 浙江省). Cached on the user.
    """
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return None
    cached = getattr(user, "_zhiliang_decomposable", False)
    if cached is not False:
        return cached
    membership = membership_of(user)
    ids: set[int] = set()
    if membership is not None and membership.role == MemberRole.CITY_LIAISON:
        ids = {membership.organisation.region_id}
    elif membership is not None and membership.role == MemberRole.OFFICE_ADMIN:
        ids = membership.organisation.region.descendant_ids()
    user._zhiliang_decomposable = ids
    return ids


def can_decompose(user: AnyUser, region: Region | None) -> bool:
    """May *user* derive or edit the plan of *region*? (see ``decomposable_region_ids``)"""
    if region is None:
        return False
    ids = decomposable_region_ids(user)
    return ids is None or region.pk in ids


def can_allocate(user: AnyUser, plan: Plan) -> bool:
    """Sharing a plan's targets out to the areas below is its own quality office's call."""
    if plan.region_id is None:
        return False
    allowed = writable_region_ids(user)
    return allowed is None or plan.region_id in allowed


def _require_decompose(user: AnyUser, region: Region | None) -> None:
    if not can_decompose(user, region):
        raise PermissionDenied(_("无权分解或修改该地区的计划"))


def _require_editable(plan: Plan, user: AnyUser) -> None:
    _require_decompose(user, plan.region)
    if plan.parent_id is None and plan.origin != PlanOrigin.DERIVED:
        raise DecompositionError(_("这个计划没有上级计划，不是分解计划"))


# --------------------------------------------------------------------------- naming


def _level_word(region: Region) -> str:
    """市 for 杭州市 and 建德市, 区 for 萧山区, 县 for 桐庐县 (the word local unit names open with)."""
    last = region.name[-1:]
    return last if last in {"市", "区", "县", "旗", "州"} else "市"


def local_unit_name(
    name: str, *, department_code: str | None, parent_region: Region | None, region: Region
) -> str:
    """The local counterpart of a unit named in the plan above, as local plans write it.

    ``省质监局`` → ``市质监局``, ``浙江省经信委`` → ``杭州市经信委``, ``省委宣传部`` → ``市委宣传部``;
    the collective ``各市、县人民政府`` becomes the governments one level further down.
    """
    if department_code == LOCAL_GOVS:
        return _LOCAL_GOVS_NAME.get(region.level, name)
    word = _level_word(region)
    if parent_region is not None:
        for place in (parent_region.name, parent_region.short_name):
            if place and name.startswith(place):
                return region.name + name.removeprefix(place).lstrip("省市")
    for prefix in ("自治区", "省", "市", "县", "区"):
        if name.startswith(prefix):
            return word + name.removeprefix(prefix)
    return name


def _derived_title(parent: Plan, region: Region) -> str:
    title = parent.display_title
    parent_region = parent.region
    replaced = False
    if parent_region is not None:
        for place in (parent_region.name, parent_region.short_name):
            if place and place in title:
                title, replaced = title.replace(place, region.name, 1), True
                break
    if not replaced:
        title = f"{region.name}{title}"
    for level_word in ("省", "市"):
        title = title.replace(f"强{level_word}", f"强{_level_word(region)}")
    return title


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五 (task labels go up to a few dozen)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def derivation_hash(parent: Plan, region: Region) -> str:
    """Content hash of a derived plan's PlanSource: stable for one parent plan and one area."""
    return hashlib.sha256(f"derived:{parent.pk}:{region.code}".encode()).hexdigest()


def _date_text(date: datetime.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日前"


# --------------------------------------------------------------------------- allocations


def effective_allocations(targets: list[Target], region_ids: set[int]) -> dict[tuple[int, int], Decimal]:
    """(target id, region id) → the area's share: the office's allocation, else the plan's breakdown.

    Two queries whatever the number of targets and areas.
    """
    target_ids = [t.pk for t in targets]
    shares: dict[tuple[int, int], Decimal] = {}
    for target_id, region_id, value in TargetBreakdown.objects.filter(
        target_id__in=target_ids, region_id__in=region_ids
    ).values_list("target_id", "region_id", "value"):
        shares[(target_id, region_id)] = shares.get((target_id, region_id), Decimal(0)) + value
    for target_id, region_id, value in TargetAllocation.objects.filter(
        target_id__in=target_ids, region_id__in=region_ids
    ).values_list("target_id", "region_id", "value"):
        shares[(target_id, region_id)] = value
    return shares


# --------------------------------------------------------------------------- derive


def _derive_source(parent: Plan, region: Region, user: User) -> PlanSource:
    content_hash = derivation_hash(parent, region)
    text = _("由《%(title)s》分解：%(region)s") % {"title": parent.display_title, "region": region.name}
    source, _created = PlanSource.objects.get_or_create(
        content_hash=content_hash,
        defaults={
            "file_name": _clip(
                _("分解自：%(title)s") % {"title": parent.display_title}, PlanSource, "file_name"
            ),
            "size": len(text.encode()),
            "encoding": "",
            "format": "derived",
            "text": text,
            "imported_by": user,
        },
    )
    return source


def plan_derive(*, parent: Plan, region: Region, user: User) -> Plan:
    """Derive *region*'s plan from *parent*, the plan of the area one level up; return it.

    Copies sections, tasks (each linked to its parent task), measures and the task-level
    responsible units under their local names (same department), deadlines (so no later than the
    parent's) and targets: a rate as it is, a count as the area's share (office allocation, else
    the parent's breakdown) or, when there is none, as an unallocated placeholder (value 0).
    Idempotent: deriving twice returns the first plan.
    """
    _require_decompose(user, region)
    if parent.region_id is None or region.parent_id != parent.region_id:
        raise DecompositionError(
            _("%(region)s不是%(parent)s的下级地区")
            % {"region": region.name, "parent": parent.region.name if parent.region else parent.region_name}
        )
    existing = Plan.objects.filter(parent=parent, region=region, origin=PlanOrigin.DERIVED).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _derive(parent=parent, region=region, user=user)
    except IntegrityError:
        # Someone derived the same plan in the meantime.
        existing = Plan.objects.filter(parent=parent, region=region, origin=PlanOrigin.DERIVED).first()
        if existing is None:
            raise
        return existing


def _derive(*, parent: Plan, region: Region, user: User) -> Plan:
    source = _derive_source(parent, region, user)
    parent_region = parent.region
    with disable_auditlog():  # one explicit entry below says who derived what
        plan = Plan.objects.create(
            source=source,
            ordinal=1,
            title=_clip(_derived_title(parent, region), Plan, "title"),
            issuer=_clip(f"{region.name}人民政府", Plan, "issuer"),
            year=parent.year,
            region_name=region.name,
            region=region,
            level=region.level,
            basis=[_clip(f"《{parent.display_title}》{parent.doc_number}", Plan, "title")],
            parent=parent,
            origin=PlanOrigin.DERIVED,
        )
        parent_sections = list(parent.sections.order_by("number"))
        sections = Section.objects.bulk_create(
            Section(plan=plan, number=s.number, label=s.label, title=s.title, kind=s.kind, text=s.text)
            for s in parent_sections
        )
        section_of = {old.pk: new for old, new in zip(parent_sections, sections)}

        parent_tasks = list(parent.tasks.order_by("number"))
        tasks = Task.objects.bulk_create(
            Task(
                plan=plan,
                section=section_of[t.section_id],
                number=t.number,
                label=t.label,
                title=t.title,
                text=t.text,
                source_ref=f"{source.content_hash[:12]}-1-{t.number:03d}",
                parent=t,
            )
            for t in parent_tasks
        )
        task_of = {old.pk: new for old, new in zip(parent_tasks, tasks)}

        Measure.objects.bulk_create(
            Measure(task=task_of[m.task_id], order=m.order, text=m.text)
            for m in Measure.objects.filter(task__plan=parent).order_by("task_id", "order")
        )
        # Owners are the task-level rows; measure-level rows only annotate single measures.
        parent_assignments = (
            Assignment.objects.filter(task__plan=parent, measure__isnull=True)
            .select_related("department")
            .order_by("task_id", "order")
        )
        Assignment.objects.bulk_create(
            Assignment(
                task=task_of[a.task_id],
                order=a.order,
                name=_clip(
                    local_unit_name(
                        a.name,
                        department_code=a.department.code if a.department else None,
                        parent_region=parent_region,
                        region=region,
                    ),
                    Assignment,
                    "name",
                ),
                role=a.role,
                department_id=a.department_id,
                resolved_by=a.resolved_by,
            )
            for a in parent_assignments
        )
        Deadline.objects.bulk_create(
            Deadline(task=task_of[d.task_id], order=d.order, text=d.text, date=d.date, recurring=d.recurring)
            for d in Deadline.objects.filter(task__plan=parent).order_by("task_id", "order")
        )

        parent_targets = list(Target.objects.filter(task__plan=parent).order_by("task_id", "order"))
        shares = effective_allocations(parent_targets, {region.pk})
        derived_targets = []
        unallocated = 0
        for t in parent_targets:
            share = shares.get((t.pk, region.pk))
            if t.is_rate:
                value, allocated = t.value, True
            elif share is not None:
                value, allocated = share, True
            else:
                value, allocated = Decimal(0), False
                unallocated += 1
            derived_targets.append(
                Target(
                    task=task_of[t.task_id],
                    order=t.order,
                    text=t.text,
                    subject=t.subject,
                    value=value,
                    unit=t.unit,
                    comparator=t.comparator,
                    parent_target=t,
                    allocated=allocated,
                )
            )
        Target.objects.bulk_create(derived_targets)

    _audit(
        plan,
        action=LogEntry.Action.CREATE,
        actor=user,
        changes={"title": (None, plan.title), "region": (None, region.name), "parent": (None, parent.pk)},
        additional_data={
            "derive": {
                "parent": parent.pk,
                "region": region.code,
                "tasks": len(tasks),
                "targets": len(derived_targets),
                "unallocated_targets": unallocated,
            }
        },
    )
    return plan


# --------------------------------------------------------------------------- editing the local copy


def _set_deadline(task: Task, date: datetime.date, user: User) -> Deadline:
    """Move the task's last dated time limit to *date* (or add one when it has none)."""
    deadline = task.deadlines.filter(date__isnull=False, recurring=False).order_by("-date", "-order").first()
    if deadline is None:
        order = (task.deadlines.aggregate(m=models.Max("order"))["m"] or 0) + 1
        deadline = Deadline.objects.create(task=task, order=order, text=_date_text(date), date=date)
        _audit(deadline, action=LogEntry.Action.CREATE, actor=user, changes={"date": (None, date)})
        return deadline
    if deadline.date != date:
        old = deadline.date
        deadline.date = date
        deadline.text = _clip(_date_text(date), Deadline, "text")
        deadline.save(update_fields=["date", "text"])
        _audit(deadline, action=LogEntry.Action.UPDATE, actor=user, changes={"date": (old, date)})
    return deadline


@transaction.atomic
def task_edit(
    *, task: Task, user: User, title: str, text: str, deadline: datetime.date | None = None
) -> Task:
    """Edit a task of a local plan: its title, text and (when given) its final time limit.

    A time limit later than the parent task's is accepted; the coverage check shows it to the office.
    """
    _require_editable(task.plan, user)
    title = _clip(title, Task, "title")
    if not title:
        raise ValidationError({"title": _("任务名称不能为空")})
    changes = {}
    for field, value in (("title", title), ("text", (text or "").strip())):
        if getattr(task, field) != value:
            changes[field] = (getattr(task, field), value)
            setattr(task, field, value)
    with disable_auditlog():
        if changes:
            task.save(update_fields=list(changes))
            _audit(task, action=LogEntry.Action.UPDATE, actor=user, changes=changes)
        if deadline is not None:
            _set_deadline(task, deadline, user)
    return task


@transaction.atomic
def task_add_local(
    *,
    plan: Plan,
    section: Section,
    user: User,
    title: str,
    text: str = "",
    deadline: datetime.date | None = None,
    lead: Department | None = None,
) -> Task:
    """Add a task of the area's own (no parent task) at the end of *plan*, optionally with its lead unit."""
    _require_editable(plan, user)
    if section.plan_id != plan.pk:
        raise DecompositionError(_("所选部分不属于这个计划"))
    title = _clip(title, Task, "title")
    if not title:
        raise ValidationError({"title": _("任务名称不能为空")})
    plan = Plan.objects.select_for_update(of=("self",)).select_related("source", "region").get(pk=plan.pk)
    number = (plan.tasks.aggregate(m=models.Max("number"))["m"] or 0) + 1
    with disable_auditlog():
        task = Task.objects.create(
            plan=plan,
            section=section,
            number=number,
            label=f"（{chinese_number(number)}）",
            title=title,
            text=(text or "").strip() or title,
            source_ref=f"{plan.source.content_hash[:12]}-{plan.ordinal}-{number:03d}",
            is_local=True,
        )
        _audit(
            task,
            action=LogEntry.Action.CREATE,
            actor=user,
            changes={"title": (None, title), "plan": (None, plan.pk)},
            additional_data={"local_task": True},
        )
        if lead is not None:
            name = local_unit_name(
                lead.canonical_name, department_code=lead.code, parent_region=None, region=plan.region
            )
            Assignment.objects.create(
                task=task,
                order=1,
                name=_clip(name, Assignment, "name"),
                role=Role.LEAD,
                department=lead,
                resolved_by=ResolvedBy.REVIEW,
            )
        if deadline is not None:
            _set_deadline(task, deadline, user)
    return task


@transaction.atomic
def target_edit(*, target: Target, value: Decimal, user: User) -> Target:
    """The area sets its own figure for a target of its plan (it may commit to more than its share)."""
    _require_editable(target.task.plan, user)
    if value < 0:
        raise ValidationError({"value": _("目标值不能为负数")})
    old = target.value
    target.value = value
    target.allocated = True
    target.save(update_fields=["value", "allocated"])
    _audit(target, action=LogEntry.Action.UPDATE, actor=user, changes={"value": (old, value)})
    return target


@transaction.atomic
def target_allocate(*, parent_target: Target, region: Region, value: Decimal, user: User) -> TargetAllocation:
    """The office gives *region* its share of *parent_target* (overriding the plan's breakdown).

    A local copy of the target that still holds the previous share (or none) takes the new one.
    """
    plan = parent_target.task.plan
    if not can_allocate(user, plan):
        raise PermissionDenied(_("只有本级质量办管理员可以分配目标"))
    if region.parent_id != plan.region_id:
        raise DecompositionError(_("%(region)s不是本计划的下级地区") % {"region": region.name})
    if value < 0:
        raise ValidationError({"value": _("目标值不能为负数")})
    previous = effective_allocations([parent_target], {region.pk}).get((parent_target.pk, region.pk))
    with disable_auditlog():
        allocation, created = TargetAllocation.objects.update_or_create(
            target=parent_target, region=region, defaults={"value": value, "allocated_by": user}
        )
        _audit(
            allocation,
            action=LogEntry.Action.CREATE if created else LogEntry.Action.UPDATE,
            actor=user,
            changes={"value": (previous, value)},
            additional_data={"target": parent_target.pk, "region": region.code},
        )
        local = Target.objects.filter(parent_target=parent_target, task__plan__region=region)
        stale = local.filter(allocated=False)
        if previous is not None:
            stale = stale | local.filter(value=previous)
        for target in stale.select_for_update(of=("self",)):
            old = target.value
            target.value = value
            target.allocated = True
            target.save(update_fields=["value", "allocated"])
            _audit(target, action=LogEntry.Action.UPDATE, actor=user, changes={"value": (old, value)})
    return allocation


# --------------------------------------------------------------------------- imported city plans


@transaction.atomic
def task_link_confirm(*, child_task: Task, parent_task: Task, user: User) -> Task:
    """Confirm that *child_task* (of an imported local plan) decomposes *parent_task*.

    The first confirmed link also records the parent plan on the local plan.
    """
    child_plan = (
        Plan.objects.select_for_update(of=("self",)).select_related("region").get(pk=child_task.plan_id)
    )
    _require_decompose(user, child_plan.region)
    parent_plan = parent_task.plan
    if child_plan.region is None or child_plan.region.parent_id != parent_plan.region_id:
        raise DecompositionError(_("上级任务不属于上一级地区的计划"))
    if child_plan.parent_id not in (None, parent_plan.pk):
        raise DecompositionError(_("这个计划已对应到另一个上级计划"))
    with disable_auditlog():
        if child_plan.parent_id is None:
            child_plan.parent = parent_plan
            child_plan.save(update_fields=["parent"])
            _audit(
                child_plan,
                action=LogEntry.Action.UPDATE,
                actor=user,
                changes={"parent": (None, parent_plan.pk)},
            )
        old = child_task.parent_id
        if old != parent_task.pk:
            child_task.parent = parent_task
            child_task.save(update_fields=["parent"])
            _audit(
                child_task,
                action=LogEntry.Action.UPDATE,
                actor=user,
                changes={"parent": (old, parent_task.pk)},
                additional_data={"link": "confirmed"},
            )
    return child_task
