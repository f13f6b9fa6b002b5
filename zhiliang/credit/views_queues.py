"""Office UI: objection and repair queues, red/black list decisions, grading schemes, exchange tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhiliang.accounts.access import writable_region_ids
from zhiliang.credit import access, lists, services
from zhiliang.credit.forms import DecisionForm, ListEntryForm, ListRemoveForm, TokenForm
from zhiliang.credit.models import (
    CreditRecord,
    DecisionStatus,
    Enterprise,
    ExchangeToken,
    GradingScheme,
    ListCriterion,
    ListEntry,
    Objection,
    RecordType,
    RepairApplication,
)
from zhiliang.credit.views import default_source, require_credit_view, writable_sources
from zhiliang.regions.models import Region


def _scope_q(user, prefix: str) -> Q | None:
    """A filter on ``<prefix>source_department``/``source_region`` for what *user* may decide; None = nothing."""
    scope = access.credit_scope(user)
    if scope is None:
        return None
    department_id, region_ids = scope
    q = Q()
    if department_id is not None:
        q &= Q(**{f"{prefix}source_department_id": department_id})
    if region_ids is not None:
        q &= Q(**{f"{prefix}source_region_id__in": region_ids})
    return q


def _status_filter(request: HttpRequest) -> str:
    status = request.GET.get("status", DecisionStatus.PENDING)
    return status if status in DecisionStatus.values else DecisionStatus.PENDING


@login_required
@require_GET
def objections_queue(request: HttpRequest) -> HttpResponse:
    require_credit_view(request)
    status = _status_filter(request)
    scope = _scope_q(request.user, "record__")
    objections = Objection.objects.none() if scope is None else Objection.objects.filter(scope, status=status)
    objections = objections.select_related("record__enterprise", "record__record_type", "decided_by")[:200]
    ctx = {
        "objections": objections,
        "status": status,
        "form": DecisionForm(),
        "statuses": DecisionStatus.choices,
    }
    return render(request, "credit/objections.html", ctx)


@login_required
@require_POST
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(Objection.objects.select_related("record__enterprise"), pk=pk)
    if not access.can_write_record(request.user, objection.record):
        raise PermissionDenied(_("只有记录的来源部门可以处理异议"))
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.objection_decide(
                objection=objection,
                actor=request.user,
                upheld=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已处理异议"))
    else:
        messages.error(request, _("请选择处理结果并填写处理意见"))
    return redirect("credit-objections")


@login_required
@require_GET
def repairs_queue(request: HttpRequest) -> HttpResponse:
    require_credit_view(request)
    status = _status_filter(request)
    record_scope = _scope_q(request.user, "record__")
    entry_scope = _scope_q(request.user, "list_entry__")
    if record_scope is None:
        repairs = RepairApplication.objects.none()
    else:
        repairs = RepairApplication.objects.filter(
            (Q(record__isnull=False) & record_scope) | (Q(list_entry__isnull=False) & entry_scope),
            status=status,
        )
    repairs = repairs.select_related(
        "record__enterprise",
        "record__record_type",
        "list_entry__enterprise",
        "list_entry__criterion",
        "decided_by",
    )[:200]
    ctx = {"repairs": repairs, "status": status, "form": DecisionForm(), "statuses": DecisionStatus.choices}
    return render(request, "credit/repairs.html", ctx)


@login_required
@require_POST
def repair_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        RepairApplication.objects.select_related("record__enterprise", "list_entry__enterprise"), pk=pk
    )
    allowed = (
        access.can_write_record(request.user, application.record)
        if application.record_id
        else access.can_decide_list_entry(request.user, application.list_entry)
    )
    if not allowed:
        raise PermissionDenied(_("只有作出决定的部门可以处理信用修复申请"))
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.repair_decide(
                application=application,
                actor=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                effective_on=form.cleaned_data["effective_on"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已处理信用修复申请"))
    else:
        messages.error(request, _("请选择处理结果并填写处理意见"))
    return redirect("credit-repairs")


@login_required
@require_GET
def lists_view(request: HttpRequest) -> HttpResponse:
    require_credit_view(request)
    kind = request.GET.get("kind", "")
    entries = ListEntry.objects.current().select_related(
        "enterprise", "criterion", "source_record__record_type"
    )
    if kind in ("red", "black"):
        entries = entries.filter(kind=kind)
    entries = list(entries[:500])
    for entry in entries:
        entry.can_write = access.can_decide_list_entry(request.user, entry)
    scope = access.credit_scope(request.user)
    candidates = []
    if scope is not None:
        candidates = lists.list_candidates(kind=kind or None, region_ids=scope[1])
        if scope[0] is not None:
            candidates = [c for c in candidates if any(r.source_department_id == scope[0] for r in c.records)]
    ctx = {
        "entries": entries,
        "candidates": candidates[:200],
        "kind": kind,
        "criteria": ListCriterion.objects.all(),
        "remove_form": ListRemoveForm(),
        "can_write": scope is not None,
    }
    return render(request, "credit/lists.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def list_entry_new(request: HttpRequest) -> HttpResponse:
    require_credit_view(request)
    if not access.can_write_any_record(request.user):
        raise PermissionDenied(_("无权作出列入决定"))
    departments, regions = writable_sources(request.user)
    initial = default_source(request.user)
    record = None
    if request.GET.get("record"):
        record = CreditRecord.objects.select_related("enterprise").filter(pk=request.GET["record"]).first()
        if record is not None:
            initial.update(
                uscc=record.enterprise.uscc,
                source_record=record.pk,
                source_department=record.source_department_id,
                source_region=record.source_region_id,
                source_authority=record.source_authority,
            )
    for key in ("kind", "criterion", "uscc"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    form = ListEntryForm(request.POST or None, departments=departments, regions=regions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = Enterprise.objects.filter(uscc=data["uscc"].strip().upper()).first()
        source_record = None
        if data["source_record"]:
            source_record = CreditRecord.objects.filter(pk=data["source_record"]).first()
        if enterprise is None:
            form.add_error("uscc", _("档案中没有该企业"))
        else:
            try:
                lists.list_entry_create(
                    enterprise=enterprise,
                    kind=data["kind"],
                    actor=request.user,
                    reason=data["reason"],
                    source_department=data["source_department"],
                    source_region=data["source_region"],
                    source_authority=data["source_authority"],
                    criterion=data["criterion"],
                    source_record=source_record,
                    listed_on=data["listed_on"],
                    expires_on=data["expires_on"],
                )
            except ValidationError as exc:
                for error in exc.messages:
                    form.add_error(None, error)
            else:
                messages.success(request, _("已作出列入决定"))
                return redirect("credit-enterprise-detail", uscc=enterprise.uscc)
    return render(request, "credit/list_entry_new.html", {"form": form, "record": record})


@login_required
@require_POST
def list_entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(ListEntry.objects.select_related("enterprise"), pk=pk)
    if not access.can_decide_list_entry(request.user, entry):
        raise PermissionDenied(_("只有作出列入决定的部门可以移出"))
    form = ListRemoveForm(request.POST)
    if form.is_valid():
        try:
            lists.list_entry_remove(
                entry=entry,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                removed_on=form.cleaned_data["removed_on"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已移出名单"))
    else:
        messages.error(request, _("请填写移出理由"))
    return redirect("credit-enterprise-detail", uscc=entry.enterprise.uscc)


@login_required
@require_GET
def schemes_view(request: HttpRequest) -> HttpResponse:
    require_credit_view(request)
    ctx = {
        "schemes": GradingScheme.objects.all(),
        "record_types": RecordType.objects.all(),
        "criteria": ListCriterion.objects.all(),
    }
    return render(request, "credit/schemes.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def tokens_view(request: HttpRequest) -> HttpResponse:
    require_credit_view(request)
    if not access.can_run_grading(request.user):  # office admins and superusers
        raise PermissionDenied(_("只有质量办管理员可以管理数据交换令牌"))
    region_ids = writable_region_ids(request.user)
    regions = Region.objects.all() if region_ids is None else Region.objects.filter(pk__in=region_ids)
    form = TokenForm(request.POST or None, regions=regions)
    new_key = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _token, new_key = services.exchange_token_create(
                actor=request.user,
                name=data["name"],
                department=data["department"],
                region=data["region"],
                source_authority=data["source_authority"],
                record_types=data["record_types"],
            )
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
        else:
            form = TokenForm(regions=regions)
    tokens = ExchangeToken.objects.select_related("department", "region").prefetch_related("record_types")
    if region_ids is not None:
        tokens = tokens.filter(region_id__in=region_ids)
    return render(request, "credit/tokens.html", {"form": form, "tokens": tokens, "new_key": new_key})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ExchangeToken, pk=pk)
    services.exchange_token_revoke(token=token, actor=request.user)
    messages.success(request, _("已停用令牌"))
    return redirect("credit-tokens")
