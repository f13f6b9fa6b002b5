"""Grading: turn an enterprise's records into a grade under each active scheme, with its basis.

``compute_grade`` is a pure function of the scheme, the records, list status and the previous grade.
``grade_enterprise`` stores the result (keeping history); ``regrade_dirty`` is the incremental
background job: it claims enterprises flagged ``needs_regrade`` with a conditional UPDATE, so two
workers never grade the same enterprise, and a record written meanwhile re-flags it for the next run.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhiliang.credit.dates import add_months
from zhiliang.credit.models import (
    CreditRecord,
    Enterprise,
    EnterpriseGrade,
    GradingScheme,
    ListEntry,
    ListKind,
    RecordStatus,
)


@dataclass
class GradeOutcome:
    grade: str
    score: Decimal
    basis: dict[str, Any] = field(default_factory=dict)


def active_schemes(on: datetime.date) -> list[GradingScheme]:
    return [s for s in GradingScheme.objects.all() if s.is_valid_on(on)]


def _rank(scheme: GradingScheme, code: str) -> int:
    codes = scheme.grade_codes
    return codes.index(code) if code in codes else len(codes)


def compute_grade(
    *,
    scheme: GradingScheme,
    records: list[CreditRecord],
    list_kinds: set[str],
    previous: EnterpriseGrade | None,
    as_of: datetime.date,
) -> GradeOutcome:
    """Score the records, then apply caps, holding-period requirements and forced grades (in that order)."""
    rules = scheme.rules
    base = Decimal(str(rules.get("base_score", 0)))
    weights: dict[str, Any] = rules.get("weights", {})
    max_per_type: dict[str, Any] = rules.get("max_per_type", {})
    window_from = add_months(as_of, -int(rules.get("window_months", 36)))

    contributions: list[dict[str, Any]] = []
    excluded: list[dict[str, Any]] = []
    per_type: dict[str, Decimal] = {}
    counted_polarities: set[str] = set()
    counted_types: set[str] = set()
    for record in sorted(records, key=lambda r: (r.occurred_on, r.pk)):
        code = record.record_type.code
        row = {
            "record_id": record.pk,
            "record_type": code,
            "record_type_name": record.record_type.name,
            "occurred_on": record.occurred_on.isoformat(),
            "source_authority": record.source_authority,
        }
        reason = None
        if record.status == RecordStatus.REVOKED:
            reason = "已撤销"
        elif record.repaired_on is not None and record.repaired_on <= as_of:
            reason = "已信用修复"
        elif record.occurred_on > as_of:
            reason = "晚于评定基准日"
        elif record.occurred_on <= window_from:
            reason = "超出计分期"
        elif code not in weights:
            reason = "本方案不计分"
        if reason:
            excluded.append({**row, "reason": reason})
            continue
        points = Decimal(str(weights[code]))
        note = ""
        if code in max_per_type:
            cap = Decimal(str(max_per_type[code]))
            so_far = per_type.get(code, Decimal(0))
            if abs(so_far + points) > abs(cap):
                points = cap - so_far
                note = f"本类累计上限{cap}"
        per_type[code] = per_type.get(code, Decimal(0)) + points
        counted_polarities.add(record.record_type.polarity)
        counted_types.add(code)
        contributions.append({**row, "points": str(points), "note": note})

    score = base + sum((Decimal(c["points"]) for c in contributions), Decimal(0))
    score_grade = scheme.grades[-1]["code"]
    for g in scheme.grades:
        if g.get("min_score") is not None and score >= Decimal(str(g["min_score"])):
            score_grade = g["code"]
            break
    grade = score_grade
    steps: list[str] = [f"得分{score}对应{score_grade}"]

    for cap in rules.get("caps", []):
        if cap.get("polarity") in counted_polarities and _rank(scheme, grade) < _rank(
            scheme, cap["max_grade"]
        ):
            grade = cap["max_grade"]
            steps.append(
                f"计分期内有{'不良' if cap['polarity'] == 'negative' else '良好'}记录，最高为{grade}"
            )

    by_code = {g["code"]: g for g in scheme.grades}
    while True:
        requires = by_code.get(grade, {}).get("requires")
        if not requires:
            break
        if previous is not None and _rank(scheme, previous.grade) <= _rank(scheme, grade):
            break  # already holds this grade or better
        held_months = int(requires.get("held_months", 0))
        if (
            previous is not None
            and previous.grade == requires["grade"]
            and add_months(previous.held_since, held_months) <= as_of
        ):
            break
        lower = scheme.grade_codes[_rank(scheme, grade) + 1]
        steps.append(f"{grade}须持有{requires['grade']}满{held_months}个月，评为{lower}")
        grade = lower

    forced_by = None
    for rule in rules.get("forced", []):
        if rule.get("list_kind") in list_kinds or rule.get("record_type") in counted_types:
            if _rank(scheme, rule["grade"]) > _rank(scheme, grade):
                grade = rule["grade"]
                forced_by = rule
                what = (
                    "黑名单在列" if rule.get("list_kind") == ListKind.BLACK else rule.get("record_type", "")
                )
                steps.append(f"{what}，直接评为{grade}")

    basis = {
        "scheme": scheme.code,
        "as_of": as_of.isoformat(),
        "window_from": window_from.isoformat(),
        "base_score": str(base),
        "score": str(score),
        "score_grade": score_grade,
        "grade": grade,
        "contributions": contributions,
        "excluded": excluded,
        "lists": sorted(list_kinds),
        "forced_by": forced_by,
        "steps": steps,
        "previous": {"grade": previous.grade, "held_since": previous.held_since.isoformat()}
        if previous
        else None,
    }
    return GradeOutcome(grade=grade, score=score, basis=basis)


@transaction.atomic
def grade_enterprise(
    *, enterprise: Enterprise, as_of: datetime.date | None = None, schemes: list[GradingScheme] | None = None
) -> list[EnterpriseGrade]:
    """Grade one enterprise under every active scheme; a changed result becomes a new current row."""
    return grade_enterprises(enterprise_ids=[enterprise.pk], as_of=as_of, schemes=schemes)


@transaction.atomic
def grade_enterprises(
    *,
    enterprise_ids: list[int],
    as_of: datetime.date | None = None,
    schemes: list[GradingScheme] | None = None,
) -> list[EnterpriseGrade]:
    """Grade many enterprises with a fixed number of queries (imports grade thousands at once)."""
    as_of = as_of or timezone.localdate()
    schemes = schemes if schemes is not None else active_schemes(as_of)
    ids = list(enterprise_ids)
    records: dict[int, list[CreditRecord]] = defaultdict(list)
    for record in CreditRecord.objects.filter(enterprise_id__in=ids).select_related("record_type"):
        records[record.enterprise_id].append(record)
    list_kinds: dict[int, set[str]] = defaultdict(set)
    for enterprise_id, kind in (
        ListEntry.objects.current(as_of).filter(enterprise_id__in=ids).values_list("enterprise_id", "kind")
    ):
        list_kinds[enterprise_id].add(kind)
    current = {
        (g.enterprise_id, g.scheme_id): g
        for g in EnterpriseGrade.objects.select_for_update().filter(enterprise_id__in=ids, is_current=True)
    }
    now = timezone.now()
    unchanged: list[EnterpriseGrade] = []
    superseded: list[int] = []
    created: list[EnterpriseGrade] = []
    for enterprise_id in ids:
        for scheme in schemes:
            previous = current.get((enterprise_id, scheme.pk))
            outcome = compute_grade(
                scheme=scheme,
                records=records.get(enterprise_id, []),
                list_kinds=list_kinds.get(enterprise_id, set()),
                previous=previous,
                as_of=as_of,
            )
            if (
                previous is not None
                and previous.grade == outcome.grade
                and previous.score == outcome.score
                and _counted_ids(previous.basis) == _counted_ids(outcome.basis)
            ):
                previous.basis, previous.as_of, previous.computed_at = outcome.basis, as_of, now
                unchanged.append(previous)
                continue
            if previous is not None:
                superseded.append(previous.pk)
            held_since = (
                previous.held_since if previous is not None and previous.grade == outcome.grade else as_of
            )
            created.append(
                EnterpriseGrade(
                    enterprise_id=enterprise_id,
                    scheme=scheme,
                    grade=outcome.grade,
                    score=outcome.score,
                    as_of=as_of,
                    computed_at=now,
                    held_since=held_since,
                    basis=outcome.basis,
                )
            )
    if unchanged:
        EnterpriseGrade.objects.bulk_update(unchanged, ["basis", "as_of", "computed_at"], batch_size=500)
    if superseded:
        EnterpriseGrade.objects.filter(pk__in=superseded).update(is_current=False)
    created = EnterpriseGrade.objects.bulk_create(created, batch_size=500)
    return unchanged + created


def _counted_ids(basis: dict[str, Any]) -> list[tuple[int, str]]:
    return [(c["record_id"], c["points"]) for c in basis.get("contributions", [])]


def regrade_dirty(*, limit: int | None = None, as_of: datetime.date | None = None) -> int:
    """Grade every enterprise flagged ``needs_regrade``; returns how many were graded."""
    as_of = as_of or timezone.localdate()
    schemes = active_schemes(as_of)
    graded = 0
    while limit is None or graded < limit:
        batch = 200 if limit is None else min(200, limit - graded)
        ids = list(Enterprise.objects.needing_regrade().order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            break
        # Claim first: a record written after this point re-flags the enterprise for the next run.
        claimed = []
        for pk in ids:
            if Enterprise.objects.filter(pk=pk, needs_regrade=True).update(needs_regrade=False) == 1:
                claimed.append(pk)
        if claimed:
            grade_enterprises(enterprise_ids=claimed, as_of=as_of, schemes=schemes)
        graded += len(claimed)
    return graded


def regrade_all(*, as_of: datetime.date | None = None) -> int:
    """Flag everyone and grade (nightly: the scoring window slides and listings expire)."""
    Enterprise.objects.filter(needs_regrade=False).update(needs_regrade=True)
    return regrade_dirty(as_of=as_of)
