"""督办单 / 催办单: numbering, documents (.docx read back, PDF through pdftotext), timeline, HTTP permissions."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from docx import Document

from zhiliang.alerts import documents, services
from zhiliang.alerts.models import NoticeKind, Notification, SupervisionNotice
from zhiliang.alerts.tasks import notice_notify_task
from zhiliang.alerts.tests.conftest import redate
from zhiliang.supervision.models import TimelineEvent

NOW = datetime.datetime(2026, 4, 10, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def overdue_lead(lead):
    return redate(lead, datetime.date(2026, 3, 31))


def issue(item, user, kind=NoticeKind.DUBAN, **kw):
    return services.supervision_notice_issue(
        work_item=item,
        user=user,
        kind=kind,
        due_by=kw.pop("due_by", datetime.date(2026, 4, 20)),
        text=kw.pop("text", "请抓紧报送进展情况。\n逾期将予以通报。"),
        now=kw.pop("now", NOW),
    )


def test_numbers_are_per_office_year_and_kind(overdue_lead, office_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = issue(overdue_lead, office_admin)
        second = issue(overdue_lead, office_admin)
        cui = issue(overdue_lead, office_admin, kind=NoticeKind.CUIBAN)
    assert [first.number, second.number, cui.number] == [
        "浙质办督〔2026〕1号",
        "浙质办督〔2026〕2号",
        "浙质办催〔2026〕1号",
    ]
    later = issue(overdue_lead, office_admin, now=NOW.replace(year=2027), due_by=datetime.date(2027, 4, 20))
    assert later.number == "浙质办督〔2027〕1号"
    queued = DBTaskResult.objects.filter(task_path="zhiliang.alerts.tasks.notice_notify_task")
    assert queued.count() == 3  # one notify task enqueued per notice, on commit
    assert mail.outbox == []  # nobody is told before the worker runs the tasks
    for notice in (first, second, cui):
        assert notice_notify_task.call(notice.pk) == 1  # what the worker does
        assert notice_notify_task.call(notice.pk) == 0  # and never twice
    assert len(mail.outbox) == 3


def test_issuing_records_on_the_timeline_and_notifies_the_unit(
    overdue_lead, office_admin, department_liaison, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = issue(overdue_lead, office_admin)
    event = TimelineEvent.objects.get(work_item=overdue_lead, kind=services.NOTICE_EVENT_KIND)
    assert notice.number in event.summary and event.actor == office_admin
    assert notice_notify_task.call(notice.pk) == 1  # the worker tells the unit
    assert notice_notify_task.call(notice.pk) == 0  # never twice
    assert Notification.objects.filter(user=department_liaison, kind="notice").count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [department_liaison.email]
    assert notice.number in mail.outbox[0].subject


def test_only_overdue_items_and_sensible_input(lead, office_admin):
    redate(lead, datetime.date(2026, 5, 31))
    with pytest.raises(ValidationError):
        issue(lead, office_admin)  # not overdue on NOW
    redate(lead, datetime.date(2026, 3, 31))
    with pytest.raises(ValidationError):
        issue(lead, office_admin, due_by=datetime.date(2026, 4, 1))
    with pytest.raises(ValidationError):
        issue(lead, office_admin, text="  ")
    assert not SupervisionNotice.objects.exists()


def test_units_and_other_provinces_cannot_issue(overdue_lead, department_liaison, other_office_admin):
    for user in (department_liaison, other_office_admin):
        with pytest.raises(PermissionDenied):
            issue(overdue_lead, user)


def test_the_docx_reads_back_in_official_order(overdue_lead, office_admin):
    notice = issue(overdue_lead, office_admin)
    doc = Document(io.BytesIO(documents.notice_docx(notice)))
    lines = [p.text for p in doc.paragraphs if p.text.strip()]
    assert lines[0] == "浙江省质量工作领导小组办公室督办单"  # 发文机关标志
    assert lines[1] == "浙质办督〔2026〕1号"  # 发文字号
    assert lines[2] == notice.title and "打造浙江制造" in lines[2]  # 标题
    assert lines[3] == "浙江省质量技术监督局："  # 主送机关
    assert lines[4:6] == ["请抓紧报送进展情况。", "逾期将予以通报。"]  # 正文
    assert "2026年4月20日" in lines[6]  # 办理时限
    assert lines[-3:] == ["（印章）", "浙江省质量工作领导小组办公室　　", "2026年4月10日　　"]
    head = doc.paragraphs[0].runs[0]
    assert str(head.font.color.rgb) == "C00000" and head.font.name == documents.SERIF


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_the_pdf_carries_the_chinese_text(overdue_lead, office_admin, tmp_path):
    notice = issue(overdue_lead, office_admin)
    pdf = tmp_path / "n.pdf"
    pdf.write_bytes(documents.notice_pdf(notice))
    command = [shutil.which("pdftotext"), "-layout", str(pdf), "-"]
    text = subprocess.run(command, capture_output=True, check=True, text=True).stdout  # noqa: S603
    for expected in (
        "浙江省质量工作领导小组办公室督办单",
        "浙质办督〔2026〕1号",
        "浙江省质量技术监督局：",
        "2026年4月10日",
    ):
        assert expected in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_docx(overdue_lead, office_admin, tmp_path):
    notice = issue(overdue_lead, office_admin)
    src = tmp_path / "n.docx"
    src.write_bytes(documents.notice_docx(notice))
    command = [
        shutil.which("soffice"),
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp_path),
        str(src),
    ]
    subprocess.run(  # noqa: S603
        command,
        check=True,
        capture_output=True,
        timeout=120,
    )  # noqa: S603, S607
    assert (tmp_path / "n.pdf").stat().st_size > 1000


def test_http_issue_and_download(overdue_lead, office_admin, client_as, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2026, 4, 10))
    client = client_as(office_admin)
    url = f"/alerts/items/{overdue_lead.pk}/notices/new/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "催办", "due_by": "2026-04-30", "text": "请于月底前报送。"})
    assert response.status_code == 302
    notice = SupervisionNotice.objects.get()
    assert notice.kind == NoticeKind.CUIBAN and "催" in notice.number
    docx = client.get(f"/alerts/notices/{notice.pk}.docx")
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")
    pdf = client.get(f"/alerts/notices/{notice.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    listing = client.get(f"/alerts/items/{overdue_lead.pk}/notices/")
    assert notice.number in listing.content.decode()


def test_http_permissions(
    overdue_lead, office_admin, department_liaison, other_office_admin, city_liaison, client_as
):
    notice = issue(overdue_lead, office_admin)
    new = f"/alerts/items/{overdue_lead.pk}/notices/new/"
    assert client_as(department_liaison).get(new).status_code == 403  # reads the item, may not issue
    assert (
        client_as(department_liaison)
        .post(new, {"kind": "督办", "due_by": "2030-01-01", "text": "x"})
        .status_code
        == 403
    )
    assert (
        client_as(department_liaison).get(f"/alerts/notices/{notice.pk}.pdf").status_code == 200
    )  # addressed to them
    assert client_as(other_office_admin).get(new).status_code == 404
    assert client_as(other_office_admin).get(f"/alerts/notices/{notice.pk}.docx").status_code == 404
    assert client_as(city_liaison).get(f"/alerts/notices/{notice.pk}.docx").status_code == 404


def test_pdf_font_is_embeddable_truetype_or_the_cid_fallback():
    assert documents.pdf_font_name() in ("ZhiliangCJK", "STSong-Light")


def test_dates_follow_the_official_document_format():
    # GB/T 9704-2012 §7.3.5.4: Arabic numerals, the full year, no leading zeros.
    assert documents.official_date(datetime.date(2026, 12, 31)) == "2026年12月31日"
    assert documents.official_date(datetime.date(2030, 1, 5)) == "2030年1月5日"
