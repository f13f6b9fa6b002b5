"""Entry points: parse_document(bytes) and parse_text(str) → list[Plan]."""

from __future__ import annotations

import re

from .decode import decode_document
from .documents import Doc, drop_duplicates, split_documents, split_lines
from .labels import match_label
from .meta import (
    FIRST_LEADS,
    basis_of,
    clean_title,
    doc_numbers,
    is_addressee,
    is_date_line,
    is_docnum_line,
    is_notice_body,
    is_notice_title,
    is_org_line,
    is_title_like,
    issuer_from_notice,
    parse_date,
    plan_year,
    region_of,
    strip_parens_tail,
)
from .model import Plan, Responsible
from .structure import Context, build_sections
from .table_tasks import apply_tables
from .tables import find_tables

_resolver = None
_CLAUSE_MARK = re.compile(r"[。，；：:,]")
_ISSUED_TITLE = re.compile(r"关于(?:印发|转发|下发)(.+)的通知")


def _get_resolver():
    global _resolver
    if _resolver is None:
        from .departments import DepartmentResolver

        _resolver = DepartmentResolver.default()
    return _resolver


def parse_document(data: bytes, *, filename: str) -> list[Plan]:
    """Decode bytes (any supported format/encoding) and parse every plan in them."""
    decoded = decode_document(data, filename=filename)
    plans = parse_text(decoded.text, source=filename.replace("\\", "/").rsplit("/", 1)[-1])
    for p in plans:
        p.warnings[:0] = list(decoded.warnings)
    return plans


def parse_text(text: str, *, source: str) -> list[Plan]:
    lines = split_lines(text)
    docs = drop_duplicates(split_documents(lines))
    plans = []
    for doc in docs:
        plan = _parse_doc(doc, source)
        if plan is not None:
            plans.append(plan)
    return plans


def _header_meta(header: list[str]) -> dict:
    """Notice title, doc number, issuer, date, title and preamble from the lines before the body."""
    meta = {"notice_title": None, "doc_number": None, "issuer": None, "date": None, "title": None}
    title_idx = None
    used = set()
    for i, line in enumerate(header):
        if is_notice_title(line) and meta["notice_title"] is None:
            nums = doc_numbers(line)
            if nums:
                meta["doc_number"] = meta["doc_number"] or nums[0][2]
            t, _ = clean_title(strip_parens_tail(line))
            meta["notice_title"] = t
            used.add(i)
        elif is_docnum_line(line):
            meta["doc_number"] = meta["doc_number"] or doc_numbers(line)[0][2]
            used.add(i)
        elif is_date_line(line):
            meta["date"] = meta["date"] or parse_date(line)
            used.add(i)
        elif is_org_line(line):
            meta["issuer"] = meta["issuer"] or line
            used.add(i)
        elif is_addressee(line) or is_notice_body(line):
            used.add(i)
        elif is_title_like(line):
            title_idx = i
    if title_idx is not None:
        start = title_idx
        # a title wrapped over two lines
        if title_idx > 0 and (title_idx - 1) not in used and _fragment(header[title_idx - 1]):
            start = title_idx - 1
        raw = "".join(header[start : title_idx + 1])
        t, num = clean_title(raw)
        meta["title"] = t
        meta["doc_number"] = meta["doc_number"] or num
        preamble = [x for j, x in enumerate(header) if j > title_idx and j not in used]
    else:
        preamble = [x for j, x in enumerate(header) if j not in used]
    if meta["notice_title"] and not meta["issuer"]:
        meta["issuer"] = issuer_from_notice(meta["notice_title"])
    meta["preamble"] = "\n".join(preamble)
    return meta


def _fragment(line: str) -> bool:
    if line.startswith(("（", "(")) or "此件" in line:
        return False  # （此件公开发布） and similar marks are not part of a title
    return 4 <= len(line) <= 30 and not _CLAUSE_MARK.search(line) and not is_org_line(line)


def _split_footer(body: list[str]) -> tuple[list[str], list[str]]:
    """Trailing signature / date lines after the body."""
    k = len(body)
    while k > 0 and (
        is_date_line(body[k - 1]) or is_org_line(body[k - 1]) or body[k - 1].startswith("（此件")
    ):
        k -= 1
    return body[:k], body[k:]


def _parse_doc(doc: Doc, source: str) -> Plan | None:
    lines = doc.lines
    tables = find_tables(lines)
    table_idx = {i for t in tables for i in range(t.start, t.end)}
    body_start = next(
        (i for i, x in enumerate(lines) if i not in table_idx and (lab := match_label(x)) and lab.level <= 2),
        None,
    )
    if body_start is None:
        body_start = next((i for i, x in enumerate(lines) if i not in table_idx and match_label(x)), None)
    if body_start is None:
        body_start = min((t.start for t in tables), default=len(lines))
    header = [x for i, x in enumerate(lines[:body_start]) if i not in table_idx]
    body = [x for i, x in enumerate(lines[body_start:], body_start) if i not in table_idx]
    body, footer = _split_footer(body)
    meta = _header_meta(header)
    for other in doc.others:  # a repeated copy may hold what this one lacks
        ob = next((i for i, x in enumerate(other) if (lab := match_label(x)) and lab.level <= 2), len(other))
        om = _header_meta(other[:ob])
        for k in ("notice_title", "doc_number", "issuer", "date", "title"):
            meta[k] = meta[k] or om[k]
    for line in footer:
        if is_date_line(line):
            meta["date"] = meta["date"] or parse_date(line)
        elif is_org_line(line):
            meta["issuer"] = meta["issuer"] or line
    full = "\n".join(lines)
    warnings: list[str] = []
    plan = Plan(source=source, duplicates_removed=doc.copies, warnings=warnings)
    plan.title = meta["title"]
    plan.notice_title = meta["notice_title"]
    plan.issuer = meta["issuer"]
    plan.doc_number = meta["doc_number"]
    plan.date = meta["date"]
    plan.preamble = meta["preamble"]
    if plan.title is None and plan.notice_title:
        m = _ISSUED_TITLE.search(plan.notice_title)
        if m:
            plan.title = m.group(1).strip("《》〈〉")
    plan.basis = basis_of(plan.preamble)
    plan.year = plan_year(plan.title, plan.notice_title, plan.preamble, plan.date, plan.basis, full)
    plan.region, plan.level = region_of(plan.title, plan.notice_title, plan.issuer, full)
    ctx = Context(plan.year, bool(FIRST_LEADS.search(full)), warnings)
    sections, head, closing = build_sections(body, ctx)
    if head:
        plan.preamble = "\n".join(x for x in (plan.preamble, head) if x)
    plan.sections = sections
    plan.closing = closing
    if tables:
        apply_tables(plan, tables, ctx)
    if not plan.sections:
        return None
    if plan.level is None and _national_names(plan):
        plan.level = "national"
    if plan.year is None:
        warnings.append("未能确定计划所属年份，时限无法换算为日期")
    _resolve_departments(plan)
    return plan


def _national_names(plan: Plan) -> bool:
    names = [r.name for t in plan.tasks for r in t.responsible]
    return bool(names) and sum(n.endswith(("部", "总局", "署")) for n in names) > len(names) / 3


def _resolve_departments(plan: Plan) -> None:
    try:
        resolver = _get_resolver()
    except ImportError:  # pragma: no cover - the resolver ships with the package
        resolver = None
    for task in plan.tasks:
        seen: set[str] = set()
        people: list[Responsible] = list(task.responsible)
        for m in task.measures:
            people.extend(m.responsible)
        for r in people:
            r.department = (
                resolver.resolve(r.name, region=plan.region, level=plan.level, prefix=r.prefix)
                if resolver
                else None
            )
            if r.department is None and r.name not in seen:
                seen.add(r.name)
                plan.warnings.append(
                    f"第{task.number}项任务“{task.title}”：未能识别责任单位“{r.name}”对应的部门"
                )
