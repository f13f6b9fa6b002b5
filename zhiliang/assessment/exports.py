"""Files out of (and into) the assessment: the scheme as .xlsx (export and import), the results
as .xlsx, and the bulletin (通报) as .docx and PDF.

Scheme workbook layout (what the import reads back):

- sheet ``方案``: two columns, 项目 / 内容: 方案名称, 说明, 满分, 考核年度开始, 考核年度结束, 等次划分
  (``A≥90；B≥80；C≥60；D≥0``), 否决后等次, 一票否决事项 (one per line, ``code｜name``), 并列规则,
  被否决的排在最后 (是/否), 末位整改数, 整改报告期限(天).
- sheet ``指标``: 编号, 上级编号, 指标名称, 分值, 评分方法, 需提交材料, 评分部门代码, 自动取数.
  The tree is given by 上级编号 (empty for a top-level indicator).

The .docx and PDF reuse the fonts and helpers of ``zhiliang.alerts.documents``.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape
from zipfile import BadZipFile

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from zhiliang.assessment import services
from zhiliang.assessment.models import AssessmentScheme, AutoSource, Bulletin, TieRule
from zhiliang.departments.models import Department
from zhiliang.regions.models import Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
INDICATOR_COLUMNS = [
    "编号",
    "上级编号",
    "指标名称",
    "分值",
    "评分方法",
    "需提交材料",
    "评分部门代码",
    "自动取数",
]
HEADER_FILL = PatternFill("solid", fgColor="E8EEF6")


def _header(sheet, columns: list[str]) -> None:  # noqa: ANN001
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- scheme .xlsx


def scheme_export_xlsx(scheme: AssessmentScheme) -> bytes:
    wb = Workbook()
    meta = wb.active
    meta.title = "方案"
    _header(meta, ["项目", "内容"])
    for key, value in (
        ("方案名称", scheme.name),
        ("说明", scheme.description),
        ("满分", scheme.scale),
        ("考核年度开始", scheme.year_start.isoformat()),
        ("考核年度结束", scheme.year_end.isoformat()),
        ("等次划分", scheme.bands_text()),
        ("否决后等次", scheme.veto_grade),
        ("一票否决事项", "\n".join(f"{r['code']}｜{r['name']}" for r in scheme.veto_rules)),
        ("并列规则", scheme.tie_rule),
        ("被否决的排在最后", "是" if scheme.veto_ranks_last else "否"),
        ("末位整改数", scheme.bottom_count),
        ("整改报告期限(天)", scheme.rectification_days),
    ):
        meta.append([key, value])
    meta.column_dimensions["A"].width = 18
    meta.column_dimensions["B"].width = 80
    sheet = wb.create_sheet("指标")
    _header(sheet, INDICATOR_COLUMNS)
    for ind, _depth, _leaf in services.indicator_rows(scheme):
        sheet.append(
            [
                ind.code,
                ind.parent.code if ind.parent_id else "",
                ind.name,
                float(ind.points),
                ind.scoring_method,
                ind.evidence_required,
                ind.department.code if ind.department_id else "",
                ind.auto_source,
            ]
        )
    for col, width in zip("ABCDEFGH", (10, 10, 48, 8, 48, 30, 14, 18), strict=True):
        sheet.column_dimensions[col].width = width
    return _bytes(wb)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any, label: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(_text(value))
    except ValueError as exc:
        raise ValidationError(_("“%(label)s”应为日期（如 2017-07-01）") % {"label": label}) from exc


@transaction.atomic
def scheme_import_xlsx(*, data: bytes, region: Region, user: User) -> AssessmentScheme:
    """Build a new scheme from a workbook in the export's layout; every error names its row."""
    services._require_office(user, region.pk)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise ValidationError(_("无法打开这个文件，请上传由本系统导出的 .xlsx 方案表")) from exc
    if "方案" not in wb.sheetnames or "指标" not in wb.sheetnames:
        raise ValidationError(_("工作簿应包含“方案”和“指标”两张表"))
    meta = {_text(r[0]): r[1] for r in wb["方案"].iter_rows(min_row=2, values_only=True) if r and r[0]}
    errors: list[str] = []
    rows = list(wb["指标"].iter_rows(values_only=True))
    if not rows or [_text(c) for c in rows[0][: len(INDICATOR_COLUMNS)]] != INDICATOR_COLUMNS:
        raise ValidationError(_("“指标”表的表头应为：%(cols)s") % {"cols": "、".join(INDICATOR_COLUMNS)})
    departments = {d.code: d for d in Department.objects.all()}
    autos = {a.value for a in AutoSource}
    indicators = []
    for n, row in enumerate(rows[1:], start=2):
        row = list(row) + [None] * len(INDICATOR_COLUMNS)
        code, parent, name, points, method, evidence, dept, auto = (_text(v) for v in row[:8])
        if not any((code, name, points)):
            continue
        where = _("“指标”表第%(n)d行") % {"n": n}
        if not code or not name:
            errors.append(where + _("：编号和指标名称必填"))
            continue
        try:
            value = Decimal(points)
        except ArithmeticError:
            errors.append(where + _("：分值“%(v)s”不是数字") % {"v": points})
            continue
        if dept and dept not in departments:
            errors.append(where + _("：没有代码为“%(d)s”的部门") % {"d": dept})
        if auto not in autos:
            errors.append(where + _("：自动取数“%(a)s”无效") % {"a": auto})
        indicators.append(
            {
                "code": code,
                "parent": parent or None,
                "name": name,
                "points": value,
                "scoring_method": method,
                "evidence_required": evidence,
                "department": departments.get(dept),
                "auto_source": auto if auto in autos else "",
            }
        )
    if errors:
        raise ValidationError(errors)
    try:
        bands = services.parse_bands(_text(meta.get("等次划分")) or "A≥90；B≥80；C≥60；D≥0")
        scale = int(_text(meta.get("满分")) or 100)
        veto_rules = []
        for line in _text(meta.get("一票否决事项")).splitlines():
            if line.strip():
                code, _sep, name = line.replace("|", "｜").partition("｜")
                veto_rules.append({"code": code.strip(), "name": (name or code).strip()})
        tie_rule = _text(meta.get("并列规则")) or TieRule.COMPETITION
        if tie_rule not in TieRule.values:
            raise ValidationError(_("并列规则应为 competition 或 dense"))
        scheme = AssessmentScheme(
            region=region,
            name=_text(meta.get("方案名称")) or _("导入的考核方案"),
            description=_text(meta.get("说明")),
            scale=scale,
            grade_bands=bands,
            veto_rules=veto_rules,
            veto_grade=_text(meta.get("否决后等次")) or "D",
            veto_ranks_last=_text(meta.get("被否决的排在最后")) != "否",
            tie_rule=tie_rule,
            bottom_count=int(_text(meta.get("末位整改数")) or 3),
            rectification_days=int(_text(meta.get("整改报告期限(天)")) or 30),
            year_start=_date(meta.get("考核年度开始"), "考核年度开始"),
            year_end=_date(meta.get("考核年度结束"), "考核年度结束"),
            created_by=user,
        )
    except ValueError as exc:
        raise ValidationError(_("“方案”表中的数字有误：%(err)s") % {"err": exc}) from exc
    services.check_scheme_settings(scale=scheme.scale, bands=scheme.grade_bands, veto_grade=scheme.veto_grade)
    scheme.full_clean()
    scheme.save()
    services._create_indicators(scheme, indicators)
    return scheme


# --------------------------------------------------------------------------- results .xlsx


def results_xlsx(assessment) -> bytes:  # noqa: ANN001
    """Ranking sheet plus one score sheet per city (every leaf, with what moved its score)."""
    wb = Workbook()
    sheet = wb.active
    sheet.title = "排名"
    scheme = assessment.scheme
    _header(sheet, ["排名", "地区", "综合得分", "等次", "一票否决", "按分数等次"])
    cities = list(assessment.cities.select_related("region").order_by("rank", "region__code"))
    for c in cities:
        sheet.append(
            [
                c.rank,
                c.region.name,
                float(c.total) if c.total is not None else None,
                c.grade,
                "是" if c.vetoed else "",
                c.banded_grade,
            ]
        )
    detail = wb.create_sheet("得分明细")
    _header(detail, ["地区", "编号", "指标", "分值", "得分", "扣分", "扣分依据"])
    sheets = services_city_sheets(assessment)
    for c in cities:
        for line in sheets[c.pk]:
            if line["leaf"]:
                detail.append(
                    [
                        c.region.name,
                        line["code"],
                        line["name"],
                        float(line["points"]),
                        float(line["score"]),
                        float(line["deduction"]),
                        "；".join(line["reasons"]),
                    ]
                )
    sheet["H1"] = f"满分 {scheme.scale}；等次：{scheme.bands_text()}"
    return _bytes(wb)


def services_city_sheets(assessment) -> dict[int, list[dict]]:  # noqa: ANN001
    from zhiliang.assessment.selectors import city_sheets

    return city_sheets(assessment)


# --------------------------------------------------------------------------- bulletin


def bulletin_paragraphs(bulletin: Bulletin) -> tuple[list[str], list[list[str]]]:
    """The bulletin's body text and its results table, shared by the .docx and the PDF."""
    a = bulletin.assessment
    scheme = a.scheme
    grades: dict[str, list[str]] = {}
    for r in bulletin.results:
        grades.setdefault(r["grade"], []).append(r["city"])
    body = [f"{a.region.name}各设区市人民政府："]
    if bulletin.text:
        body.extend(line.strip() for line in bulletin.text.splitlines() if line.strip())
    body.append(
        f"根据{scheme.name}，经目标备案、自我评价、部门评分、实地核查和综合评价，"
        f"{a.title}结果已经确定（满分{scheme.scale}分，{scheme.bands_text()}）。现将结果通报如下："
    )
    for grade, _minimum in scheme.bands():
        if grade in grades:
            body.append(f"{grade}级（{len(grades[grade])}个）：{'、'.join(grades[grade])}。")
    vetoed = [r for r in bulletin.results if r.get("vetoed")]
    if vetoed:
        body.append(
            "因" + "；".join(f"{r['city']}{r['veto']}" for r in vetoed) + "，实行一票否决，考核等次为D。"
        )
    body.append(
        f"考核等次为{scheme.bands()[-1][0]}和排名后{scheme.bottom_count}位的市，"
        f"应在{scheme.rectification_days}日内向省质量工作领导小组办公室报送书面整改报告；整改不到位的，将予以约谈。"
    )
    table = [["排名", "地区", "综合得分", "等次"]] + [
        [str(r["rank"]), r["city"], r["total"], r["grade"] + ("（否决）" if r.get("vetoed") else "")]
        for r in bulletin.results
    ]
    return body, table


def bulletin_docx(bulletin: Bulletin) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    from zhiliang.alerts.documents import RED, SANS, docx_run, official_date, para, red_rule

    a = bulletin.assessment
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    doc.core_properties.title = bulletin.title
    doc.core_properties.subject = bulletin.number
    p = para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=16)
    docx_run(p, f"{a.region.name}质量工作领导小组办公室", size=26, bold=True, color=RED)
    p = para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=8)
    docx_run(p, bulletin.number)
    red_rule(p)
    p = para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=16)
    docx_run(p, bulletin.title, size=22, bold=True)
    body, table = bulletin_paragraphs(bulletin)
    p = para(doc, align=WD_ALIGN_PARAGRAPH.LEFT)
    docx_run(p, body[0])
    for line in body[1:]:
        docx_run(para(doc, indent_chars=2), line)
    grid = doc.add_table(rows=0, cols=4)
    grid.style = "Table Grid"
    for i, row in enumerate(table):
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            docx_run(
                cell.paragraphs[0], value, font=SANS if i == 0 else "Noto Serif CJK SC", size=12, bold=i == 0
            )
    para(doc)
    p = para(doc, align=WD_ALIGN_PARAGRAPH.RIGHT)
    docx_run(p, f"{a.region.name}质量工作领导小组办公室")
    p = para(doc, align=WD_ALIGN_PARAGRAPH.RIGHT)
    docx_run(p, official_date(bulletin.published_at.date()))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def bulletin_pdf(bulletin: Bulletin) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from zhiliang.alerts.documents import official_date, pdf_font_name

    font = pdf_font_name()
    a = bulletin.assessment
    base = ParagraphStyle("base", fontName=font, fontSize=12, leading=20, wordWrap="CJK", firstLineIndent=24)
    plain = ParagraphStyle("plain", parent=base, firstLineIndent=0)
    head = ParagraphStyle(
        "head", parent=plain, fontSize=20, leading=28, alignment=1, textColor=colors.HexColor("#c00000")
    )
    centre = ParagraphStyle("centre", parent=plain, alignment=1)
    title = ParagraphStyle(
        "title", parent=plain, fontSize=16, leading=24, alignment=1, spaceBefore=8, spaceAfter=8
    )
    right = ParagraphStyle("right", parent=plain, alignment=2)
    cell = ParagraphStyle("cell", parent=plain, fontSize=10.5, leading=14)

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text), style)

    body, table = bulletin_paragraphs(bulletin)
    story: list = [
        p(f"{a.region.name}质量工作领导小组办公室", head),
        p(bulletin.number, centre),
        p(bulletin.title, title),
    ]
    story.append(p(body[0], plain))
    story.extend(p(line) for line in body[1:])
    story.append(Spacer(1, 4 * mm))
    grid = Table(
        [[p(c, cell) for c in row] for row in table],
        colWidths=[20 * mm, 50 * mm, 35 * mm, 35 * mm],
        repeatRows=1,
    )
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
            ]
        )
    )
    story += [
        grid,
        Spacer(1, 8 * mm),
        p(f"{a.region.name}质量工作领导小组办公室", right),
        p(official_date(bulletin.published_at.date()), right),
    ]
    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        topMargin=30 * mm,
        bottomMargin=30 * mm,
        title=bulletin.title,
        subject=bulletin.number,
    ).build(story)
    return out.getvalue()
