"""Write paths of the assessment: the only code that changes assessment rows.

Each function takes keyword arguments, checks permission and stage, validates, and runs in a
transaction. Scoring itself is ``zhiliang.lib.scoring`` (pure); :func:`assessment_compute` feeds
it from the database and stores totals, grades and ranks.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiliang.accounts.models import Organisation, OrganisationKind
from zhiliang.assessment import access
from zhiliang.assessment.models import (
    STAGE_ORDER,
    Assessment,
    AssessmentCity,
    AssessmentScheme,
    AutoSource,
    Bulletin,
    Indicator,
    IndicatorScore,
    Rectification,
    RectificationReason,
    RectificationStatus,
    ScoreAdjustment,
    ScoreEvidence,
    Stage,
    TargetFiling,
    VetoFinding,
)
from zhiliang.assessment.scheme_templates import TEMPLATES, parent_code
from zhiliang.departments.models import Department
from zhiliang.lib import scoring
from zhiliang.regions.models import Region, RegionLevel

# --------------------------------------------------------------------------- helpers


def _deny(message: str) -> PermissionDenied:
    return PermissionDenied(message)


def _require_office(user: User, region_or_assessment) -> None:  # noqa: ANN001
    if not access.is_office(user, region_or_assessment):
        raise _deny(_("只有本级质量办管理员可以进行此操作"))


def _require_stage(assessment: Assessment, *stages: str) -> None:
    if assessment.stage not in stages:
        allowed = "、".join(str(Stage(s).label) for s in stages)
        raise ValidationError(
            _("当前阶段为“%(now)s”，此操作只能在“%(allowed)s”阶段进行")
            % {"now": assessment.get_stage_display(), "allowed": allowed}
        )


def parse_decimal(value, *, label: str) -> Decimal | None:  # noqa: ANN001
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValidationError(_("%(label)s“%(value)s”不是数字") % {"label": label, "value": value}) from exc
    if not number.is_finite():
        raise ValidationError(_("%(label)s必须是有限的数字") % {"label": label})
    return scoring.quantize(number)


def _check_score(value: Decimal | None, indicator: Indicator, label: str) -> None:
    if value is not None and not (0 <= value <= indicator.points):
        raise ValidationError(
            _("%(label)s必须在0到%(points)s分之间（%(code)s）")
            % {"label": label, "points": indicator.points, "code": indicator.code}
        )


# --------------------------------------------------------------------------- schemes


def parse_bands(text: str) -> list[list[str]]:
    """``"A≥90；B≥80；C≥60；D≥0"`` (also ``A:90, B:80``) → ``[["A", "90"], ...]``, checked.

    >>> parse_bands("A≥90；B≥80；C≥60；D≥0")
    [['A', '90'], ['B', '80'], ['C', '60'], ['D', '0']]
    """
    import re

    bands = []
    for part in re.split(r"[;；,，\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"([A-Za-z\u4e00-\u9fff]{1,8})\s*(?:≥|>=|:|：|=)\s*(\d+(?:\.\d+)?)", part)
        if not m:
            raise ValidationError(_("等次“%(part)s”的格式应为“A≥90”") % {"part": part})
        bands.append([m.group(1), m.group(2)])
    return bands


def check_scheme_settings(*, scale: int, bands: list[list[str]], veto_grade: str) -> None:
    try:
        scoring.Rules(
            scale=Decimal(scale),
            bands=tuple((g, Decimal(m)) for g, m in bands),
            veto_grade=veto_grade,
        )
    except scoring.SchemeError as exc:
        raise ValidationError(_("等次设置有误：%(err)s") % {"err": exc}) from exc


def _check_unlocked(scheme: AssessmentScheme) -> None:
    if scheme.is_locked:
        raise ValidationError(_("方案已用于考核，不能再修改；请复制一份用于下一年度"))


@transaction.atomic
def scheme_create_from_template(*, key: str, region: Region, year: int, user: User) -> AssessmentScheme:
    _require_office(user, region.pk)
    if key not in TEMPLATES:
        raise ValidationError(_("没有这个模板"))
    template = TEMPLATES[key]
    start, end = template["year"](year)
    scheme = AssessmentScheme(
        region=region,
        name=f"{region.name}{year}—{year + 1}年度{template['name']}",
        description=template["description"],
        scale=template["scale"],
        grade_bands=template["grade_bands"],
        veto_rules=template["veto_rules"],
        year_start=start,
        year_end=end,
        template_key=key,
        created_by=user,
    )
    scheme.full_clean()
    scheme.save()
    departments = {d.code: d for d in Department.objects.all()}
    _create_indicators(
        scheme,
        [
            {
                "code": code,
                "name": name,
                "points": Decimal(points),
                "department": departments.get(dept) if dept else None,
                "auto_source": auto,
                "scoring_method": method,
                "evidence_required": evidence,
            }
            for code, name, points, dept, auto, method, evidence in template["rows"]
        ],
    )
    return scheme


def _create_indicators(scheme: AssessmentScheme, rows: list[dict]) -> list[Indicator]:
    """Rows in any order, each with a ``code`` ("1.2.3"); parents are found by ``parent`` or the code."""
    by_code: dict[str, Indicator] = {}
    created = []
    for order, row in enumerate(rows, start=1):
        row = dict(row)
        parent = row.pop("parent", None)
        if parent is None:
            parent = parent_code(row["code"])
        ind = Indicator(scheme=scheme, order=order, **row)
        ind._parent_code = parent  # resolved below, once every code is known
        if ind.code in by_code:
            raise ValidationError(_("指标编号“%(code)s”重复") % {"code": ind.code})
        by_code[ind.code] = ind
        created.append(ind)
    for ind in created:  # validate before saving anything
        if ind._parent_code and ind._parent_code not in by_code:
            raise ValidationError(
                _("指标“%(code)s”的上级“%(parent)s”不存在") % {"code": ind.code, "parent": ind._parent_code}
            )
        ind.full_clean(exclude=["scheme", "parent"])
    _check_tree([(i.code, i._parent_code, i.points) for i in created])
    saved: set[str] = set()
    pending = list(created)
    while pending:  # parents first
        rest = []
        for ind in pending:
            if ind._parent_code is None or ind._parent_code in saved:
                ind.parent = by_code[ind._parent_code] if ind._parent_code else None
                ind.save()
                saved.add(ind.code)
            else:
                rest.append(ind)
        pending = rest
    return created


def _check_tree(rows: list[tuple[str, str | None, Decimal]]) -> scoring.CompiledTree:
    try:
        return scoring.compile_tree(scoring.Node(code, parent, points) for code, parent, points in rows)
    except scoring.SchemeError as exc:
        raise ValidationError(_("指标体系有误：%(err)s") % {"err": exc}) from exc


def scheme_tree(scheme: AssessmentScheme) -> tuple[scoring.CompiledTree, list[Indicator]]:
    indicators = list(scheme.indicators.select_related("parent", "department"))
    by_pk = {i.pk: i for i in indicators}
    tree = _check_tree(
        [(i.code, by_pk[i.parent_id].code if i.parent_id else None, i.points) for i in indicators]
    )
    return tree, indicators


def indicator_rows(scheme: AssessmentScheme) -> list[tuple[Indicator, int, bool]]:
    """(indicator, depth, is_leaf) in display order: depth first, siblings by ``order``."""
    indicators = list(scheme.indicators.select_related("department").order_by("order", "pk"))
    kids: dict[int | None, list[Indicator]] = {}
    for ind in indicators:
        kids.setdefault(ind.parent_id, []).append(ind)
    out: list[tuple[Indicator, int, bool]] = []
    stack = [(ind, 0) for ind in reversed(kids.get(None, []))]
    while stack:
        ind, depth = stack.pop()
        out.append((ind, depth, ind.pk not in kids))
        stack.extend((c, depth + 1) for c in reversed(kids.get(ind.pk, [])))
    return out


@transaction.atomic
def scheme_update(*, scheme: AssessmentScheme, user: User, **fields) -> AssessmentScheme:  # noqa: ANN003
    _require_office(user, scheme.region_id)
    _check_unlocked(scheme)
    for name, value in fields.items():
        setattr(scheme, name, value)
    check_scheme_settings(scale=scheme.scale, bands=scheme.grade_bands, veto_grade=scheme.veto_grade)
    scheme.full_clean()
    scheme.save(update_fields=list(fields))
    return scheme


@transaction.atomic
def scheme_copy(*, scheme: AssessmentScheme, user: User, years: int = 1) -> AssessmentScheme:
    """The same scheme for a later year (indicators copied); the copy is unlocked."""
    _require_office(user, scheme.region_id)

    def shift(d: datetime.date) -> datetime.date:
        try:
            return d.replace(year=d.year + years)
        except ValueError:  # 29 February
            return d.replace(year=d.year + years, day=28)

    rows = [
        {
            "code": i.code,
            "parent": i.parent.code if i.parent_id else None,
            "name": i.name,
            "points": i.points,
            "scoring_method": i.scoring_method,
            "evidence_required": i.evidence_required,
            "department": i.department,
            "auto_source": i.auto_source,
        }
        for i in scheme.indicators.select_related("parent", "department").order_by("order", "pk")
    ]
    copy = AssessmentScheme.objects.create(
        region=scheme.region,
        name=f"{scheme.name}（{shift(scheme.year_start).year}年度）",
        description=scheme.description,
        scale=scheme.scale,
        grade_bands=scheme.grade_bands,
        veto_rules=scheme.veto_rules,
        veto_grade=scheme.veto_grade,
        veto_ranks_last=scheme.veto_ranks_last,
        tie_rule=scheme.tie_rule,
        bottom_count=scheme.bottom_count,
        rectification_days=scheme.rectification_days,
        year_start=shift(scheme.year_start),
        year_end=shift(scheme.year_end),
        template_key=scheme.template_key,
        created_by=user,
    )
    _create_indicators(copy, rows)
    return copy


@transaction.atomic
def indicator_save(
    *, scheme: AssessmentScheme, user: User, indicator: Indicator | None = None, data: dict
) -> Indicator:
    """Create or change one indicator; the whole tree is checked again before commit."""
    _require_office(user, scheme.region_id)
    _check_unlocked(scheme)
    ind = indicator or Indicator(scheme=scheme, order=(scheme.indicators.count() + 1) * 10)
    for name, value in data.items():
        setattr(ind, name, value)
    if ind.parent_id is not None:
        if ind.parent.scheme_id != scheme.pk:
            raise ValidationError(_("上级指标不属于本方案"))
        node = ind.parent
        while node is not None:  # no cycles: the parent may not be the node itself or below it
            if ind.pk is not None and node.pk == ind.pk:
                raise ValidationError(_("上级指标不能是本指标或其下级"))
            node = node.parent
    ind.full_clean(exclude=["scheme"])
    ind.save()
    scheme_tree(scheme)
    return ind


@transaction.atomic
def indicator_delete(*, indicator: Indicator, user: User) -> None:
    _require_office(user, indicator.scheme.region_id)
    _check_unlocked(indicator.scheme)
    indicator.delete()


# --------------------------------------------------------------------------- assessments


def _city_government(region: Region) -> Organisation:
    org = Organisation.objects.filter(region=region, kind=OrganisationKind.GOVERNMENT).order_by("pk").first()
    if org is None:
        org = Organisation.objects.create(
            region=region,
            kind=OrganisationKind.GOVERNMENT,
            name=f"{region.name}人民政府",
            department=Department.objects.filter(code="GOV").first(),
        )
    return org


@transaction.atomic
def assessment_create(
    *, scheme: AssessmentScheme, user: User, title: str = "", region_codes: list[str] | None = None
) -> Assessment:
    """Open an assessment year for the cities of the scheme's province (or the ones named)."""
    _require_office(user, scheme.region_id)
    scheme_tree(scheme)  # refuse a broken tree before anyone files anything
    check_scheme_settings(scale=scheme.scale, bands=scheme.grade_bands, veto_grade=scheme.veto_grade)
    regions = Region.objects.filter(parent=scheme.region, level=RegionLevel.CITY)
    if region_codes:
        regions = regions.filter(code__in=region_codes)
    regions = list(regions.order_by("code"))
    if not regions:
        raise ValidationError(_("本地区下没有可考核的市"))
    assessment = Assessment.objects.create(
        scheme=scheme,
        region=scheme.region,
        title=title.strip()
        or f"{scheme.region.name}{scheme.year_start:%Y}—{scheme.year_end:%Y}年度质量工作考核",
        created_by=user,
    )
    cities = AssessmentCity.objects.bulk_create(
        AssessmentCity(assessment=assessment, region=r, organisation=_city_government(r)) for r in regions
    )
    indicators = list(scheme.indicators.all())
    parents = {i.parent_id for i in indicators}
    leaves = [i for i in indicators if i.pk not in parents]
    IndicatorScore.objects.bulk_create(IndicatorScore(city=c, indicator=i) for c in cities for i in leaves)
    return assessment


@transaction.atomic
def assessment_set_stage(*, assessment: Assessment, user: User, stage: str) -> Assessment:
    """Move the cycle forward (or back, before publication). Entering 综合评价 computes results;
    entering 部门评分 fetches the automatic scores; 通报 happens only through bulletin_publish."""
    assessment.stage = (
        Assessment.objects.select_for_update().values_list("stage", flat=True).get(pk=assessment.pk)
    )
    _require_office(user, assessment)
    if stage not in STAGE_ORDER:
        raise ValidationError(_("没有这个阶段"))
    if assessment.stage_reached(Stage.PUBLISHED) and stage != Stage.RECTIFICATION:
        raise ValidationError(_("已通报，不能再回到之前的阶段"))
    if stage == Stage.PUBLISHED or (
        stage == Stage.RECTIFICATION and not assessment.stage_reached(Stage.PUBLISHED)
    ):
        raise ValidationError(_("请先发布通报"))
    assessment.stage = stage
    assessment.save(update_fields=["stage"])
    if stage == Stage.DEPARTMENT_SCORING:
        auto_scores_refresh(assessment=assessment, user=user)
    if stage == Stage.FINAL:
        assessment_compute(assessment=assessment, user=user)
    return assessment


@transaction.atomic
def assessors_set(*, assessment: Assessment, user: User, assessors: list[User]) -> None:
    _require_office(user, assessment)
    assessment.assessors.set(assessors)


# --------------------------------------------------------------------------- 目标备案 / 自评


def _require_city(user: User, city: AssessmentCity) -> None:
    own = access.city_of(user, city.assessment)
    if own is None or own.pk != city.pk:
        raise _deny(_("只有本市联络员可以填报"))


@transaction.atomic
def target_file(
    *,
    city: AssessmentCity,
    user: User,
    subject: str,
    value: Decimal | None = None,
    unit: str = "",
    note: str = "",
    indicator: Indicator | None = None,
) -> TargetFiling:
    _require_city(user, city)
    _require_stage(city.assessment, Stage.FILING)
    if indicator is not None and indicator.scheme_id != city.assessment.scheme_id:
        raise ValidationError(_("指标不属于本次考核"))
    filing = TargetFiling(
        city=city,
        subject=subject.strip(),
        value=value,
        unit=unit.strip(),
        note=note.strip(),
        indicator=indicator,
        filed_by=user,
    )
    filing.full_clean()
    filing.save()
    return filing


@transaction.atomic
def target_withdraw(*, filing: TargetFiling, user: User) -> None:
    _require_city(user, filing.city)
    _require_stage(filing.city.assessment, Stage.FILING)
    filing.delete()


@transaction.atomic
def self_assessment_save(
    *, city: AssessmentCity, user: User, entries: dict[int, tuple[Decimal | None, str]], submit: bool = False
) -> AssessmentCity:
    """Save self scores ``{indicator score id: (score, note)}``; ``submit`` marks the self-assessment sent."""
    _require_city(user, city)
    _require_stage(city.assessment, Stage.SELF_ASSESSMENT)
    rows = {s.pk: s for s in city.scores.select_related("indicator").filter(pk__in=list(entries))}
    if len(rows) != len(entries):
        raise ValidationError(_("有指标不属于本市"))
    for pk, (value, note) in entries.items():
        row = rows[pk]
        _check_score(value, row.indicator, _("自评分"))
        row.self_score, row.self_note = value, (note or "").strip()
    IndicatorScore.objects.bulk_update(rows.values(), ["self_score", "self_note"])
    if submit:
        missing = city.scores.filter(self_score__isnull=True).count()
        if missing:
            raise ValidationError(_("还有%(n)d项指标未自评，不能提交") % {"n": missing})
        city.self_submitted_at = timezone.now()
        city.save(update_fields=["self_submitted_at"])
    return city


def evidence_may_attach(user: User, score: IndicatorScore) -> bool:
    a = score.city.assessment
    if a.stage in (Stage.FILING, Stage.SELF_ASSESSMENT):
        own = access.city_of(user, a)
        return own is not None and own.pk == score.city_id
    if a.stage in (Stage.DEPARTMENT_SCORING, Stage.VERIFICATION):
        # departments and assessors may file what they relied on, e.g. a site-check record
        dept = access.scoring_department_id(user, a)
        return access.is_assessor(user, a) or (dept is not None and dept == score.indicator.department_id)
    return False


@transaction.atomic
def evidence_attach(*, score: IndicatorScore, upload: UploadedFile, user: User) -> ScoreEvidence:
    from zhiliang.supervision.services import evidence_check  # same file rules as progress reports

    if not evidence_may_attach(user, score):
        raise _deny(_("现在不能为这项指标上传佐证材料"))
    content_type, sha256 = evidence_check(upload)
    original = (upload.name or "")[-255:]
    evidence = ScoreEvidence(
        score=score,
        original_name=original,
        size=upload.size,
        content_type=content_type,
        sha256=sha256,
        uploaded_by=user,
    )
    evidence.file.save(original, upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: ScoreEvidence, user: User) -> None:
    if evidence.uploaded_by_id != user.pk or not evidence_may_attach(user, evidence.score):
        raise _deny(_("只能在填报阶段删除自己上传的材料"))
    evidence.file.delete(save=False)
    evidence.delete()


# --------------------------------------------------------------------------- 部门评分 / 自动取数


@transaction.atomic
def department_score_save(
    *, score: IndicatorScore, user: User, value: Decimal | None, note: str = ""
) -> IndicatorScore:
    a = score.city.assessment
    dept = access.scoring_department_id(user, a)
    if not (access.is_office(user, a) or (dept is not None and dept == score.indicator.department_id)):
        raise _deny(_("只有评分部门可以为这项指标评分"))
    _require_stage(a, Stage.DEPARTMENT_SCORING)
    if score.indicator.is_auto:
        raise ValidationError(_("这项指标自动取数；如需改分，请由质量办填写理由调整"))
    _check_score(value, score.indicator, _("部门评分"))
    note = (note or "").strip()
    if value is not None and value < score.indicator.points and not note:
        raise ValidationError(_("扣分须写明理由（%(code)s）") % {"code": score.indicator.code})
    score.department_score, score.department_note = value, note
    score.department_by, score.department_at = user, timezone.now()
    score.save(update_fields=["department_score", "department_note", "department_by", "department_at"])
    return score


@dataclass(frozen=True)
class AutoFigure:
    numerator: int
    denominator: int
    numerator_label: str
    denominator_label: str
    rate_label: str


def auto_figure(
    source: str, organisation: Organisation, start: datetime.date, end: datetime.date
) -> AutoFigure | None:
    """The counts behind an auto-fed indicator for one organisation; None when no source yet."""
    from zhiliang.supervision.models import CloseOutcome, ReportDue, ReportDueStatus, WorkItem, WorkItemStatus

    items = WorkItem.objects.for_organisation(organisation).filter(due_date__gte=start, due_date__lte=end)
    achieved = Q(status=WorkItemStatus.CLOSED, close_outcome=CloseOutcome.ACHIEVED)
    if source == AutoSource.TASK_COMPLETION:
        return AutoFigure(
            items.filter(achieved).count(),
            items.count(),
            _("已办结（完成）事项"),
            _("考核年度内到期事项"),
            _("任务完成率"),
        )
    if source == AutoSource.TARGET_ACHIEVEMENT:
        targeted = items.filter(task__targets__isnull=False).distinct()
        return AutoFigure(
            targeted.filter(achieved).count(),
            targeted.count(),
            _("完成目标的事项"),
            _("有量化目标的到期事项"),
            _("目标完成率"),
        )
    if source == AutoSource.ON_TIME_REPORTING:
        dues = ReportDue.objects.filter(
            work_item__organisation=organisation, due_on__gte=start, due_on__lte=end
        ).exclude(status=ReportDueStatus.CANCELLED)
        on_time = dues.filter(report__submitted_at__isnull=False, report__submitted_at__date__lte=F("due_on"))
        return AutoFigure(on_time.count(), dues.count(), _("按时报送"), _("应报送"), _("按时报送率"))
    return None


@transaction.atomic
def auto_scores_refresh(*, assessment: Assessment, user: User, as_of: datetime.date | None = None) -> int:
    """Fetch every auto-fed score from the platform; returns the number of rows updated.

    The year is the scheme's range, cut at *as_of* (default today) for reports not yet due.
    """
    _require_office(user, assessment)
    if assessment.stage_reached(Stage.FINAL):
        raise ValidationError(_("综合评价后不再自动取数"))
    scheme = assessment.scheme
    as_of = as_of or timezone.localdate()
    start, end = scheme.year_start, min(scheme.year_end, as_of)
    rows = list(
        IndicatorScore.objects.filter(city__assessment=assessment)
        .exclude(indicator__auto_source="")
        .select_related("indicator", "city__organisation")
    )
    for row in rows:
        ind = row.indicator
        figure = auto_figure(ind.auto_source, row.city.organisation, start, end)
        inputs = {
            "source": ind.auto_source,
            "as_of": as_of.isoformat(),
            "start": start.isoformat(),
            "end": end.isoformat(),
        }
        if figure is None:
            row.auto_score = None
            inputs["explanation"] = _("数据源尚未接入，需人工评分")
        elif figure.denominator == 0:
            row.auto_score = None
            inputs.update(numerator=0, denominator=0)
            inputs["explanation"] = _("%(label)s为0，无法计算，需人工评分") % {
                "label": figure.denominator_label
            }
        else:
            rate = Decimal(figure.numerator) / Decimal(figure.denominator)
            row.auto_score = scoring.quantize(ind.points * rate)
            pct = scoring.quantize(rate * 100)
            inputs.update(numerator=figure.numerator, denominator=figure.denominator, rate=str(pct))
            inputs["explanation"] = _(
                "%(rate_label)s = %(nl)s %(n)d ÷ %(dl)s %(d)d = %(pct)s%%；得分 = %(points)s × %(pct)s%% = %(score)s"
            ) % {
                "rate_label": figure.rate_label,
                "nl": figure.numerator_label,
                "n": figure.numerator,
                "dl": figure.denominator_label,
                "d": figure.denominator,
                "pct": pct,
                "points": ind.points,
                "score": row.auto_score,
            }
        row.auto_inputs = inputs
    IndicatorScore.objects.bulk_update(rows, ["auto_score", "auto_inputs"])
    return len(rows)


@transaction.atomic
def auto_score_override(
    *, score: IndicatorScore, user: User, value: Decimal | None, reason: str
) -> IndicatorScore:
    """Replace an automatic score with a reason (None clears the override). Audited (auditlog)."""
    a = score.city.assessment
    _require_office(user, a)
    _require_stage(a, Stage.DEPARTMENT_SCORING, Stage.VERIFICATION)
    _check_score(value, score.indicator, _("调整得分"))
    reason = (reason or "").strip()
    if value is not None and not reason:
        raise ValidationError(_("调整自动得分须写明理由"))
    score.override_score, score.override_reason = value, reason if value is not None else ""
    score.override_by, score.override_at = user, timezone.now()
    score.save(update_fields=["override_score", "override_reason", "override_by", "override_at"])
    return score


# --------------------------------------------------------------------------- 实地核查 / 否决


@transaction.atomic
def adjustment_add(
    *, score: IndicatorScore, user: User, delta: Decimal, reason: str, evidence: ScoreEvidence | None = None
) -> ScoreAdjustment:
    a = score.city.assessment
    if not access.is_assessor(user, a):
        raise _deny(_("只有核查人员可以调整得分"))
    _require_stage(a, Stage.VERIFICATION)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("核查调整须写明理由"))
    if delta == 0:
        raise ValidationError(_("调整分值不能为0"))
    if abs(delta) > score.indicator.points:
        raise ValidationError(_("调整分值不能超过该指标分值"))
    if evidence is not None and evidence.score_id != score.pk:
        raise ValidationError(_("依据材料不属于这项指标"))
    adj = ScoreAdjustment(score=score, delta=delta, reason=reason, evidence=evidence, made_by=user)
    adj.full_clean()
    adj.save()
    return adj


@transaction.atomic
def adjustment_remove(*, adjustment: ScoreAdjustment, user: User) -> None:
    a = adjustment.score.city.assessment
    if not access.is_assessor(user, a):
        raise _deny(_("只有核查人员可以撤销调整"))
    _require_stage(a, Stage.VERIFICATION)
    adjustment.delete()


@transaction.atomic
def veto_record(*, city: AssessmentCity, user: User, rule_code: str, description: str) -> VetoFinding:
    a = city.assessment
    _require_office(user, a)
    _require_stage(a, Stage.VERIFICATION, Stage.FINAL)
    codes = {r["code"] for r in a.scheme.veto_rules}
    if rule_code not in codes:
        raise ValidationError(_("方案中没有这项一票否决事项"))
    if not (description or "").strip():
        raise ValidationError(_("请写明认定的事实和依据"))
    finding = VetoFinding.objects.create(
        city=city, rule_code=rule_code, description=description.strip(), found_by=user
    )
    if a.stage == Stage.FINAL:
        assessment_compute(assessment=a, user=user)
    return finding


@transaction.atomic
def veto_remove(*, finding: VetoFinding, user: User) -> None:
    a = finding.city.assessment
    _require_office(user, a)
    _require_stage(a, Stage.VERIFICATION, Stage.FINAL)
    finding.delete()
    if a.stage == Stage.FINAL:
        assessment_compute(assessment=a, user=user)


# --------------------------------------------------------------------------- 综合评价


def scheme_rules(scheme: AssessmentScheme) -> scoring.Rules:
    return scoring.Rules(
        scale=Decimal(scheme.scale),
        bands=tuple(scheme.bands()),
        veto_grade=scheme.veto_grade,
        veto_ranks_last=scheme.veto_ranks_last,
        tie_rule=scheme.tie_rule,
    )


def leaf_input(row: IndicatorScore) -> scoring.LeafInput:
    """The engine's view of one score row (adjustments and evidence must be prefetched)."""
    base, source, reason = row.base()
    return scoring.LeafInput(
        base=base,
        source=source,
        reason=reason,
        refs=tuple(f"材料：{e.original_name}" for e in row.evidence.all()),
        adjustments=tuple(
            scoring.Adjustment(
                a.delta, a.reason, f"材料：{a.evidence.original_name}" if a.evidence_id else ""
            )
            for a in row.adjustments.all()
        ),
    )


def score_rows(assessment: Assessment):  # noqa: ANN201
    return (
        IndicatorScore.objects.filter(city__assessment=assessment)
        .select_related("indicator")
        .prefetch_related(
            Prefetch("adjustments", queryset=ScoreAdjustment.objects.select_related("evidence")), "evidence"
        )
    )


def engine_inputs(assessment: Assessment) -> tuple[scoring.CompiledTree, dict[str, scoring.CityInput]]:
    tree, _indicators = scheme_tree(assessment.scheme)
    cities: dict[str, scoring.CityInput] = {
        str(c.pk): scoring.CityInput(leaves={}, vetoes=()) for c in assessment.cities.all()
    }
    for row in score_rows(assessment):
        cities[str(row.city_id)].leaves[row.indicator.code] = leaf_input(row)
    rule_names = {r["code"]: r["name"] for r in assessment.scheme.veto_rules}
    for v in VetoFinding.objects.filter(city__assessment=assessment):
        c = cities[str(v.city_id)]
        c.vetoes = (*c.vetoes, f"{rule_names.get(v.rule_code, v.rule_code)}：{v.description}")
    return tree, cities


@transaction.atomic
def assessment_compute(*, assessment: Assessment, user: User) -> list[scoring.CityResult]:
    """综合评价: score every city, apply vetoes, grade and rank; store the results."""
    _require_office(user, assessment)
    _require_stage(assessment, Stage.FINAL)
    tree, inputs = engine_inputs(assessment)
    results = scoring.assess(tree, inputs, scheme_rules(assessment.scheme))
    cities = {str(c.pk): c for c in assessment.cities.all()}
    for r in results:
        c = cities[r.city]
        c.total, c.grade, c.banded_grade, c.vetoed, c.rank = (
            r.total,
            r.grade,
            r.banded_grade,
            r.vetoed,
            r.rank,
        )
        c.node_scores = {
            k: {"score": str(n.score), "points": str(n.points)} for k, n in r.score.nodes.items()
        }
    AssessmentCity.objects.bulk_update(
        cities.values(), ["total", "grade", "banded_grade", "vetoed", "rank", "node_scores"]
    )
    assessment.computed_at = timezone.now()
    assessment.save(update_fields=["computed_at"])
    return results


# --------------------------------------------------------------------------- 通报 / 整改


def results_snapshot(assessment: Assessment) -> list[dict]:
    rule_names = {r["code"]: r["name"] for r in assessment.scheme.veto_rules}
    out = []
    for c in (
        assessment.cities.select_related("region").prefetch_related("vetoes").order_by("rank", "region__code")
    ):
        out.append(
            {
                "city": c.region.name,
                "code": c.region.code,
                "total": str(c.total),
                "grade": c.grade,
                "rank": c.rank,
                "vetoed": c.vetoed,
                "veto": "；".join(rule_names.get(v.rule_code, v.rule_code) for v in c.vetoes.all()),
            }
        )
    return out


@transaction.atomic
def bulletin_publish(
    *, assessment: Assessment, user: User, number: str, title: str = "", text: str = ""
) -> Bulletin:
    """通报: freeze the results, open rectification for D grades and the bottom ranks."""
    assessment.stage = (
        Assessment.objects.select_for_update().values_list("stage", flat=True).get(pk=assessment.pk)
    )
    _require_office(user, assessment)
    _require_stage(assessment, Stage.FINAL)
    if assessment.computed_at is None:
        raise ValidationError(_("请先完成综合评价"))
    if not number.strip():
        raise ValidationError(_("请填写通报文号"))
    assessment_compute(assessment=assessment, user=user)  # publish exactly what the data says now
    bulletin = Bulletin.objects.create(
        assessment=assessment,
        number=number.strip(),
        title=title.strip() or _("关于%(title)s结果的通报") % {"title": assessment.title},
        text=text.strip(),
        results=results_snapshot(assessment),
        published_by=user,
    )
    scheme = assessment.scheme
    lowest = scheme.bands()[-1][0]
    cities = list(assessment.cities.all())
    fake = [scoring.CityResult(str(c.pk), None, c.total, c.grade, c.vetoed, rank=c.rank) for c in cities]
    bottom_ids = {r.city for r in scoring.bottom(fake, scheme.bottom_count)}
    due = timezone.localdate() + datetime.timedelta(days=scheme.rectification_days)
    for c in cities:
        reasons = []
        if c.grade == lowest:
            reasons.append(RectificationReason.GRADE_D.value)
        if str(c.pk) in bottom_ids:
            reasons.append(RectificationReason.BOTTOM.value)
        if reasons:
            Rectification.objects.create(city=c, reasons=reasons, due_on=due)
    assessment.stage = Stage.PUBLISHED
    assessment.save(update_fields=["stage"])
    return bulletin


def _locked_rectification(r: Rectification) -> Rectification:
    return Rectification.objects.select_for_update().select_related("city__assessment").get(pk=r.pk)


@transaction.atomic
def rectification_submit(*, rectification: Rectification, user: User, report: str) -> Rectification:
    r = _locked_rectification(rectification)
    _require_city(user, r.city)
    if r.status not in (RectificationStatus.OPEN, RectificationStatus.REJECTED):
        raise ValidationError(_("整改报告已提交或已处理"))
    if not (report or "").strip():
        raise ValidationError(_("请填写整改报告"))
    r.report, r.status = report.strip(), RectificationStatus.SUBMITTED
    r.submitted_at, r.submitted_by = timezone.now(), user
    r.save(update_fields=["report", "status", "submitted_at", "submitted_by"])
    return r


@transaction.atomic
def rectification_decide(
    *, rectification: Rectification, user: User, accept: bool, note: str = ""
) -> Rectification:
    r = _locked_rectification(rectification)
    _require_office(user, r.city.assessment)
    if r.status != RectificationStatus.SUBMITTED:
        raise ValidationError(_("只有待验收的整改报告可以验收"))
    if not accept and not (note or "").strip():
        raise ValidationError(_("验收不通过须写明理由"))
    r.status = RectificationStatus.ACCEPTED if accept else RectificationStatus.REJECTED
    r.decision_note, r.decided_at, r.decided_by = (note or "").strip(), timezone.now(), user
    r.save(update_fields=["status", "decision_note", "decided_at", "decided_by"])
    return r


@transaction.atomic
def rectification_summon(*, rectification: Rectification, user: User, note: str) -> Rectification:
    """约谈: when the report was not accepted, or is overdue."""
    r = _locked_rectification(rectification)
    _require_office(user, r.city.assessment)
    if not (r.status == RectificationStatus.REJECTED or r.is_overdue()):
        raise ValidationError(_("只有验收未通过或逾期未报的整改才转为约谈"))
    if not (note or "").strip():
        raise ValidationError(_("请写明约谈安排"))
    r.status, r.summons_note, r.summoned_at = RectificationStatus.SUMMONED, note.strip(), timezone.now()
    r.save(update_fields=["status", "summons_note", "summoned_at"])
    return r
