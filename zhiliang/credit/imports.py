"""Bulk import of credit records from .xlsx or .csv: every row is checked first, then all or nothing.

Columns (header row 1, Chinese names; order free; * = required):
统一社会信用代码*, 企业名称*, 记录类型* (code or name), 发生日期*, 来源部门 (code or name; defaults to
the importer's department), 来源地区 (code or name; defaults to the importer's region), 作出机关,
决定文号, 摘要, 产品, 结果, 行业 (食品/药品/特种设备/重点工业产品), 公示起始日期, 公示截止日期,
是否公示 (是/否), 来源编号.

Errors name the row and the column: ``第3行“发生日期”列：无法识别的日期“2024-13-01”``.
Enterprises missing from the archive are registered from the row; a code with a warning (pilot code)
is an error unless the importer is allowed to accept warnings and ticked "accept".
After the write, the enterprises touched are graded at once (so the result shows their grades).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from zhiliang.accounts.access import membership_of
from zhiliang.credit import access
from zhiliang.credit.models import (
    CreditRecord,
    Enterprise,
    ExchangeToken,
    ImportBatch,
    RecordEvent,
    RecordType,
    Sector,
)
from zhiliang.credit.services import display_until_for, enterprises_mark_dirty
from zhiliang.departments.models import Department, DepartmentAlias
from zhiliang.lib.uscc import validate_uscc
from zhiliang.regions.models import Region

MAX_ROWS = 20000

COLUMNS: dict[str, tuple[str, ...]] = {
    "uscc": ("统一社会信用代码", "信用代码", "社会信用代码", "uscc"),
    "name": ("企业名称", "名称", "单位名称", "name"),
    "record_type": ("记录类型", "类型", "信息类型", "record_type"),
    "occurred_on": ("发生日期", "决定日期", "日期", "occurred_on"),
    "source_department": ("来源部门", "部门", "source_department"),
    "source_region": ("来源地区", "地区", "行政区划", "source_region"),
    "source_authority": ("作出机关", "来源机关", "source_authority"),
    "decision_number": ("决定文号", "文号", "decision_number"),
    "title": ("摘要", "事由", "title"),
    "product": ("产品", "产品名称", "product"),
    "result": ("结果", "抽查结果", "处理结果", "result"),
    "sector": ("行业", "sector"),
    "published_from": ("公示起始日期", "公示日期", "published_from"),
    "display_until": ("公示截止日期", "display_until"),
    "is_public": ("是否公示", "公开", "is_public"),
    "external_id": ("来源编号", "编号", "external_id"),
}
REQUIRED = ("uscc", "name", "record_type", "occurred_on")
LABEL = {key: names[0] for key, names in COLUMNS.items()}
SECTOR_NAMES = {label: value for value, label in Sector.choices if value} | {
    v: v for v, _ in Sector.choices if v
}
TRUE_WORDS = {"是", "y", "yes", "true", "1", "公示", "公开"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "不公示", "不公开"}


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        return f"{where}“{self.column}”列：{self.message}" if self.column else f"{where}：{self.message}"


@dataclass
class ImportReport:
    file_name: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    batch: ImportBatch | None = None
    created_records: int = 0
    created_enterprises: int = 0
    grades: dict[str, str] = field(default_factory=dict)  # uscc -> grade under the default scheme

    @property
    def ok(self) -> bool:
        return not self.errors and self.batch is not None

    def error_lines(self) -> list[str]:
        return [str(e) for e in self.errors]


class ImportFileError(Exception):
    """The file cannot be read at all (not a sheet, wrong encoding, no header)."""


def read_rows(data: bytes, file_name: str) -> list[list[Any]]:
    """Rows of the first sheet (.xlsx) or of the CSV, header included."""
    lower = file_name.lower()
    if lower.endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise ImportFileError(f"无法读取 Excel 文件：{exc}") from exc
        sheet = workbook.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("无法识别 CSV 文件的编码（请使用 UTF-8 或 GB18030）")
    return [row for row in csv.reader(io.StringIO(text))]


def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value: Any) -> datetime.date | None:
    """Accept Excel dates, ISO, 2024/1/2, 2024.1.2 and 2024年1月2日. Raise ValueError if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _clean(value)
    if not text:
        return None
    if text.isdigit() and len(text) == 8:
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    match = _DATE_RE.match(text)
    if not match:
        raise ValueError(text)
    return datetime.date(*(int(g) for g in match.groups()))


class _Lookups:
    """Everything the rows refer to, loaded once."""

    def __init__(self) -> None:
        self.record_types: dict[str, RecordType] = {}
        for rt in RecordType.objects.all():
            self.record_types[rt.code.upper()] = rt
            self.record_types[rt.name] = rt
        self.departments: dict[str, Department] = {}
        for d in Department.objects.all():
            self.departments[d.code.upper()] = d
            self.departments[d.canonical_name] = d
            self.departments[d.canonical_name.removeprefix("省")] = d
        for alias in DepartmentAlias.objects.select_related("department"):
            self.departments.setdefault(alias.name, alias.department)
        self.regions: dict[str, Region] = {}
        for r in Region.objects.all():
            self.regions[r.code] = r
            self.regions.setdefault(r.name, r)
            if r.short_name:
                self.regions.setdefault(r.short_name, r)

    def department(self, text: str) -> Department | None:
        found = self.departments.get(text.upper()) or self.departments.get(text)
        if found is None:
            # "浙江省质量技术监督局" → "质量技术监督局"
            for region_name in sorted((k for k in self.regions if not k.isdigit()), key=len, reverse=True):
                if text.startswith(region_name) and len(text) > len(region_name):
                    found = self.departments.get(text[len(region_name) :])
                    break
        return found


def _header_map(header: list[Any]) -> tuple[dict[str, int], list[RowError]]:
    index: dict[str, int] = {}
    unknown: list[RowError] = []
    lookup = {alias.lower(): key for key, aliases in COLUMNS.items() for alias in aliases}
    for i, cell in enumerate(header):
        name = re.sub(r"[\s*＊]|（必填）|\(必填\)", "", _clean(cell))
        if not name:
            continue
        key = lookup.get(name.lower())
        if key is None:
            unknown.append(RowError(1, name, "未识别的列，已忽略"))
        elif key in index:
            unknown.append(RowError(1, name, "重复的列，只读取第一列"))
        else:
            index[key] = i
    return index, unknown


def credit_records_import(
    *,
    data: bytes,
    file_name: str,
    actor: User,
    accept_warnings: bool = False,
    commit: bool = True,
    grade: bool = True,
) -> ImportReport:
    """Check every row of an .xlsx/.csv file, then (no errors and ``commit``) write them all at once."""
    report = ImportReport(file_name=file_name)
    if not access.can_write_any_record(actor):
        report.errors.append(RowError(0, "", "无权导入信用记录"))
        return report
    try:
        rows = read_rows(data, file_name)
    except ImportFileError as exc:
        report.errors.append(RowError(0, "", str(exc)))
        return report
    content_hash = hashlib.sha256(data).hexdigest()
    previous = ImportBatch.objects.filter(content_hash=content_hash, records__isnull=False).first()
    if previous is not None:
        report.errors.append(
            RowError(0, "", f"该文件已于{timezone.localtime(previous.created_at):%Y-%m-%d %H:%M}导入")
        )
        return report
    return import_rows(
        rows=rows,
        report=report,
        actor=actor,
        accept_warnings=accept_warnings,
        commit=commit,
        grade=grade,
        content_hash=content_hash,
    )


API_FIELDS = list(COLUMNS)


def credit_records_exchange(
    *, token: ExchangeToken, items: list[dict[str, Any]], commit: bool = True, grade: bool = True
) -> ImportReport:
    """The exchange API's write: same checks as a file, scoped to the token's department, region and types.

    Row numbers in errors are 1-based item positions (``第1行`` is ``records[0]``).
    """
    report = ImportReport(file_name=f"api:{token.key_prefix}")
    rows: list[list[Any]] = [API_FIELDS]
    rows += [[item.get(key) for key in API_FIELDS] for item in items]
    return import_rows(rows=rows, report=report, token=token, commit=commit, grade=grade, row_base=1)


def import_rows(
    *,
    rows: list[list[Any]],
    report: ImportReport,
    actor: User | None = None,
    token: ExchangeToken | None = None,
    accept_warnings: bool = False,
    commit: bool = True,
    grade: bool = True,
    content_hash: str = "",
    row_base: int = 2,
) -> ImportReport:
    """The shared core: header row then data rows; ``row_base`` is the number of the first data row."""
    rows = [r for r in rows if any(_clean(c) for c in r)]
    if not rows:
        report.errors.append(RowError(0, "", "文件为空"))
        return report
    columns, header_notes = _header_map(rows[0])
    report.warnings.extend(header_notes)
    missing = [LABEL[k] for k in REQUIRED if k not in columns]
    if missing:
        report.errors.append(RowError(1, "、".join(missing), "缺少必填列"))
        return report
    body = rows[1:]
    if len(body) > MAX_ROWS:
        report.errors.append(RowError(0, "", f"一次最多导入{MAX_ROWS}行，本次有{len(body)}行"))
        return report

    lookups = _Lookups()
    if token is not None:
        default_department, default_region = token.department, token.region
        allowed_types = set(token.record_types.values_list("pk", flat=True))
        can_accept = False
    else:
        membership = membership_of(actor)
        default_department = membership.organisation.department if membership else None
        default_region = membership.organisation.region if membership else None
        allowed_types = None
        can_accept = access.can_accept_uscc_warning(actor)

    def may_write(department: Department, region: Region) -> bool:
        if token is not None:
            return department.pk == token.department_id and region.pk == token.region_id
        return access.can_write_for_source(actor, department_id=department.pk, region_id=region.pk)

    usccs = {
        validate_uscc(_clean(r[columns["uscc"]]) if columns["uscc"] < len(r) else "").normalized for r in body
    }
    existing = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=usccs)}
    new_enterprises: dict[str, dict[str, Any]] = {}
    planned: list[dict[str, Any]] = []
    seen_external: set[tuple[int, int, str]] = set()
    external_ids = {
        _clean(r[columns["external_id"]])
        for r in body
        if "external_id" in columns and columns["external_id"] < len(r)
    }
    existing_external = set(
        CreditRecord.objects.filter(external_id__in=external_ids - {""}).values_list(
            "source_department_id", "source_region_id", "external_id"
        )
    )

    for offset, raw in enumerate(body):
        row_no = offset + row_base

        def cell(key: str, raw: list[Any] = raw) -> Any:
            i = columns.get(key)
            return raw[i] if i is not None and i < len(raw) else None

        errors: list[RowError] = []

        def err(key: str, message: str, row_no: int = row_no, errors: list[RowError] = errors) -> None:
            errors.append(RowError(row_no, LABEL[key], message))

        for key in REQUIRED:
            if not _clean(cell(key)):
                err(key, "不能为空")
        uscc_text, name = _clean(cell("uscc")), _clean(cell("name"))
        result = validate_uscc(uscc_text) if uscc_text else None
        if result is not None and not result.valid:
            err("uscc", "；".join(result.errors))
        uscc = result.normalized if result is not None else ""
        enterprise = existing.get(uscc)
        if result is not None and result.valid and enterprise is None:
            if result.warnings and not (accept_warnings and can_accept):
                if token is not None:
                    hint = "须由质量办管理员在系统中确认后方可交换"
                elif can_accept:
                    hint = "勾选“确认代码提示”后重新导入"
                else:
                    hint = "须由质量办管理员确认后导入"
                err("uscc", "；".join(result.warnings) + f"（{hint}）")
            elif name:
                seen = new_enterprises.setdefault(uscc, {"name": name, "result": result, "row": row_no})
                if seen["name"] != name:
                    err("name", f"与第{seen['row']}行同一代码的企业名称“{seen['name']}”不一致")
        elif (
            enterprise is not None
            and name
            and name != enterprise.name
            and name not in enterprise.former_names
        ):
            report.warnings.append(
                RowError(row_no, LABEL["name"], f"与档案名称“{enterprise.name}”不一致，按代码归档")
            )

        type_text = _clean(cell("record_type"))
        record_type = lookups.record_types.get(type_text.upper()) or lookups.record_types.get(type_text)
        if type_text and record_type is None:
            err("record_type", f"未知的记录类型“{type_text}”")
        elif record_type is not None and allowed_types is not None and record_type.pk not in allowed_types:
            err("record_type", f"该令牌无权写入“{record_type.name}”")

        dates: dict[str, datetime.date | None] = {}
        for key in ("occurred_on", "published_from", "display_until"):
            try:
                dates[key] = parse_date(cell(key))
            except ValueError:
                dates[key] = None
                err(key, f"无法识别的日期“{_clean(cell(key))}”")
        occurred_on = dates["occurred_on"]
        published_from = dates["published_from"] or occurred_on
        if occurred_on and occurred_on > timezone.localdate():
            err("occurred_on", "发生日期不能晚于今天")
        if occurred_on and published_from and published_from < occurred_on:
            err("published_from", "不能早于发生日期")
        if published_from and dates["display_until"] and dates["display_until"] < published_from:
            err("display_until", "不能早于公示起始日期")

        dept_text = _clean(cell("source_department"))
        department = lookups.department(dept_text) if dept_text else default_department
        if dept_text and department is None:
            err("source_department", f"未知的部门“{dept_text}”")
        elif department is None:
            err("source_department", "请填写来源部门")
        region_text = _clean(cell("source_region"))
        region = lookups.regions.get(region_text) if region_text else default_region
        if region_text and region is None:
            err("source_region", f"未知的行政区划“{region_text}”")
        elif region is None:
            err("source_region", "请填写来源地区")
        if department is not None and region is not None and not may_write(department, region):
            err(
                "source_department",
                f"无权以“{region.name}{department.canonical_name.removeprefix('省')}”名义录入",
            )

        product = _clean(cell("product"))
        if record_type is not None and record_type.requires_product and not product:
            err("product", f"“{record_type.name}”须填写产品")
        sector_text = _clean(cell("sector"))
        sector = SECTOR_NAMES.get(sector_text, None) if sector_text else Sector.GENERAL
        if sector is None:
            err("sector", f"未知的行业“{sector_text}”（可填：食品、药品、特种设备、重点工业产品）")
        public_text = _clean(cell("is_public")).lower()
        is_public = True
        if public_text in FALSE_WORDS:
            is_public = False
        elif public_text and public_text not in TRUE_WORDS:
            err("is_public", f"请填“是”或“否”，而不是“{public_text}”")
        external_id = _clean(cell("external_id"))[:64]
        if external_id and department is not None and region is not None:
            key3 = (department.pk, region.pk, external_id)
            if key3 in seen_external:
                err("external_id", f"文件内重复的来源编号“{external_id}”")
            elif key3 in existing_external:
                err("external_id", f"来源编号“{external_id}”已导入")
            seen_external.add(key3)
        for key, limit in (("decision_number", 128), ("title", 255), ("product", 200), ("result", 255)):
            if len(_clean(cell(key))) > limit:
                err(key, f"超过{limit}字")
        if len(name) > 200:
            err("name", "超过200字")

        report.errors.extend(errors)
        if errors:
            continue
        authority = (
            _clean(cell("source_authority")) or f"{region.name}{department.canonical_name.removeprefix('省')}"
        )
        planned.append(
            {
                "uscc": uscc,
                "record_type": record_type,
                "source_department": department,
                "source_region": region,
                "source_authority": authority[:128],
                "decision_number": _clean(cell("decision_number")),
                "title": _clean(cell("title")) or record_type.name,
                "product": product,
                "result": _clean(cell("result")),
                "sector": sector,
                "occurred_on": occurred_on,
                "published_from": published_from,
                "display_until": dates["display_until"]
                or display_until_for(record_type=record_type, published_from=published_from),
                "repairable": record_type.repairable,
                "is_public": is_public,
                "external_id": external_id,
                "details": {"import_row": row_no},
            }
        )
    report.rows = len(body)
    if not body:
        report.errors.append(RowError(0, "", "没有数据行"))
    if report.errors or not commit:
        return report
    _write(
        report=report,
        planned=planned,
        new_enterprises=new_enterprises,
        existing=existing,
        actor=actor,
        token=token,
        content_hash=content_hash,
        grade=grade,
    )
    return report


@transaction.atomic
def _write(
    *,
    report: ImportReport,
    planned: list[dict[str, Any]],
    new_enterprises: dict[str, dict[str, Any]],
    existing: dict[str, Enterprise],
    actor: User | None,
    token: ExchangeToken | None,
    content_hash: str,
    grade: bool,
) -> None:
    file_name = report.file_name
    batch = ImportBatch.objects.create(
        channel=ImportBatch.Channel.API if token else ImportBatch.Channel.FILE,
        file_name=file_name[:255],
        content_hash=content_hash,
        row_count=len(planned),
        created_by=actor,
        token=token,
    )
    actor_name = (actor.get_full_name() or actor.get_username()) if actor else f"{token.name}（数据交换）"
    now = timezone.now()
    enterprises = dict(existing)
    regions = {r.code: r for r in Region.objects.all()}
    created = []
    for uscc, info in new_enterprises.items():
        result = info["result"]
        code = result.region_prefix
        region = regions.get(code) or regions.get(code[:4] + "00") or regions.get(code[:2] + "0000")
        created.append(
            Enterprise(
                uscc=uscc,
                name=info["name"],
                region=region,
                uscc_warnings=list(result.warnings),
                uscc_warning_accepted_by=actor if result.warnings else None,
                uscc_warning_accepted_at=now if result.warnings else None,
                created_by=actor,
                former_names_text="",
            )
        )
    for enterprise in Enterprise.objects.bulk_create(created, batch_size=500):
        enterprises[enterprise.uscc] = enterprise
    records = CreditRecord.objects.bulk_create(
        [
            CreditRecord(
                enterprise=enterprises[p["uscc"]],
                import_batch=batch,
                created_by=actor,
                **{k: v for k, v in p.items() if k != "uscc"},
            )
            for p in planned
        ],
        batch_size=500,
    )
    RecordEvent.objects.bulk_create(
        [
            RecordEvent(
                enterprise_id=r.enterprise_id,
                record_id=r.pk,
                kind=RecordEvent.Kind.EXCHANGED if token else RecordEvent.Kind.IMPORTED,
                at=now,
                actor=actor,
                actor_name=actor_name,
                note=f"{file_name} 第{r.details['import_row']}行",
                data={"batch": batch.pk},
            )
            for r in records
        ],
        batch_size=500,
    )
    touched = {r.enterprise_id for r in records}
    enterprises_mark_dirty(enterprise_ids=touched)
    report.batch = batch
    report.created_records = len(records)
    report.created_enterprises = len(new_enterprises)
    if grade:
        from zhiliang.credit.grading import active_schemes, grade_enterprises

        ids = list(touched)
        Enterprise.objects.filter(pk__in=ids).update(needs_regrade=False)
        by_id = {pk: uscc for uscc, e in enterprises.items() for pk in [e.pk]}
        for g in grade_enterprises(enterprise_ids=ids, schemes=active_schemes(timezone.localdate())):
            if g.scheme.is_default:
                report.grades[by_id[g.enterprise_id]] = g.grade
