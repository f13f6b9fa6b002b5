"""Write paths for the credit archive: enterprises, records, objections, credit repair, exchange tokens.

Every function is keyword-only, runs in one transaction, checks permissions through
``credit.access`` when an ``actor`` is given, and writes a ``RecordEvent`` for each step so the
archive's history is complete. Record changes mark the enterprise ``needs_regrade`` and enqueue the
incremental re-grading job on commit (``grading.regrade_dirty``).
Grading lives in ``grading.py``, lists in ``lists.py``, bulk import in ``imports.py``.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiliang.credit import access
from zhiliang.credit.dates import add_months
from zhiliang.credit.models import (
    CreditRecord,
    DecisionStatus,
    Enterprise,
    ImportBatch,
    ListEntry,
    Objection,
    RecordEvent,
    RecordStatus,
    RecordType,
    RepairApplication,
    Sector,
)
from zhiliang.departments.models import Department
from zhiliang.lib.uscc import UsccResult, validate_uscc
from zhiliang.regions.models import Region

logger = logging.getLogger(__name__)


class UsccWarningNotAccepted(ValidationError):
    """The code is well-formed but has warnings (e.g. a pilot code) that nobody has accepted yet."""

    def __init__(self, result: UsccResult):
        self.result = result
        super().__init__(list(result.warnings), code="uscc_warning")


def _today() -> datetime.date:
    return timezone.localdate()


def _actor_name(actor: User | None) -> str:
    if actor is None:
        return ""
    return actor.get_full_name() or actor.get_username()


def record_event(
    *,
    enterprise: Enterprise,
    kind: str,
    record: CreditRecord | None = None,
    actor: User | None = None,
    actor_name: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> RecordEvent:
    return RecordEvent.objects.create(
        enterprise=enterprise,
        record=record,
        kind=kind,
        actor=actor,
        actor_name=actor_name or _actor_name(actor),
        note=note,
        data=data or {},
    )


def enterprises_mark_dirty(*, enterprise_ids: Iterable[int]) -> None:
    """Flag enterprises for re-grading and enqueue the job once the transaction commits."""
    ids = set(enterprise_ids)
    if not ids:
        return
    Enterprise.objects.filter(pk__in=ids, needs_regrade=False).update(needs_regrade=True)

    def enqueue() -> None:
        from zhiliang.credit.tasks import regrade_dirty_task

        try:
            regrade_dirty_task.enqueue()
        except Exception:
            # The flag is already committed, so `zhiliang credit_regrade` (or the next enqueue) picks
            # the enterprises up; a queue outage must not turn the user's saved write into an error.
            logger.warning("regrade task not enqueued; run `zhiliang credit_regrade`", exc_info=True)

    transaction.on_commit(enqueue)


# Enterprises ---------------------------------------------------------------------------------


def region_for_uscc(result: UsccResult) -> Region | None:
    """The registering authority's region: the exact area if known, else its city, else its province."""
    code = result.region_prefix
    if len(code) != 6 or not code.isdigit():
        return None
    candidates = [code, code[:4] + "00", code[:2] + "0000"]
    found = {r.code: r for r in Region.objects.filter(code__in=candidates)}
    for candidate in candidates:
        if candidate in found:
            return found[candidate]
    return None


def uscc_check(*, uscc: str, accept_warning: bool = False) -> UsccResult:
    """Validate; raise ValidationError on errors and UsccWarningNotAccepted on unaccepted warnings."""
    result = validate_uscc(uscc)
    if not result.valid:
        raise ValidationError({"uscc": list(result.errors)}, code="uscc_invalid")
    if result.warnings and not accept_warning:
        raise UsccWarningNotAccepted(result)
    return result


@transaction.atomic
def enterprise_register(
    *,
    uscc: str,
    name: str,
    actor: User | None,
    address: str = "",
    legal_representative: str = "",
    former_names: Iterable[str] = (),
    accept_warning: bool = False,
    region: Region | None = None,
) -> Enterprise:
    """Register an enterprise. A code with warnings needs ``accept_warning`` from an office admin."""
    result = uscc_check(uscc=uscc, accept_warning=accept_warning)
    region = region or region_for_uscc(result)
    if actor is not None and not access.can_register_enterprise(
        actor, region_id=region.pk if region else None
    ):
        raise PermissionDenied(_("无权登记该地区的企业"))
    if result.warnings and actor is not None and not access.can_accept_uscc_warning(actor):
        raise PermissionDenied(_("只有质量办管理员可以确认代码校验提示"))
    if Enterprise.objects.filter(uscc=result.normalized).exists():
        raise ValidationError({"uscc": [_("该统一社会信用代码已登记")]}, code="duplicate")
    enterprise = Enterprise(
        uscc=result.normalized,
        name=name.strip(),
        region=region,
        address=address.strip(),
        legal_representative=legal_representative.strip(),
        former_names=[n.strip() for n in former_names if n.strip()],
        uscc_warnings=list(result.warnings),
        created_by=actor,
    )
    if result.warnings:
        enterprise.uscc_warning_accepted_by = actor
        enterprise.uscc_warning_accepted_at = timezone.now()
    enterprise.full_clean()
    enterprise.save()
    return enterprise


@transaction.atomic
def enterprise_rename(*, enterprise: Enterprise, name: str, actor: User) -> Enterprise:
    """Change the name, keeping the old one among the former names (searchable)."""
    if not access.can_register_enterprise(actor, region_id=enterprise.region_id):
        raise PermissionDenied(_("无权修改该企业"))
    name = name.strip()
    if not name or name == enterprise.name:
        return enterprise
    enterprise.former_names = [*enterprise.former_names, enterprise.name]
    enterprise.name = name
    enterprise.full_clean()
    enterprise.save(update_fields=["name", "former_names", "updated_at"])
    return enterprise


# Records -------------------------------------------------------------------------------------


def display_until_for(*, record_type: RecordType, published_from: datetime.date) -> datetime.date | None:
    if record_type.display_months is None:
        return None
    return add_months(published_from, record_type.display_months) - datetime.timedelta(days=1)


@transaction.atomic
def credit_record_create(
    *,
    enterprise: Enterprise,
    record_type: RecordType,
    source_department: Department,
    source_region: Region,
    source_authority: str,
    occurred_on: datetime.date,
    actor: User | None = None,
    published_from: datetime.date | None = None,
    display_until: datetime.date | None = None,
    decision_number: str = "",
    title: str = "",
    product: str = "",
    result: str = "",
    sector: str = Sector.GENERAL,
    is_public: bool = True,
    details: dict[str, Any] | None = None,
    external_id: str = "",
    import_batch: ImportBatch | None = None,
    event_kind: str = RecordEvent.Kind.CREATED,
    event_actor_name: str = "",
    mark_dirty: bool = True,
) -> CreditRecord:
    """Create one record; the display period and repairability default from the record type's rules."""
    if actor is not None and not access.can_write_for_source(
        actor, department_id=source_department.pk, region_id=source_region.pk
    ):
        raise PermissionDenied(_("无权以该来源部门录入信用记录"))
    published_from = published_from or occurred_on
    if display_until is None:
        display_until = display_until_for(record_type=record_type, published_from=published_from)
    if record_type.requires_product and not product.strip():
        raise ValidationError({"product": [_("该类记录须填写产品")]})
    if published_from < occurred_on:
        raise ValidationError({"published_from": [_("公示起始日期不能早于发生日期")]})
    record = CreditRecord(
        enterprise=enterprise,
        record_type=record_type,
        source_department=source_department,
        source_region=source_region,
        source_authority=source_authority.strip(),
        decision_number=decision_number.strip(),
        title=title.strip() or record_type.name,
        product=product.strip(),
        result=result.strip(),
        sector=sector or Sector.GENERAL,
        occurred_on=occurred_on,
        published_from=published_from,
        display_until=display_until,
        repairable=record_type.repairable,
        is_public=is_public,
        details=details or {},
        external_id=external_id.strip(),
        import_batch=import_batch,
        created_by=actor,
    )
    record.full_clean()
    record.save()
    record_event(
        enterprise=enterprise, record=record, kind=event_kind, actor=actor, actor_name=event_actor_name
    )
    if mark_dirty:
        enterprises_mark_dirty(enterprise_ids=[enterprise.pk])
    return record


@transaction.atomic
def credit_record_revoke(*, record: CreditRecord, actor: User, reason: str) -> CreditRecord:
    """The source authority withdraws a record (e.g. the decision was annulled)."""
    if not access.can_write_record(actor, record):
        raise PermissionDenied(_("只有记录的来源部门可以撤销记录"))
    if not reason.strip():
        raise ValidationError({"reason": [_("请填写撤销理由")]})
    _claim_status(record, old=[RecordStatus.ACTIVE, RecordStatus.OBJECTED], new=RecordStatus.REVOKED)
    record_event(
        enterprise=record.enterprise, record=record, kind=RecordEvent.Kind.REVOKED, actor=actor, note=reason
    )
    enterprises_mark_dirty(enterprise_ids=[record.enterprise_id])
    return record


def _claim_status(record: CreditRecord, *, old: list[str], new: str) -> None:
    """Move the status with a conditional UPDATE so that two deciders cannot both win."""
    updated = CreditRecord.objects.filter(pk=record.pk, status__in=old).update(
        status=new, updated_at=timezone.now()
    )
    if updated != 1:
        raise ValidationError(_("记录状态已变化，请刷新后重试"), code="stale")
    record.status = new


# Objections ----------------------------------------------------------------------------------


@transaction.atomic
def objection_file(*, record: CreditRecord, name: str, contact: str, reason: str) -> Objection:
    """An enterprise disputes a record from the public side (no login)."""
    if not record.is_public_on(_today()):
        raise ValidationError(_("该记录未在公示中，不能提出异议"))
    if not (name.strip() and contact.strip() and reason.strip()):
        raise ValidationError(_("请填写申请人、联系方式和异议理由"))
    if record.objections.filter(status=DecisionStatus.PENDING).exists():
        raise ValidationError(_("该记录已有待处理的异议"), code="pending")
    objection = Objection(
        record=record, filed_by_name=name.strip(), filed_by_contact=contact.strip(), reason=reason.strip()
    )
    objection.full_clean()
    objection.save()
    if record.status == RecordStatus.ACTIVE:
        _claim_status(record, old=[RecordStatus.ACTIVE], new=RecordStatus.OBJECTED)
    record_event(
        enterprise=record.enterprise,
        record=record,
        kind=RecordEvent.Kind.OBJECTION_FILED,
        actor_name=objection.filed_by_name,
        note=objection.reason,
        data={"objection": str(objection.reference)},
    )
    return objection


@transaction.atomic
def objection_decide(*, objection: Objection, actor: User, upheld: bool, reason: str) -> Objection:
    """The source authority decides. Upheld: the record is revoked. Rejected: it is active again."""
    record = objection.record
    if not access.can_write_record(actor, record):
        raise PermissionDenied(_("只有记录的来源部门可以处理异议"))
    if not reason.strip():
        raise ValidationError({"reason": [_("请填写处理意见")]})
    updated = Objection.objects.filter(pk=objection.pk, status=DecisionStatus.PENDING).update(
        status=DecisionStatus.APPROVED if upheld else DecisionStatus.REJECTED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_reason=reason.strip(),
    )
    if updated != 1:
        raise ValidationError(_("该异议已处理"), code="stale")
    objection.refresh_from_db()
    if upheld:
        _claim_status(record, old=[RecordStatus.OBJECTED, RecordStatus.ACTIVE], new=RecordStatus.REVOKED)
    elif record.status == RecordStatus.OBJECTED:
        _claim_status(record, old=[RecordStatus.OBJECTED], new=RecordStatus.ACTIVE)
    record_event(
        enterprise=record.enterprise,
        record=record,
        kind=RecordEvent.Kind.OBJECTION_UPHELD if upheld else RecordEvent.Kind.OBJECTION_REJECTED,
        actor=actor,
        note=reason,
        data={"objection": str(objection.reference)},
    )
    if upheld:
        enterprises_mark_dirty(enterprise_ids=[record.enterprise_id])
    return objection


# Credit repair -------------------------------------------------------------------------------


def repair_eligible_from(*, record: CreditRecord | None = None, list_entry: ListEntry | None = None):
    """First day a repair may be applied for, or None if the rule allows no repair."""
    if record is not None:
        return record.repair_eligible_from() if record.repairable else None
    assert list_entry is not None
    criterion = list_entry.criterion
    if criterion is None or criterion.early_removal_after_months is None:
        return None
    return add_months(list_entry.listed_on, criterion.early_removal_after_months)


@transaction.atomic
def repair_apply(
    *,
    name: str,
    contact: str,
    reason: str,
    record: CreditRecord | None = None,
    list_entry: ListEntry | None = None,
    today: datetime.date | None = None,
) -> RepairApplication:
    """An enterprise applies for credit repair of a record or a list entry (public side, no login)."""
    today = today or _today()
    if (record is None) == (list_entry is None):
        raise ValueError("exactly one of record and list_entry")
    if not (name.strip() and contact.strip() and reason.strip()):
        raise ValidationError(_("请填写申请人、联系方式和申请理由"))
    eligible = repair_eligible_from(record=record, list_entry=list_entry)
    if eligible is None:
        raise ValidationError(_("按规定该信息不可申请信用修复"), code="not_repairable")
    if record is not None:
        if not record.is_public_on(today):
            raise ValidationError(_("该记录未在公示中，无需修复"))
        pending = record.repairs.filter(status=DecisionStatus.PENDING).exists()
        enterprise = record.enterprise
    else:
        if not list_entry.is_current_on(today):
            raise ValidationError(_("该名单条目已不在有效期内"))
        pending = list_entry.repairs.filter(status=DecisionStatus.PENDING).exists()
        enterprise = list_entry.enterprise
    if today < eligible:
        raise ValidationError(
            _("公示（列入）未满规定期限，%(date)s 起方可申请信用修复") % {"date": eligible.isoformat()},
            code="too_early",
        )
    if pending:
        raise ValidationError(_("已有待处理的信用修复申请"), code="pending")
    application = RepairApplication(
        record=record,
        list_entry=list_entry,
        applicant_name=name.strip(),
        applicant_contact=contact.strip(),
        reason=reason.strip(),
    )
    application.full_clean()
    application.save()
    record_event(
        enterprise=enterprise,
        record=record,
        kind=RecordEvent.Kind.REPAIR_APPLIED,
        actor_name=application.applicant_name,
        note=application.reason,
        data={"repair": str(application.reference), "list_entry": list_entry.pk if list_entry else None},
    )
    return application


@transaction.atomic
def repair_decide(
    *,
    application: RepairApplication,
    actor: User,
    approve: bool,
    reason: str,
    effective_on: datetime.date | None = None,
) -> RepairApplication:
    """The source authority decides; approved repair ends public display (or the listing) on ``effective_on``.

    ``effective_on`` defaults to the decision day and may not be earlier than the day the rule first
    allows repair, nor in the past.
    """
    allowed = (
        access.can_write_record(actor, application.record)
        if application.record_id
        else access.can_decide_list_entry(actor, application.list_entry)
    )
    if not allowed:
        raise PermissionDenied(_("只有作出决定的部门可以处理信用修复申请"))
    if not reason.strip():
        raise ValidationError({"reason": [_("请填写处理意见")]})
    today = _today()
    if approve:
        eligible = repair_eligible_from(record=application.record, list_entry=application.list_entry)
        effective_on = effective_on or today
        if eligible is None:
            raise ValidationError(_("按规定该信息不可修复"))
        if effective_on < max(eligible, today):
            raise ValidationError(
                {
                    "effective_on": [
                        _("生效日期不能早于 %(date)s") % {"date": max(eligible, today).isoformat()}
                    ]
                }
            )
    updated = RepairApplication.objects.filter(pk=application.pk, status=DecisionStatus.PENDING).update(
        status=DecisionStatus.APPROVED if approve else DecisionStatus.REJECTED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_reason=reason.strip(),
        effective_on=effective_on if approve else None,
    )
    if updated != 1:
        raise ValidationError(_("该申请已处理"), code="stale")
    application.refresh_from_db()
    enterprise = application.enterprise
    if approve and application.record_id:
        record = application.record
        _claim_status(record, old=[RecordStatus.ACTIVE, RecordStatus.OBJECTED], new=RecordStatus.REPAIRED)
        record.repaired_on = effective_on
        record.save(update_fields=["repaired_on", "updated_at"])
    elif approve:
        from zhiliang.credit.lists import list_entry_remove

        list_entry_remove(
            entry=application.list_entry,
            actor=actor,
            reason=reason,
            removed_on=effective_on,
            removal_kind="repaired",
        )
    record_event(
        enterprise=enterprise,
        record=application.record,
        kind=RecordEvent.Kind.REPAIR_APPROVED if approve else RecordEvent.Kind.REPAIR_REJECTED,
        actor=actor,
        note=reason,
        data={
            "repair": str(application.reference),
            "effective_on": effective_on.isoformat() if approve else None,
            "list_entry": application.list_entry_id,
        },
    )
    if approve:
        enterprises_mark_dirty(enterprise_ids=[enterprise.pk])
    return application


# Exchange tokens live in tokens.py; re-exported so every write path is reachable from here.
from zhiliang.credit.tokens import (  # noqa: E402
    exchange_token_authenticate,
    exchange_token_create,
    exchange_token_revoke,
)

__all__ = [
    "UsccWarningNotAccepted",
    "credit_record_create",
    "credit_record_revoke",
    "enterprise_register",
    "enterprise_rename",
    "enterprises_mark_dirty",
    "exchange_token_authenticate",
    "exchange_token_create",
    "exchange_token_revoke",
    "objection_decide",
    "objection_file",
    "record_event",
    "repair_apply",
    "repair_decide",
    "uscc_check",
]
