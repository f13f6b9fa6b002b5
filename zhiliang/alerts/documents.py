"""Documents: the 督办单 / 催办单 in official layout (GB/T 9704 elements) as .docx and PDF.

Fonts: GB/T 9704 asks for 方正小标宋 (title, 发文机关标志) and 仿宋_GB2312 (body). Those are not
free, so the .docx names the Debian fonts-noto-cjk equivalents (Noto Serif CJK SC for both,
Noto Sans CJK SC for 黑体 headings); Word/LibreOffice substitute if absent. ReportLab cannot embed
OpenType/CFF fonts such as Noto CJK, so the PDF embeds WenQuanYi Zen Hei (TrueType, Debian
``fonts-wqy-zenhei``) when installed, and otherwise falls back to Adobe's STSong-Light CID font
(not embedded: the reader supplies a Song face).
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from zhiliang.alerts.models import SupervisionNotice

RED = RGBColor(0xC0, 0x00, 0x00)
SERIF = "Noto Serif CJK SC"  # for 方正小标宋 / 仿宋_GB2312
SANS = "Noto Sans CJK SC"  # for 黑体
PDF_TTF_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)


def official_date(d: datetime.date) -> str:
    """成文日期 as GB/T 9704-2012 §7.3.5.4 writes it: Arabic numerals, no leading zeros.

    >>> official_date(datetime.date(2026, 3, 5))
    '2026年3月5日'
    """
    return f"{d.year}年{d.month}月{d.day}日"


# --------------------------------------------------------------------------- .docx


def docx_run(paragraph, text: str, *, font: str = SERIF, size: float = 16, bold: bool = False, color=None):  # noqa: ANN001, ANN202
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    return run


def para(doc, *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars: int = 0, space_after: float = 0):  # noqa: ANN001, ANN202
    p = doc.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    fmt.line_spacing = Pt(28)  # 22 lines a page at 三号, per GB/T 9704 §5.2.2
    if indent_chars:
        fmt.first_line_indent = Pt(16 * indent_chars)
    return p


def red_rule(paragraph) -> None:  # noqa: ANN001
    """The red separator line under the 版头 (a bottom border on the number's paragraph)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def notice_docx(notice: SupervisionNotice) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    doc.core_properties.title = notice.title
    doc.core_properties.subject = notice.number

    # 版头: 发文机关标志 (red, centred), 发文字号, red separator line.
    p = para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=16)
    docx_run(p, f"{notice.office.name}{notice.get_kind_display()}", size=26, bold=True, color=RED)
    p = para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=8)
    docx_run(p, notice.number)
    red_rule(p)
    para(doc)
    # 主体: 标题, 主送机关, 正文, 办理时限.
    p = para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=16)
    docx_run(p, notice.title, size=22, bold=True)
    p = para(doc, align=WD_ALIGN_PARAGRAPH.LEFT)
    docx_run(p, f"{notice.addressee}：")
    for line in [ln.strip() for ln in notice.text.splitlines() if ln.strip()]:
        p = para(doc, indent_chars=2)
        docx_run(p, line)
    p = para(doc, indent_chars=2)
    docx_run(p, "办理时限：", font=SANS)
    docx_run(p, f"请于{official_date(notice.due_by)}前将办理情况报送{notice.office.name}。")
    item = notice.work_item
    p = para(doc, indent_chars=2)
    docx_run(p, "督办事项：", font=SANS)
    docx_run(
        p, f"{item.task.plan}　{item.task.label}{item.task.title}（完成时限{official_date(item.due_date)}）"
    )
    para(doc)
    # 发文机关署名、成文日期和印章.
    p = para(doc, align=WD_ALIGN_PARAGRAPH.RIGHT)
    docx_run(p, "（印章）", color=RED)
    p = para(doc, align=WD_ALIGN_PARAGRAPH.RIGHT)
    docx_run(p, f"{notice.office.name}　　")
    p = para(doc, align=WD_ALIGN_PARAGRAPH.RIGHT)
    docx_run(p, f"{official_date(timezone.localdate(notice.issued_at))}　　")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- PDF


def pdf_font_name() -> str:
    """Register and return the CJK font the PDFs use (see module docstring)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    for name in ("ZhiliangCJK", "STSong-Light"):
        if name in pdfmetrics.getRegisteredFontNames():
            return name
    for path in PDF_TTF_CANDIDATES:
        if path.exists():
            pdfmetrics.registerFont(TTFont("ZhiliangCJK", str(path), subfontIndex=0))
            return "ZhiliangCJK"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def notice_pdf(notice: SupervisionNotice) -> bytes:
    from xml.sax.saxutils import escape  # noqa: S406 (escaping our own text for ReportLab markup)

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

    font = pdf_font_name()
    base = ParagraphStyle(
        "body", fontName=font, fontSize=16, leading=28, alignment=TA_JUSTIFY, wordWrap="CJK"
    )
    red_head = ParagraphStyle(
        "head",
        parent=base,
        fontSize=24,
        leading=34,
        alignment=TA_CENTER,
        textColor=colors.HexColor("#C00000"),
    )
    center = ParagraphStyle("center", parent=base, alignment=TA_CENTER)
    title = ParagraphStyle("title", parent=base, fontSize=20, leading=32, alignment=TA_CENTER)
    left = ParagraphStyle("left", parent=base, alignment=TA_LEFT)
    indent = ParagraphStyle("indent", parent=base, firstLineIndent=32)
    right = ParagraphStyle("right", parent=base, alignment=TA_RIGHT)
    seal = ParagraphStyle("seal", parent=right, textColor=colors.HexColor("#C00000"))

    item = notice.work_item
    story = [
        Paragraph(escape(f"{notice.office.name}{notice.get_kind_display()}"), red_head),
        Spacer(1, 6 * mm),
        Paragraph(escape(notice.number), center),
        HRFlowable(
            width="100%",
            thickness=1.5,
            color=colors.HexColor("#C00000"),
            spaceBefore=3 * mm,
            spaceAfter=8 * mm,
        ),
        Paragraph(escape(notice.title), title),
        Spacer(1, 4 * mm),
        Paragraph(escape(f"{notice.addressee}："), left),
    ]
    story += [Paragraph(escape(line.strip()), indent) for line in notice.text.splitlines() if line.strip()]
    story += [
        Paragraph(
            escape(f"办理时限：请于{official_date(notice.due_by)}前将办理情况报送{notice.office.name}。"),
            indent,
        ),
        Paragraph(
            escape(
                f"督办事项：{item.task.plan}　{item.task.label}{item.task.title}（完成时限{official_date(item.due_date)}）"
            ),
            indent,
        ),
        Spacer(1, 12 * mm),
        Paragraph("（印章）", seal),
        Paragraph(escape(notice.office.name), right),
        Paragraph(escape(official_date(timezone.localdate(notice.issued_at))), right),
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        topMargin=37 * mm,
        bottomMargin=35 * mm,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        title=notice.title,
        subject=notice.number,
        author=notice.office.name,
    )
    doc.build(story)
    return out.getvalue()
