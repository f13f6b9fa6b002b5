from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    QUALITY_OFFICE = "quality_office", _("质量工作领导小组办公室")
    DEPARTMENT = "department", _("成员单位")
    GOVERNMENT = "government", _("市县人民政府")


class Organisation(models.Model):
    """Who a user works for: a quality office, a member department, or a local government."""

    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("类别"), max_length=32, choices=OrganisationKind.choices)
    region = models.ForeignKey("regions.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT)
    department = models.ForeignKey(
        "departments.Department", verbose_name=_("对应部门"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("质量办管理员")
    DEPARTMENT_LIAISON = "department_liaison", _("部门联络员")
    DEPARTMENT_LEADER = "department_leader", _("部门审核人")
    CITY_LIAISON = "city_liaison", _("市县联络员")
    LEADER_VIEW = "leader_view", _("领导查阅")


class Membership(models.Model):
    """A user's place: one organisation and one role."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"
