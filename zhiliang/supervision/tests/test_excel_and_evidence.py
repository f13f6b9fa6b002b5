"""Excel round trip (all or nothing, row-level Chinese errors) and evidence checks."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from zhiliang.supervision import services
from zhiliang.supervision.excel import ProgressImportError, progress_import_xlsx, work_items_export_xlsx
from zhiliang.supervision.models import ProgressReport, ReportStatus, WorkItem


@pytest.fixture
def lead(issued_plan, department_liaison):
    item = WorkItem.objects.get(task__plan=issued_plan, organisation__name="浙江省质量技术监督局")
    services.work_item_acknowledge(item=item, user=department_liaison)
    return item


def _fill(data: bytes, progress: dict[int, tuple], targets: dict[int, object] | None = None) -> bytes:
    wb = load_workbook(BytesIO(data))
    ws = wb["进展"]
    for row_number, values in progress.items():
        for col, value in zip((8, 9), values):
            ws.cell(row=row_number, column=col, value=value)
    for row_number, value in (targets or {}).items():
        wb["指标"].cell(row=row_number, column=8, value=value)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def test_it_round_trips_progress_with_per_area_actuals(lead, department_liaison):
    data = work_items_export_xlsx(
        items=WorkItem.objects.for_user(department_liaison).filter(organisation=lead.organisation)
    )
    sheet = load_workbook(BytesIO(data))["指标"]
    areas = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert areas == ["合计", "杭州市", "宁波市"]
    filled = _fill(data, {2: (55, "完成过半")}, {2: 70, 3: 20})
    result = progress_import_xlsx(data=filled, user=department_liaison, submit=True)
    assert result.submitted == 1
    report = ProgressReport.objects.get(work_item=lead)
    assert (report.percent, report.narrative, report.status) == (55, "完成过半", ReportStatus.PENDING_OFFICE)
    assert sorted(tp.actual for tp in report.target_progress.all()) == [Decimal(20), Decimal(70)]


def test_it_applies_nothing_when_one_row_is_wrong(lead, department_liaison):
    data = work_items_export_xlsx(items=WorkItem.objects.filter(pk=lead.pk))
    filled = _fill(data, {2: (150, "太多")}, {2: "很多"})
    with pytest.raises(ProgressImportError) as exc:
        progress_import_xlsx(data=filled, user=department_liaison)
    assert any("第 2 行「完成进度(%)」" in e for e in exc.value.errors)
    assert not ProgressReport.objects.filter(work_item=lead).exists()


def test_it_refuses_rows_of_another_units_item(lead, assist_liaison):
    data = work_items_export_xlsx(items=WorkItem.objects.filter(pk=lead.pk))
    with pytest.raises(ProgressImportError) as exc:
        progress_import_xlsx(data=_fill(data, {2: (10, "x")}), user=assist_liaison)
    assert "找不到该事项，或无权填报" in exc.value.errors[0]


def test_it_rejects_a_file_that_is_not_a_workbook(department_liaison, db):
    with pytest.raises(ProgressImportError):
        progress_import_xlsx(data=b"not a workbook", user=department_liaison)


def test_the_import_page_shows_row_errors(lead, department_liaison, client_as):
    data = work_items_export_xlsx(items=WorkItem.objects.filter(pk=lead.pk))
    upload = SimpleUploadedFile("进展.xlsx", _fill(data, {2: ("abc", "")}))
    response = client_as(department_liaison).post(reverse("supervision-import"), {"file": upload})
    assert response.status_code == 200
    assert "第 2 行「完成进度(%)」" in response.content.decode()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("a.exe", b"MZ....", "类型不允许"),
        ("a.pdf", b"not a pdf", "内容与扩展名不符"),
        ("a.docx", b"PK\x03\x04broken", "已损坏"),
        ("a.pdf", b"", "空文件"),
    ],
)
def test_evidence_is_type_checked(lead, department_liaison, name, content, message):
    report = services.progress_report_save(item=lead, user=department_liaison, percent=1, narrative="x")
    with pytest.raises(ValidationError) as exc:
        services.evidence_attach(
            report=report, upload=SimpleUploadedFile(name, content), user=department_liaison
        )
    assert message in exc.value.messages[0]


def test_evidence_is_size_checked_and_stored_under_a_random_name(lead, department_liaison, settings):
    report = services.progress_report_save(item=lead, user=department_liaison, percent=1, narrative="x")
    settings.SUPERVISION_EVIDENCE_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        services.evidence_attach(
            report=report,
            upload=SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
            user=department_liaison,
        )
    settings.SUPERVISION_EVIDENCE_MAX_BYTES = 1000
    ev = services.evidence_attach(
        report=report,
        upload=SimpleUploadedFile("../../照片.png", b"\x89PNG\r\n\x1a\n0000"),
        user=department_liaison,
    )
    assert ev.file.name.startswith("evidence/") and ".." not in ev.file.name and len(ev.sha256) == 64
    assert ev.content_type == "image/png"


def test_pages_render(issued_plan, lead, office_admin, department_liaison, client_as, small_plan):
    office = client_as(office_admin)
    assert office.get(reverse("supervision-items")).status_code == 200
    assert office.get(reverse("supervision-issue", args=[small_plan.pk])).status_code == 200
    assert office.get(reverse("supervision-item", args=[lead.pk])).status_code == 200
    assert office.get(reverse("supervision-import")).status_code == 200
    unit = client_as(department_liaison)
    page = unit.get(reverse("supervision-item", args=[lead.pk])).content.decode()
    assert "指标完成情况" in page and "杭州市" in page
    assert unit.get(reverse("supervision-dashboard")).status_code == 200
    assert unit.get(reverse("supervision-home")).status_code == 302
