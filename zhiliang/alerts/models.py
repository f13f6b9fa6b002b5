"""Alerts (督办提醒): reminders and overdue alerts, in-app notifications, 督办单 / 催办单.

- ``SentAlert`` is the send log: one row per (report due, kind, offset), unique, claimed *before*
  anything is sent, so a reminder or an overdue alert goes out exactly once however often (and
  however concurrently) the scanner runs.
- ``Notification`` is the in-app copy of an alert, per user.
- ``SupervisionNotice`` is a numbered 督办单 / 催办单 for an overdue work item; its number comes
  from ``NoticeSequence`` (one counter per issuing office, year and kind, claimed atomically).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    BEFORE_DUE = "before_due", _("到期提醒")
    OVERDUE = "overdue", _("逾期提醒")


class SentAlert(models.Model):
    """One reminder / overdue alert about one reporting date; the unique constraint is the guard."""

    report_due = models.ForeignKey(
        "supervision.ReportDue", verbose_name=_("报送期限"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=AlertKind.choices)
    # Days before the due date (BEFORE_DUE) or days past it (OVERDUE) this alert stands for.
    offset_days = models.PositiveSmallIntegerField(_("天数"))
    due_on = models.DateField(_("报送期限"))
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    recipients = models.JSONField(_("收件人"), default=list, blank=True)
    emailed_at = models.DateTimeField(_("邮件发出时间"), null=True, blank=True)
    error = models.TextField(_("发送错误"), blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("提醒发送记录")
        verbose_name_plural = _("提醒发送记录")
        constraints = [
            models.UniqueConstraint(fields=["report_due", "kind", "offset_days"], name="sent_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.offset_days} · {self.due_on:%Y-%m-%d}"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message for one user (站内通知)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类别"), max_length=16)
    title = models.CharField(_("标题"), max_length=255)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=255, blank=True)
    work_item = models.ForeignKey(
        "supervision.WorkItem", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class NoticeKind(models.TextChoices):
    DUBAN = "督办", _("督办单")
    CUIBAN = "催办", _("催办单")


class NoticeSequence(models.Model):
    """The last number used by one office for one kind of notice in one year."""

    office = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类别"), max_length=4, choices=NoticeKind.choices)
    last_number = models.PositiveIntegerField(_("已用顺序号"), default=0)

    class Meta:
        verbose_name = _("督办单编号")
        verbose_name_plural = _("督办单编号")
        constraints = [
            models.UniqueConstraint(fields=["office", "year", "kind"], name="notice_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.kind} {self.year}: {self.last_number}"


class SupervisionNotice(models.Model):
    """A numbered 督办单 / 催办单 sent to the unit of an overdue work item (documents made on demand)."""

    work_item = models.ForeignKey(
        "supervision.WorkItem", verbose_name=_("督办事项"), on_delete=models.CASCADE, related_name="notices"
    )
    office = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=4, choices=NoticeKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("顺序号"))
    number = models.CharField(_("发文字号"), max_length=64)
    title = models.CharField(_("标题"), max_length=255)
    addressee = models.CharField(_("主送机关"), max_length=128)
    text = models.TextField(_("正文"))
    due_by = models.DateField(_("办理时限"))
    issued_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set by whoever tells the unit first (the task, or the fallback): claimed with a conditional UPDATE.
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "year", "sequence"], name="notice_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number
