"""Write paths for supervision: issue a plan, sign, report, consolidate, review, close, evidence.

Every function here is keyword-only, checks permission itself (views, imports and commands all
come through here), runs in one transaction, keeps ``WorkItem.status`` / ``next_due_on`` honest
through ``_refresh``, and writes a readable ``TimelineEvent`` (auditlog records the raw rows).
Excel round trip (export / import) lives in ``supervision.excel``.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiliang.accounts.access import membership_of
from zhiliang.accounts.models import Membership, Organisation, OrganisationKind
from zhiliang.accounts.models import Role as MemberRole
from zhiliang.plans.models import Assignment, Plan, Task
from zhiliang.plans.models import Role as AssignmentRole
from zhiliang.supervision import access
from zhiliang.supervision.models import (
    OPEN_DUE_STATUSES,
    CloseOutcome,
    Decision,
    EventKind,
    Evidence,
    ProgressReport,
    ReportDue,
    ReportDueStatus,
    ReportingSchedule,
    ReportStatus,
    ReviewDecision,
    ReviewStage,
    ScheduleKind,
    TargetProgress,
    TimelineEvent,
    WorkItem,
    WorkItemStatus,
)

LOCAL_GOVS = "LOCAL_GOVS"
ROLE_STRENGTH = {AssignmentRole.LEAD: 0, AssignmentRole.SHARED: 1, AssignmentRole.ASSIST: 2}
PENDING_REPORT_STATUSES = (
    ReportStatus.PENDING_LEAD,
    ReportStatus.PENDING_LEADER,
    ReportStatus.PENDING_OFFICE,
)
RETURNED_REPORT_STATUSES = (ReportStatus.LEADER_RETURNED, ReportStatus.OFFICE_RETURNED)

# --------------------------------------------------------------------------- helpers


def _deny(message: str) -> PermissionDenied:
    return PermissionDenied(message)


def _event(
    *,
    item: WorkItem,
    kind: str,
    actor: User | None,
    summary: str,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> TimelineEvent:
    membership = membership_of(actor) if actor is not None else None
    return TimelineEvent.objects.create(
        task_id=item.task_id,
        work_item=item,
        kind=kind,
        actor=actor,
        actor_organisation=membership.organisation.name if membership else "",
        summary=summary[:255],
        changes={
            k: ["" if a is None else str(a), "" if b is None else str(b)]
            for k, (a, b) in (changes or {}).items()
        },
    )


def _refresh(item: WorkItem) -> None:
    """Recompute the stored status and the next date a report is owed, from the item's rows."""
    old = (item.status, item.next_due_on)
    if item.status != WorkItemStatus.CLOSED:
        report_statuses = set(item.reports.values_list("status", flat=True))
        if item.acknowledged_at is None:
            status = WorkItemStatus.ISSUED
        elif report_statuses & set(RETURNED_REPORT_STATUSES):
            status = WorkItemStatus.RETURNED
        elif report_statuses & set(PENDING_REPORT_STATUSES):
            status = WorkItemStatus.PENDING_REVIEW
        else:
            status = WorkItemStatus.IN_PROGRESS
        item.status = status
        item.next_due_on = (
            item.report_dues.filter(status__in=OPEN_DUE_STATUSES)
            .order_by("due_on")
            .values_list("due_on", flat=True)
            .first()
        )
    else:
        item.next_due_on = None
    if (item.status, item.next_due_on) != old:
        item.save(update_fields=["status", "next_due_on"])


def _locked_item(item: WorkItem) -> WorkItem:
    return WorkItem.objects.select_for_update().select_related("task__plan", "organisation").get(pk=item.pk)


def _locked_report(report: ProgressReport) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update()
        .select_related("work_item__task__plan", "work_item__organisation", "report_due")
        .get(pk=report.pk)
    )


def _fmt_date(d: datetime.date | None) -> str:
    return "" if d is None else f"{d:%Y-%m-%d}"


# --------------------------------------------------------------------------- issuing a plan


@dataclass
class ProposedItem:
    task: Task
    organisation: Organisation
    role: str
    due_date: datetime.date | None  # None: the office's default applies
    exists: bool = False

    @property
    def role_label(self) -> str:
        return str(AssignmentRole(self.role).label)


@dataclass
class UnmatchedUnit:
    """A unit name no organisation answers for; the office picks one or skips it."""

    name: str
    role: str
    tasks: list[Task] = field(default_factory=list)
    reason: str = ""


@dataclass
class IssuePreview:
    plan: Plan
    items: list[ProposedItem]
    unmatched: list[UnmatchedUnit]
    candidates: list[Organisation]  # organisations an unmatched unit may be mapped to

    @property
    def new_items(self) -> list[ProposedItem]:
        return [p for p in self.items if not p.exists]


@dataclass
class IssueResult:
    created: list[WorkItem]
    skipped: list[str]
    schedule: ReportingSchedule


def task_due_date(task: Task) -> datetime.date | None:
    """The plan's time limit for a task: its latest dated deadline (None when only 长期 / undated)."""
    dates = [d.date for d in task.deadlines.all() if d.date is not None]
    return max(dates) if dates else None


def candidate_organisations(plan: Plan) -> list[Organisation]:
    """Departments of the plan's region and governments directly below it."""
    if plan.region_id is None:
        return []
    return list(
        Organisation.objects.filter(
            Q(kind=OrganisationKind.DEPARTMENT, region_id=plan.region_id)
            | Q(kind=OrganisationKind.GOVERNMENT, region__parent_id=plan.region_id)
        ).select_related("region")
    )


def plan_issue_preview(*, plan: Plan) -> IssuePreview:
    """What issuing *plan* would create; touches nothing."""
    candidates = sorted(candidate_organisations(plan), key=lambda o: (o.kind, o.region_id, o.name))
    by_department: dict[int, Organisation] = {}
    governments: list[Organisation] = []
    for org in candidates:
        if org.kind == OrganisationKind.DEPARTMENT and org.department_id:
            by_department.setdefault(org.department_id, org)
        elif org.kind == OrganisationKind.GOVERNMENT:
            governments.append(org)

    existing = set(WorkItem.objects.filter(task__plan=plan).values_list("task_id", "organisation_id"))
    proposed: dict[tuple[int, int], ProposedItem] = {}
    unmatched: dict[str, UnmatchedUnit] = {}
    assignments = (
        Assignment.objects.filter(task__plan=plan)
        .select_related("department", "task")
        .prefetch_related("task__deadlines")
        .order_by("task__number", "measure_id", "order", "pk")
    )
    for a in assignments:
        if a.department is None:
            orgs, reason = [], _("未识别的单位")
        elif a.department.code == LOCAL_GOVS:
            orgs, reason = governments, _("下级人民政府尚未开通账号")
        elif a.department.is_collective:
            orgs, reason = [], _("集合单位，请指定具体机构")
        else:
            org = by_department.get(a.department_id)
            orgs, reason = ([org] if org else []), _("该部门尚未开通账号")
        if not orgs:
            unit = unmatched.setdefault(a.name, UnmatchedUnit(name=a.name, role=a.role, reason=reason))
            if a.task not in unit.tasks:
                unit.tasks.append(a.task)
            continue
        for org in orgs:
            _propose(proposed, a.task, org, a.role, existing)
    items = sorted(
        proposed.values(), key=lambda p: (p.task.number, ROLE_STRENGTH[p.role], p.organisation.name)
    )
    return IssuePreview(plan=plan, items=items, unmatched=list(unmatched.values()), candidates=candidates)


def _propose(
    proposed: dict[tuple[int, int], ProposedItem],
    task: Task,
    org: Organisation,
    role: str,
    existing: set[tuple[int, int]],
) -> None:
    key = (task.pk, org.pk)
    current = proposed.get(key)
    if current is None:
        proposed[key] = ProposedItem(
            task=task, organisation=org, role=role, due_date=task_due_date(task), exists=key in existing
        )
    elif ROLE_STRENGTH[role] < ROLE_STRENGTH[current.role]:
        current.role = role  # a unit named twice on a task keeps its strongest role


@transaction.atomic
def plan_issue(
    *,
    plan: Plan,
    kind: str,
    default_due_date: datetime.date,
    user: User,
    dates: list[datetime.date] | None = None,
    mapping: dict[str, Organisation | None] | None = None,
) -> IssueResult:
    """Hand every assignment of *plan* to its unit as a work item, with reporting dates.

    *mapping* decides each unmatched unit name: an organisation, or None to skip it. A name left
    undecided is an error (nothing is dropped silently). Issuing again adds only the missing items.
    """
    if not access.can_issue_plan(user, plan):
        raise _deny(_("只有本地区质量办管理员可以下发计划"))
    if kind not in ScheduleKind.values:
        raise ValidationError(_("未知的报送周期"))
    dates = sorted(set(dates or []))
    if kind == ScheduleKind.CUSTOM and not dates:
        raise ValidationError(_("自定义报送周期至少需要一个报送日期"))
    mapping = mapping or {}
    preview = plan_issue_preview(plan=plan)
    undecided = [u.name for u in preview.unmatched if u.name not in mapping]
    if undecided:
        raise ValidationError(_("请为以下单位选择机构或跳过：%(names)s") % {"names": "、".join(undecided)})
    allowed = {o.pk for o in preview.candidates}
    proposed = {(p.task.pk, p.organisation.pk): p for p in preview.items}
    existing = {(p.task.pk, p.organisation.pk) for p in preview.items if p.exists}
    skipped: list[str] = []
    for unit in preview.unmatched:
        org = mapping[unit.name]
        if org is None:
            skipped.append(unit.name)
            continue
        if org.pk not in allowed:
            raise ValidationError(_("“%(org)s”不在本计划的责任单位范围内") % {"org": org.name})
        for task in unit.tasks:
            _propose(proposed, task, org, unit.role, existing)

    now = timezone.now()
    schedule, created_schedule = ReportingSchedule.objects.get_or_create(
        plan=plan,
        defaults={
            "kind": kind,
            "dates": [d.isoformat() for d in dates],
            "default_due_date": default_due_date,
            "issued_by": user,
            "issued_at": now,
        },
    )
    if not created_schedule and (schedule.kind, schedule.dates, schedule.default_due_date) != (
        kind,
        [d.isoformat() for d in dates],
        default_due_date,
    ):
        schedule.kind, schedule.dates, schedule.default_due_date = (
            kind,
            [d.isoformat() for d in dates],
            default_due_date,
        )
        schedule.save(
            update_fields=["kind", "dates", "default_due_date"]
        )  # applies to items issued from now on

    start = timezone.localdate(now)
    created: list[WorkItem] = []
    for p in sorted(
        proposed.values(), key=lambda p: (p.task.number, ROLE_STRENGTH[p.role], p.organisation.name)
    ):
        if p.exists:
            continue
        due = p.due_date or default_due_date
        item = WorkItem.objects.create(
            schedule=schedule,
            task=p.task,
            organisation=p.organisation,
            role=p.role,
            due_date=due,
            issued_at=now,
            issued_by=user,
        )
        dues = schedule.reporting_dates(start=start, end=max(due, start))
        ReportDue.objects.bulk_create(
            [ReportDue(work_item=item, due_on=d, is_final=(d == dues[-1])) for d in dues]
        )
        _refresh(item)
        _event(
            item=item,
            kind=EventKind.ISSUED,
            actor=user,
            summary=_("下发给%(org)s（%(role)s），完成时限 %(due)s")
            % {"org": p.organisation.name, "role": AssignmentRole(p.role).label, "due": _fmt_date(due)},
        )
        created.append(item)
    _link_leads(plan)
    return IssueResult(created=created, skipped=skipped, schedule=schedule)


def _link_leads(plan: Plan) -> None:
    """Point each assisting item at its task's first lead item (the one that consolidates)."""
    leads: dict[int, WorkItem] = {}
    for item in WorkItem.objects.filter(task__plan=plan, role=AssignmentRole.LEAD).order_by("task_id", "pk"):
        leads.setdefault(item.task_id, item)
    for item in WorkItem.objects.filter(task__plan=plan, role=AssignmentRole.ASSIST):
        lead = leads.get(item.task_id)
        if lead is not None and item.lead_item_id != lead.pk:
            item.lead_item = lead
            item.save(update_fields=["lead_item"])


# --------------------------------------------------------------------------- signing


@transaction.atomic
def work_item_acknowledge(*, item: WorkItem, user: User) -> WorkItem:
    item = _locked_item(item)
    if not access.can_report(user, item):
        raise _deny(_("只有责任单位联络员可以签收"))
    if item.acknowledged_at is not None or item.is_closed:
        raise ValidationError(_("该事项已签收"))
    item.acknowledged_at = timezone.now()
    item.acknowledged_by = user
    item.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _refresh(item)
    _event(
        item=item,
        kind=EventKind.ACKNOWLEDGED,
        actor=user,
        summary=_("%(org)s签收") % {"org": item.organisation.name},
        changes={_("状态"): (WorkItemStatus.ISSUED.label, WorkItemStatus(item.status).label)},
    )
    return item


# --------------------------------------------------------------------------- reports


def current_report_due(item: WorkItem) -> ReportDue | None:
    """The reporting date a unit works on now: the earliest one still owed."""
    return item.report_dues.filter(status__in=OPEN_DUE_STATUSES).order_by("due_on").first()


ActualKey = tuple[int, int | None]  # (target id, breakdown id or None for the whole target)


def _check_fill(user: User, item: WorkItem, *, via_import: bool) -> None:
    if access.can_report(user, item):
        return
    if via_import and access.can_manage_work_item(user, item):
        return  # the office may load a unit's returned spreadsheet on its behalf
    raise _deny(_("只有责任单位联络员可以填报"))


@transaction.atomic
def progress_report_save(
    *,
    item: WorkItem,
    user: User,
    percent: int | None,
    narrative: str,
    actuals: dict[ActualKey, Decimal | None] | None = None,
    report_due: ReportDue | None = None,
    via_import: bool = False,
) -> ProgressReport:
    """Create or update the draft report for *report_due* (default: the earliest one owed)."""
    item = _locked_item(item)
    _check_fill(user, item, via_import=via_import)
    if item.is_closed:
        raise ValidationError(_("该事项已办结，不能再填报"))
    if item.acknowledged_at is None:
        raise ValidationError(_("请先签收再填报"))
    due = report_due or current_report_due(item)
    if due is None or due.work_item_id != item.pk:
        raise ValidationError(_("没有待报送的报送期限"))
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError(_("完成进度应在 0 到 100 之间"))
    report, created = ProgressReport.objects.select_for_update().get_or_create(
        report_due=due, defaults={"work_item": item, "updated_by": user}
    )
    if not report.is_editable:
        raise ValidationError(
            _("报告已提交（%(status)s），不能修改") % {"status": report.get_status_display()}
        )
    changes: dict[str, tuple[Any, Any]] = {}
    if report.percent != percent:
        changes[_("完成进度")] = (report.percent, percent)
    if report.narrative != narrative:
        changes[_("进展情况")] = (_short(report.narrative), _short(narrative))
    report.percent, report.narrative, report.updated_by = percent, narrative, user
    report.save(update_fields=["percent", "narrative", "updated_by", "updated_at"])
    if actuals is not None:
        changes.update(_save_actuals(report, item, actuals))
    _event(
        item=item,
        kind=EventKind.REPORT_IMPORTED if via_import else EventKind.REPORT_SAVED,
        actor=user,
        summary=(_("导入 %(due)s 进展") if via_import else _("保存 %(due)s 进展报告"))
        % {"due": _fmt_date(due.due_on)},
        changes=changes,
    )
    return report


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _save_actuals(report: ProgressReport, item: WorkItem, actuals: dict[ActualKey, Decimal | None]) -> dict:
    targets = {t.pk: t for t in item.task.targets.prefetch_related("breakdown")}
    existing = {(tp.target_id, tp.breakdown_id): tp for tp in report.target_progress.all()}
    changes: dict[str, tuple[Any, Any]] = {}
    for (target_id, breakdown_id), value in actuals.items():
        target = targets.get(target_id)
        if target is None or (
            breakdown_id is not None and breakdown_id not in {b.pk for b in target.breakdown.all()}
        ):
            raise ValidationError(_("指标不属于该任务"))
        label = target.subject or target.text
        if breakdown_id is not None:
            label += "·" + next(b.region_name for b in target.breakdown.all() if b.pk == breakdown_id)
        row = existing.get((target_id, breakdown_id))
        if value is None:
            if row is not None:
                changes[label] = (row.actual.normalize(), None)
                row.delete()
            continue
        if row is None:
            TargetProgress.objects.create(
                report=report, target=target, breakdown_id=breakdown_id, actual=value
            )
            changes[label] = (None, value)
        elif row.actual != value:
            changes[label] = (row.actual.normalize(), value)
            row.actual = value
            row.save(update_fields=["actual"])
    return changes


def organisation_has_leader(organisation_id: int) -> bool:
    return Membership.objects.filter(
        organisation_id=organisation_id, role=MemberRole.DEPARTMENT_LEADER
    ).exists()


@transaction.atomic
def progress_report_submit(*, report: ProgressReport, user: User, via_import: bool = False) -> ProgressReport:
    """Send the report on: to the lead unit (assisting units), the department leader, or the office."""
    report = _locked_report(report)
    item = report.work_item
    _check_fill(user, item, via_import=via_import)
    if item.is_closed:
        raise ValidationError(_("该事项已办结"))
    if not report.is_editable:
        raise ValidationError(_("报告已提交（%(status)s）") % {"status": report.get_status_display()})
    if report.percent is None and not report.narrative.strip():
        raise ValidationError(_("请填写完成进度或进展情况后再提交"))
    old = report.get_status_display()
    if item.reports_to_lead:
        report.status = ReportStatus.PENDING_LEAD
    elif organisation_has_leader(item.organisation_id):
        report.status = ReportStatus.PENDING_LEADER
    else:
        report.status = ReportStatus.PENDING_OFFICE
    report.submitted_at, report.submitted_by = timezone.now(), user
    report.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    _set_due(report.report_due, ReportDueStatus.SUBMITTED)
    _refresh(item)
    _event(
        item=item,
        kind=EventKind.REPORT_SUBMITTED,
        actor=user,
        summary=_("提交 %(due)s 进展报告，%(next)s")
        % {"due": _fmt_date(report.report_due.due_on), "next": report.get_status_display()},
        changes={_("报告状态"): (old, report.get_status_display())},
    )
    return report


def _set_due(due: ReportDue, status: str) -> None:
    if due.status != status:
        due.status = status
        due.save(update_fields=["status"])


def consolidation_candidates(lead_item: WorkItem) -> list[ProgressReport]:
    """Assisting units' reports waiting for *lead_item* to gather them, oldest date first."""
    return list(
        ProgressReport.objects.filter(work_item__lead_item=lead_item, status=ReportStatus.PENDING_LEAD)
        .select_related("work_item__organisation", "report_due")
        .order_by("report_due__due_on", "work_item__organisation__name")
    )


@transaction.atomic
def progress_report_consolidate(
    *, report: ProgressReport, assist_reports: list[ProgressReport], user: User
) -> ProgressReport:
    """Gather assisting units' reports into the lead unit's draft: their text is appended, once."""
    report = _locked_report(report)
    lead_item = report.work_item
    if not access.can_consolidate(user, lead_item):
        raise _deny(_("只有牵头单位联络员可以汇总配合单位报告"))
    if not report.is_editable:
        raise ValidationError(_("牵头单位报告已提交，不能再汇总"))
    if not assist_reports:
        raise ValidationError(_("请选择要汇总的配合单位报告"))
    waiting = {r.pk: r for r in consolidation_candidates(lead_item)}
    parts = []
    for chosen in assist_reports:
        assist = waiting.get(chosen.pk)
        if assist is None:
            raise ValidationError(_("所选报告不是待本单位汇总的配合单位报告"))
        assist.status, assist.consolidated_into = ReportStatus.CONSOLIDATED, report
        assist.save(update_fields=["status", "consolidated_into", "updated_at"])
        _set_due(assist.report_due, ReportDueStatus.ACCEPTED)
        _refresh(assist.work_item)
        parts.append(f"【{assist.work_item.organisation.name}】{assist.narrative.strip()}")
        _event(
            item=assist.work_item,
            kind=EventKind.CONSOLIDATED,
            actor=user,
            summary=_("%(lead)s汇总了本单位 %(due)s 的报告")
            % {"lead": lead_item.organisation.name, "due": _fmt_date(assist.report_due.due_on)},
            changes={_("报告状态"): (ReportStatus.PENDING_LEAD.label, ReportStatus.CONSOLIDATED.label)},
        )
    report.narrative = "\n".join([report.narrative.strip(), *parts]).strip()
    report.updated_by = user
    report.save(update_fields=["narrative", "updated_by", "updated_at"])
    _event(
        item=lead_item,
        kind=EventKind.CONSOLIDATED,
        actor=user,
        summary=_("汇总配合单位报告：%(orgs)s")
        % {"orgs": "、".join(waiting[r.pk].work_item.organisation.name for r in assist_reports)},
    )
    return report


def _review(
    *,
    report: ProgressReport,
    user: User,
    stage: str,
    decision: str,
    reason: str,
    expected: str,
    new_status: str,
    due_status: str,
    kind: str,
    summary: str,
) -> ProgressReport:
    reason = reason.strip()
    if decision == Decision.RETURN and not reason:
        raise ValidationError(_("退回时请填写理由"))
    if report.status != expected:
        raise ValidationError(
            _("报告当前为“%(status)s”，不能执行此操作") % {"status": report.get_status_display()}
        )
    old = report.get_status_display()
    report.status = new_status
    report.save(update_fields=["status", "updated_at"])
    ReviewDecision.objects.create(
        report=report, stage=stage, decision=decision, reason=reason, decided_by=user
    )
    _set_due(report.report_due, due_status)
    _refresh(report.work_item)
    changes = {_("报告状态"): (old, report.get_status_display())}
    if reason:
        changes[_("理由")] = ("", reason)
    _event(item=report.work_item, kind=kind, actor=user, summary=summary, changes=changes)
    return report


@transaction.atomic
def report_leader_approve(*, report: ProgressReport, user: User) -> ProgressReport:
    report = _locked_report(report)
    if not access.can_leader_review(user, report.work_item):
        raise _deny(_("只有本部门审核人可以审核"))
    return _review(
        report=report,
        user=user,
        stage=ReviewStage.LEADER,
        decision=Decision.APPROVE,
        reason="",
        expected=ReportStatus.PENDING_LEADER,
        new_status=ReportStatus.PENDING_OFFICE,
        due_status=ReportDueStatus.SUBMITTED,
        kind=EventKind.LEADER_APPROVED,
        summary=_("部门审核通过 %(due)s 报告，报质量办") % {"due": _fmt_date(report.report_due.due_on)},
    )


@transaction.atomic
def report_leader_return(*, report: ProgressReport, user: User, reason: str) -> ProgressReport:
    report = _locked_report(report)
    if not access.can_leader_review(user, report.work_item):
        raise _deny(_("只有本部门审核人可以审核"))
    return _review(
        report=report,
        user=user,
        stage=ReviewStage.LEADER,
        decision=Decision.RETURN,
        reason=reason,
        expected=ReportStatus.PENDING_LEADER,
        new_status=ReportStatus.LEADER_RETURNED,
        due_status=ReportDueStatus.RETURNED,
        kind=EventKind.LEADER_RETURNED,
        summary=_("部门退回 %(due)s 报告：%(reason)s")
        % {"due": _fmt_date(report.report_due.due_on), "reason": reason},
    )


@transaction.atomic
def report_office_accept(*, report: ProgressReport, user: User) -> ProgressReport:
    report = _locked_report(report)
    if not access.can_manage_work_item(user, report.work_item):
        raise _deny(_("只有本地区质量办管理员可以审核"))
    return _review(
        report=report,
        user=user,
        stage=ReviewStage.OFFICE,
        decision=Decision.APPROVE,
        reason="",
        expected=ReportStatus.PENDING_OFFICE,
        new_status=ReportStatus.ACCEPTED,
        due_status=ReportDueStatus.ACCEPTED,
        kind=EventKind.OFFICE_ACCEPTED,
        summary=_("质量办采纳 %(due)s 报告") % {"due": _fmt_date(report.report_due.due_on)},
    )


@transaction.atomic
def report_office_return(*, report: ProgressReport, user: User, reason: str) -> ProgressReport:
    report = _locked_report(report)
    if not access.can_manage_work_item(user, report.work_item):
        raise _deny(_("只有本地区质量办管理员可以审核"))
    return _review(
        report=report,
        user=user,
        stage=ReviewStage.OFFICE,
        decision=Decision.RETURN,
        reason=reason,
        expected=ReportStatus.PENDING_OFFICE,
        new_status=ReportStatus.OFFICE_RETURNED,
        due_status=ReportDueStatus.RETURNED,
        kind=EventKind.OFFICE_RETURNED,
        summary=_("质量办退回 %(due)s 报告：%(reason)s")
        % {"due": _fmt_date(report.report_due.due_on), "reason": reason},
    )


# --------------------------------------------------------------------------- closing


@transaction.atomic
def work_item_close(*, item: WorkItem, user: User, outcome: str, note: str = "") -> WorkItem:
    """Close (办结) an item as achieved or not; reports still owed are no longer expected."""
    item = _locked_item(item)
    if not access.can_manage_work_item(user, item):
        raise _deny(_("只有本地区质量办管理员可以办结"))
    if item.is_closed:
        raise ValidationError(_("该事项已办结"))
    if outcome not in CloseOutcome.values:
        raise ValidationError(_("请选择办结结果"))
    if outcome == CloseOutcome.NOT_ACHIEVED and not note.strip():
        raise ValidationError(_("未完成办结时请填写说明"))
    if item.reports.filter(status__in=PENDING_REPORT_STATUSES).exists():
        raise ValidationError(_("还有报告在审核中，请先处理"))
    old = item.display_status().label
    item.report_dues.filter(status__in=OPEN_DUE_STATUSES).update(status=ReportDueStatus.CANCELLED)
    item.status, item.close_outcome, item.close_note = WorkItemStatus.CLOSED, outcome, note.strip()
    item.closed_at, item.closed_by, item.next_due_on = timezone.now(), user, None
    item.save(
        update_fields=["status", "close_outcome", "close_note", "closed_at", "closed_by", "next_due_on"]
    )
    _event(
        item=item,
        kind=EventKind.CLOSED,
        actor=user,
        summary=_("办结：%(org)s（%(outcome)s）")
        % {"org": item.organisation.name, "outcome": CloseOutcome(outcome).label},
        changes={
            _("状态"): (old, item.display_status().label),
            **({_("说明"): ("", note.strip())} if note.strip() else {}),
        },
    )
    return item


# --------------------------------------------------------------------------- evidence

EVIDENCE_TYPES = {
    # extension: (content type, leading bytes)
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "zip": ("application/zip", (b"PK\x03\x04", b"PK\x05\x06")),
}
OOXML_PART = {"docx": "word/", "xlsx": "xl/"}


def evidence_max_bytes() -> int:
    return settings.SUPERVISION_EVIDENCE_MAX_BYTES


def evidence_check(upload: UploadedFile) -> tuple[str, str]:
    """Return (content type, sha256) or raise ValidationError with a Chinese reason."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EVIDENCE_TYPES:
        raise ValidationError(
            _("“%(name)s”的类型不允许，只能上传 PDF、Word(docx)、Excel(xlsx)、JPG、PNG 或 ZIP 文件")
            % {"name": name}
        )
    limit = evidence_max_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("“%(name)s”超过 %(mb)d MB 上限") % {"name": name, "mb": limit // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s”是空文件") % {"name": name})
    upload.seek(0)
    head = upload.read(8)
    content_type, magics = EVIDENCE_TYPES[ext]
    if not any(head.startswith(m) for m in magics):
        raise ValidationError(_("“%(name)s”的内容与扩展名不符") % {"name": name})
    if ext in OOXML_PART:
        import zipfile

        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile as exc:
            raise ValidationError(_("“%(name)s”已损坏，无法打开") % {"name": name}) from exc
        if not any(n.startswith(OOXML_PART[ext]) for n in names):
            raise ValidationError(_("“%(name)s”的内容与扩展名不符") % {"name": name})
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()


@transaction.atomic
def evidence_attach(*, report: ProgressReport, upload: UploadedFile, user: User) -> Evidence:
    report = _locked_report(report)
    if not access.can_report(user, report.work_item):
        raise _deny(_("只有责任单位联络员可以上传佐证材料"))
    if not report.is_editable:
        raise ValidationError(_("报告已提交，不能再添加佐证材料"))
    content_type, sha256 = evidence_check(upload)
    original = (upload.name or "")[-255:]
    evidence = Evidence(
        report=report,
        original_name=original,
        size=upload.size,
        content_type=content_type,
        sha256=sha256,
        uploaded_by=user,
    )
    evidence.file.save(original, upload, save=False)  # stored as evidence/<uuid>, see evidence_path
    evidence.save()
    _event(
        item=report.work_item,
        kind=EventKind.EVIDENCE_ADDED,
        actor=user,
        summary=_("上传佐证材料“%(name)s”") % {"name": original},
    )
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user: User) -> None:
    report = _locked_report(evidence.report)
    if not access.can_report(user, report.work_item):
        raise _deny(_("只有责任单位联络员可以删除佐证材料"))
    if not report.is_editable:
        raise ValidationError(_("报告已提交，不能删除佐证材料"))
    name, storage, path = evidence.original_name, evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(path))
    _event(
        item=report.work_item,
        kind=EventKind.EVIDENCE_ADDED,
        actor=user,
        summary=_("删除佐证材料“%(name)s”") % {"name": name},
    )


# --------------------------------------------------------------------------- reading helpers


def unit_dashboard_items(organisation: Organisation) -> dict[str, list]:
    """What a unit must do, each list in due-date order (the unit dashboard)."""
    items = (
        WorkItem.objects.filter(organisation=organisation)
        .open()
        .with_display_status()
        .select_related("task__plan", "organisation")
        .order_by("next_due_on", "due_date", "pk")
    )
    buckets: dict[str, list] = defaultdict(list)
    today = timezone.localdate()
    for item in items:
        if item.status == WorkItemStatus.ISSUED:
            buckets["to_sign"].append(item)
        elif item.status == WorkItemStatus.RETURNED:
            buckets["returned"].append(item)
        elif item.status == WorkItemStatus.IN_PROGRESS:
            buckets["to_report"].append(item)
        if item.next_due_on is not None and item.next_due_on < today:
            buckets["overdue"].append(item)
    buckets["to_review"] = list(
        ProgressReport.objects.filter(
            work_item__organisation=organisation, status=ReportStatus.PENDING_LEADER
        )
        .select_related("work_item__task__plan", "report_due")
        .order_by("report_due__due_on", "pk")
    )
    buckets["to_consolidate"] = list(
        ProgressReport.objects.filter(
            work_item__lead_item__organisation=organisation, status=ReportStatus.PENDING_LEAD
        )
        .select_related(
            "work_item__task__plan", "work_item__organisation", "work_item__lead_item", "report_due"
        )
        .order_by("report_due__due_on", "pk")
    )
    return buckets
