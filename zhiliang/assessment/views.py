"""Assessment pages: schemes, and one screen per step of the cycle.

Every page works without JavaScript (plain forms, POST → redirect; the charts on the results page
repeat what the tables show). Assessments a user may not read are 404; steps a user may read but
not take are 403, and the services check again.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhiliang.accounts.access import membership_of
from zhiliang.assessment import access, exports, selectors, services
from zhiliang.assessment.forms import (
    AdjustForm,
    AssessmentCreateForm,
    BulletinForm,
    FilingForm,
    IndicatorForm,
    OverrideForm,
    RectificationDecisionForm,
    RectificationReportForm,
    SchemeSettingsForm,
    ScoreForm,
    StageForm,
    SummonForm,
    TemplateForm,
    UploadForm,
    VetoForm,
)
from zhiliang.assessment.models import (
    STAGE_ORDER,
    Assessment,
    AssessmentCity,
    AssessmentScheme,
    Bulletin,
    Indicator,
    IndicatorScore,
    Rectification,
    RectificationStatus,
    ScoreAdjustment,
    ScoreEvidence,
    Stage,
    VetoFinding,
)
from zhiliang.regions.models import Region


def _msg(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _run(request: HttpRequest, action, success: str) -> bool:  # noqa: ANN001
    """Call a service; a ValidationError becomes an error message, PermissionDenied a 403."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, _msg(exc))
        return False
    messages.success(request, success)
    return True


def _form_errors(request: HttpRequest, form) -> None:  # noqa: ANN001
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.for_user(request.user).select_related("scheme", "region"), pk=pk
    )


def _own_scheme(request: HttpRequest, pk: int) -> AssessmentScheme:
    scheme = get_object_or_404(AssessmentScheme.objects.select_related("region"), pk=pk)
    if not access.is_office(request.user, scheme.region_id):
        raise Http404
    return scheme


def _score(request: HttpRequest, assessment: Assessment, pk: int) -> IndicatorScore:
    return get_object_or_404(
        IndicatorScore.objects.select_related("indicator", "city__assessment", "city__region"),
        pk=pk,
        city__assessment=assessment,
    )


def _steps(assessment: Assessment) -> list[dict]:
    urls = {
        Stage.FILING: "assessment-filing",
        Stage.SELF_ASSESSMENT: "assessment-self",
        Stage.DEPARTMENT_SCORING: "assessment-scoring",
        Stage.VERIFICATION: "assessment-verification",
        Stage.FINAL: "assessment-results",
        Stage.PUBLISHED: "assessment-bulletin",
        Stage.RECTIFICATION: "assessment-rectification",
    }
    now = assessment.stage_index()
    return [
        {
            "stage": s,
            "label": s.label,
            "url": reverse(urls[s], args=[assessment.pk]),
            "state": "done" if i < now else "current" if i == now else "todo",
        }
        for i, s in enumerate(Stage)
    ]


def _ctx(request: HttpRequest, assessment: Assessment, **extra) -> dict:  # noqa: ANN003
    user = request.user
    return {
        "assessment": assessment,
        "scheme": assessment.scheme,
        "steps": _steps(assessment),
        "is_office": access.is_office(user, assessment),
        "is_assessor": access.is_assessor(user, assessment),
        "own_city": access.city_of(user, assessment),
        "department_id": access.scoring_department_id(user, assessment),
        "can_see_results": access.can_see_results(user, assessment),
        **extra,
    }


# --------------------------------------------------------------------------- list, schemes


@login_required
@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    region_id = access.office_region_id(user)
    schemes = AssessmentScheme.objects.none()
    if user.is_superuser:
        schemes = AssessmentScheme.objects.select_related("region")
    elif region_id is not None:
        schemes = AssessmentScheme.objects.filter(region_id=region_id).select_related("region")
    ctx = {
        "assessments": Assessment.objects.for_user(user).select_related("scheme", "region"),
        "schemes": schemes,
        "can_manage": access.can_manage_schemes(user),
        "template_form": TemplateForm(initial={"year": 2017}),
        "create_form": AssessmentCreateForm(schemes=schemes),
        "import_form": UploadForm(),
    }
    return render(request, "assessment/list.html", ctx)


def _office_region(request: HttpRequest) -> Region:
    region_id = access.office_region_id(request.user)
    if region_id is None:
        m = membership_of(request.user)
        if request.user.is_superuser and m is None:
            return (
                Region.objects.get(code="330000")
                if request.POST.get("region") is None
                else get_object_or_404(Region, code=request.POST["region"])
            )
        raise PermissionDenied(_("只有质量办管理员可以管理考核方案"))
    return Region.objects.get(pk=region_id)


@login_required
@require_POST
def scheme_from_template(request: HttpRequest) -> HttpResponse:
    region = _office_region(request)
    form = TemplateForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("assessment-list")
    try:
        scheme = services.scheme_create_from_template(
            key=form.cleaned_data["template"],
            region=region,
            year=form.cleaned_data["year"],
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, _msg(exc))
        return redirect("assessment-list")
    messages.success(request, _("已由模板创建方案，可继续修改"))
    return redirect("assessment-scheme", pk=scheme.pk)


@login_required
@require_POST
def scheme_import(request: HttpRequest) -> HttpResponse:
    region = _office_region(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("assessment-list")
    try:
        scheme = exports.scheme_import_xlsx(
            data=form.cleaned_data["file"].read(), region=region, user=request.user
        )
    except ValidationError as exc:
        messages.error(request, _msg(exc))
        return redirect("assessment-list")
    messages.success(request, _("方案已导入"))
    return redirect("assessment-scheme", pk=scheme.pk)


@login_required
@require_http_methods(["GET", "POST"])
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _own_scheme(request, pk)
    form = SchemeSettingsForm(instance=scheme)
    if request.method == "POST":
        form = SchemeSettingsForm(request.POST, instance=AssessmentScheme.objects.get(pk=scheme.pk))
        if form.is_valid():
            fields = {k: form.cleaned_data[k] for k in form.Meta.fields}
            fields["grade_bands"] = form.cleaned_data["bands"]
            fields["veto_rules"] = form.cleaned_data["vetoes"]
            if _run(
                request,
                lambda: services.scheme_update(scheme=scheme, user=request.user, **fields),
                _("方案设置已保存"),
            ):
                return redirect("assessment-scheme", pk=scheme.pk)
        else:
            _form_errors(request, form)
    try:
        tree, _indicators = services.scheme_tree(scheme)
        warnings = services.scoring.point_warnings(tree)
        total = tree.max_total
    except ValidationError as exc:
        warnings, total = exc.messages, None
    ctx = {
        "scheme": scheme,
        "form": form,
        "rows": services.indicator_rows(scheme),
        "indicator_form": IndicatorForm(scheme=scheme),
        "warnings": warnings,
        "total": total,
        "locked": scheme.is_locked,
    }
    return render(request, "assessment/scheme.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int, indicator_pk: int | None = None) -> HttpResponse:
    scheme = _own_scheme(request, pk)
    indicator = get_object_or_404(Indicator, pk=indicator_pk, scheme=scheme) if indicator_pk else None
    form = IndicatorForm(instance=indicator, scheme=scheme)
    if request.method == "POST":
        form = IndicatorForm(request.POST, instance=indicator or Indicator(scheme=scheme), scheme=scheme)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in form.Meta.fields}
            if _run(
                request,
                lambda: services.indicator_save(
                    scheme=scheme, user=request.user, indicator=indicator, data=data
                ),
                _("指标已保存"),
            ):
                return redirect("assessment-scheme", pk=scheme.pk)
        else:
            _form_errors(request, form)
    return render(
        request, "assessment/indicator.html", {"scheme": scheme, "form": form, "indicator": indicator}
    )


@login_required
@require_POST
def indicator_delete(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    scheme = _own_scheme(request, pk)
    indicator = get_object_or_404(Indicator, pk=indicator_pk, scheme=scheme)
    _run(request, lambda: services.indicator_delete(indicator=indicator, user=request.user), _("指标已删除"))
    return redirect("assessment-scheme", pk=scheme.pk)


@login_required
@require_POST
def scheme_copy(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _own_scheme(request, pk)
    copy = services.scheme_copy(scheme=scheme, user=request.user)
    messages.success(request, _("已复制为下一年度方案"))
    return redirect("assessment-scheme", pk=copy.pk)


@login_required
@require_GET
def scheme_export(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _own_scheme(request, pk)
    response = HttpResponse(exports.scheme_export_xlsx(scheme), content_type=exports.XLSX)
    response["Content-Disposition"] = f"attachment; filename=scheme-{scheme.pk}.xlsx"
    return response


@login_required
@require_POST
def assessment_create(request: HttpRequest) -> HttpResponse:
    region = _office_region(request)
    form = AssessmentCreateForm(request.POST, schemes=AssessmentScheme.objects.filter(region=region))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("assessment-list")
    try:
        a = services.assessment_create(
            scheme=form.cleaned_data["scheme"], user=request.user, title=form.cleaned_data["title"]
        )
    except ValidationError as exc:
        messages.error(request, _msg(exc))
        return redirect("assessment-list")
    messages.success(request, _("考核已开始：目标备案"))
    return redirect("assessment-detail", pk=a.pk)


# --------------------------------------------------------------------------- the cycle


@login_required
@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    cities = a.cities.select_related("region").order_by("region__code")
    ctx = _ctx(request, a, cities=cities, stage_form=StageForm(initial={"stage": a.stage}))
    ctx["next_stage"] = (
        Stage(STAGE_ORDER[a.stage_index() + 1]) if a.stage_index() + 1 < len(STAGE_ORDER) else None
    )
    return render(request, "assessment/detail.html", ctx)


@login_required
@require_POST
def assessment_stage(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    form = StageForm(request.POST)
    if form.is_valid():
        stage = form.cleaned_data["stage"]
        _run(
            request,
            lambda: services.assessment_set_stage(assessment=a, user=request.user, stage=stage),
            _("已进入“%(s)s”阶段") % {"s": Stage(stage).label},
        )
    return redirect("assessment-detail", pk=a.pk)


@login_required
@require_http_methods(["GET", "POST"])
def filing(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    own = access.city_of(request.user, a)
    form = FilingForm(scheme=a.scheme)
    if request.method == "POST":
        if own is None:
            raise PermissionDenied
        form = FilingForm(request.POST, scheme=a.scheme)
        if form.is_valid():
            if _run(
                request,
                lambda: services.target_file(city=own, user=request.user, **form.cleaned_data),
                _("目标已备案"),
            ):
                return redirect("assessment-filing", pk=a.pk)
        else:
            _form_errors(request, form)
    if own is not None:
        cities = [own]
    elif access.is_office_reader(request.user, a) or access.is_assessor(request.user, a):
        cities = list(a.cities.select_related("region").order_by("region__code"))
    else:
        raise PermissionDenied
    filings = {c.pk: list(c.filings.select_related("indicator")) for c in cities}
    rows = [(c, filings[c.pk]) for c in cities]
    return render(request, "assessment/filing.html", _ctx(request, a, rows=rows, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    own = access.city_of(request.user, a)
    city_pk = request.GET.get("city")
    if own is not None:
        city = own
    elif city_pk and (access.is_office_reader(request.user, a) or access.is_assessor(request.user, a)):
        city = get_object_or_404(AssessmentCity.objects.select_related("region"), pk=city_pk, assessment=a)
    elif access.is_office_reader(request.user, a) or access.is_assessor(request.user, a):
        return render(
            request,
            "assessment/pick_city.html",
            _ctx(request, a, cities=a.cities.select_related("region"), target="assessment-self"),
        )
    else:
        raise PermissionDenied
    if request.method == "POST":
        if own is None:
            raise PermissionDenied
        entries = {}
        try:
            for row in own.scores.all():
                if f"score-{row.pk}" in request.POST:
                    value = services.parse_decimal(request.POST.get(f"score-{row.pk}"), label=_("自评分"))
                    entries[row.pk] = (value, request.POST.get(f"note-{row.pk}", "")[:2000])
        except ValidationError as exc:
            messages.error(request, _msg(exc))
        else:
            submit = request.POST.get("action") == "submit"
            if _run(
                request,
                lambda: services.self_assessment_save(
                    city=own, user=request.user, entries=entries, submit=submit
                ),
                _("自评已提交") if submit else _("自评已保存"),
            ):
                return redirect("assessment-self", pk=a.pk)
    sheet, _total = selectors.city_sheet(city)
    editable = own is not None and a.stage == Stage.SELF_ASSESSMENT
    can_attach = own is not None and a.stage in (Stage.FILING, Stage.SELF_ASSESSMENT)
    self_total = sum((line["row"].self_score or 0 for line in sheet if line["leaf"] and line["row"]), 0)
    return render(
        request,
        "assessment/self.html",
        _ctx(
            request,
            a,
            city=city,
            sheet=sheet,
            editable=editable,
            can_attach=can_attach,
            self_total=self_total,
            upload_form=UploadForm(),
        ),
    )


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int, score_pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    row = _score(request, a, score_pk)
    form = UploadForm(request.POST, request.FILES)
    back = request.POST.get("next") or reverse("assessment-self", args=[a.pk])
    if not back.startswith("/assessment/"):
        back = reverse("assessment-self", args=[a.pk])
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    _run(
        request,
        lambda: services.evidence_attach(score=row, upload=form.cleaned_data["file"], user=request.user),
        _("佐证材料已上传"),
    )
    return redirect(back)


@login_required
@require_GET
def evidence_download(request: HttpRequest, evidence_pk: int) -> FileResponse:
    ev = get_object_or_404(
        ScoreEvidence.objects.select_related("score__city__assessment", "score__indicator"), pk=evidence_pk
    )
    a = ev.score.city.assessment
    dept = access.scoring_department_id(request.user, a)
    if not (
        access.can_see_city(request.user, a, ev.score.city)
        or (dept is not None and dept == ev.score.indicator.department_id)
    ):
        raise Http404
    return FileResponse(
        ev.file.open("rb"), as_attachment=True, filename=ev.original_name, content_type=ev.content_type
    )


@login_required
@require_http_methods(["GET", "POST"])
def scoring(request: HttpRequest, pk: int) -> HttpResponse:
    """部门评分: a department scores its indicators for every city; the office sees all rows."""
    a = _assessment(request, pk)
    dept = access.scoring_department_id(request.user, a)
    office = access.is_office(request.user, a)
    if dept is None and not (office or access.is_office_reader(request.user, a)):
        raise PermissionDenied
    rows = (
        services.score_rows(a)
        .select_related("city__region", "indicator__department")
        .order_by("indicator__order", "city__region__code")
    )
    if dept is not None and not office:
        rows = rows.filter(indicator__department_id=dept)
    if request.method == "POST":
        form = ScoreForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
        else:
            row = get_object_or_404(rows, pk=form.cleaned_data["score"])
            if _run(
                request,
                lambda: services.department_score_save(
                    score=row,
                    user=request.user,
                    value=form.cleaned_data["value"],
                    note=form.cleaned_data["note"],
                ),
                _("%(city)s %(code)s 已评分") % {"city": row.city.region.name, "code": row.indicator.code},
            ):
                return redirect(reverse("assessment-scoring", args=[a.pk]) + f"#score-{row.pk}")
    editable = a.stage == Stage.DEPARTMENT_SCORING
    return render(request, "assessment/scoring.html", _ctx(request, a, rows=rows, editable=editable))


@login_required
@require_POST
def auto_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    _run(request, lambda: services.auto_scores_refresh(assessment=a, user=request.user), _("已重新自动取数"))
    return redirect("assessment-scoring", pk=a.pk)


@login_required
@require_POST
def auto_override(request: HttpRequest, pk: int, score_pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    row = _score(request, a, score_pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.auto_score_override(
                score=row,
                user=request.user,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
            ),
            _("自动得分已调整"),
        )
    else:
        _form_errors(request, form)
    return redirect(reverse("assessment-scoring", args=[a.pk]) + f"#score-{row.pk}")


@login_required
@require_GET
def verification(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    if not (access.is_assessor(request.user, a) or access.is_office_reader(request.user, a)):
        raise PermissionDenied
    city_pk = request.GET.get("city")
    if not city_pk:
        return render(
            request,
            "assessment/pick_city.html",
            _ctx(request, a, cities=a.cities.select_related("region"), target="assessment-verification"),
        )
    city = get_object_or_404(AssessmentCity.objects.select_related("region"), pk=city_pk, assessment=a)
    sheet, total = selectors.city_sheet(city)
    ctx = _ctx(
        request,
        a,
        city=city,
        sheet=sheet,
        total=total,
        editable=a.stage == Stage.VERIFICATION and access.is_assessor(request.user, a),
        veto_editable=a.stage in (Stage.VERIFICATION, Stage.FINAL) and access.is_office(request.user, a),
        veto_form=VetoForm(scheme=a.scheme),
        vetoes=city.vetoes.all(),
        upload_form=UploadForm(),
    )
    return render(request, "assessment/verification.html", ctx)


@login_required
@require_POST
def adjust(request: HttpRequest, pk: int, score_pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    row = _score(request, a, score_pk)
    form = AdjustForm(request.POST)
    if form.is_valid():
        ev = None
        if form.cleaned_data["evidence"]:
            ev = ScoreEvidence.objects.filter(pk=form.cleaned_data["evidence"], score=row).first()
        _run(
            request,
            lambda: services.adjustment_add(
                score=row,
                user=request.user,
                delta=form.cleaned_data["delta"],
                reason=form.cleaned_data["reason"],
                evidence=ev,
            ),
            _("核查调整已记录"),
        )
    else:
        _form_errors(request, form)
    return redirect(reverse("assessment-verification", args=[a.pk]) + f"?city={row.city_id}#score-{row.pk}")


@login_required
@require_POST
def adjustment_delete(request: HttpRequest, pk: int, adjustment_pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    adj = get_object_or_404(
        ScoreAdjustment.objects.select_related("score__city__assessment"),
        pk=adjustment_pk,
        score__city__assessment=a,
    )
    _run(request, lambda: services.adjustment_remove(adjustment=adj, user=request.user), _("已撤销调整"))
    return redirect(reverse("assessment-verification", args=[a.pk]) + f"?city={adj.score.city_id}")


@login_required
@require_POST
def veto(request: HttpRequest, pk: int, city_pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    city = get_object_or_404(AssessmentCity, pk=city_pk, assessment=a)
    form = VetoForm(request.POST, scheme=a.scheme)
    if form.is_valid():
        _run(
            request,
            lambda: services.veto_record(city=city, user=request.user, **form.cleaned_data),
            _("已认定一票否决"),
        )
    else:
        _form_errors(request, form)
    return redirect(reverse("assessment-verification", args=[a.pk]) + f"?city={city.pk}")


@login_required
@require_POST
def veto_delete(request: HttpRequest, pk: int, veto_pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    finding = get_object_or_404(
        VetoFinding.objects.select_related("city__assessment"), pk=veto_pk, city__assessment=a
    )
    _run(request, lambda: services.veto_remove(finding=finding, user=request.user), _("已撤销否决认定"))
    return redirect(reverse("assessment-verification", args=[a.pk]) + f"?city={finding.city_id}")


@login_required
@require_GET
def city_sheet(request: HttpRequest, pk: int, city_pk: int) -> HttpResponse:
    """The score sheet of one city: every indicator, every deduction with its reason and evidence."""
    a = _assessment(request, pk)
    city = get_object_or_404(
        AssessmentCity.objects.select_related("region", "organisation"), pk=city_pk, assessment=a
    )
    if not access.can_see_city(request.user, a, city):
        raise Http404
    if not (
        access.is_office_reader(request.user, a) or access.is_assessor(request.user, a)
    ) and not a.stage_reached(Stage.PUBLISHED):
        # a city sees its own self-assessment at once, the official sheet once published
        return redirect("assessment-self", pk=a.pk)
    sheet, total = selectors.city_sheet(city)
    rule_names = {r["code"]: r["name"] for r in a.scheme.veto_rules}
    vetoes = [(rule_names.get(v.rule_code, v.rule_code), v) for v in city.vetoes.all()]
    return render(
        request, "assessment/city.html", _ctx(request, a, city=city, sheet=sheet, total=total, vetoes=vetoes)
    )


@login_required
@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    if not access.can_see_results(request.user, a):
        raise PermissionDenied
    cities = selectors.ranking(a)
    computed = a.computed_at is not None
    data = selectors.chart_data(a, cities) if computed else {}
    ctx = _ctx(
        request,
        a,
        cities=cities,
        computed=computed,
        chart_json=json.loads(json.dumps(data, cls=DjangoJSONEncoder)),
        yoy=data.get("yoy", []),
        previous_title=data.get("previous_title", ""),
        radar=data.get("radar", {}),
    )
    return render(request, "assessment/results.html", ctx)


@login_required
@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    _run(
        request, lambda: services.assessment_compute(assessment=a, user=request.user), _("已重新计算综合得分")
    )
    return redirect("assessment-results", pk=a.pk)


@login_required
@require_GET
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    if not (access.is_office_reader(request.user, a) or access.is_assessor(request.user, a)):
        raise PermissionDenied
    response = HttpResponse(exports.results_xlsx(a), content_type=exports.XLSX)
    response["Content-Disposition"] = f"attachment; filename=assessment-{a.pk}-results.xlsx"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def bulletin(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    existing = Bulletin.objects.filter(assessment=a).first()
    if existing is None and not access.is_office_reader(request.user, a):
        raise PermissionDenied
    form = BulletinForm()
    if request.method == "POST":
        form = BulletinForm(request.POST)
        if form.is_valid():
            if _run(
                request,
                lambda: services.bulletin_publish(assessment=a, user=request.user, **form.cleaned_data),
                _("通报已发布"),
            ):
                return redirect("assessment-bulletin", pk=a.pk)
        else:
            _form_errors(request, form)
    return render(request, "assessment/bulletin.html", _ctx(request, a, bulletin=existing, form=form))


@login_required
@require_GET
def bulletin_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    a = _assessment(request, pk)
    b = get_object_or_404(
        Bulletin.objects.select_related("assessment__scheme", "assessment__region"), assessment=a
    )
    if fmt == "docx":
        response = HttpResponse(exports.bulletin_docx(b), content_type=exports.DOCX)
    elif fmt == "pdf":
        response = HttpResponse(exports.bulletin_pdf(b), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f"attachment; filename=bulletin-{a.pk}.{fmt}"
    return response


@login_required
@require_GET
def rectification(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    items = Rectification.objects.filter(city__assessment=a).select_related("city__region")
    own = access.city_of(request.user, a)
    if own is not None:
        items = items.filter(city=own)
    elif not (access.is_office_reader(request.user, a) or access.is_assessor(request.user, a)):
        raise PermissionDenied
    ctx = _ctx(
        request,
        a,
        items=items,
        report_form=RectificationReportForm(),
        decision_form=RectificationDecisionForm(),
        summon_form=SummonForm(),
        open_statuses=(RectificationStatus.OPEN, RectificationStatus.REJECTED),
    )
    return render(request, "assessment/rectification.html", ctx)


@login_required
@require_POST
def rectification_action(request: HttpRequest, pk: int, rect_pk: int, action: str) -> HttpResponse:
    a = _assessment(request, pk)
    r = get_object_or_404(
        Rectification.objects.select_related("city__assessment"), pk=rect_pk, city__assessment=a
    )
    if action == "submit":
        form = RectificationReportForm(request.POST)
        call = lambda: services.rectification_submit(rectification=r, user=request.user, **form.cleaned_data)  # noqa: E731
        ok = _("整改报告已提交")
    elif action == "decide":
        form = RectificationDecisionForm(request.POST)
        call = lambda: services.rectification_decide(rectification=r, user=request.user, **form.cleaned_data)  # noqa: E731
        ok = _("验收结论已记录")
    elif action == "summon":
        form = SummonForm(request.POST)
        call = lambda: services.rectification_summon(rectification=r, user=request.user, **form.cleaned_data)  # noqa: E731
        ok = _("已转为约谈")
    else:
        raise Http404
    if form.is_valid():
        _run(request, call, ok)
    else:
        _form_errors(request, form)
    return redirect("assessment-rectification", pk=a.pk)
