"""Supervision (督查督办): a plan issued to units as work items, with due dates, reports and reviews.

The shape, top down::

    ReportingSchedule (one per issued plan: monthly / quarterly / custom dates)
      └─ WorkItem (task × organisation, with the assignment's role and a due date)
           ├─ ReportDue (one per reporting date up to the due date; the due date itself is the last)
           │    └─ ProgressReport (one per due; resubmitted in place after a return)
           │         ├─ TargetProgress (actual value per target, per area for broken-down targets)
           │         ├─ Evidence (uploaded files)
           │         └─ ReviewDecision (leader / office: approve or return, with a reason)
           └─ TimelineEvent (a readable history: who did what, when, before → after)

Statuses are stored, not guessed: ``WorkItem.status`` moves only through the services, and
``WorkItem.next_due_on`` (the earliest report still owed) makes "overdue" a plain date filter.
``WorkItem.display_status()`` and ``WorkItemQuerySet.with_display_status()`` give the one honest
label screens and charts show: overdue, returned and "closed, not achieved" are never "done".
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiliang.plans.models import Role as AssignmentRole

# --------------------------------------------------------------------------- schedule


class ScheduleKind(models.TextChoices):
    MONTHLY = "monthly", _("每月报送")
    QUARTERLY = "quarterly", _("每季度报送")
    CUSTOM = "custom", _("自定义日期")
    FINAL = "final", _("仅到期报送")


class ReportingSchedule(models.Model):
    """How and when the units of one issued plan report; created when the office issues the plan."""

    plan = models.OneToOneField(
        "plans.Plan", verbose_name=_("行动计划"), on_delete=models.CASCADE, related_name="reporting_schedule"
    )
    kind = models.CharField(_("报送周期"), max_length=16, choices=ScheduleKind.choices)
    # ISO dates (custom kind only); monthly and quarterly dates are generated (month / quarter ends).
    dates = models.JSONField(_("自定义报送日期"), default=list, blank=True)
    default_due_date = models.DateField(_("默认完成时限"))
    issued_at = models.DateTimeField(_("下发时间"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("下发人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("报送安排")
        verbose_name_plural = _("报送安排")

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_kind_display()}"

    def reporting_dates(self, *, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        """Reporting dates after *start* up to and including *end*; *end* (the due date) is always last.

        >>> s = ReportingSchedule(kind="quarterly")
        >>> s.reporting_dates(start=datetime.date(2017, 5, 1), end=datetime.date(2017, 9, 30))
        [datetime.date(2017, 6, 30), datetime.date(2017, 9, 30)]
        """
        found: set[datetime.date] = {end}
        if self.kind == ScheduleKind.CUSTOM:
            found.update(d for d in (datetime.date.fromisoformat(x) for x in self.dates) if start < d <= end)
        elif self.kind in (ScheduleKind.MONTHLY, ScheduleKind.QUARTERLY):
            months = range(1, 13) if self.kind == ScheduleKind.MONTHLY else (3, 6, 9, 12)
            for year in range(start.year, end.year + 1):
                for month in months:
                    d = _month_end(year, month)
                    if start < d <= end:
                        found.add(d)
        return sorted(found)


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


# --------------------------------------------------------------------------- work items


class WorkItemStatus(models.TextChoices):
    """Where a work item stands in its lifecycle (stored; changed only by services)."""

    ISSUED = "issued", _("待签收")
    IN_PROGRESS = "in_progress", _("进行中")
    PENDING_REVIEW = "pending_review", _("待审核")
    RETURNED = "returned", _("被退回")
    CLOSED = "closed", _("已办结")


class CloseOutcome(models.TextChoices):
    ACHIEVED = "achieved", _("完成")
    NOT_ACHIEVED = "not_achieved", _("未完成")


class DisplayStatus(models.TextChoices):
    """The one label a screen or chart shows for a work item on a given day (see module docstring)."""

    TO_SIGN = "to_sign", _("待签收")
    IN_PROGRESS = "in_progress", _("进行中")
    OVERDUE = "overdue", _("已逾期")
    RETURNED = "returned", _("被退回")
    PENDING_REVIEW = "pending_review", _("待审核")
    CLOSED_ACHIEVED = "closed_achieved", _("已办结（完成）")
    CLOSED_NOT_ACHIEVED = "closed_not_achieved", _("办结（未完成）")


DONE_STATUSES = frozenset({DisplayStatus.CLOSED_ACHIEVED})  # the only status that counts as done


class WorkItemQuerySet(models.QuerySet["WorkItem"]):
    def for_user(self, user) -> WorkItemQuerySet:  # noqa: ANN001 (User | AnonymousUser)
        """Items *user* may read (see supervision.access.visible_work_items for the rules)."""
        from zhiliang.supervision.access import visible_work_items

        return visible_work_items(user, self)

    def for_organisation(self, organisation) -> WorkItemQuerySet:  # noqa: ANN001
        return self.filter(organisation=organisation)

    def for_plan(self, plan) -> WorkItemQuerySet:  # noqa: ANN001
        return self.filter(task__plan=plan)

    def open(self) -> WorkItemQuerySet:
        return self.exclude(status=WorkItemStatus.CLOSED)

    def closed(self) -> WorkItemQuerySet:
        return self.filter(status=WorkItemStatus.CLOSED)

    def to_sign(self) -> WorkItemQuerySet:
        return self.filter(status=WorkItemStatus.ISSUED)

    def returned(self) -> WorkItemQuerySet:
        return self.filter(status=WorkItemStatus.RETURNED)

    def pending_review(self) -> WorkItemQuerySet:
        return self.filter(status=WorkItemStatus.PENDING_REVIEW)

    def overdue(self, *, on: datetime.date | None = None) -> WorkItemQuerySet:
        """Open items owing a report (or a signature) whose date has passed on *on* (default today)."""
        on = on or timezone.localdate()
        return self.open().filter(next_due_on__lt=on)

    def due_between(self, start: datetime.date, end: datetime.date) -> WorkItemQuerySet:
        """Open items whose next report is owed between *start* and *end* inclusive (for reminders)."""
        return self.open().filter(next_due_on__gte=start, next_due_on__lte=end)

    def with_display_status(self, *, on: datetime.date | None = None) -> WorkItemQuerySet:
        """Annotate ``display_status_code`` (a DisplayStatus value) so lists and charts can group by it."""
        on = on or timezone.localdate()
        S, D = WorkItemStatus, DisplayStatus
        return self.annotate(
            display_status_code=models.Case(
                models.When(
                    status=S.CLOSED, close_outcome=CloseOutcome.ACHIEVED, then=models.Value(D.CLOSED_ACHIEVED)
                ),
                models.When(status=S.CLOSED, then=models.Value(D.CLOSED_NOT_ACHIEVED)),
                models.When(status=S.RETURNED, then=models.Value(D.RETURNED)),
                models.When(next_due_on__lt=on, then=models.Value(D.OVERDUE)),
                models.When(status=S.PENDING_REVIEW, then=models.Value(D.PENDING_REVIEW)),
                models.When(status=S.ISSUED, then=models.Value(D.TO_SIGN)),
                default=models.Value(D.IN_PROGRESS),
                output_field=models.CharField(),
            )
        )

    def status_counts(self, *, on: datetime.date | None = None) -> dict[str, int]:
        """``{DisplayStatus value: count}`` with every status present (zeros included)."""
        counts = {s.value: 0 for s in DisplayStatus}
        rows = (
            self.with_display_status(on=on)
            .order_by()
            .values("display_status_code")
            .annotate(n=models.Count("pk"))
        )
        for row in rows:
            counts[row["display_status_code"]] = row["n"]
        return counts


class WorkItem(models.Model):
    """One task handed to one organisation, with its role; the unit signs it and reports on it."""

    schedule = models.ForeignKey(
        ReportingSchedule, verbose_name=_("报送安排"), on_delete=models.CASCADE, related_name="work_items"
    )
    task = models.ForeignKey(
        "plans.Task", verbose_name=_("任务"), on_delete=models.CASCADE, related_name="work_items"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="work_items",
    )
    role = models.CharField(_("角色"), max_length=8, choices=AssignmentRole.choices)
    # An assisting unit reports to the lead unit's item, which consolidates one report for the task.
    lead_item = models.ForeignKey(
        "self",
        verbose_name=_("牵头单位事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assist_items",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=WorkItemStatus.choices, default=WorkItemStatus.ISSUED, db_index=True
    )
    due_date = models.DateField(_("完成时限"))
    next_due_on = models.DateField(_("下次报送期限"), null=True, blank=True, db_index=True)
    issued_at = models.DateTimeField(_("下发时间"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("下发人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    close_outcome = models.CharField(_("办结结果"), max_length=16, choices=CloseOutcome.choices, blank=True)
    close_note = models.TextField(_("办结说明"), blank=True)

    objects = WorkItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "task__plan", "task__number", "pk"]
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "organisation"], name="work_item_unique_task_organisation"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.task} · {self.organisation}"

    @property
    def plan(self):  # noqa: ANN201
        return self.task.plan

    @property
    def is_closed(self) -> bool:
        return self.status == WorkItemStatus.CLOSED

    @property
    def is_consolidating(self) -> bool:
        """The lead's item, which gathers the assisting units' reports."""
        return self.role == AssignmentRole.LEAD

    @property
    def reports_to_lead(self) -> bool:
        return self.role == AssignmentRole.ASSIST and self.lead_item_id is not None

    def is_overdue(self, *, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return not self.is_closed and self.next_due_on is not None and self.next_due_on < on

    def display_status(self, *, on: datetime.date | None = None) -> DisplayStatus:
        """Same rules as ``WorkItemQuerySet.with_display_status``, for one row."""
        code = getattr(self, "display_status_code", None)
        if code is not None and on is None:
            return DisplayStatus(code)
        if self.is_closed:
            if self.close_outcome == CloseOutcome.ACHIEVED:
                return DisplayStatus.CLOSED_ACHIEVED
            return DisplayStatus.CLOSED_NOT_ACHIEVED
        if self.status == WorkItemStatus.RETURNED:
            return DisplayStatus.RETURNED
        if self.is_overdue(on=on):
            return DisplayStatus.OVERDUE
        if self.status == WorkItemStatus.PENDING_REVIEW:
            return DisplayStatus.PENDING_REVIEW
        if self.status == WorkItemStatus.ISSUED:
            return DisplayStatus.TO_SIGN
        return DisplayStatus.IN_PROGRESS


# --------------------------------------------------------------------------- reporting dates


class ReportDueStatus(models.TextChoices):
    PENDING = "pending", _("待报送")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("被退回")
    ACCEPTED = "accepted", _("已采纳")
    CANCELLED = "cancelled", _("不再报送")


OPEN_DUE_STATUSES = (ReportDueStatus.PENDING, ReportDueStatus.RETURNED)


class ReportDueQuerySet(models.QuerySet["ReportDue"]):
    def pending(self) -> ReportDueQuerySet:
        """Reports still owed: never sent, or sent back; on items that are not closed."""
        return self.filter(status__in=OPEN_DUE_STATUSES).exclude(work_item__status=WorkItemStatus.CLOSED)

    def overdue(self, *, on: datetime.date | None = None) -> ReportDueQuerySet:
        return self.pending().filter(due_on__lt=on or timezone.localdate())

    def due_between(self, start: datetime.date, end: datetime.date) -> ReportDueQuerySet:
        return self.pending().filter(due_on__gte=start, due_on__lte=end)

    def for_user(self, user) -> ReportDueQuerySet:  # noqa: ANN001
        return self.filter(work_item__in=WorkItem.objects.for_user(user))


class ReportDue(models.Model):
    """One date a work item's unit must report by (the item's due date is always the last one)."""

    work_item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="report_dues")
    due_on = models.DateField(_("报送期限"))
    is_final = models.BooleanField(_("到期报告"), default=False)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ReportDueStatus.choices,
        default=ReportDueStatus.PENDING,
        db_index=True,
    )

    objects = ReportDueQuerySet.as_manager()

    class Meta:
        ordering = ["work_item", "due_on"]
        verbose_name = _("报送期限")
        verbose_name_plural = _("报送期限")
        constraints = [models.UniqueConstraint(fields=["work_item", "due_on"], name="report_due_unique_date")]

    def __str__(self) -> str:
        return f"{self.work_item} · {self.due_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DUE_STATUSES


# --------------------------------------------------------------------------- reports


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING_LEAD = "pending_lead", _("待牵头单位汇总")
    PENDING_LEADER = "pending_leader", _("待部门审核")
    PENDING_OFFICE = "pending_office", _("待质量办审核")
    LEADER_RETURNED = "leader_returned", _("部门退回")
    OFFICE_RETURNED = "office_returned", _("质量办退回")
    CONSOLIDATED = "consolidated", _("已汇总")
    ACCEPTED = "accepted", _("已采纳")


EDITABLE_REPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.LEADER_RETURNED, ReportStatus.OFFICE_RETURNED)


class ProgressReportQuerySet(models.QuerySet["ProgressReport"]):
    def for_user(self, user) -> ProgressReportQuerySet:  # noqa: ANN001
        return self.filter(work_item__in=WorkItem.objects.for_user(user))

    def pending_leader(self) -> ProgressReportQuerySet:
        return self.filter(status=ReportStatus.PENDING_LEADER)

    def pending_lead(self) -> ProgressReportQuerySet:
        return self.filter(status=ReportStatus.PENDING_LEAD)

    def pending_office(self) -> ProgressReportQuerySet:
        return self.filter(status=ReportStatus.PENDING_OFFICE)


class ProgressReport(models.Model):
    """A unit's report for one reporting date; returned reports are corrected and resubmitted in place."""

    work_item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="reports")
    report_due = models.OneToOneField(ReportDue, on_delete=models.CASCADE, related_name="report")
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    percent = models.PositiveSmallIntegerField(_("完成进度(%)"), null=True, blank=True)
    narrative = models.TextField(_("进展情况"), blank=True)
    # An assisting unit's report, once the lead unit has gathered it into its own report.
    consolidated_into = models.ForeignKey(
        "self",
        verbose_name=_("汇总至"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consolidated_reports",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["work_item", "report_due__due_on"]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")

    def __str__(self) -> str:
        return f"{self.work_item} · {self.report_due.due_on:%Y-%m-%d}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_REPORT_STATUSES

    @property
    def last_return(self) -> ReviewDecision | None:
        return self.decisions.filter(decision=Decision.RETURN).order_by("-decided_at", "-pk").first()


class TargetProgress(models.Model):
    """The actual value reported against one target (and one area, for a broken-down target)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="target_progress")
    target = models.ForeignKey(
        "plans.Target", verbose_name=_("目标"), on_delete=models.CASCADE, related_name="+"
    )
    breakdown = models.ForeignKey(
        "plans.TargetBreakdown",
        verbose_name=_("地区分解"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    actual = models.DecimalField(_("实际完成"), max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["report", "target__order", "breakdown_id"]
        verbose_name = _("指标完成情况")
        verbose_name_plural = _("指标完成情况")
        # One actual per report × target × area, and one for the whole target (no area). Two partial
        # constraints instead of nulls_distinct=False, which SQLite cannot enforce.
        constraints = [
            models.UniqueConstraint(
                fields=["report", "target", "breakdown"],
                condition=models.Q(breakdown__isnull=False),
                name="target_progress_unique_area",
            ),
            models.UniqueConstraint(
                fields=["report", "target"],
                condition=models.Q(breakdown__isnull=True),
                name="target_progress_unique_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} · {self.actual}"


def evidence_path(instance: Evidence, filename: str) -> str:
    """Stored under a random name: the user's file name never reaches the file system."""
    return f"evidence/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A file backing a report (佐证材料); type sniffed from its bytes, size-limited, hashed."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveIntegerField(_("字节数"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    sha256 = models.CharField(_("内容摘要(SHA-256)"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["report", "uploaded_at", "pk"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.original_name


class ReviewStage(models.TextChoices):
    LEAD = "lead", _("牵头单位")
    LEADER = "leader", _("部门审核")
    OFFICE = "office", _("质量办审核")


class Decision(models.TextChoices):
    APPROVE = "approve", _("通过")
    RETURN = "return", _("退回")


class ReviewDecision(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="decisions")
    stage = models.CharField(_("审核环节"), max_length=8, choices=ReviewStage.choices)
    decision = models.CharField(_("结论"), max_length=8, choices=Decision.choices)
    reason = models.TextField(_("理由"), blank=True)
    decided_at = models.DateTimeField(_("审核时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["report", "decided_at", "pk"]
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.get_decision_display()}"


# --------------------------------------------------------------------------- timeline


class EventKind(models.TextChoices):
    ISSUED = "issued", _("下发")
    ACKNOWLEDGED = "acknowledged", _("签收")
    REPORT_SAVED = "report_saved", _("保存报告")
    REPORT_SUBMITTED = "report_submitted", _("提交报告")
    REPORT_IMPORTED = "report_imported", _("导入进展")
    CONSOLIDATED = "consolidated", _("汇总配合单位报告")
    EVIDENCE_ADDED = "evidence_added", _("上传佐证材料")
    LEADER_APPROVED = "leader_approved", _("部门审核通过")
    LEADER_RETURNED = "leader_returned", _("部门退回")
    OFFICE_ACCEPTED = "office_accepted", _("质量办采纳")
    OFFICE_RETURNED = "office_returned", _("质量办退回")
    CLOSED = "closed", _("办结")


class TimelineEventQuerySet(models.QuerySet["TimelineEvent"]):
    def for_task(self, task) -> TimelineEventQuerySet:  # noqa: ANN001
        return self.filter(task=task)


class TimelineEvent(models.Model):
    """One line of a task's readable history: who, when, what, and the values before and after."""

    task = models.ForeignKey("plans.Task", on_delete=models.CASCADE, related_name="timeline_events")
    work_item = models.ForeignKey(
        WorkItem, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事件"), max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_organisation = models.CharField(_("操作人单位"), max_length=128, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    summary = models.CharField(_("摘要"), max_length=255)
    # {"field label": ["before", "after"]}, already readable (labels and values in Chinese).
    changes = models.JSONField(_("变更"), default=dict, blank=True)

    objects = TimelineEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self) -> str:
        return self.summary
