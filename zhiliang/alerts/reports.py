"""The plan's progress report (季度 / 年度落实情况) assembled from accepted reports: .docx and .xlsx.

For each work item the latest report *accepted by the office* whose reporting date falls in the
period is used; drafts, reports awaiting review and returned reports never appear. Items with no
accepted report in the period are listed as such, so the document cannot overstate progress.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from zhiliang.alerts.documents import SANS, docx_run, official_date
from zhiliang.plans.models import Plan, Section, Target, Task
from zhiliang.supervision.models import ProgressReport, ReportStatus, TargetProgress, WorkItem

QUARTERS = {1: "一", 2: "二", 3: "三", 4: "四"}


@dataclass(frozen=True)
class Period:
    """A quarter (``2017Q3``) or a year (``2017``)."""

    year: int
    quarter: int | None = None

    @classmethod
    def parse(cls, value: str) -> Period:
        """
        >>> Period.parse("2017Q3"), Period.parse("2017")
        (Period(year=2017, quarter=3), Period(year=2017, quarter=None))
        """
        m = re.fullmatch(r"\s*((?:19|20)\d{2})(?:\s*[Qq]\s*([1-4]))?\s*", value or "")
        if not m:
            raise ValidationError("报告期应为年度（如 2017）或季度（如 2017Q3）")
        return cls(int(m.group(1)), int(m.group(2)) if m.group(2) else None)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    @property
    def end(self) -> datetime.date:
        if self.quarter is None or self.quarter == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.quarter + 1, 1) - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}年" + (f"第{QUARTERS[self.quarter]}季度" if self.quarter else "度")

    @property
    def slug(self) -> str:
        return f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)


@dataclass
class UnitEntry:
    item: WorkItem
    report: ProgressReport | None
    actuals: list[tuple[Target, TargetProgress]] = field(default_factory=list)


@dataclass
class TaskEntry:
    task: Task
    units: list[UnitEntry]


@dataclass
class SectionEntry:
    section: Section
    tasks: list[TaskEntry]


def progress_report_assemble(*, plan: Plan, period: Period, items) -> list[SectionEntry]:  # noqa: ANN001
    """Sections → tasks → units with their accepted report of the period (a fixed number of queries)."""
    accepted = (
        ProgressReport.objects.filter(
            status=ReportStatus.ACCEPTED,
            report_due__due_on__gte=period.start,
            report_due__due_on__lte=period.end,
        )
        .select_related("report_due")
        .prefetch_related(
            Prefetch(
                "target_progress",
                queryset=TargetProgress.objects.filter(breakdown__isnull=True).select_related("target"),
            )
        )
        .order_by("-report_due__due_on", "-pk")
    )
    work_items = (
        items.for_plan(plan)
        .select_related("organisation", "task__section")
        .prefetch_related(Prefetch("reports", queryset=accepted, to_attr="accepted_reports"))
        .order_by("task__section__number", "task__number", "role", "organisation__name")
    )
    sections: dict[int, SectionEntry] = {}
    tasks: dict[int, TaskEntry] = {}
    for item in work_items:
        section = item.task.section
        if section.pk not in sections:
            sections[section.pk] = SectionEntry(section=section, tasks=[])
        if item.task_id not in tasks:
            tasks[item.task_id] = TaskEntry(task=item.task, units=[])
            sections[section.pk].tasks.append(tasks[item.task_id])
        report = item.accepted_reports[0] if item.accepted_reports else None
        actuals = [(tp.target, tp) for tp in report.target_progress.all()] if report else []
        tasks[item.task_id].units.append(UnitEntry(item=item, report=report, actuals=actuals))
    return sorted(sections.values(), key=lambda s: s.section.number)


def _fmt_number(value) -> str:  # noqa: ANN001
    return f"{value.normalize():f}" if value is not None else ""


def progress_report_docx(*, plan: Plan, period: Period, sections: list[SectionEntry]) -> bytes:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    title = f"{plan.title or plan}{period.label}落实情况"
    doc.core_properties.title = title

    def para(align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = False):  # noqa: ANN001, ANN202
        p = doc.add_paragraph()
        p.alignment = align
        p.paragraph_format.line_spacing = Pt(28)
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        return p

    docx_run(para(WD_ALIGN_PARAGRAPH.CENTER), title, size=22, bold=True)
    docx_run(
        para(WD_ALIGN_PARAGRAPH.CENTER),
        f"（报告期：{official_date(period.start)}至{official_date(period.end)}；据质量办已采纳的进展报告汇总）",
        size=14,
    )
    for s in sections:
        docx_run(para(), f"{s.section.label}{s.section.title}", font=SANS)  # 一级标题 黑体
        for t in s.tasks:
            docx_run(
                para(indent=True), f"{t.task.label}{t.task.title}", bold=True
            )  # 二级标题 (楷体 → serif bold)
            for u in t.units:
                p = para(indent=True)
                docx_run(p, f"{u.item.organisation.name}（{u.item.get_role_display()}）：", bold=True)
                if u.report is None:
                    docx_run(p, "本期无已采纳的进展报告。")
                    continue
                pct = f"完成进度{u.report.percent}%。" if u.report.percent is not None else ""
                docx_run(p, f"{pct}{u.report.narrative.strip() or '（未填写进展情况）'}")
                if u.actuals:
                    table = doc.add_table(rows=1, cols=3)
                    table.style = "Table Grid"
                    for cell, text in zip(table.rows[0].cells, ("指标", "目标值", "实际完成")):
                        docx_run(cell.paragraphs[0], text, font=SANS, size=12)
                    for target, tp in u.actuals:
                        cells = table.add_row().cells
                        docx_run(cells[0].paragraphs[0], target.subject or target.text, size=12)
                        docx_run(cells[1].paragraphs[0], f"{_fmt_number(target.value)}{target.unit}", size=12)
                        docx_run(cells[2].paragraphs[0], f"{_fmt_number(tp.actual)}{target.unit}", size=12)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


XLSX_HEADERS = (
    "部分",
    "任务编号",
    "任务",
    "责任单位",
    "角色",
    "报送期限",
    "完成进度(%)",
    "进展情况",
    "指标",
    "目标值",
    "实际完成",
    "单位",
)


def progress_report_xlsx(*, plan: Plan, period: Period, sections: list[SectionEntry]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{period.slug}落实情况"[:31]
    ws.append([f"{plan.title or plan}{period.label}落实情况"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(list(XLSX_HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for s in sections:
        for t in s.tasks:
            for u in t.units:
                common = [
                    f"{s.section.label}{s.section.title}",
                    t.task.label or str(t.task.number),
                    t.task.title,
                    u.item.organisation.name,
                    u.item.get_role_display(),
                ]
                if u.report is None:
                    ws.append([*common, "", None, "本期无已采纳的进展报告", "", None, None, ""])
                    continue
                head = [*common, u.report.report_due.due_on, u.report.percent, u.report.narrative]
                if not u.actuals:
                    ws.append([*head, "", None, None, ""])
                for target, tp in u.actuals:
                    ws.append([*head, target.subject or target.text, target.value, tp.actual, target.unit])
    for col, width in zip("ABCDEFGHIJKL", (24, 8, 30, 24, 8, 12, 10, 60, 24, 10, 10, 8)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=3):
        row[7].alignment = Alignment(wrap_text=True, vertical="top")
        row[5].number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
