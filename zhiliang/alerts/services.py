"""Write paths for alerts: deadline reminders, in-app notifications, 督办单 / 催办单.

``reminders_send(now=...)`` is the whole reminder policy and takes the clock as an argument, so
the scanner command, the background task and the tests all call the same function.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiliang.accounts.access import membership_of
from zhiliang.accounts.models import Membership, Organisation, OrganisationKind, Role
from zhiliang.alerts.models import (
    AlertKind,
    NoticeKind,
    NoticeSequence,
    Notification,
    SentAlert,
    SupervisionNotice,
)
from zhiliang.regions.models import Region, RegionLevel
from zhiliang.supervision import access
from zhiliang.supervision.models import ReportDue, TimelineEvent, WorkItem

logger = logging.getLogger(__name__)

# The timeline kind for a notice; TimelineEvent.kind has no choice for it yet (the screen shows the
# summary, not the kind). See the report to the lead: EventKind.NOTICE_ISSUED belongs in supervision.
NOTICE_EVENT_KIND = "notice_issued"

# 机关代字 of a province's quality office: its one-character abbreviation (GB/T 2260 简称).
PROVINCE_ABBR = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑",
    "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
    "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "黔",
    "53": "滇", "54": "藏", "61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新", "71": "台",
    "81": "港", "82": "澳",
}  # fmt: skip


# --------------------------------------------------------------------------- reminder policy


def reminder_days_before() -> list[int]:
    """Days before a reporting date on which the unit is reminded, largest first (e.g. [7, 1])."""
    try:
        days = sorted({int(d) for d in settings.ALERT_REMINDER_DAYS_BEFORE}, reverse=True)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured("ALERT_REMINDER_DAYS_BEFORE must be whole numbers of days") from exc
    if any(d < 1 for d in days):
        raise ImproperlyConfigured("ALERT_REMINDER_DAYS_BEFORE must be at least 1 day")
    return days


def overdue_repeat_days() -> int:
    days = int(settings.ALERT_OVERDUE_REPEAT_DAYS)
    if days < 1:
        raise ImproperlyConfigured("ALERT_OVERDUE_REPEAT_DAYS must be at least 1")
    return days


def alert_for(due_on: datetime.date, today: datetime.date) -> tuple[str, int] | None:
    """Which alert a report owed on *due_on* calls for on *today*: (kind, offset) or None.

    Before the date, the smallest configured offset that has been reached (a missed run sends the
    most recent reminder only, not a burst); on the day itself the 1-day reminder still counts.
    After it, one alert on day 1 and then one per repeat period (day 1, 8, 15, … with 7).

    >>> from django.test import override_settings
    >>> with override_settings(ALERT_REMINDER_DAYS_BEFORE=["7", "1"], ALERT_OVERDUE_REPEAT_DAYS=7):
    ...     d = datetime.date(2026, 3, 31)
    ...     [alert_for(d, d - datetime.timedelta(days=n)) for n in (8, 7, 3, 1, 0, -1, -7, -8)]
    [None, ('before_due', 7), ('before_due', 7), ('before_due', 1), ('before_due', 1), ('overdue', 1), ('overdue', 1), ('overdue', 8)]
    """
    days_left = (due_on - today).days
    if days_left >= 0:
        reached = [d for d in reminder_days_before() if days_left <= d]
        return (AlertKind.BEFORE_DUE, min(reached)) if reached else None
    late = -days_left
    repeat = overdue_repeat_days()
    return AlertKind.OVERDUE, 1 + ((late - 1) // repeat) * repeat


@dataclass
class ReminderRun:
    sent: list[SentAlert] = field(default_factory=list)
    already_sent: int = 0
    emails: int = 0
    errors: int = 0


def _reporting_members(org_ids: set[int]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    rows = Membership.objects.filter(
        organisation_id__in=org_ids, role__in=access.REPORTING_ROLES, user__is_active=True
    ).select_related("user")
    for m in rows:
        found[m.organisation_id].append(m.user)
    return found


def _office_admins(region_ids: set[int]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    rows = Membership.objects.filter(
        organisation__region_id__in=region_ids,
        organisation__kind=OrganisationKind.QUALITY_OFFICE,
        role=Role.OFFICE_ADMIN,
        user__is_active=True,
    ).select_related("user", "organisation")
    for m in rows:
        found[m.organisation.region_id].append(m.user)
    return found


def reminders_send(*, now: datetime.datetime | None = None) -> ReminderRun:
    """Send every reminder and overdue alert due at *now*, each exactly once.

    Each alert is claimed by inserting its ``SentAlert`` row (unique per report due, kind and
    offset) together with its in-app notifications; only the run whose insert commits sends the
    e-mail. A second run, or a concurrent one, hits the constraint and sends nothing.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    horizon = today + datetime.timedelta(days=max(reminder_days_before(), default=0))
    dues = list(
        ReportDue.objects.pending()
        .filter(due_on__lte=horizon)
        .select_related("work_item__task__plan", "work_item__organisation")
        .order_by("due_on", "pk")
    )
    run = ReminderRun()
    wanted = [(due, alert_for(due.due_on, today)) for due in dues]
    wanted = [(due, a) for due, a in wanted if a is not None]
    if not wanted:
        return run
    done = set(
        SentAlert.objects.filter(report_due__in=[d for d, _a in wanted]).values_list(
            "report_due_id", "kind", "offset_days"
        )
    )
    members = _reporting_members({d.work_item.organisation_id for d, _a in wanted})
    admins = _office_admins(
        {d.work_item.task.plan.region_id for d, a in wanted if a[0] == AlertKind.OVERDUE} - {None}
    )
    for due, (kind, offset) in wanted:
        if (due.pk, kind, offset) in done:
            run.already_sent += 1
            continue
        item = due.work_item
        unit_users = members.get(item.organisation_id, [])
        office_users = admins.get(item.task.plan.region_id, []) if kind == AlertKind.OVERDUE else []
        ctx = _alert_context(due, kind, offset, today)
        try:
            with transaction.atomic():
                alert = SentAlert.objects.create(
                    report_due=due,
                    kind=kind,
                    offset_days=offset,
                    due_on=due.due_on,
                    sent_at=now,
                    recipients=[u.email for u in unit_users if u.email],
                )
                Notification.objects.bulk_create(
                    Notification(
                        user=u,
                        kind=kind,
                        title=ctx["subject"],
                        body=ctx["summary"],
                        url=ctx["path"],
                        work_item=item,
                        created_at=now,
                    )
                    for u in [*unit_users, *office_users]
                )
        except IntegrityError:
            run.already_sent += 1  # another run claimed it between our read and our insert
            continue
        run.sent.append(alert)
        if alert.recipients:
            _email_alert(alert, ctx, run, now)
    return run


def _alert_context(due: ReportDue, kind: str, offset: int, today: datetime.date) -> dict:
    item = due.work_item
    path = reverse("supervision-item", args=[item.pk])
    what = _("到期报告") if due.is_final else _("进展报告")
    if kind == AlertKind.BEFORE_DUE:
        days_left = (due.due_on - today).days
        subject = _("【督办提醒】%(task)s 的%(what)s将于 %(date)s 到期") % {
            "task": item.task.title,
            "what": what,
            "date": f"{due.due_on:%Y-%m-%d}",
        }
        summary = _("距报送期限还有 %(n)d 天。") % {"n": days_left} if days_left else _("今天是报送期限。")
    else:
        late = (today - due.due_on).days
        subject = _("【逾期提醒】%(task)s 的%(what)s已逾期 %(n)d 天") % {
            "task": item.task.title,
            "what": what,
            "n": late,
        }
        summary = _("报送期限 %(date)s 已过，请尽快报送。") % {"date": f"{due.due_on:%Y-%m-%d}"}
    return {
        "item": item,
        "due": due,
        "kind": kind,
        "offset": offset,
        "what": what,
        "subject": subject[:255],
        "summary": summary,
        "path": path,
        "url": f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}",
    }


def _email_alert(alert: SentAlert, ctx: dict, run: ReminderRun, now: datetime.datetime) -> None:
    template = "reminder" if alert.kind == AlertKind.BEFORE_DUE else "overdue"
    try:
        _send_templated(template, ctx, alert.recipients)
    except Exception as exc:  # noqa: BLE001 (a mail failure is logged on the row, never re-sent)
        logger.exception("alert %s: e-mail failed", alert.pk)
        alert.error = str(exc)[:1000]
        alert.save(update_fields=["error"])
        run.errors += 1
        return
    alert.emailed_at = now
    alert.save(update_fields=["emailed_at"])
    run.emails += 1


def _send_templated(name: str, ctx: dict, to: list[str]) -> None:
    """Send the e-mail made of alerts/emails/<name>-subject.txt, -body.txt and -body.html."""
    subject = " ".join(render_to_string(f"alerts/emails/{name}-subject.txt", ctx).split())
    text = render_to_string(f"alerts/emails/{name}-body.txt", ctx)
    html = render_to_string(f"alerts/emails/{name}-body.html", ctx)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


# --------------------------------------------------------------------------- notifications


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of *user*'s notifications (or all of them) read; returns how many changed."""
    rows = Notification.objects.filter(user=user).unread()
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())


# --------------------------------------------------------------------------- 督办单 / 催办单


def office_code(office: Organisation) -> str:
    """机关代字 of a quality office: 浙质办 for 浙江省, 杭质办 for 杭州市.

    Province offices use the one-character provincial abbreviation; lower offices the first
    character of their region's short name.
    """
    region: Region = office.region
    if region.level == RegionLevel.PROVINCE:
        abbr = PROVINCE_ABBR.get(region.code[:2], region.short_name[:1] or region.name[:1])
    else:
        abbr = (region.short_name or region.name)[:1]
    return f"{abbr}质办"


def _issuing_office(user: User, item: WorkItem) -> Organisation:
    membership = membership_of(user)
    if membership is not None and membership.organisation.kind == OrganisationKind.QUALITY_OFFICE:
        return membership.organisation
    # A superuser issues in the name of the plan's own quality office.
    office = Organisation.objects.filter(
        kind=OrganisationKind.QUALITY_OFFICE, region_id=item.task.plan.region_id
    ).first()
    if office is None:
        raise ValidationError(_("该计划所在地区没有质量办机构，无法发文"))
    return office


def _claim_number(office: Organisation, year: int, kind: str) -> int:
    """The next sequence number for (office, year, kind); the UPDATE's row lock serialises callers."""
    seq, _created = NoticeSequence.objects.get_or_create(office=office, year=year, kind=kind)
    NoticeSequence.objects.filter(pk=seq.pk).update(last_number=F("last_number") + 1)
    seq.refresh_from_db(fields=["last_number"])
    return seq.last_number


@transaction.atomic
def supervision_notice_issue(
    *,
    work_item: WorkItem,
    user: User,
    kind: str = NoticeKind.DUBAN,
    due_by: datetime.date,
    text: str,
    now: datetime.datetime | None = None,
) -> SupervisionNotice:
    """Issue a numbered 督办单 / 催办单 for an overdue work item and record it on the task timeline.

    The unit is told in-app and by e-mail by a background task enqueued on commit.
    """
    if not access.can_manage_work_item(user, work_item):
        raise PermissionDenied(_("只有本地区质量办管理员可以发督办单"))
    now = now or timezone.now()
    today = timezone.localdate(now)
    if kind not in NoticeKind.values:
        raise ValidationError(_("未知的督办单类别"))
    if not work_item.is_overdue(on=today):
        raise ValidationError(_("只有已逾期的事项可以发督办单或催办单"))
    if due_by <= today:
        raise ValidationError(_("办理时限应晚于今天"))
    text = text.strip()
    if not text:
        raise ValidationError(_("请填写督办内容"))
    office = _issuing_office(user, work_item)
    year = today.year
    sequence = _claim_number(office, year, kind)
    label = NoticeKind(kind).label
    notice = SupervisionNotice(
        work_item=work_item,
        office=office,
        kind=kind,
        year=year,
        sequence=sequence,
        number=f"{office_code(office)}{kind[0]}〔{year}〕{sequence}号",
        title=_("%(office)s关于“%(task)s”任务逾期未报送进展的%(label)s")
        % {"office": office.name, "task": work_item.task.title, "label": label},
        addressee=work_item.organisation.name,
        text=text,
        due_by=due_by,
        issued_at=now,
        issued_by=user,
    )
    notice.full_clean()
    notice.save()
    membership = membership_of(user)
    TimelineEvent.objects.create(
        task_id=work_item.task_id,
        work_item=work_item,
        kind=NOTICE_EVENT_KIND,
        actor=user,
        actor_organisation=membership.organisation.name if membership else "",
        at=now,
        summary=_("发出%(label)s %(number)s，要求 %(date)s 前办理")
        % {"label": label, "number": notice.number, "date": f"{due_by:%Y-%m-%d}"},
        changes={},
    )
    transaction.on_commit(lambda: _enqueue_notice_notify(notice.pk))
    return notice


def _enqueue_notice_notify(notice_id: int) -> None:
    from zhiliang.alerts.tasks import notice_notify_task

    try:
        notice_notify_task.enqueue(notice_id)
    except Exception:
        # The queue is down: tell the unit now instead. notice_notify claims the notice first, so a
        # worker that later runs the task sends nothing twice.
        logger.warning("notice %s: task not enqueued, notifying inline", notice_id, exc_info=True)
        notice_notify(notice_id=notice_id)


def notice_notify(*, notice_id: int) -> int:
    """Tell the unit about a notice, once: in-app notifications and one e-mail; returns users told."""
    claimed = SupervisionNotice.objects.filter(pk=notice_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if claimed != 1:
        return 0  # already told
    notice = SupervisionNotice.objects.select_related("work_item__task", "work_item__organisation").get(
        pk=notice_id
    )
    users = _reporting_members({notice.work_item.organisation_id}).get(notice.work_item.organisation_id, [])
    path = reverse("supervision-item", args=[notice.work_item_id])
    Notification.objects.bulk_create(
        Notification(
            user=u,
            kind="notice",
            title=f"{notice.number} {notice.title}"[:255],
            body=notice.text,
            url=path,
            work_item=notice.work_item,
        )
        for u in users
    )
    emails = [u.email for u in users if u.email]
    if emails:
        ctx = {
            "notice": notice,
            "path": path,
            "url": f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}",
        }
        _send_templated("notice", ctx, emails)
    return len(users)
