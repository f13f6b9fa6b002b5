"""Write paths for plans: importing documents (CLI and web share these), pending uploads, unit review.

The import runs in two steps. ``plan_import_preview`` decodes and parses the bytes and reports what
would be written, touching nothing. ``plan_import_confirm`` writes the source file, the plans and all
their rows in one transaction, and is idempotent on the content hash: the same bytes twice make one
plan. The DB-writing step takes the parser's contract dicts (contracts/plan-json.md) as its input.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiliang.accounts.access import can_import_plans, can_review_units, writable_region_ids
from zhiliang.departments.models import AliasSource, Department, DepartmentAlias
from zhiliang.plans.models import (
    Assignment,
    Comparator,
    Deadline,
    Measure,
    PendingImport,
    Plan,
    PlanSource,
    ResolvedBy,
    Section,
    SectionKind,
    Target,
    TargetBreakdown,
    Task,
    UnitReview,
    UnitReviewStatus,
)
from zhiliang.regions.models import Region, RegionLevel

Contract = dict[str, Any]


class PlanImportError(Exception):
    """A file that cannot be imported; ``str(e)`` is a Chinese message naming the file and the reason."""


@dataclass
class ImportPreview:
    file_name: str
    content_hash: str  # sha256 hex of the bytes
    size: int
    format: str  # 'text' | 'docx' | 'html'
    encoding: str
    traditional: bool
    text: str  # the decoded text the plans point into
    plans: list[Contract]  # contract dicts, one per plan found
    warnings: list[str]  # every decoder and parser warning, once each
    existing_plans: list[Plan]  # plans already imported from the same bytes
    unknown_units: list[str]  # unit names no parser code and no alias resolves

    @property
    def already_imported(self) -> bool:
        return bool(self.existing_plans)


@dataclass
class ImportResult:
    plans: list[Plan]
    created: bool


@dataclass
class _Parsed:
    text: str
    encoding: str
    format: str
    traditional: bool
    plans: list[Contract]
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- naming


def pasted_text_file_name(now: datetime.datetime | None = None) -> str:
    """File name given to text pasted into the web form, e.g. ``粘贴文本-20170516-093000.txt``."""
    now = timezone.localtime(now or timezone.now())
    return f"{_('粘贴文本')}-{now:%Y%m%d-%H%M%S}.txt"


def content_hash_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- parsing


def _reason(file_name: str, reason: str) -> str:
    """'文件为空' → '文件“x.txt”为空'; other reasons are appended after a colon."""
    if reason.startswith("文件"):
        return _("文件“%(name)s”%(rest)s") % {"name": file_name, "rest": reason.removeprefix("文件")}
    return _("文件“%(name)s”：%(reason)s") % {"name": file_name, "reason": reason}


def _parse(data: bytes, file_name: str) -> _Parsed:
    # Imported here: the parser is a pure library and this keeps Django start-up independent of it.
    from zhiliang.lib.planparse import parse_document
    from zhiliang.lib.planparse.decode import UnreadableDocument, decode_document

    limit = settings.PLAN_UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise PlanImportError(
            _("文件“%(name)s”超过 %(mb)d MB 上限") % {"name": file_name, "mb": limit // (1024 * 1024)}
        )
    try:
        decoded = decode_document(data, filename=file_name)
        plans = [p.to_dict() for p in parse_document(data, filename=file_name)]
    except UnreadableDocument as exc:
        raise PlanImportError(_reason(file_name, str(exc))) from exc
    if not plans:
        raise PlanImportError(
            _("文件“%(name)s”：未找到任何行动计划（没有可识别的标题或任务编号）") % {"name": file_name}
        )
    warnings = list(dict.fromkeys([*decoded.warnings, *(w for p in plans for w in p.get("warnings") or [])]))
    return _Parsed(
        text=decoded.text,
        encoding=decoded.encoding,
        format=decoded.format,
        traditional=decoded.traditional,
        plans=plans,
        warnings=warnings,
    )


def _responsibles(plan: Contract):
    """Every Responsible dict of a plan: task level and measure level, in document order."""
    for section in plan.get("sections") or []:
        for task in section.get("tasks") or []:
            yield from task.get("responsible") or []
            for measure in task.get("measures") or []:
                yield from measure.get("responsible") or []


def _alias_map(names: set[str]) -> dict[str, int]:
    """Unit name → department id, for names a DepartmentAlias (reference or review) knows exactly."""
    if not names:
        return {}
    return dict(DepartmentAlias.objects.filter(name__in=names).values_list("name", "department_id"))


def _unknown_units(plans: list[Contract]) -> list[str]:
    unresolved = [r["name"] for p in plans for r in _responsibles(p) if not r.get("department")]
    aliases = _alias_map(set(unresolved))
    return [name for name in dict.fromkeys(unresolved) if name not in aliases]


def _preview_from(parsed: _Parsed, *, data: bytes, file_name: str) -> ImportPreview:
    content_hash = content_hash_of(data)
    existing = list(
        Plan.objects.filter(source__content_hash=content_hash)
        .select_related("source", "region")
        .order_by("ordinal")
    )
    return ImportPreview(
        file_name=file_name,
        content_hash=content_hash,
        size=len(data),
        format=parsed.format,
        encoding=parsed.encoding,
        traditional=parsed.traditional,
        text=parsed.text,
        plans=parsed.plans,
        warnings=parsed.warnings,
        existing_plans=existing,
        unknown_units=_unknown_units(parsed.plans),
    )


def plan_import_preview(*, data: bytes, file_name: str) -> ImportPreview:
    """Decode and parse *data* and say what an import would write; writes nothing.

    Raises PlanImportError when the file is too large, unreadable, or holds no plan.
    """
    return _preview_from(_parse(data, file_name), data=data, file_name=file_name)


# --------------------------------------------------------------------------- writing


def _clip(value: str | None, model: type[models.Model], field_name: str) -> str:
    """Fit a string into its column (PostgreSQL refuses overlong values; SQLite would keep them)."""
    value = (value or "").strip()
    max_length = model._meta.get_field(field_name).max_length
    return value if max_length is None or len(value) <= max_length else value[: max_length - 1] + "…"


def _date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _region_for(name: str | None) -> Region | None:
    return Region.objects.by_name(name) if name else None


def _check_regions(plans: list[Contract], *, file_name: str, allowed_region_ids: set[int] | None) -> list:
    regions = [_region_for(p.get("region")) for p in plans]
    if allowed_region_ids is None:
        return regions
    for region in regions:
        if region is None:
            raise PlanImportError(_("文件“%(name)s”：无法确定计划所属地区，无权导入") % {"name": file_name})
        if region.pk not in allowed_region_ids:
            raise PlanImportError(
                _("文件“%(name)s”：无权导入%(region)s地区的计划") % {"name": file_name, "region": region.name}
            )
    return regions


def _locate(text: str, label: str, title: str, start: int) -> int | None:
    """Offset of a heading (label + title) in *text* at or after *start*; None when not found."""
    for needle in (f"{label}{title}", title):
        if needle:
            found = text.find(needle, start)
            if found >= 0:
                return found
    return None


def _task_spans(text: str, plans: list[Contract]) -> dict[tuple[int, int], tuple[int | None, int | None]]:
    """(plan ordinal, task number) → (start, end) offsets of the task in the decoded text.

    Sections and tasks are searched for in document order; a task ends where the next heading found
    begins (or at the end of the text), trailing blank space excluded.
    """
    marks: list[tuple[int, tuple[int, int] | None]] = []  # (offset, task key or None for a section)
    cursor = 0
    for ordinal, plan in enumerate(plans, start=1):
        for section in plan.get("sections") or []:
            found = _locate(text, section.get("label") or "", section.get("title") or "", cursor)
            if found is not None and section.get("title"):
                marks.append((found, None))
                cursor = found + 1
            for task in section.get("tasks") or []:
                found = _locate(text, task.get("label") or "", task.get("title") or "", cursor)
                if found is not None:
                    marks.append((found, (ordinal, task["number"])))
                    cursor = found + 1
    spans: dict[tuple[int, int], tuple[int | None, int | None]] = {}
    for i, (offset, key) in enumerate(marks):
        if key is None:
            continue
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        while end > offset and text[end - 1].isspace():
            end -= 1
        spans[key] = (offset, end)
    return spans


def _audit(instance: models.Model, *, action: int, actor: User | None, changes: dict, **extra: Any) -> None:
    """One explicit audit entry (who, when, what): bulk writes and update() bypass auditlog's signals."""
    LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=action,
        changes={key: [str(old), str(new)] for key, (old, new) in changes.items()},
        actor=actor,
        actor_email=getattr(actor, "email", None) or None,
        **extra,
    )


def _write_plan(
    *,
    source: PlanSource,
    ordinal: int,
    contract: Contract,
    region: Region | None,
    spans: dict,
    departments: dict[str, Department],
    aliases: dict[str, int],
    importer: User | None,
) -> tuple[Plan, set[str]]:
    """Write one contract dict and every row below it; return the plan and its unresolved unit names."""
    level = contract.get("level") or ""
    plan = Plan.objects.create(
        source=source,
        ordinal=ordinal,
        title=_clip(contract.get("title"), Plan, "title"),
        notice_title=_clip(contract.get("notice_title"), Plan, "notice_title"),
        issuer=_clip(contract.get("issuer"), Plan, "issuer"),
        doc_number=_clip(contract.get("doc_number"), Plan, "doc_number"),
        date=_date(contract.get("date")),
        year=contract.get("year"),
        region_name=_clip(contract.get("region"), Plan, "region_name"),
        region=region,
        level=level if level in RegionLevel.values else "",
        basis=list(contract.get("basis") or []),
        duplicates_removed=contract.get("duplicates_removed") or 0,
        warnings=list(contract.get("warnings") or []),
    )
    sections_in = contract.get("sections") or []
    sections = Section.objects.bulk_create(
        Section(
            plan=plan,
            number=s.get("number") or n,
            label=_clip(s.get("label"), Section, "label"),
            title=_clip(s.get("title"), Section, "title"),
            kind=s.get("kind") if s.get("kind") in SectionKind.values else SectionKind.OTHER,
            text=s.get("text") or "",
        )
        for n, s in enumerate(sections_in, start=1)
    )
    task_pairs: list[tuple[Task, Contract]] = []
    for section, s in zip(sections, sections_in):
        for t in s.get("tasks") or []:
            start, end = spans.get((ordinal, t["number"]), (None, None))
            task = Task(
                plan=plan,
                section=section,
                number=t["number"],
                label=_clip(t.get("label"), Task, "label"),
                title=_clip(t.get("title"), Task, "title"),
                text=t.get("text") or "",
                source_ref=f"{source.content_hash[:12]}-{ordinal}-{t['number']:03d}",
                source_start=start,
                source_end=end,
            )
            task_pairs.append((task, t))
    Task.objects.bulk_create([task for task, _t in task_pairs])

    measure_pairs: list[tuple[Measure, Contract]] = []
    for task, t in task_pairs:
        for order, m in enumerate(t.get("measures") or [], start=1):
            measure_pairs.append((Measure(task=task, order=order, text=m.get("text") or ""), m))
    Measure.objects.bulk_create([measure for measure, _m in measure_pairs])
    measures_of: dict[int, list[tuple[Measure, Contract]]] = {}
    for measure, m in measure_pairs:
        measures_of.setdefault(measure.task_id, []).append((measure, m))

    unresolved: set[str] = set()

    def assignment(task: Task, measure: Measure | None, order: int, r: Contract) -> Assignment:
        name = _clip(r.get("name"), Assignment, "name")
        department = departments.get(r.get("department") or "")
        if department is not None:
            department_id, resolved_by = department.pk, ResolvedBy.PARSER
        elif name in aliases:
            department_id, resolved_by = aliases[name], ResolvedBy.ALIAS
        else:
            department_id, resolved_by = None, ResolvedBy.UNRESOLVED
            unresolved.add(name)
        role = r.get("role") if r.get("role") in ("lead", "assist", "shared") else "shared"
        return Assignment(
            task=task,
            measure=measure,
            order=order,
            name=name,
            role=role,
            department_id=department_id,
            resolved_by=resolved_by,
        )

    assignments: list[Assignment] = []
    targets: list[tuple[Target, Contract]] = []
    deadlines: list[Deadline] = []
    for task, t in task_pairs:
        # Task-level rows (measure NULL) are the task's responsible list; measure-level rows record
        # notes attached to single measures, so both lists come back out exactly as parsed.
        order = 0
        for r in t.get("responsible") or []:
            order += 1
            assignments.append(assignment(task, None, order, r))
        for measure, m in measures_of.get(task.pk, []):
            for r in m.get("responsible") or []:
                order += 1
                assignments.append(assignment(task, measure, order, r))
        for order, g in enumerate(t.get("targets") or [], start=1):
            comparator = g.get("comparator") if g.get("comparator") in Comparator.values else Comparator.EQ
            target = Target(
                task=task,
                order=order,
                text=_clip(g.get("text"), Target, "text"),
                subject=_clip(g.get("subject"), Target, "subject"),
                value=_decimal(g.get("value")),
                unit=_clip(g.get("unit"), Target, "unit"),
                comparator=comparator,
            )
            targets.append((target, g))
        for order, d in enumerate(t.get("deadlines") or [], start=1):
            deadlines.append(
                Deadline(
                    task=task,
                    order=order,
                    text=_clip(d.get("text"), Deadline, "text"),
                    date=_date(d.get("date")),
                    recurring=bool(d.get("recurring")),
                )
            )
    Assignment.objects.bulk_create(assignments)
    Target.objects.bulk_create([target for target, _g in targets])
    Deadline.objects.bulk_create(deadlines)

    breakdown_names = {
        b.get("region") for _t, g in targets for b in g.get("breakdown") or [] if b.get("region")
    }
    breakdown_regions = {name: _region_for(name) for name in breakdown_names}
    TargetBreakdown.objects.bulk_create(
        TargetBreakdown(
            target=target,
            region_name=_clip(b.get("region"), TargetBreakdown, "region_name"),
            region=breakdown_regions.get(b.get("region")),
            value=_decimal(b.get("value")),
        )
        for target, g in targets
        for b in g.get("breakdown") or []
    )

    _audit(
        plan,
        action=LogEntry.Action.CREATE,
        actor=importer,
        changes={
            "title": (None, plan.title),
            "year": (None, plan.year),
            "region": (None, plan.region_name),
            "source": (None, source.file_name),
        },
        additional_data={
            "import": {
                "file_name": source.file_name,
                "content_hash": source.content_hash,
                "sections": len(sections),
                "tasks": len(task_pairs),
                "assignments": len(assignments),
                "unresolved_units": sorted(unresolved),
            }
        },
    )
    return plan, unresolved


def _existing_result(content_hash: str) -> ImportResult | None:
    source = PlanSource.objects.filter(content_hash=content_hash).first()
    if source is None:
        return None
    return ImportResult(plans=list(source.plans.select_related("region").order_by("ordinal")), created=False)


def plan_import_write(
    *,
    data: bytes,
    file_name: str,
    text: str,
    encoding: str,
    format: str,
    plans: list[Contract],
    importer: User | None,
    allowed_region_ids: set[int] | None = None,
) -> ImportResult:
    """Write parsed contract dicts (the DB-writing step of the import) in one transaction.

    Idempotent on the sha256 of *data*: when those bytes were imported before, the existing plans
    come back with ``created=False`` and nothing is written.
    """
    content_hash = content_hash_of(data)
    existing = _existing_result(content_hash)
    if existing is not None:
        return existing
    if not plans:
        raise PlanImportError(
            _("文件“%(name)s”：未找到任何行动计划（没有可识别的标题或任务编号）") % {"name": file_name}
        )
    regions = _check_regions(plans, file_name=file_name, allowed_region_ids=allowed_region_ids)
    with transaction.atomic():
        try:
            with transaction.atomic():
                source = PlanSource.objects.create(
                    file_name=_clip(file_name, PlanSource, "file_name"),
                    content_hash=content_hash,
                    size=len(data),
                    encoding=_clip(encoding, PlanSource, "encoding"),
                    format=_clip(format, PlanSource, "format"),
                    text=text,
                    imported_by=importer,
                )
        except IntegrityError:
            # Someone imported the same bytes in the meantime.
            existing = _existing_result(content_hash)
            if existing is None:
                raise
            return existing
        departments = {d.code: d for d in Department.objects.all()}
        unresolved_names = {r["name"] for p in plans for r in _responsibles(p) if not r.get("department")}
        aliases = _alias_map({_clip(n, Assignment, "name") for n in unresolved_names})
        spans = _task_spans(text, plans)
        written: list[Plan] = []
        unresolved: set[str] = set()
        with disable_auditlog():  # explicit entries below say who imported what
            for ordinal, (contract, region) in enumerate(zip(plans, regions), start=1):
                plan, names = _write_plan(
                    source=source,
                    ordinal=ordinal,
                    contract=contract,
                    region=region,
                    spans=spans,
                    departments=departments,
                    aliases=aliases,
                    importer=importer,
                )
                written.append(plan)
                unresolved |= names
            known = set(UnitReview.objects.filter(name__in=unresolved).values_list("name", flat=True))
            UnitReview.objects.bulk_create(UnitReview(name=name) for name in sorted(unresolved - known))
    return ImportResult(plans=written, created=True)


def plan_import_confirm(
    *,
    data: bytes,
    file_name: str,
    importer: User | None,
    allowed_region_ids: set[int] | None = None,
) -> ImportResult:
    """Import a file: the source, its plans and every row below them, in one transaction.

    *allowed_region_ids* (from ``writable_region_ids``) restricts which regions' plans may be
    imported; None means any. Raises PlanImportError for unreadable files, files without a plan and
    plans outside the allowed regions.
    """
    existing = _existing_result(content_hash_of(data))
    if existing is not None:
        return existing
    parsed = _parse(data, file_name)
    return plan_import_write(
        data=data,
        file_name=file_name,
        text=parsed.text,
        encoding=parsed.encoding,
        format=parsed.format,
        plans=parsed.plans,
        importer=importer,
        allowed_region_ids=allowed_region_ids,
    )


# --------------------------------------------------------------------------- pending uploads


def pending_import_create(*, user: User, data: bytes, file_name: str) -> PendingImport:
    """Keep an upload until its preview is confirmed. The file is parsed first so bad files fail here."""
    if not can_import_plans(user):
        raise PermissionDenied(_("只有质量办管理员可以导入计划"))
    preview = plan_import_preview(data=data, file_name=file_name)
    pending = PendingImport.objects.create(
        uploaded_by=user,
        file_name=_clip(file_name, PendingImport, "file_name"),
        data=data,
        content_hash=preview.content_hash,
    )
    pending._preview = preview  # spares the view a second parse in the same request
    return pending


def pending_import_preview(*, pending: PendingImport) -> ImportPreview:
    cached = getattr(pending, "_preview", None)
    if cached is not None:
        return cached
    return plan_import_preview(data=bytes(pending.data), file_name=pending.file_name)


def pending_import_confirm(*, pending: PendingImport, user: User) -> ImportResult:
    """Import a pending upload as *user*, within the regions they may write, and forget the upload."""
    if pending.uploaded_by_id != user.pk and not user.is_superuser:
        raise PermissionDenied(_("只能确认自己上传的文件"))
    allowed = writable_region_ids(user)
    if allowed is not None and not allowed:
        raise PermissionDenied(_("只有质量办管理员可以导入计划"))
    with transaction.atomic():
        result = plan_import_confirm(
            data=bytes(pending.data), file_name=pending.file_name, importer=user, allowed_region_ids=allowed
        )
        pending.delete()
    return result


def pending_import_purge(*, older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    """Delete uploads never confirmed; return how many."""
    cutoff = timezone.now() - older_than
    deleted, _details = PendingImport.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# --------------------------------------------------------------------------- unit review


@transaction.atomic
def unit_review_map(*, review: UnitReview, department: Department, user: User) -> int:
    """Decide that the unit name of *review* means *department*.

    Remembers the decision as a DepartmentAlias (so later imports resolve the name), closes the
    review, and points every still-unresolved assignment with that name at the department. Each
    changed row gets an audit entry with *user*. Returns the number of assignments updated.
    """
    if not can_review_units(user):
        raise PermissionDenied(_("只有质量办管理员可以认定单位"))
    review = UnitReview.objects.select_for_update().get(pk=review.pk)
    now = timezone.now()
    with disable_auditlog():  # explicit entries below carry the actor in every context (web, CLI)
        alias = DepartmentAlias.objects.filter(name=review.name).first()
        if alias is None:
            alias = DepartmentAlias.objects.create(
                department=department, name=review.name, source=AliasSource.REVIEW, created_by=user
            )
            _audit(
                alias,
                action=LogEntry.Action.CREATE,
                actor=user,
                changes={"name": (None, alias.name), "department": (None, department.code)},
            )
        elif alias.department_id != department.pk:
            old_code = alias.department.code
            alias.department = department
            alias.source = AliasSource.REVIEW
            alias.created_by = user
            alias.save(update_fields=["department", "source", "created_by"])
            _audit(
                alias,
                action=LogEntry.Action.UPDATE,
                actor=user,
                changes={"department": (old_code, department.code)},
            )

        old_status = review.status
        review.status = UnitReviewStatus.MAPPED
        review.department = department
        review.decided_by = user
        review.decided_at = now
        review.save(update_fields=["status", "department", "decided_by", "decided_at"])
        _audit(
            review,
            action=LogEntry.Action.UPDATE,
            actor=user,
            changes={"status": (old_status, review.status), "department": (None, department.code)},
        )

        count = 0
        for assignment in (
            Assignment.objects.unresolved().filter(name=review.name).order_by("pk").select_for_update()
        ):
            assignment.department = department
            assignment.resolved_by = ResolvedBy.REVIEW
            assignment.save(update_fields=["department", "resolved_by"])
            _audit(
                assignment,
                action=LogEntry.Action.UPDATE,
                actor=user,
                changes={"department": (None, department.code), "resolved_by": ("", ResolvedBy.REVIEW)},
            )
            count += 1
    return count
