"""Credit reports (信用报告): the public snapshot of an enterprise, as a PDF with a verification number.

A report shows only what the public page shows on the day it is issued: the current grade under the
default scheme, red/black list entries in force, and the public credit records. The report row keeps
a snapshot of that content and a hash of its *state* (grade, list status, record ids), so the
verification page can say whether the report is still current or has been superseded, without
showing anything that is not public today.

    report = credit_report_issue(enterprise=ent)          # reuses today's report if nothing changed
    pdf = render_report_pdf(report, verify_url="https://…/public/verify/ABCD-…/")
    credit_report_verify(number="abcd efgh jkmn pqrs")    # → Verification(report, is_current, changes)
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiliang.credit.models import CreditRecord, Enterprise, ListEntry, ListKind, Polarity

# 30 symbols: digits and capitals without the look-alikes 0/O, 1/I/L and S.
NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRTUVWXYZ"
NUMBER_LENGTH = 16  # 30**16 ≈ 4·10^23 (78 bits): not guessable, even at unlimited request rates
NUMBER_GROUP = 4


def new_report_number() -> str:
    """A random verification number in groups of four, e.g. ``7KQ3-M9XW-4TRA-HC2E``."""
    raw = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(NUMBER_LENGTH))
    return "-".join(raw[i : i + NUMBER_GROUP] for i in range(0, NUMBER_LENGTH, NUMBER_GROUP))


def normalise_report_number(text: str) -> str | None:
    """The canonical grouped form of a typed number, or None if it cannot be one.

    >>> normalise_report_number(" 7kq3 m9xw-4tra hc2e ")
    '7KQ3-M9XW-4TRA-HC2E'
    """
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(raw) != NUMBER_LENGTH or any(ch not in NUMBER_ALPHABET for ch in raw):
        return None
    return "-".join(raw[i : i + NUMBER_GROUP] for i in range(0, NUMBER_LENGTH, NUMBER_GROUP))


class CreditReport(models.Model):
    """One issued credit report: its verification number and what it said."""

    number = models.CharField(_("验证编号"), max_length=19, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="credit_reports"
    )
    issued_at = models.DateTimeField(_("出具时间"))
    as_of = models.DateField(_("信息截止日"))
    snapshot = models.JSONField(_("报告内容快照"), default=dict)
    state_hash = models.CharField(_("公示状态摘要"), max_length=64)
    content_hash = models.CharField(_("内容摘要(SHA-256)"), max_length=64)

    class Meta:
        app_label = "credit"
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("信用报告")
        verbose_name_plural = _("信用报告")
        indexes = [models.Index(fields=["enterprise", "as_of"], name="credit_report_ent_asof")]

    def __str__(self) -> str:
        return f"{self.number} · {self.snapshot.get('name', '')}"


# ---- the public state of an enterprise ---------------------------------------------------------


@dataclass
class PublicState:
    """What the public may see about one enterprise on one day."""

    enterprise: Enterprise
    on: datetime.date
    grade: dict | None
    lists: list[dict]
    records: list[CreditRecord] = field(default_factory=list)
    list_entries: list[ListEntry] = field(default_factory=list)

    @property
    def is_black_listed(self) -> bool:
        return any(e["kind"] == ListKind.BLACK for e in self.lists)

    @property
    def is_red_listed(self) -> bool:
        return any(e["kind"] == ListKind.RED for e in self.lists)

    @property
    def is_visible(self) -> bool:
        """Whether the enterprise has anything public at all (otherwise public pages answer 404)."""
        return bool(self.grade or self.lists or self.records)

    def record_rows(self) -> list[dict]:
        return [
            {
                "id": r.pk,
                "type": r.record_type.name,
                "polarity": r.record_type.polarity,
                "authority": r.source_authority,
                "decision_number": r.decision_number,
                "title": r.title,
                "product": r.product,
                "result": r.result,
                "occurred_on": r.occurred_on.isoformat(),
                "published_from": r.published_from.isoformat(),
                "display_until": r.display_until.isoformat() if r.display_until else None,
                "objected": r.status == "objected",
            }
            for r in self.records
        ]

    def state(self) -> dict:
        """The parts whose change makes an issued report out of date."""
        return {
            "grade": self.grade and {k: self.grade[k] for k in ("scheme", "grade")},
            "lists": sorted((e["kind"], e["id"]) for e in self.lists),
            "records": sorted(r.pk for r in self.records),
        }

    def state_hash(self) -> str:
        return hashlib.sha256(json.dumps(self.state(), sort_keys=True, default=str).encode()).hexdigest()

    def snapshot(self) -> dict:
        ent = self.enterprise
        return {
            "name": ent.name,
            "uscc": ent.uscc,
            "region": ent.region.name if ent.region_id else "",
            "as_of": self.on.isoformat(),
            "grade": self.grade,
            "lists": self.lists,
            "records": self.record_rows(),
        }


def public_state(enterprise: Enterprise, *, on: datetime.date | None = None) -> PublicState:
    """Grade, list status and public records of *enterprise* on *on* (default today), in 4 queries."""
    on = on or timezone.localdate()
    grade_obj = enterprise.current_grade()
    grade = None
    if grade_obj is not None:
        grade = {
            "scheme": grade_obj.scheme.code,
            "scheme_name": grade_obj.scheme.name,
            "grade": grade_obj.grade,
            "grade_name": grade_obj.grade_name,
            "as_of": grade_obj.as_of.isoformat(),
        }
    entries = list(
        ListEntry.objects.current(on=on).filter(enterprise=enterprise).order_by("kind", "-listed_on", "pk")
    )
    lists = [
        {
            "id": e.pk,
            "kind": e.kind,
            "kind_name": str(e.get_kind_display()),
            "authority": e.source_authority,
            "reason": e.reason,
            "listed_on": e.listed_on.isoformat(),
            "expires_on": e.expires_on.isoformat() if e.expires_on else None,
        }
        for e in entries
    ]
    records = list(
        CreditRecord.objects.public(on=on)
        .filter(enterprise=enterprise)
        .select_related("record_type")
        .order_by("-occurred_on", "-pk")
    )
    return PublicState(enterprise, on, grade, lists, records, entries)


# ---- issuing and verifying ---------------------------------------------------------------------


@transaction.atomic
def credit_report_issue(*, enterprise: Enterprise, on: datetime.date | None = None) -> CreditReport:
    """Issue a report for *enterprise*, or return today's if its public state has not changed since.

    Reuse keeps the table to at most one row per enterprise, day and state, however often the
    public downloads the report.
    """
    state = public_state(enterprise, on=on)
    state_hash = state.state_hash()
    existing = (
        CreditReport.objects.filter(enterprise=enterprise, as_of=state.on, state_hash=state_hash)
        .order_by("-issued_at")
        .first()
    )
    if existing is not None:
        return existing
    snapshot = state.snapshot()
    content_hash = hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return CreditReport.objects.create(
                    number=new_report_number(),
                    enterprise=enterprise,
                    issued_at=timezone.now(),
                    as_of=state.on,
                    snapshot=snapshot,
                    state_hash=state_hash,
                    content_hash=content_hash,
                )
        except IntegrityError:  # a number collision: astronomically rare, but cheap to retry
            continue
    raise RuntimeError("could not allocate a unique report number")


@dataclass
class Verification:
    report: CreditReport
    is_current: bool
    changes: list[str]  # which public parts changed since issue: "grade", "lists", "records"


def credit_report_verify(*, number: str, on: datetime.date | None = None) -> Verification | None:
    """Look a report up by its number and compare it with today's public state."""
    canonical = normalise_report_number(number)
    if canonical is None:
        return None
    report = (
        CreditReport.objects.select_related("enterprise", "enterprise__region")
        .filter(number=canonical)
        .first()
    )
    if report is None:
        return None
    now_state = public_state(report.enterprise, on=on).state()
    old = report.snapshot
    then_state = {
        "grade": old.get("grade") and {k: old["grade"][k] for k in ("scheme", "grade")},
        "lists": sorted((e["kind"], e["id"]) for e in old.get("lists", [])),
        "records": sorted(r["id"] for r in old.get("records", [])),
    }
    changes = [
        key
        for key in ("grade", "lists", "records")
        if _jsonable(then_state[key]) != _jsonable(now_state[key])
    ]
    return Verification(report, not changes, changes)


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


# ---- the PDF -----------------------------------------------------------------------------------

FONT = "STSong-Light"  # a built-in CID font: no font file to ship, text stays extractable


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def render_report_pdf(report: CreditReport, *, verify_url: str) -> bytes:
    """The report as A4 PDF bytes, from the report's snapshot (so a re-download is identical)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import HRFlowable

    _register_font()
    snap = report.snapshot
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
    small = ParagraphStyle(
        "small", parent=base, fontSize=8.5, leading=12, textColor=colors.HexColor("#444444")
    )
    title = ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=1, spaceAfter=4)
    h2 = ParagraphStyle("h2", parent=base, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4)

    def p(text: object, style: ParagraphStyle = base) -> Paragraph:
        # Paragraph parses a mini-markup: escape the data so "<" or "&" in a name prints as is.
        from xml.sax.saxutils import escape

        return Paragraph(escape(str(text if text is not None else "")), style)

    def table(rows: list[list[object]], widths: list[float], header: bool = True) -> Table:
        t = Table(
            [[p(c, small) for c in row] for row in rows], colWidths=widths, repeatRows=1 if header else 0
        )
        style = [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")))
        t.setStyle(TableStyle(style))
        return t

    issued = timezone.localtime(report.issued_at)
    story: list = [
        p("企业质量信用报告", title),
        p(
            f"验证编号：{report.number}　　出具时间：{issued:%Y年%m月%d日 %H:%M}　　信息截止：{snap['as_of']}",
            small,
        ),
        HRFlowable(
            width="100%", thickness=0.8, color=colors.HexColor("#1d4f8c"), spaceBefore=4, spaceAfter=6
        ),
        table(
            [
                ["企业名称", snap["name"]],
                ["统一社会信用代码", snap["uscc"]],
                ["登记地区", snap.get("region") or "—"],
            ],
            [40 * mm, 130 * mm],
            header=False,
        ),
        p("一、信用等级", h2),
    ]
    grade = snap.get("grade")
    if grade:
        story.append(
            p(
                f"{grade['grade']}（{grade['grade_name']}），评级方案：{grade['scheme_name']}，评定基准日：{grade['as_of']}"
            )
        )
    else:
        story.append(p("暂无信用等级。"))
    story.append(p("二、红名单、黑名单", h2))
    if snap.get("lists"):
        rows = [["名单", "列入机关", "列入理由", "列入日期", "期满日期"]]
        rows += [
            [e["kind_name"], e["authority"], e["reason"], e["listed_on"], e["expires_on"] or "—"]
            for e in snap["lists"]
        ]
        story.append(table(rows, [18 * mm, 38 * mm, 70 * mm, 22 * mm, 22 * mm]))
    else:
        story.append(p("未列入红名单或黑名单。"))
    story.append(p("三、公示的信用记录", h2))
    if snap.get("records"):
        rows = [["类型", "性质", "作出机关", "摘要", "决定日期", "公示期至"]]
        for r in snap["records"]:
            nature = "良好" if r["polarity"] == Polarity.POSITIVE else "不良"
            summary = "；".join(x for x in (r["title"], r["product"], r["result"], r["decision_number"]) if x)
            if r.get("objected"):
                summary += "（异议处理中）"
            rows.append(
                [r["type"], nature, r["authority"], summary, r["occurred_on"], r["display_until"] or "长期"]
            )
        story.append(table(rows, [24 * mm, 12 * mm, 34 * mm, 62 * mm, 20 * mm, 18 * mm]))
    else:
        story.append(p("无公示中的信用记录。"))
    story += [
        Spacer(1, 8 * mm),
        HRFlowable(width="100%", thickness=0.4, color=colors.HexColor("#999999"), spaceAfter=4),
        p("本报告仅包含出具时向社会公示的信息。报告真伪及是否为最新，请在下列地址输入验证编号核验：", small),
        p(verify_url, small),
    ]

    buffer = io.BytesIO()

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(20 * mm, 10 * mm, f"验证编号 {report.number}")
        canvas.drawRightString(190 * mm, 10 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"企业质量信用报告 {report.number}",
        author="质量",
        invariant=1,  # no creation timestamp or random id: a re-download is byte-identical
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
