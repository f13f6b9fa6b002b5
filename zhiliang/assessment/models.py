"""Assessment (质量工作考核): schemes as data, and one assessment year run through its steps.

The shape, top down::

    AssessmentScheme (scale, grade bands, veto rules, tie rule, the assessment-year date range)
      └─ Indicator (a tree of any depth: points, 评分方法, 需提交材料, scoring department, auto source)
    Assessment (one year of one province's scheme; ``stage`` moves through the cycle)
      └─ AssessmentCity (a city government taking part; final total, grade and rank are stored here)
           ├─ TargetFiling        目标备案
           ├─ IndicatorScore      自评 / 部门评分 / 自动取数 (+ override) per leaf indicator
           │    ├─ ScoreEvidence  佐证材料
           │    └─ ScoreAdjustment 实地核查 adjustments, each with a reason
           ├─ VetoFinding         一票否决
           └─ Rectification       整改 (report, acceptance, escalation to 约谈)
      └─ Bulletin                 通报 (results frozen as JSON when published)

Scoring rules live in ``zhiliang.lib.scoring`` (pure); ``services.assessment_compute`` feeds it.
A scheme used by an assessment is locked: edit a copy for the next year (versioned data, not code).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_BANDS = [["A", "90"], ["B", "80"], ["C", "60"], ["D", "0"]]
DEFAULT_VETO_RULES = [
    {"code": "regional_incident", "name": "发生区域性、系统性产品质量安全事件"},
]


class Scale(models.IntegerChoices):
    HUNDRED = 100, _("百分制")
    THOUSAND = 1000, _("千分制")


class TieRule(models.TextChoices):
    COMPETITION = "competition", _("并列占位（1、2、2、4）")
    DENSE = "dense", _("并列不占位（1、2、2、3）")


class AutoSource(models.TextChoices):
    NONE = "", _("人工评分")
    TASK_COMPLETION = "task_completion", _("任务完成率（督查督办）")
    ON_TIME_REPORTING = "on_time_reporting", _("按时报送率（督查督办）")
    TARGET_ACHIEVEMENT = "target_achievement", _("目标完成率（有量化目标的任务）")
    COMPLAINT_HANDLING = "complaint_handling", _("投诉处理（待接入）")
    CREDIT = "credit", _("质量信用（待接入）")


class AssessmentSchemeQuerySet(models.QuerySet["AssessmentScheme"]):
    def for_region(self, region_ids: set[int] | None) -> AssessmentSchemeQuerySet:
        return self if region_ids is None else self.filter(region_id__in=region_ids)


class AssessmentScheme(models.Model):
    """An indicator system with its scoring settings; owned by one province's quality office."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("方案名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    scale = models.PositiveIntegerField(_("满分"), choices=Scale.choices, default=Scale.HUNDRED)
    # [["A", "90"], ["B", "80"], ...] best first, minimums in scale units; the last starts at 0.
    grade_bands = models.JSONField(_("等次划分"), default=list)
    # [{"code": "...", "name": "..."}]: any finding under one of these forces veto_grade.
    veto_rules = models.JSONField(_("一票否决事项"), default=list, blank=True)
    veto_grade = models.CharField(_("否决后等次"), max_length=8, default="D")
    veto_ranks_last = models.BooleanField(_("被否决的排在最后"), default=True)
    tie_rule = models.CharField(
        _("并列规则"), max_length=16, choices=TieRule.choices, default=TieRule.COMPETITION
    )
    bottom_count = models.PositiveSmallIntegerField(_("末位整改数"), default=3)
    rectification_days = models.PositiveSmallIntegerField(_("整改报告期限(天)"), default=30)
    year_start = models.DateField(_("考核年度开始"))
    year_end = models.DateField(_("考核年度结束"))
    template_key = models.CharField(_("来源模板"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AssessmentSchemeQuerySet.as_manager()

    class Meta:
        ordering = ["-year_end", "name"]
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_end__gt=models.F("year_start")), name="scheme_year_range"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.assessments.exists()

    def bands(self) -> list[tuple[str, Decimal]]:
        return [(str(g), Decimal(str(m))) for g, m in self.grade_bands]

    def bands_text(self) -> str:
        return "；".join(f"{g}≥{m}" for g, m in self.grade_bands)


class Indicator(models.Model):
    """One node of a scheme's indicator tree (一级/二级/三级指标, 考核要点 …, any depth)."""

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级指标"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField(_("编号"), max_length=32)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    name = models.CharField(_("指标名称"), max_length=255)
    points = models.DecimalField(
        _("分值"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    scoring_method = models.TextField(_("评分方法"), blank=True)
    evidence_required = models.TextField(_("需提交材料"), blank=True)
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("评分部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    auto_source = models.CharField(
        _("自动取数"), max_length=32, choices=AutoSource.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["scheme", "order", "pk"]
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_auto(self) -> bool:
        return bool(self.auto_source)


class Stage(models.TextChoices):
    FILING = "filing", _("目标备案")
    SELF_ASSESSMENT = "self_assessment", _("自评")
    DEPARTMENT_SCORING = "department_scoring", _("部门评分")
    VERIFICATION = "verification", _("实地核查")
    FINAL = "final", _("综合评价")
    PUBLISHED = "published", _("通报")
    RECTIFICATION = "rectification", _("整改")


STAGE_ORDER = [s.value for s in Stage]


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def for_user(self, user) -> AssessmentQuerySet:  # noqa: ANN001
        from zhiliang.assessment.access import visible_assessments

        return visible_assessments(user, self)


class Assessment(models.Model):
    """One assessment year of one province: its scheme, its cities and where the cycle stands."""

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.PROTECT, related_name="assessments")
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("组织考核的地区"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=200)
    stage = models.CharField(_("阶段"), max_length=24, choices=Stage.choices, default=Stage.FILING)
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("核查人员"), blank=True, related_name="assessments_to_verify"
    )
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-scheme__year_end", "-pk"]
        verbose_name = _("考核")
        verbose_name_plural = _("考核")

    def __str__(self) -> str:
        return self.title

    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage)

    def stage_reached(self, stage: str) -> bool:
        return self.stage_index() >= STAGE_ORDER.index(stage)


class AssessmentCity(models.Model):
    """A city government being assessed; results are stored by ``services.assessment_compute``."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="cities")
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("被考核单位"), on_delete=models.PROTECT, related_name="+"
    )
    self_submitted_at = models.DateTimeField(_("自评提交时间"), null=True, blank=True)
    total = models.DecimalField(_("综合得分"), max_digits=10, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=8, blank=True)
    banded_grade = models.CharField(_("按分数等次"), max_length=8, blank=True)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    # {"indicator code": {"score": "…", "points": "…"}} for every node: radar, YoY and the score sheet.
    node_scores = models.JSONField(_("各指标得分"), default=dict, blank=True)

    class Meta:
        ordering = ["assessment", "rank", "region__code"]
        verbose_name = _("被考核地区")
        verbose_name_plural = _("被考核地区")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "region"], name="assessment_city_unique")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.region}"


class TargetFiling(models.Model):
    """目标备案: a target the city commits to for the year, optionally under an indicator."""

    city = models.ForeignKey(AssessmentCity, on_delete=models.CASCADE, related_name="filings")
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("对应指标"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(_("目标"), max_length=255)
    value = models.DecimalField(_("目标值"), max_digits=18, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=32, blank=True)
    note = models.TextField(_("说明"), blank=True)
    filed_at = models.DateTimeField(_("备案时间"), default=timezone.now)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["city", "filed_at", "pk"]
        verbose_name = _("目标备案")
        verbose_name_plural = _("目标备案")

    def __str__(self) -> str:
        return self.subject


class IndicatorScore(models.Model):
    """One city × one leaf indicator: self score, department score, auto score and override."""

    city = models.ForeignKey(AssessmentCity, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="scores")
    self_score = models.DecimalField(_("自评分"), max_digits=8, decimal_places=2, null=True, blank=True)
    self_note = models.TextField(_("自评说明"), blank=True)
    department_score = models.DecimalField(
        _("部门评分"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    department_note = models.TextField(_("扣分理由"), blank=True)
    department_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department_at = models.DateTimeField(_("评分时间"), null=True, blank=True)
    auto_score = models.DecimalField(_("自动得分"), max_digits=8, decimal_places=2, null=True, blank=True)
    # {"formula": "...", "numerator": n, "denominator": d, "rate": "0.8", "as_of": "...", "source": "..."}
    auto_inputs = models.JSONField(_("自动取数依据"), default=dict, blank=True)
    override_score = models.DecimalField(
        _("人工调整得分"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    override_reason = models.TextField(_("调整理由"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_at = models.DateTimeField(_("调整时间"), null=True, blank=True)

    class Meta:
        ordering = ["city", "indicator__order", "indicator_id"]
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        constraints = [models.UniqueConstraint(fields=["city", "indicator"], name="indicator_score_unique")]

    def __str__(self) -> str:
        return f"{self.city} · {self.indicator.code}"

    def base(self) -> tuple[Decimal | None, str, str]:
        """(score, source, reason) the engine starts from; see zhiliang.lib.scoring rule 1."""
        if self.override_score is not None:
            return self.override_score, "override", self.override_reason
        if self.indicator.is_auto:
            return (
                self.auto_score,
                ("auto" if self.auto_score is not None else ""),
                self.auto_inputs.get("explanation", ""),
            )
        if self.department_score is not None:
            return self.department_score, "department", self.department_note
        return None, "", ""


def assessment_evidence_path(instance: ScoreEvidence, filename: str) -> str:
    """Stored under a random name: the user's file name never reaches the file system."""
    return f"assessment/{uuid.uuid4().hex}"


class ScoreEvidence(models.Model):
    """佐证材料 for one city's indicator (type sniffed, size-limited and hashed like supervision's)."""

    score = models.ForeignKey(IndicatorScore, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to=assessment_evidence_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveIntegerField(_("字节数"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    sha256 = models.CharField(_("内容摘要(SHA-256)"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["score", "uploaded_at", "pk"]
        verbose_name = _("考核佐证材料")
        verbose_name_plural = _("考核佐证材料")

    def __str__(self) -> str:
        return self.original_name


class ScoreAdjustment(models.Model):
    """实地核查: an assessor's change to a score (+ or −) with the reason and what it rests on."""

    score = models.ForeignKey(IndicatorScore, on_delete=models.CASCADE, related_name="adjustments")
    delta = models.DecimalField(_("调整分值"), max_digits=8, decimal_places=2)
    reason = models.TextField(_("核查意见"))
    evidence = models.ForeignKey(
        ScoreEvidence,
        verbose_name=_("依据材料"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    made_at = models.DateTimeField(_("核查时间"), default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["score", "made_at", "pk"]
        verbose_name = _("核查调整")
        verbose_name_plural = _("核查调整")

    def __str__(self) -> str:
        return f"{self.delta:+} {self.reason[:20]}"


class VetoFinding(models.Model):
    city = models.ForeignKey(AssessmentCity, on_delete=models.CASCADE, related_name="vetoes")
    rule_code = models.CharField(_("否决事项"), max_length=64)
    description = models.TextField(_("事实和依据"))
    found_at = models.DateTimeField(_("认定时间"), default=timezone.now)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["city", "found_at"]
        verbose_name = _("一票否决认定")
        verbose_name_plural = _("一票否决认定")

    def __str__(self) -> str:
        return f"{self.city} · {self.rule_code}"


class Bulletin(models.Model):
    """通报: the published results, frozen so that every download says the same thing."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="bulletin")
    number = models.CharField(_("文号"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"), blank=True)
    results = models.JSONField(_("结果"), default=list)
    published_at = models.DateTimeField(_("通报时间"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("考核通报")
        verbose_name_plural = _("考核通报")

    def __str__(self) -> str:
        return self.title


class RectificationReason(models.TextChoices):
    GRADE_D = "grade_d", _("考核等次为D")
    BOTTOM = "bottom", _("排名末位")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("待提交整改报告")
    SUBMITTED = "submitted", _("待验收")
    ACCEPTED = "accepted", _("已验收")
    REJECTED = "rejected", _("验收未通过")
    SUMMONED = "summoned", _("已约谈")


class Rectification(models.Model):
    """整改: a city's written report due within the scheme's period, its acceptance, and 约谈."""

    city = models.OneToOneField(AssessmentCity, on_delete=models.CASCADE, related_name="rectification")
    reasons = models.JSONField(_("整改原因"), default=list)
    due_on = models.DateField(_("报告期限"))
    status = models.CharField(
        _("状态"), max_length=16, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    report = models.TextField(_("整改报告"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(_("验收意见"), blank=True)
    decided_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summons_note = models.TextField(_("约谈安排"), blank=True)
    summoned_at = models.DateTimeField(_("约谈时间"), null=True, blank=True)

    class Meta:
        ordering = ["city__rank", "city__region__code"]
        verbose_name = _("整改")
        verbose_name_plural = _("整改")

    def __str__(self) -> str:
        return f"{self.city} · {self.get_status_display()}"

    def reason_labels(self) -> list[str]:
        return [RectificationReason(r).label for r in self.reasons]

    def is_overdue(self, *, on=None) -> bool:  # noqa: ANN001
        on = on or timezone.localdate()
        return self.status == RectificationStatus.OPEN and self.due_on < on
