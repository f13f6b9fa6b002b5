"""Exports of a stored plan: the contract JSON, Markdown, and the .xlsx 任务分工表.

A stored plan is first turned back into the parser's contract dict (``plan_to_contract``), then
into the parser's dataclasses, so the renderers of ``zhiliang.lib.planparse.export`` serve the
database as they serve the command line. The web workbook adds what a printed 任务分工表 needs
(a title row, a styled and frozen header) on top of the parser's sheet.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

from django.utils.translation import gettext as _

from zhiliang.lib.planparse import export as planparse_export
from zhiliang.lib.planparse.model import Deadline, Measure, Responsible, Section, Target, Task
from zhiliang.lib.planparse.model import Plan as ParsedPlan
from zhiliang.plans.contract import plan_to_contract
from zhiliang.plans.models import Plan

Contract = dict[str, Any]

EXPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}
XLSX_COLUMNS = planparse_export.XLSX_COLUMNS
HEADER_FILL = "DCE6F1"


def _responsibles(items: list[Contract] | None) -> list[Responsible]:
    return [Responsible(name=r["name"], role=r["role"], department=r.get("department")) for r in items or []]


def _targets(items: list[Contract] | None) -> list[Target]:
    return [
        Target(
            text=t["text"],
            subject=t.get("subject") or "",
            value=t.get("value"),
            unit=t.get("unit") or "",
            comparator=t.get("comparator") or "=",
            breakdown=list(t.get("breakdown") or []),
        )
        for t in items or []
    ]


def parsed_plan_from_contract(contract: Contract) -> ParsedPlan:
    """The parser's Plan dataclass for a contract dict (the inverse of ``Plan.to_dict``)."""
    sections = [
        Section(
            number=s["number"],
            label=s.get("label") or "",
            title=s.get("title") or "",
            kind=s.get("kind") or "other",
            text=s.get("text") or "",
            targets=_targets(s.get("targets")),
            tasks=[
                Task(
                    number=t["number"],
                    label=t.get("label") or "",
                    title=t.get("title") or "",
                    text=t.get("text") or "",
                    measures=[
                        Measure(text=m["text"], responsible=_responsibles(m.get("responsible")))
                        for m in t.get("measures") or []
                    ],
                    responsible=_responsibles(t.get("responsible")),
                    targets=_targets(t.get("targets")),
                    deadlines=[
                        Deadline(text=d["text"], date=d.get("date"), recurring=bool(d.get("recurring")))
                        for d in t.get("deadlines") or []
                    ],
                )
                for t in s.get("tasks") or []
            ],
        )
        for s in contract.get("sections") or []
    ]
    return ParsedPlan(
        source=contract.get("source") or "",
        title=contract.get("title"),
        notice_title=contract.get("notice_title"),
        issuer=contract.get("issuer"),
        doc_number=contract.get("doc_number"),
        date=contract.get("date"),
        year=contract.get("year"),
        region=contract.get("region"),
        level=contract.get("level"),
        basis=list(contract.get("basis") or []),
        sections=sections,
        duplicates_removed=contract.get("duplicates_removed") or 0,
        warnings=list(contract.get("warnings") or []),
    )


def plan_export_json(plan: Plan) -> bytes:
    """``[contract]`` as UTF-8 JSON, Chinese kept readable (the CLI's ``--format json`` shape)."""
    return json.dumps([plan_to_contract(plan)], ensure_ascii=False, indent=1).encode("utf-8")


def plan_export_markdown(plan: Plan) -> bytes:
    return planparse_export.to_markdown([parsed_plan_from_contract(plan_to_contract(plan))]).encode("utf-8")


def plan_export_xlsx(plan: Plan) -> bytes:
    """The 任务分工表 workbook: title row, styled frozen header, wrapped text, fixed column widths.

    Columns: 序号, 重点任务, 具体措施, 牵头单位 (lead units), 责任单位/配合单位 (assist and shared
    units), 完成时限, 目标. One row per task, or per measure where measures carry their own notes.
    """
    from openpyxl import load_workbook  # lazy: only this format needs it
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    parsed = parsed_plan_from_contract(plan_to_contract(plan))
    workbook = load_workbook(io.BytesIO(planparse_export.to_xlsx([parsed])))
    sheet = workbook.worksheets[0]
    sheet.title = _("任务分工表")

    sheet.insert_rows(1)
    title = _("%(title)s任务分工表") % {"title": plan.display_title}
    sheet.cell(row=1, column=1, value=title)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(XLSX_COLUMNS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 36

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    sheet.row_dimensions[2].height = 24
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


RENDERERS = {"xlsx": plan_export_xlsx, "json": plan_export_json, "md": plan_export_markdown}


def plan_export(plan: Plan, fmt: str) -> bytes:
    """The bytes of *plan* in *fmt* (``xlsx``, ``json`` or ``md``)."""
    return RENDERERS[fmt](plan)


def export_file_name(plan: Plan, fmt: str) -> str:
    """A Chinese file name, e.g. ``浙江省2017年质量强省建设行动计划-任务分工表.xlsx``."""
    base = re.sub(r'[\\/:*?"<>|\s]+', "", plan.display_title)[:80] or _("行动计划")
    if fmt == "xlsx":
        return f"{base}-{_('任务分工表')}.xlsx"
    return f"{base}.{fmt}"
