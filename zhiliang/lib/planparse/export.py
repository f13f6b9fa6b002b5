"""Output formats: JSON (the contract), Markdown, and an .xlsx 任务分工表."""

from __future__ import annotations

import io
import json

from .model import Plan, Responsible

XLSX_COLUMNS = ["序号", "重点任务", "具体措施", "牵头单位", "责任单位/配合单位", "完成时限", "目标"]


def to_json(plans: list[Plan]) -> str:
    return json.dumps([p.to_dict() for p in plans], ensure_ascii=False, indent=1)


def _names(rs: list[Responsible], roles: tuple[str, ...]) -> str:
    return "、".join(r.name for r in rs if r.role in roles)


def to_markdown(plans: list[Plan]) -> str:
    out: list[str] = []
    for p in plans:
        out.append(f"# {p.title or p.notice_title or p.source}")
        facts = [
            ("来源", p.source),
            ("发文字号", p.doc_number),
            ("发文机关", p.issuer),
            ("成文日期", p.date),
            ("年度", p.year),
            ("地区", p.region),
            ("依据", "；".join(p.basis) if p.basis else None),
            ("删除重复副本", p.duplicates_removed or None),
        ]
        out.extend(f"- {k}：{v}" for k, v in facts if v)
        for s in p.sections:
            out.append("")
            out.append(f"## {s.label}{s.title}".rstrip() if (s.label or s.title) else "## 任务")
            if s.kind != "tasks":
                if s.text:
                    out.append("")
                    out.append(s.text)
                continue
            out.append("")
            out.append("| 序号 | 任务 | 牵头单位 | 责任/配合单位 | 完成时限 | 目标 |")
            out.append("|---|---|---|---|---|---|")
            for t in s.tasks:
                cells = [
                    str(t.number),
                    f"{t.label}{t.title}",
                    _names(t.responsible, ("lead",)),
                    _names(t.responsible, ("shared", "assist")),
                    "；".join(d.text + (f"（{d.date}）" if d.date else "") for d in t.deadlines),
                    "；".join(x.text for x in t.targets),
                ]
                out.append("| " + " | ".join(c.replace("|", "／").replace("\n", " ") for c in cells) + " |")
        if p.warnings:
            out.append("")
            out.append("## 提示")
            out.extend(f"- {w}" for w in p.warnings)
        out.append("")
    return "\n".join(out)


def to_xlsx(plans: list[Plan]) -> bytes:
    """One sheet per plan: the task-division table (one row per measure that has its own note)."""
    from openpyxl import Workbook  # lazy: only this format needs it
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    for k, p in enumerate(plans, 1):
        name = (p.title or p.source or f"计划{k}")[:28]
        for ch in "[]:*?/\\":
            name = name.replace(ch, "_")
        ws = wb.create_sheet(f"{k}-{name}"[:31])
        ws.append(XLSX_COLUMNS)
        for c in ws[1]:
            c.font = Font(bold=True)
        for t in p.tasks:
            deadlines = "；".join(d.text + (f"（{d.date}）" if d.date else "") for d in t.deadlines)
            targets = "；".join(x.text for x in t.targets)
            with_notes = [m for m in t.measures if m.responsible]
            if with_notes:
                for m in with_notes:
                    ws.append([t.number, f"{t.label}{t.title}", m.text, _names(m.responsible, ("lead",)),
                               _names(m.responsible, ("shared", "assist")), deadlines, targets])  # fmt: skip
            else:
                measures = "\n".join(m.text for m in t.measures)
                ws.append([t.number, f"{t.label}{t.title}", measures, _names(t.responsible, ("lead",)),
                           _names(t.responsible, ("shared", "assist")), deadlines, targets])  # fmt: skip
        for col, width in zip("ABCDEFG", (6, 30, 60, 24, 40, 20, 30)):
            ws.column_dimensions[col].width = width
        for row in ws.iter_rows(min_row=2):
            for c in row:
                c.alignment = Alignment(wrap_text=True, vertical="top")
    if not plans:
        wb.create_sheet("任务分工表").append(XLSX_COLUMNS)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
