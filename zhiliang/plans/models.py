"""Action plans as structured data: plan → section → task → measures, assignments, targets, deadlines."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiliang.regions.models import RegionLevel


class PlanSource(models.Model):
    """One imported file: its provenance and decoded text (the plans point back into it)."""

    file_name = models.CharField(_("文件名"), max_length=255)
    content_hash = models.CharField(_("内容摘要(SHA-256)"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("字节数"))
    encoding = models.CharField(_("编码"), max_length=32, blank=True)
    format = models.CharField(_("格式"), max_length=16, blank=True)
    text = models.TextField(_("原文"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("来源文件")
        verbose_name_plural = _("来源文件")

    def __str__(self) -> str:
        return self.file_name


class PlanQuerySet(models.QuerySet["Plan"]):
    def visible_to_regions(self, region_ids: set[int] | None) -> PlanQuerySet:
        """None means no regional restriction (national users, superusers)."""
        return self if region_ids is None else self.filter(region_id__in=region_ids)

    def with_counts(self) -> PlanQuerySet:
        return self.annotate(
            task_count=models.Count("tasks", distinct=True),
            unresolved_count=models.Count(
                "tasks__assignments",
                # Task-level rows only: a note on a single measure is also stored on its measure.
                filter=models.Q(
                    tasks__assignments__department__isnull=True, tasks__assignments__measure__isnull=True
                ),
                distinct=True,
            ),
        )


class PlanOrigin(models.TextChoices):
    IMPORTED = "imported", _("导入")
    DERIVED = "derived", _("分解派生")


class Plan(models.Model):
    source = models.ForeignKey(
        PlanSource, verbose_name=_("来源文件"), on_delete=models.CASCADE, related_name="plans"
    )
    ordinal = models.PositiveSmallIntegerField(_("文件内序号"), default=0)
    title = models.CharField(_("标题"), max_length=255, blank=True)
    notice_title = models.CharField(_("印发通知"), max_length=255, blank=True)
    issuer = models.CharField(_("发文机关"), max_length=128, blank=True)
    doc_number = models.CharField(_("发文字号"), max_length=64, blank=True)
    date = models.DateField(_("成文日期"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True, db_index=True)
    region_name = models.CharField(_("地区（原文）"), max_length=64, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    level = models.CharField(_("层级"), max_length=16, choices=RegionLevel.choices, blank=True, db_index=True)
    basis = models.JSONField(_("依据文件"), default=list, blank=True)
    duplicates_removed = models.PositiveSmallIntegerField(_("去除的重复副本"), default=0)
    warnings = models.JSONField(_("解析提示"), default=list, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # Decomposition (分解): the plan one level up that this one implements. A derived plan is copied
    # from it (its PlanSource describes the derivation); an imported one is linked by hand.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级计划"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    origin = models.CharField(
        _("产生方式"), max_length=8, choices=PlanOrigin.choices, default=PlanOrigin.IMPORTED
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "region__code", "title"]
        verbose_name = _("行动计划")
        verbose_name_plural = _("行动计划")
        constraints = [
            models.UniqueConstraint(fields=["source", "ordinal"], name="plan_unique_in_source"),
            models.UniqueConstraint(
                fields=["parent", "region"],
                condition=models.Q(origin="derived"),
                name="plan_one_derived_per_region",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.notice_title or self.source.file_name


class SectionKind(models.TextChoices):
    TASKS = "tasks", _("重点任务")
    GOALS = "goals", _("目标")
    OTHER = "other", _("其他")


class Section(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField(_("序号"))
    label = models.CharField(_("编号"), max_length=16, blank=True)
    title = models.CharField(_("标题"), max_length=255, blank=True)
    kind = models.CharField(_("类别"), max_length=8, choices=SectionKind.choices)
    text = models.TextField(_("正文"), blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("部分")
        verbose_name_plural = _("部分")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="section_unique_number")]

    def __str__(self) -> str:
        return f"{self.label}{self.title}"


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField(_("序号"))
    label = models.CharField(_("编号"), max_length=16, blank=True)
    title = models.CharField(_("任务"), max_length=255)
    text = models.TextField(_("全文"))
    # Stable across re-imports of the same bytes: content hash prefix, plan ordinal, task number.
    source_ref = models.CharField(_("原文定位"), max_length=40, unique=True)
    source_start = models.PositiveIntegerField(_("原文起点"), null=True, blank=True)
    source_end = models.PositiveIntegerField(_("原文终点"), null=True, blank=True)
    # The task of the plan one level up that this one decomposes (细化); None for local tasks and
    # for tasks of an imported plan nobody has linked yet.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    is_local = models.BooleanField(_("本地新增"), default=False)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="task_unique_number")]

    def __str__(self) -> str:
        return f"{self.label}{self.title}"


class Measure(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="measures")
    order = models.PositiveSmallIntegerField(_("顺序"))
    text = models.TextField(_("措施"))

    class Meta:
        ordering = ["task", "order"]
        verbose_name = _("措施")
        verbose_name_plural = _("措施")

    def __str__(self) -> str:
        return self.text[:40]


class Role(models.TextChoices):
    LEAD = "lead", _("牵头")
    ASSIST = "assist", _("配合")
    SHARED = "shared", _("分工负责")


class ResolvedBy(models.TextChoices):
    PARSER = "parser", _("自动识别")
    ALIAS = "alias", _("别名")
    REVIEW = "review", _("人工认定")
    UNRESOLVED = "", _("未识别")


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def unresolved(self) -> AssignmentQuerySet:
        return self.filter(department__isnull=True)


class Assignment(models.Model):
    """Task × unit × role: one responsible unit named in a task's (or a measure's) note."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("单位（原文）"), max_length=128)
    role = models.CharField(_("角色"), max_length=8, choices=Role.choices)
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    resolved_by = models.CharField(_("识别方式"), max_length=8, choices=ResolvedBy.choices, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["task", "measure", "order"]
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")
        indexes = [models.Index(fields=["name"]), models.Index(fields=["department", "role"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"


class Comparator(models.TextChoices):
    GTE = ">=", _("不低于")
    LTE = "<=", _("不超过")
    EQ = "=", _("等于")


class Target(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveSmallIntegerField(_("顺序"))
    text = models.CharField(_("原文"), max_length=255)
    subject = models.CharField(_("指标"), max_length=255, blank=True)
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4)
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    comparator = models.CharField(_("比较"), max_length=2, choices=Comparator.choices, default=Comparator.EQ)
    # A derived plan's copy of a target one level up; `allocated` is False while the area's share
    # is unknown (no breakdown in the parent plan and no allocation by the office yet).
    parent_target = models.ForeignKey(
        "self",
        verbose_name=_("上级目标"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived_targets",
    )
    allocated = models.BooleanField(_("已分配"), default=True)

    class Meta:
        ordering = ["task", "order"]
        verbose_name = _("目标")
        verbose_name_plural = _("目标")

    def __str__(self) -> str:
        return self.text

    @property
    def is_rate(self) -> bool:
        """A rate (合格率 93%) applies to every area as it is; counts (120 项) are shared out."""
        return self.unit in {"%", "％", "‰"} or "率" in self.subject


class TargetBreakdown(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="breakdown")
    region_name = models.CharField(_("地区（原文）"), max_length=64)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["target", "pk"]
        verbose_name = _("目标分解")
        verbose_name_plural = _("目标分解")

    def __str__(self) -> str:
        return f"{self.region_name} {self.value}"


class TargetAllocation(models.Model):
    """The office's share of a target for one area below; it overrides the plan's own breakdown."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="allocations")
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分配人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    allocated_at = models.DateTimeField(_("分配时间"), auto_now=True)

    class Meta:
        ordering = ["target", "region__code"]
        verbose_name = _("目标分配")
        verbose_name_plural = _("目标分配")
        constraints = [models.UniqueConstraint(fields=["target", "region"], name="allocation_unique_region")]

    def __str__(self) -> str:
        return f"{self.region} {self.value}"


class Deadline(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="deadlines")
    order = models.PositiveSmallIntegerField(_("顺序"))
    text = models.CharField(_("原文"), max_length=64)
    date = models.DateField(_("截止日期"), null=True, blank=True)
    recurring = models.BooleanField(_("长期"), default=False)

    class Meta:
        ordering = ["task", "order"]
        verbose_name = _("完成时限")
        verbose_name_plural = _("完成时限")

    def __str__(self) -> str:
        return self.text


class UnitReviewStatus(models.TextChoices):
    OPEN = "open", _("待认定")
    MAPPED = "mapped", _("已认定")


class UnitReview(models.Model):
    """Review queue: a unit name the parser could not map to a department."""

    name = models.CharField(_("单位名称"), max_length=128, unique=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=UnitReviewStatus.choices, default=UnitReviewStatus.OPEN
    )
    department = models.ForeignKey(
        "departments.Department", verbose_name=_("认定部门"), null=True, blank=True, on_delete=models.PROTECT
    )
    first_seen = models.DateTimeField(_("首次出现"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("认定时间"), null=True, blank=True)

    class Meta:
        ordering = ["status", "name"]
        verbose_name = _("待认定单位")
        verbose_name_plural = _("待认定单位")

    def __str__(self) -> str:
        return self.name


class PendingImport(models.Model):
    """An upload waiting for its preview to be confirmed; removed on confirm or after a day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(_("文件名"), max_length=255)
    data = models.BinaryField(_("内容"))
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("待确认导入")
        verbose_name_plural = _("待确认导入")

    def __str__(self) -> str:
        return self.file_name
