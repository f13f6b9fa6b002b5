"""Enterprise quality credit (质量诚信体系): the credit archive, grading, red and black lists.

Write paths live in ``services.py`` (records, objections, repair), ``grading.py`` and ``lists.py``.
Read paths for the public one-stop query are the QuerySet methods here:

- ``Enterprise.objects.search(q)`` / ``.with_current_grade()``
- ``CreditRecord.objects.public(on=date)``: what may be shown to the public on *date*
- ``ListEntry.objects.current(on=date)``: red/black list entries in force on *date*
"""

from __future__ import annotations

import datetime
import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _today() -> datetime.date:
    return timezone.localdate()


class Polarity(models.TextChoices):
    POSITIVE = "positive", _("良好")
    NEGATIVE = "negative", _("不良")


class RecordCategory(models.TextChoices):
    SAMPLING = "sampling", _("监督抽查")
    PENALTY = "penalty", _("行政处罚")
    RECALL = "recall", _("缺陷产品召回")
    COMPLAINT = "complaint", _("投诉举报")
    AWARD = "award", _("质量奖励")
    BRAND = "brand", _("名牌与商标")
    CERTIFICATION = "certification", _("认证")
    OTHER = "other", _("其他")


class Sector(models.TextChoices):
    """Sectors with their own repair periods (food, drugs, special equipment: 1 year)."""

    GENERAL = "", _("一般")
    FOOD = "food", _("食品")
    DRUG = "drug", _("药品")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备")
    KEY_INDUSTRIAL = "key_industrial", _("重点工业产品")


class RecordType(models.Model):
    """A kind of credit record with its display and repair rules (loaded from data/record_types.json)."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    category = models.CharField(_("类别"), max_length=16, choices=RecordCategory.choices)
    polarity = models.CharField(_("性质"), max_length=16, choices=Polarity.choices)
    display_months = models.PositiveSmallIntegerField(
        _("默认公示期(月)"), null=True, blank=True, help_text=_("空表示长期公示")
    )
    repairable = models.BooleanField(_("可信用修复"), default=False)
    repair_after_months = models.PositiveSmallIntegerField(_("公示满几个月可申请修复"), default=6)
    repair_after_months_sensitive = models.PositiveSmallIntegerField(
        _("食品、药品、特种设备等公示满几个月可申请修复"), default=12
    )
    requires_product = models.BooleanField(_("须填写产品"), default=False)
    description = models.CharField(_("说明"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("信用记录类型")
        verbose_name_plural = _("信用记录类型")

    def __str__(self) -> str:
        return self.name

    def repair_months_for(self, sector: str) -> int:
        sensitive = {Sector.FOOD, Sector.DRUG, Sector.SPECIAL_EQUIPMENT, Sector.KEY_INDUSTRIAL}
        return self.repair_after_months_sensitive if sector in sensitive else self.repair_after_months


class EnterpriseQuerySet(models.QuerySet["Enterprise"]):
    def search(self, q: str) -> EnterpriseQuerySet:
        """Match a full USCC exactly, or a part of the current or a former name."""
        q = (q or "").strip()
        if not q:
            return self.none()
        upper = q.upper()
        if len(upper) == 18 and upper.isalnum():
            return self.filter(uscc=upper)
        return self.filter(
            Q(name__icontains=q) | Q(former_names_text__icontains=q) | Q(uscc__startswith=upper)
        )

    def with_current_grade(self) -> EnterpriseQuerySet:
        """Prefetch each enterprise's current grades (``enterprise.current_grades``)."""
        return self.prefetch_related(
            models.Prefetch(
                "grades",
                queryset=EnterpriseGrade.objects.filter(is_current=True).select_related("scheme"),
                to_attr="current_grades",
            )
        )

    def visible_to_regions(self, region_ids: set[int] | None) -> EnterpriseQuerySet:
        return self if region_ids is None else self.filter(region_id__in=region_ids)

    def needing_regrade(self) -> EnterpriseQuerySet:
        return self.filter(needs_regrade=True)


class Enterprise(models.Model):
    """A market entity keyed by its unified social credit code (GB 32100)."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("企业名称"), max_length=200, db_index=True)
    former_names = models.JSONField(_("曾用名"), default=list, blank=True)
    # A flat copy of former_names so that search is one indexed-ish LIKE on both databases.
    former_names_text = models.CharField(_("曾用名(检索用)"), max_length=1000, blank=True, editable=False)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("登记地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    address = models.CharField(_("住所"), max_length=255, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    uscc_warnings = models.JSONField(_("代码校验提示"), default=list, blank=True)
    uscc_warning_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代码提示确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uscc_warning_accepted_at = models.DateTimeField(_("代码提示确认时间"), null=True, blank=True)
    needs_regrade = models.BooleanField(_("待重新评级"), default=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"

    def save(self, *args, **kwargs) -> None:
        self.former_names_text = "；".join(self.former_names or [])
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "former_names" in update_fields:
            kwargs["update_fields"] = {*update_fields, "former_names_text"}
        super().save(*args, **kwargs)

    def current_grade(self, scheme: GradingScheme | None = None) -> EnterpriseGrade | None:
        """The current grade under *scheme* (default scheme when None); uses the prefetch when present."""
        grades = getattr(self, "current_grades", None)
        if grades is None:
            grades = list(self.grades.filter(is_current=True).select_related("scheme"))
        for grade in grades:
            if (scheme is None and grade.scheme.is_default) or (
                scheme is not None and grade.scheme_id == scheme.pk
            ):
                return grade
        return None


class RecordStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    OBJECTED = "objected", _("异议处理中")
    REPAIRED = "repaired", _("已修复")
    REVOKED = "revoked", _("已撤销")


class ImportBatch(models.Model):
    """One bulk import (file upload or exchange API call): provenance of the records it created."""

    class Channel(models.TextChoices):
        FILE = "file", _("文件导入")
        API = "api", _("数据交换接口")

    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices, default=Channel.FILE)
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    content_hash = models.CharField(_("内容摘要(SHA-256)"), max_length=64, blank=True, db_index=True)
    row_count = models.PositiveIntegerField(_("记录数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.ForeignKey(
        "credit.ExchangeToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="batches"
    )
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.file_name or self.pk}"


class CreditRecordQuerySet(models.QuerySet["CreditRecord"]):
    def public(self, on: datetime.date | None = None) -> CreditRecordQuerySet:
        """Records the public may see on *on* (default today).

        Public, not revoked, inside the display period, and not yet repaired on that day. A record
        under objection stays visible (marked 异议处理中): filing an objection must not hide it.
        """
        on = on or _today()
        return self.filter(
            Q(display_until__isnull=True) | Q(display_until__gte=on),
            Q(repaired_on__isnull=True) | Q(repaired_on__gt=on),
            is_public=True,
            published_from__lte=on,
            status__in=[RecordStatus.ACTIVE, RecordStatus.OBJECTED, RecordStatus.REPAIRED],
        )

    def counting(self) -> CreditRecordQuerySet:
        """Records that count for grading and lists: not revoked (repair is checked by date)."""
        return self.exclude(status=RecordStatus.REVOKED)

    def writable_scope(
        self, *, department_id: int | None, region_ids: set[int] | None
    ) -> CreditRecordQuerySet:
        qs = self if region_ids is None else self.filter(source_region_id__in=region_ids)
        return qs if department_id is None else qs.filter(source_department_id=department_id)


class CreditRecord(models.Model):
    """One good or bad credit record of an enterprise, from one source authority."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="records"
    )
    record_type = models.ForeignKey(
        RecordType, verbose_name=_("记录类型"), on_delete=models.PROTECT, related_name="records"
    )
    source_department = models.ForeignKey(
        "departments.Department", verbose_name=_("来源部门"), on_delete=models.PROTECT, related_name="+"
    )
    source_region = models.ForeignKey(
        "regions.Region", verbose_name=_("来源地区"), on_delete=models.PROTECT, related_name="+"
    )
    source_authority = models.CharField(_("作出机关"), max_length=128)
    decision_number = models.CharField(_("决定文号"), max_length=128, blank=True)
    title = models.CharField(_("摘要"), max_length=255, blank=True)
    product = models.CharField(_("产品"), max_length=200, blank=True)
    result = models.CharField(_("结果"), max_length=255, blank=True)
    sector = models.CharField(
        _("行业"), max_length=24, choices=Sector.choices, default=Sector.GENERAL, blank=True
    )
    occurred_on = models.DateField(_("发生/决定日期"))
    published_from = models.DateField(_("公示起始日期"))
    display_until = models.DateField(_("公示截止日期"), null=True, blank=True)
    repairable = models.BooleanField(_("可信用修复"), default=False)
    repaired_on = models.DateField(_("修复生效日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=RecordStatus.choices, default=RecordStatus.ACTIVE
    )
    is_public = models.BooleanField(_("向社会公示"), default=True)
    details = models.JSONField(_("其他信息"), default=dict, blank=True)
    external_id = models.CharField(_("来源系统编号"), max_length=64, blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CreditRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        indexes = [models.Index(fields=["enterprise", "status"]), models.Index(fields=["published_from"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source_department", "source_region", "external_id"],
                condition=~Q(external_id=""),
                name="credit_record_unique_external_id",
            ),
            models.CheckConstraint(
                condition=Q(display_until__isnull=True) | Q(display_until__gte=models.F("published_from")),
                name="credit_record_display_after_publish",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_type} · {self.enterprise.name} · {self.occurred_on}"

    @property
    def polarity(self) -> str:
        return self.record_type.polarity

    def is_public_on(self, on: datetime.date | None = None) -> bool:
        on = on or _today()
        return (
            self.is_public
            and self.status != RecordStatus.REVOKED
            and self.published_from <= on
            and (self.display_until is None or self.display_until >= on)
            and (self.repaired_on is None or self.repaired_on > on)
        )

    def repair_eligible_from(self) -> datetime.date:
        """The first day a repair application is allowed (published for the rule's minimum months)."""
        from zhiliang.credit.dates import add_months

        return add_months(self.published_from, self.record_type.repair_months_for(self.sector))


class RecordEvent(models.Model):
    """The history of a record: every step of creation, objection, repair and revocation."""

    class Kind(models.TextChoices):
        CREATED = "created", _("录入")
        IMPORTED = "imported", _("批量导入")
        EXCHANGED = "exchanged", _("数据交换")
        OBJECTION_FILED = "objection_filed", _("提出异议")
        OBJECTION_UPHELD = "objection_upheld", _("异议成立")
        OBJECTION_REJECTED = "objection_rejected", _("异议不成立")
        REPAIR_APPLIED = "repair_applied", _("申请信用修复")
        REPAIR_APPROVED = "repair_approved", _("准予信用修复")
        REPAIR_REJECTED = "repair_rejected", _("不予信用修复")
        REVOKED = "revoked", _("撤销")
        LISTED = "listed", _("列入名单")
        DELISTED = "delisted", _("移出名单")

    record = models.ForeignKey(
        CreditRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=24, choices=Kind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("办理人"), max_length=128, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("信用档案事项")
        verbose_name_plural = _("信用档案事项")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d}"


class DecisionStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    APPROVED = "approved", _("成立/准予")
    REJECTED = "rejected", _("不成立/不予")


class Objection(models.Model):
    """An enterprise disputes a record (异议); the source authority decides."""

    reference = models.UUIDField(_("受理编号"), default=uuid.uuid4, unique=True, editable=False)
    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="objections")
    filed_by_name = models.CharField(_("申请人"), max_length=128)
    filed_by_contact = models.CharField(_("联系方式"), max_length=128)
    reason = models.TextField(_("异议理由"))
    filed_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    status = models.CharField(
        _("状态"), max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_reason = models.TextField(_("处理意见"), blank=True)

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("异议申请")
        verbose_name_plural = _("异议申请")
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=Q(status="pending"), name="objection_one_pending_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.filed_by_name} · {self.record_id}"


class RepairApplication(models.Model):
    """Credit repair (信用修复): early end of a record's public display, or early removal from a list."""

    reference = models.UUIDField(_("受理编号"), default=uuid.uuid4, unique=True, editable=False)
    record = models.ForeignKey(
        CreditRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="repairs"
    )
    list_entry = models.ForeignKey(
        "credit.ListEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="repairs"
    )
    applicant_name = models.CharField(_("申请人"), max_length=128)
    applicant_contact = models.CharField(_("联系方式"), max_length=128)
    reason = models.TextField(_("申请理由及整改情况"))
    filed_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    status = models.CharField(
        _("状态"), max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_reason = models.TextField(_("处理意见"), blank=True)
    effective_on = models.DateField(_("修复生效日期"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        constraints = [
            models.CheckConstraint(
                condition=(Q(record__isnull=False) & Q(list_entry__isnull=True))
                | (Q(record__isnull=True) & Q(list_entry__isnull=False)),
                name="repair_targets_record_or_list_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_name} · {self.record_id or self.list_entry_id}"

    @property
    def enterprise(self) -> Enterprise:
        return self.record.enterprise if self.record_id else self.list_entry.enterprise


class GradingScheme(models.Model):
    """A grading scheme as data: ordered grades with score floors and holding rules, weights per record type.

    ``grades``: best first, e.g. ``[{"code": "AAA", "name": "…", "min_score": 100,
    "requires": {"grade": "AA", "held_months": 12}}, …, {"code": "D", "min_score": null}]``.
    ``rules``: ``{"base_score": 80, "window_months": 36, "weights": {"SAMPLING_FAIL": -20, …},
    "max_per_type": {…}, "forced": [{"list_kind": "black", "grade": "D"}]}``.
    """

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    description = models.TextField(_("说明"), blank=True)
    grades = models.JSONField(_("等级(由高到低)"))
    rules = models.JSONField(_("规则与权重"))
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    is_default = models.BooleanField(_("默认方案"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "code"]
        verbose_name = _("评级方案")
        verbose_name_plural = _("评级方案")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_scheme"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def grade_codes(self) -> list[str]:
        return [g["code"] for g in self.grades]

    def grade_name(self, code: str) -> str:
        for g in self.grades:
            if g["code"] == code:
                return g.get("name", code)
        return code

    def is_valid_on(self, on: datetime.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class EnterpriseGrade(models.Model):
    """A computed grade with its basis; history is kept (older rows have ``is_current=False``)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="grades")
    scheme = models.ForeignKey(GradingScheme, on_delete=models.PROTECT, related_name="enterprise_grades")
    grade = models.CharField(_("信用等级"), max_length=8)
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2)
    computed_at = models.DateTimeField(_("评定时间"), default=timezone.now)
    as_of = models.DateField(_("评定基准日"))
    held_since = models.DateField(_("本等级起始日"))
    basis = models.JSONField(_("评定依据"), default=dict)
    is_current = models.BooleanField(_("当前等级"), default=True)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        verbose_name = _("企业信用等级")
        verbose_name_plural = _("企业信用等级")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "scheme"],
                condition=Q(is_current=True),
                name="one_current_grade_per_scheme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} · {self.grade}"

    @property
    def grade_name(self) -> str:
        return self.scheme.grade_name(self.grade)


class ListKind(models.TextChoices):
    RED = "red", _("红名单")
    BLACK = "black", _("黑名单")


class ListCriterion(models.Model):
    """An entry criterion for a list, as data.

    ``rule``: ``{"record_types": ["PENALTY_SERIOUS"], "min_count": 1, "window_months": 12,
    "exclude_polarity": "negative", "exclude_window_months": 36}``.
    """

    kind = models.CharField(_("名单"), max_length=8, choices=ListKind.choices)
    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    description = models.TextField(_("依据与说明"), blank=True)
    rule = models.JSONField(_("认定规则"), default=dict)
    listing_months = models.PositiveSmallIntegerField(_("列入期限(月)"), null=True, blank=True)
    early_removal_after_months = models.PositiveSmallIntegerField(
        _("列入满几个月可申请提前移出"), null=True, blank=True, help_text=_("空表示不可提前移出")
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("名单认定标准")
        verbose_name_plural = _("名单认定标准")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.name}"


class ListEntryQuerySet(models.QuerySet["ListEntry"]):
    def current(self, on: datetime.date | None = None) -> ListEntryQuerySet:
        """Entries in force on *on* (default today): listed, not yet expired, not removed."""
        on = on or _today()
        return self.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gt=on),
            Q(removed_on__isnull=True) | Q(removed_on__gt=on),
            listed_on__lte=on,
        )

    def red(self) -> ListEntryQuerySet:
        return self.filter(kind=ListKind.RED)

    def black(self) -> ListEntryQuerySet:
        return self.filter(kind=ListKind.BLACK)


class RemovalKind(models.TextChoices):
    EXPIRED = "expired", _("期满移出")
    REPAIRED = "repaired", _("信用修复提前移出")
    DECISION = "decision", _("决定移出")


class ListEntry(models.Model):
    """An enterprise on the red or black list: who listed it, why, until when."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="list_entries")
    kind = models.CharField(_("名单"), max_length=8, choices=ListKind.choices)
    criterion = models.ForeignKey(
        ListCriterion, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    source_record = models.ForeignKey(
        CreditRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="list_entries"
    )
    source_department = models.ForeignKey(
        "departments.Department", verbose_name=_("列入部门"), on_delete=models.PROTECT, related_name="+"
    )
    source_region = models.ForeignKey(
        "regions.Region", verbose_name=_("列入地区"), on_delete=models.PROTECT, related_name="+"
    )
    source_authority = models.CharField(_("列入机关"), max_length=128)
    reason = models.TextField(_("列入理由"))
    listed_on = models.DateField(_("列入日期"))
    expires_on = models.DateField(_("期满日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_kind = models.CharField(_("移出方式"), max_length=16, choices=RemovalKind.choices, blank=True)
    removal_reason = models.TextField(_("移出理由"), blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-listed_on", "-pk"]
        verbose_name = _("名单条目")
        verbose_name_plural = _("名单条目")
        indexes = [models.Index(fields=["kind", "removed_on", "expires_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("listed_on")),
                name="list_entry_expires_after_listing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.enterprise.name}"

    def is_current_on(self, on: datetime.date | None = None) -> bool:
        on = on or _today()
        return (
            self.listed_on <= on
            and (self.expires_on is None or self.expires_on > on)
            and (self.removed_on is None or self.removed_on > on)
        )


class ExchangeToken(models.Model):
    """An API token of one member department (in one region); only a hash of the key is stored."""

    name = models.CharField(_("名称"), max_length=128)
    department = models.ForeignKey("departments.Department", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    source_authority = models.CharField(_("作出机关"), max_length=128)
    record_types = models.ManyToManyField(RecordType, verbose_name=_("可写记录类型"), related_name="+")
    key_prefix = models.CharField(_("令牌前缀"), max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("数据交换令牌")
        verbose_name_plural = _("数据交换令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


# Who changed what, when (django-auditlog), for rows edited outside the services' own event trail.
# Bulk imports use bulk_create and are traced by RecordEvent + ImportBatch instead.
from auditlog.registry import auditlog  # noqa: E402

auditlog.register(Enterprise, exclude_fields=["needs_regrade", "former_names_text", "updated_at"])
auditlog.register(CreditRecord, exclude_fields=["updated_at"])
auditlog.register(ListEntry)
auditlog.register(RecordType)
auditlog.register(GradingScheme)
auditlog.register(ListCriterion)
auditlog.register(ExchangeToken, exclude_fields=["key_hash", "last_used_at"])

# Issued credit reports live beside the report renderer; importing them here registers the model
# with the app whatever module is loaded first.
from zhiliang.credit.reports import CreditReport  # noqa: E402, F401
