"""Red and black lists: candidates from the criteria (data), listing and removal decisions, expiry.

Listing is always a decision by the source authority (``list_entry_create``); the criteria only
propose candidates. Expiry is automatic: ``ListEntry.objects.current()`` already ignores expired
entries, and ``lists_expire`` (daily) records the removal and re-grades the enterprise.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiliang.credit import access
from zhiliang.credit.dates import add_months
from zhiliang.credit.models import (
    CreditRecord,
    Enterprise,
    EnterpriseGrade,
    ListCriterion,
    ListEntry,
    ListKind,
    RecordEvent,
    RemovalKind,
)
from zhiliang.credit.services import enterprises_mark_dirty, record_event
from zhiliang.departments.models import Department
from zhiliang.regions.models import Region


@transaction.atomic
def list_entry_create(
    *,
    enterprise: Enterprise,
    kind: str,
    actor: User | None,
    reason: str,
    source_department: Department,
    source_region: Region,
    source_authority: str,
    criterion: ListCriterion | None = None,
    source_record: CreditRecord | None = None,
    listed_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> ListEntry:
    """List an enterprise. The period defaults to the criterion's; black-listing ends any red listing."""
    if actor is not None and not access.can_write_for_source(
        actor, department_id=source_department.pk, region_id=source_region.pk
    ):
        raise PermissionDenied(_("无权以该部门作出列入决定"))
    if not reason.strip():
        raise ValidationError({"reason": [_("请填写列入理由")]})
    if criterion is not None and criterion.kind != kind:
        raise ValidationError({"criterion": [_("认定标准与名单类别不符")]})
    if source_record is not None and source_record.enterprise_id != enterprise.pk:
        raise ValidationError({"source_record": [_("来源记录不属于该企业")]})
    listed_on = listed_on or timezone.localdate()
    if expires_on is None and criterion is not None and criterion.listing_months:
        expires_on = add_months(listed_on, criterion.listing_months)
    existing = ListEntry.objects.current(listed_on).filter(enterprise=enterprise, kind=kind)
    if criterion is not None:
        existing = existing.filter(criterion=criterion)
    if existing.exists():
        raise ValidationError(_("该企业已按此标准列入名单"), code="duplicate")
    entry = ListEntry(
        enterprise=enterprise,
        kind=kind,
        criterion=criterion,
        source_record=source_record,
        source_department=source_department,
        source_region=source_region,
        source_authority=source_authority.strip(),
        reason=reason.strip(),
        listed_on=listed_on,
        expires_on=expires_on,
        decided_by=actor,
    )
    entry.full_clean()
    entry.save()
    record_event(
        enterprise=enterprise,
        record=source_record,
        kind=RecordEvent.Kind.LISTED,
        actor=actor,
        note=f"{entry.get_kind_display()}：{entry.reason}",
        data={
            "list_entry": entry.pk,
            "kind": kind,
            "expires_on": expires_on.isoformat() if expires_on else None,
        },
    )
    if kind == ListKind.BLACK:
        for red in ListEntry.objects.current(listed_on).filter(enterprise=enterprise, kind=ListKind.RED):
            _remove(
                red,
                actor=actor,
                reason=_("列入黑名单，同时移出红名单"),
                removed_on=listed_on,
                kind=RemovalKind.DECISION,
            )
    enterprises_mark_dirty(enterprise_ids=[enterprise.pk])
    return entry


def _remove(
    entry: ListEntry, *, actor: User | None, reason: str, removed_on: datetime.date, kind: str
) -> None:
    updated = ListEntry.objects.filter(pk=entry.pk, removed_on__isnull=True).update(
        removed_on=removed_on, removal_kind=kind, removal_reason=reason, removed_by=actor
    )
    if updated != 1:
        raise ValidationError(_("该名单条目已移出"), code="stale")
    entry.refresh_from_db()
    record_event(
        enterprise=entry.enterprise,
        record=entry.source_record,
        kind=RecordEvent.Kind.DELISTED,
        actor=actor,
        actor_name="" if actor else _("系统"),
        note=f"{entry.get_kind_display()}：{reason}",
        data={"list_entry": entry.pk, "removal_kind": kind, "removed_on": removed_on.isoformat()},
    )


@transaction.atomic
def list_entry_remove(
    *,
    entry: ListEntry,
    actor: User | None,
    reason: str,
    removed_on: datetime.date | None = None,
    removal_kind: str = RemovalKind.DECISION,
) -> ListEntry:
    """Remove an entry by decision (or by approved repair, from ``repair_decide``)."""
    if actor is not None and not access.can_decide_list_entry(actor, entry):
        raise PermissionDenied(_("只有作出列入决定的部门可以移出"))
    if not reason.strip():
        raise ValidationError({"reason": [_("请填写移出理由")]})
    removed_on = removed_on or timezone.localdate()
    if removed_on < entry.listed_on:
        raise ValidationError({"removed_on": [_("移出日期不能早于列入日期")]})
    _remove(entry, actor=actor, reason=reason.strip(), removed_on=removed_on, kind=removal_kind)
    enterprises_mark_dirty(enterprise_ids=[entry.enterprise_id])
    return entry


@transaction.atomic
def lists_expire(*, today: datetime.date | None = None) -> int:
    """Record the removal of every entry whose period has ended (daily job); returns the count."""
    today = today or timezone.localdate()
    expired = list(
        ListEntry.objects.select_related("enterprise", "source_record").filter(
            removed_on__isnull=True, expires_on__isnull=False, expires_on__lte=today
        )
    )
    for entry in expired:
        _remove(
            entry,
            actor=None,
            reason=_("列入期满，自动移出"),
            removed_on=entry.expires_on,
            kind=RemovalKind.EXPIRED,
        )
    enterprises_mark_dirty(enterprise_ids={e.enterprise_id for e in expired})
    return len(expired)


@dataclass
class Candidate:
    enterprise: Enterprise
    criterion: ListCriterion
    records: list[CreditRecord] = field(default_factory=list)

    @property
    def latest_record(self) -> CreditRecord:
        return max(self.records, key=lambda r: (r.occurred_on, r.pk))


def list_candidates(
    *, kind: str | None = None, region_ids: set[int] | None = None, as_of: datetime.date | None = None
) -> list[Candidate]:
    """Enterprises that meet an active criterion and are not yet listed under it."""
    as_of = as_of or timezone.localdate()
    criteria = ListCriterion.objects.filter(is_active=True)
    if kind:
        criteria = criteria.filter(kind=kind)
    candidates: list[Candidate] = []
    for criterion in criteria:
        rule = criterion.rule
        types = rule.get("record_types", [])
        if not types:
            continue
        window_from = add_months(as_of, -int(rule.get("window_months", 12)))
        records = (
            CreditRecord.objects.counting()
            .filter(record_type__code__in=types, occurred_on__gt=window_from, occurred_on__lte=as_of)
            .exclude(repaired_on__lte=as_of)
            .select_related("enterprise", "record_type", "source_department", "source_region")
        )
        if region_ids is not None:
            records = records.filter(source_region_id__in=region_ids)
        by_enterprise: dict[int, list[CreditRecord]] = defaultdict(list)
        for record in records:
            by_enterprise[record.enterprise_id].append(record)
        min_count = int(rule.get("min_count", 1))
        ids = [pk for pk, rows in by_enterprise.items() if len(rows) >= min_count]
        if not ids:
            continue
        listed = set(
            ListEntry.objects.current(as_of)
            .filter(enterprise_id__in=ids, criterion=criterion)
            .values_list("enterprise_id", flat=True)
        )
        if criterion.kind == ListKind.RED:
            listed |= set(
                ListEntry.objects.current(as_of)
                .filter(enterprise_id__in=ids, kind=ListKind.BLACK)
                .values_list("enterprise_id", flat=True)
            )
        if rule.get("exclude_polarity"):
            exclude_from = add_months(as_of, -int(rule.get("exclude_window_months", 36)))
            listed |= set(
                CreditRecord.objects.counting()
                .filter(
                    enterprise_id__in=ids,
                    record_type__polarity=rule["exclude_polarity"],
                    occurred_on__gt=exclude_from,
                    occurred_on__lte=as_of,
                )
                .exclude(repaired_on__lte=as_of)
                .values_list("enterprise_id", flat=True)
            )
        if rule.get("min_grade"):
            ok = set()
            for grade in EnterpriseGrade.objects.filter(
                enterprise_id__in=ids, is_current=True, scheme__is_default=True
            ).select_related("scheme"):
                codes = grade.scheme.grade_codes
                if rule["min_grade"] in codes and codes.index(grade.grade) <= codes.index(rule["min_grade"]):
                    ok.add(grade.enterprise_id)
            listed |= set(ids) - ok
        for pk in ids:
            if pk not in listed:
                rows = by_enterprise[pk]
                candidates.append(Candidate(enterprise=rows[0].enterprise, criterion=criterion, records=rows))
    return candidates
