from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class RegionQuerySet(models.QuerySet["Region"]):
    def provinces(self) -> RegionQuerySet:
        return self.filter(level=RegionLevel.PROVINCE)

    def by_name(self, name: str) -> Region | None:
        """Match a full name (安徽省) or a short one (安徽)."""
        # Higher levels first: 吉林 is the province before it is the city.
        rank = models.Case(
            *(models.When(level=level, then=i) for i, level in enumerate(RegionLevel.values)),
            output_field=models.IntegerField(),
        )
        return self.filter(models.Q(name=name) | models.Q(short_name=name)).order_by(rank, "code").first()


class Region(models.Model):
    """An administrative area keyed by its GB/T 2260 code."""

    code = models.CharField(_("区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        indexes = [models.Index(fields=["name"]), models.Index(fields=["short_name"])]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Region]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def descendant_ids(self) -> set[int]:
        """This region and everything below it, in one query.

        Regions are a shallow tree (national → province → city → county), so everything below a
        region is at most three levels down: its children, grandchildren and great-grandchildren.
        """
        below = (
            models.Q(pk=self.pk)
            | models.Q(parent_id=self.pk)
            | models.Q(parent__parent_id=self.pk)
            | models.Q(parent__parent__parent_id=self.pk)
        )
        return set(Region.objects.filter(below).order_by().values_list("pk", flat=True))
