"""Progress by spreadsheet: export a unit's open items with their ids, import the filled-in file.

The workbook has two sheets. 「进展」: one row per work item for the reporting date owed now
(ids in the first two columns, percent and narrative to fill). 「指标」: one row per target (and
per area of a broken-down target) with the actual value to fill. The import checks every row
first and reports errors as 「第 N 行「列名」：原因」; only a file without errors is applied, in
one transaction (all or nothing).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from zipfile import BadZipFile

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from zhiliang.supervision import access
from zhiliang.supervision.models import OPEN_DUE_STATUSES, ProgressReport, ReportDue, WorkItem
from zhiliang.supervision.services import progress_report_save, progress_report_submit

PROGRESS_SHEET = "进展"
TARGET_SHEET = "指标"
PROGRESS_HEADERS = [
    "事项编号",
    "报送编号",
    "计划",
    "任务",
    "责任单位",
    "角色",
    "报送期限",
    "完成进度(%)",
    "进展情况",
]
TARGET_HEADERS = ["报送编号", "指标编号", "分解编号", "指标", "地区", "目标值", "单位", "实际完成"]
FILL = PatternFill("solid", fgColor="FFF2CC")  # the cells a unit fills in
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ProgressImportError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ProgressImportResult:
    reports: list[ProgressReport]
    submitted: int


def _open_dues(items) -> list[ReportDue]:  # noqa: ANN001
    """The reporting date owed now for each open, signed item."""
    dues = (
        ReportDue.objects.filter(work_item__in=items, status__in=OPEN_DUE_STATUSES)
        .exclude(work_item__status="closed")
        .exclude(work_item__acknowledged_at__isnull=True)
        .select_related("work_item__task__plan", "work_item__organisation", "report")
        .order_by("work_item_id", "due_on")
    )
    first: dict[int, ReportDue] = {}
    for due in dues:
        first.setdefault(due.work_item_id, due)
    return sorted(
        first.values(), key=lambda d: (d.due_on, d.work_item.task.plan_id, d.work_item.task.number, d.pk)
    )


def work_items_export_xlsx(*, items) -> bytes:  # noqa: ANN001 (a WorkItem queryset, already permission-filtered)
    """The fill-in workbook for *items* (pass ``WorkItem.objects.for_user(user)...``)."""
    wb = Workbook()
    ws = wb.active
    ws.title = PROGRESS_SHEET
    ws.append(PROGRESS_HEADERS)
    wt = wb.create_sheet(TARGET_SHEET)
    wt.append(TARGET_HEADERS)
    for sheet in (ws, wt):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    for due in _open_dues(items):
        item = due.work_item
        report = getattr(due, "report", None)
        ws.append(
            [
                item.pk,
                due.pk,
                item.task.plan.display_title,
                str(item.task),
                item.organisation.name,
                item.get_role_display(),
                due.due_on.isoformat(),
                report.percent if report else None,
                report.narrative if report else "",
            ]
        )
        for col in (8, 9):
            ws.cell(row=ws.max_row, column=col).fill = FILL
        actuals = (
            {(tp.target_id, tp.breakdown_id): tp.actual for tp in report.target_progress.all()}
            if report
            else {}
        )
        for target in item.task.targets.prefetch_related("breakdown").order_by("order"):
            rows: list[tuple[Any, str, Decimal]] = [(None, "", target.value)]
            rows += [(b.pk, b.region_name, b.value) for b in target.breakdown.all()]
            for breakdown_id, area, value in rows:
                actual = actuals.get((target.pk, breakdown_id))
                wt.append(
                    [
                        due.pk,
                        target.pk,
                        breakdown_id,
                        target.subject or target.text,
                        area or _("合计"),
                        float(value),
                        target.unit,
                        float(actual) if actual is not None else None,
                    ]
                )
                wt.cell(row=wt.max_row, column=8).fill = FILL
    ws.column_dimensions["D"].width = 40
    ws.column_dimensions["I"].width = 60
    wt.column_dimensions["D"].width = 30
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _int(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    return int(str(value).strip())


def _decimal(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    result = Decimal(str(value).strip().replace(",", ""))
    if not result.is_finite():
        raise InvalidOperation
    return result


def _header_map(sheet, expected: list[str], errors: list[str]) -> dict[str, int] | None:  # noqa: ANN001
    header = [str(c.value).strip() if c.value is not None else "" for c in next(sheet.iter_rows(max_row=1))]
    missing = [h for h in expected if h not in header]
    if missing:
        errors.append(
            _("工作表「%(sheet)s」缺少列：%(cols)s") % {"sheet": sheet.title, "cols": "、".join(missing)}
        )
        return None
    return {h: header.index(h) for h in expected}


def _getter(row: tuple, cols: dict[str, int]):  # noqa: ANN202
    """``value("列名")`` for one row (short rows read as empty)."""
    return lambda header: row[cols[header]] if cols[header] < len(row) else None


def _err(row: int, column: str, reason: str, sheet: str = PROGRESS_SHEET) -> str:
    return _("「%(sheet)s」第 %(row)d 行「%(col)s」：%(reason)s") % {
        "sheet": sheet,
        "row": row,
        "col": column,
        "reason": reason,
    }


def progress_import_xlsx(*, data: bytes, user: User, submit: bool = False) -> ProgressImportResult:
    """Apply a filled-in export. Raises ProgressImportError listing every bad row; applies nothing then."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ProgressImportError([_("文件超过 5 MB 上限")])
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ProgressImportError([_("无法读取该文件，请上传由本系统导出的 Excel(.xlsx) 文件")]) from exc
    if PROGRESS_SHEET not in wb.sheetnames:
        raise ProgressImportError([_("缺少工作表「%(sheet)s」") % {"sheet": PROGRESS_SHEET}])

    errors: list[str] = []
    visible = WorkItem.objects.for_user(user).select_related("task__plan", "organisation")
    planned: dict[
        int, dict[str, Any]
    ] = {}  # report_due id → {"item", "due", "percent", "narrative", "actuals"}

    ws = wb[PROGRESS_SHEET]
    cols = _header_map(ws, PROGRESS_HEADERS, errors)
    if cols is not None:
        for row_number, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            if row is None or all(v is None or str(v).strip() == "" for v in row):
                continue
            value = _getter(row, cols)
            try:
                item_id, due_id = _int(value("事项编号")), _int(value("报送编号"))
            except ValueError:
                errors.append(_err(row_number, "事项编号", _("编号应为整数")))
                continue
            item = visible.filter(pk=item_id).first() if item_id else None
            if item is None:
                errors.append(_err(row_number, "事项编号", _("找不到该事项，或无权填报")))
                continue
            if not (access.can_report(user, item) or access.can_manage_work_item(user, item)):
                errors.append(_err(row_number, "事项编号", _("无权填报该事项")))
                continue
            due = (
                ReportDue.objects.filter(pk=due_id, work_item=item).select_related("report").first()
                if due_id
                else None
            )
            if due is None:
                errors.append(_err(row_number, "报送编号", _("报送编号与事项不符")))
                continue
            if not due.is_open or item.is_closed:
                errors.append(_err(row_number, "报送编号", _("该期报告已报送或事项已办结")))
                continue
            report = getattr(due, "report", None)
            if report is not None and not report.is_editable:
                errors.append(_err(row_number, "报送编号", _("该期报告已提交审核，不能再导入")))
                continue
            if item.acknowledged_at is None:
                errors.append(_err(row_number, "事项编号", _("事项尚未签收")))
                continue
            if due.pk in planned:
                errors.append(_err(row_number, "报送编号", _("同一报送编号出现了两次")))
                continue
            try:
                percent = _int(value("完成进度(%)"))
            except ValueError:
                errors.append(_err(row_number, "完成进度(%)", _("应为 0 到 100 的整数")))
                continue
            if percent is not None and not 0 <= percent <= 100:
                errors.append(_err(row_number, "完成进度(%)", _("应为 0 到 100 的整数")))
                continue
            narrative = str(value("进展情况") or "").strip()
            if submit and percent is None and not narrative:
                errors.append(_err(row_number, "进展情况", _("提交前请填写完成进度或进展情况")))
                continue
            planned[due.pk] = {
                "item": item,
                "due": due,
                "percent": percent,
                "narrative": narrative,
                "actuals": {},
            }

    if TARGET_SHEET in wb.sheetnames:
        wt = wb[TARGET_SHEET]
        tcols = _header_map(wt, TARGET_HEADERS, errors)
        if tcols is not None:
            for row_number, row in enumerate(wt.iter_rows(min_row=2, values_only=True), start=2):
                if row is None or all(v is None or str(v).strip() == "" for v in row):
                    continue
                value = _getter(row, tcols)
                try:
                    due_id, target_id, breakdown_id = (
                        _int(value("报送编号")),
                        _int(value("指标编号")),
                        _int(value("分解编号")),
                    )
                except ValueError:
                    errors.append(_err(row_number, "指标编号", _("编号应为整数"), TARGET_SHEET))
                    continue
                try:
                    actual = _decimal(value("实际完成"))
                except (InvalidOperation, ValueError):
                    errors.append(_err(row_number, "实际完成", _("应为数字"), TARGET_SHEET))
                    continue
                entry = planned.get(due_id) if due_id else None
                if entry is None:
                    if actual is not None:
                        errors.append(
                            _err(row_number, "报送编号", _("在「进展」表中找不到该报送编号"), TARGET_SHEET)
                        )
                    continue
                target = entry["item"].task.targets.filter(pk=target_id).first() if target_id else None
                if target is None:
                    errors.append(_err(row_number, "指标编号", _("该指标不属于此任务"), TARGET_SHEET))
                    continue
                if breakdown_id is not None and not target.breakdown.filter(pk=breakdown_id).exists():
                    errors.append(_err(row_number, "分解编号", _("该地区分解不属于此指标"), TARGET_SHEET))
                    continue
                entry["actuals"][(target.pk, breakdown_id)] = actual

    if errors:
        raise ProgressImportError(errors)
    if not planned:
        raise ProgressImportError([_("文件中没有可导入的行")])

    reports: list[ProgressReport] = []
    submitted = 0
    try:
        with transaction.atomic():
            for entry in planned.values():
                report = progress_report_save(
                    item=entry["item"],
                    user=user,
                    percent=entry["percent"],
                    narrative=entry["narrative"],
                    actuals=entry["actuals"],
                    report_due=entry["due"],
                    via_import=True,
                )
                if submit:
                    report = progress_report_submit(report=report, user=user, via_import=True)
                    submitted += 1
                reports.append(report)
    except (ValidationError, PermissionDenied) as exc:  # a race since the checks: nothing was applied
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        raise ProgressImportError([message]) from exc
    return ProgressImportResult(reports=reports, submitted=submitted)
