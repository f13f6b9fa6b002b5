"""Reminders and overdue alerts, day by day on a controlled clock: each is sent exactly once."""

from __future__ import annotations

import datetime
import zoneinfo
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from zhiliang.alerts import services
from zhiliang.alerts.models import AlertKind, Notification, SentAlert
from zhiliang.alerts.tests.conftest import redate
from zhiliang.supervision.models import ReportDue, ReportDueStatus, WorkItem

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DUE = datetime.date(2026, 3, 31)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def days(start: datetime.date, end: datetime.date):
    d = start
    while d <= end:
        yield d
        d += datetime.timedelta(days=1)


@pytest.fixture
def only_lead(lead):
    WorkItem.objects.exclude(pk=lead.pk).delete()
    return redate(lead, DUE)


def test_each_reminder_and_overdue_alert_is_sent_exactly_once(only_lead, department_liaison, office_admin):
    sent_on: dict[datetime.date, list[str]] = {}
    for day in days(datetime.date(2026, 3, 15), datetime.date(2026, 4, 20)):
        before = len(mail.outbox)
        for hour in (9, 9, 15, 23):  # the scanner runs several times a day, twice at the same moment
            services.reminders_send(now=at(day, hour))
        if len(mail.outbox) > before:
            sent_on[day] = [m.subject for m in mail.outbox[before:]]

    assert list(sent_on) == [
        datetime.date(2026, 3, 24),  # 7 days before
        datetime.date(2026, 3, 30),  # 1 day before
        datetime.date(2026, 4, 1),  # first day overdue
        datetime.date(2026, 4, 8),  # then weekly
        datetime.date(2026, 4, 15),
    ]
    assert len(mail.outbox) == 5
    assert all(len(subjects) == 1 for subjects in sent_on.values())
    assert "将于 2026-03-31 到期" in sent_on[datetime.date(2026, 3, 24)][0]
    assert "已逾期 1 天" in sent_on[datetime.date(2026, 4, 1)][0]
    assert "已逾期 15 天" in sent_on[datetime.date(2026, 4, 15)][0]
    assert {tuple(m.to) for m in mail.outbox} == {(department_liaison.email,)}
    html = mail.outbox[0].alternatives[0]
    assert html[1] == "text/html" and "打造浙江制造" in html[0]

    assert list(SentAlert.objects.order_by("sent_at").values_list("kind", "offset_days")) == [
        (AlertKind.BEFORE_DUE, 7),
        (AlertKind.BEFORE_DUE, 1),
        (AlertKind.OVERDUE, 1),
        (AlertKind.OVERDUE, 8),
        (AlertKind.OVERDUE, 15),
    ]
    assert Notification.objects.filter(user=department_liaison).count() == 5
    # The office hears about overdue items in-app only.
    assert Notification.objects.filter(user=office_admin, kind=AlertKind.OVERDUE).count() == 3


def test_a_report_sent_in_time_stops_the_overdue_alerts(only_lead):
    services.reminders_send(now=at(datetime.date(2026, 3, 30)))
    ReportDue.objects.filter(work_item=only_lead).update(status=ReportDueStatus.SUBMITTED)
    for day in days(datetime.date(2026, 3, 31), datetime.date(2026, 4, 30)):
        services.reminders_send(now=at(day))
    assert [m.subject for m in mail.outbox] == [mail.outbox[0].subject]
    assert "1" in mail.outbox[0].subject


def test_a_missed_run_sends_only_the_latest_reminder(only_lead):
    run = services.reminders_send(now=at(datetime.date(2026, 3, 30)))  # nothing ran on the 24th
    assert [(a.kind, a.offset_days) for a in run.sent] == [(AlertKind.BEFORE_DUE, 1)]
    assert len(mail.outbox) == 1


def test_a_concurrent_run_that_claims_first_wins(only_lead):
    """Another scanner inserts the same alert between our read and our insert: we send nothing."""
    real = services._reporting_members

    def racing(org_ids):
        SentAlert.objects.create(
            report_due=ReportDue.objects.get(work_item=only_lead),
            kind=AlertKind.BEFORE_DUE,
            offset_days=7,
            due_on=DUE,
        )
        return real(org_ids)

    with mock.patch.object(services, "_reporting_members", side_effect=racing):
        run = services.reminders_send(now=at(datetime.date(2026, 3, 24)))
    assert run.sent == [] and run.already_sent == 1
    assert mail.outbox == []
    assert SentAlert.objects.count() == 1


def test_interim_reporting_dates_get_their_own_reminders(lead):
    WorkItem.objects.exclude(pk=lead.pk).delete()
    redate(lead, datetime.date(2026, 3, 31), datetime.date(2026, 6, 30))
    for day in days(datetime.date(2026, 3, 20), datetime.date(2026, 3, 31)):
        services.reminders_send(now=at(day))
    assert len(mail.outbox) == 2
    assert all("进展报告" in m.subject for m in mail.outbox)


def test_a_failed_email_is_logged_and_not_retried(only_lead):
    with mock.patch.object(services.EmailMultiAlternatives, "send", side_effect=OSError("smtp down")):
        run = services.reminders_send(now=at(datetime.date(2026, 3, 24)))
    assert run.errors == 1
    alert = SentAlert.objects.get()
    assert alert.error == "smtp down" and alert.emailed_at is None
    services.reminders_send(now=at(datetime.date(2026, 3, 24), 10))
    assert mail.outbox == []


@override_settings(ALERT_REMINDER_DAYS_BEFORE=["3"], ALERT_OVERDUE_REPEAT_DAYS=2)
def test_offsets_come_from_settings(only_lead):
    for day in days(datetime.date(2026, 3, 20), datetime.date(2026, 4, 5)):
        services.reminders_send(now=at(day))
    offsets = list(SentAlert.objects.order_by("sent_at").values_list("kind", "offset_days"))
    assert offsets == [
        (AlertKind.BEFORE_DUE, 3),
        (AlertKind.OVERDUE, 1),
        (AlertKind.OVERDUE, 3),
        (AlertKind.OVERDUE, 5),
    ]


def test_closed_items_are_never_reminded(only_lead, office_admin, department_liaison):
    from zhiliang.supervision.services import work_item_acknowledge, work_item_close

    work_item_acknowledge(item=only_lead, user=department_liaison)
    work_item_close(item=only_lead, user=office_admin, outcome="achieved")
    services.reminders_send(now=at(datetime.date(2026, 4, 1)))
    assert mail.outbox == []


def test_the_command_runs_one_scan(only_lead, capsys):
    with mock.patch.object(services.timezone, "now", return_value=at(datetime.date(2026, 3, 24))):
        call_command("send_reminders")
    assert "sent=1 emails=1" in capsys.readouterr().out


def test_the_task_wraps_the_service(only_lead):
    from django.utils import timezone

    from zhiliang.alerts.tasks import send_reminders_task

    redate(only_lead, timezone.localdate() + datetime.timedelta(days=1))
    assert send_reminders_task.call() == 1 and len(mail.outbox) == 1
    assert send_reminders_task.call() == 0


def test_notifications_page_and_mark_read(only_lead, department_liaison, client_as):
    services.reminders_send(now=at(datetime.date(2026, 3, 24)))
    client = client_as(department_liaison)
    page = client.get("/alerts/")
    assert page.status_code == 200 and "打造浙江制造" in page.content.decode()
    note = Notification.objects.get(user=department_liaison)
    assert client.post("/alerts/read/", {"id": note.pk}).status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
