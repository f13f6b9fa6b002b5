from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentKind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    COORDINATION = "coordination", _("议事协调机构")
    DEPARTMENT = "department", _("政府部门")
    VERTICAL = "vertical", _("垂直管理单位")
    PARTY = "party", _("党委部门")
    ASSOCIATION = "association", _("群团组织")
    COLLECTIVE = "collective", _("集合单位")


class Department(models.Model):
    """A functional department (one row of departments.csv), the same at every level of government."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    kind = models.CharField(_("类别"), max_length=16, choices=DepartmentKind.choices)
    canonical_name = models.CharField(_("规范名称"), max_length=128)
    national_forms = models.CharField(_("国家层面名称"), max_length=255, blank=True)
    successor_2018 = models.CharField(_("2018年机构改革后"), max_length=128, blank=True)
    notes = models.CharField(_("备注"), max_length=255, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self) -> str:
        return self.canonical_name

    @property
    def is_collective(self) -> bool:
        return self.kind == DepartmentKind.COLLECTIVE


class AliasSource(models.TextChoices):
    REFERENCE = "reference", _("参考表")
    REVIEW = "review", _("人工认定")


class DepartmentAlias(models.Model):
    """A name a plan may use for a department; review-queue decisions are remembered here."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("名称"), max_length=128, unique=True)
    source = models.CharField(
        _("来源"), max_length=16, choices=AliasSource.choices, default=AliasSource.REFERENCE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("部门别名")
        verbose_name_plural = _("部门别名")

    def __str__(self) -> str:
        return f"{self.name} → {self.department.code}"
