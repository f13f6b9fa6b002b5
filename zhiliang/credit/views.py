"""Office UI of the credit archive: enterprises, records, import. Queues and lists are in views_queues.py.

Every view needs a login; writes are checked by the services through ``credit.access`` (403 on refusal).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhiliang.credit import access, services
from zhiliang.credit.forms import (
    CreditRecordForm,
    EnterpriseFilterForm,
    EnterpriseRegisterForm,
    ImportForm,
    RevokeForm,
)
from zhiliang.credit.grading import grade_enterprise
from zhiliang.credit.imports import COLUMNS, credit_records_import
from zhiliang.credit.models import (
    CreditRecord,
    Enterprise,
    EnterpriseGrade,
    GradingScheme,
    ListEntry,
    Objection,
    RecordEvent,
    RepairApplication,
)
from zhiliang.departments.models import Department, DepartmentKind
from zhiliang.regions.models import Region


def require_credit_view(request: HttpRequest) -> None:
    if not access.can_view_credit(request.user):
        raise PermissionDenied(_("无权查看质量信用档案"))


def writable_sources(user) -> tuple[QuerySet[Department], QuerySet[Region]]:
    """Departments and regions the user may name as a source (for form choices)."""
    scope = access.credit_scope(user)
    if scope is None:
        return Department.objects.none(), Region.objects.none()
    department_id, region_ids = scope
    departments = Department.objects.exclude(kind=DepartmentKind.COLLECTIVE)
    if department_id is not None:
        departments = departments.filter(pk=department_id)
    regions = Region.objects.all() if region_ids is None else Region.objects.filter(pk__in=region_ids)
    return departments, regions


def default_source(user) -> dict:
    from zhiliang.accounts.access import membership_of

    membership = membership_of(user)
    if membership is None:
        return {}
    organisation = membership.organisation
    initial = {"source_region": organisation.region_id}
    if organisation.department_id and organisation.department.code != "QUALITY_OFFICE":
        initial["source_department"] = organisation.department_id
        initial["source_authority"] = organisation.name
    return initial


@login_required
@require_GET
def enterprises_list(request: HttpRequest) -> HttpResponse:
    require_credit_view(request)
    filters = EnterpriseFilterForm(request.GET or None)
    enterprises = Enterprise.objects.with_current_grade().select_related("region")
    if filters.is_valid():
        q = filters.cleaned_data["q"]
        if q:
            enterprises = enterprises.search(q)
        if filters.cleaned_data["grade"]:
            enterprises = enterprises.filter(
                grades__is_current=True,
                grades__scheme__is_default=True,
                grades__grade=filters.cleaned_data["grade"],
            )
        if filters.cleaned_data["listed"]:
            listed = ListEntry.objects.current().filter(kind=filters.cleaned_data["listed"])
            enterprises = enterprises.filter(pk__in=listed.values("enterprise_id"))
    page = Paginator(enterprises.order_by("name", "pk"), 50).get_page(request.GET.get("page"))
    listed_kinds: dict[int, set[str]] = {}
    for enterprise_id, kind in (
        ListEntry.objects.current()
        .filter(enterprise_id__in=[e.pk for e in page])
        .values_list("enterprise_id", "kind")
    ):
        listed_kinds.setdefault(enterprise_id, set()).add(kind)
    rows = [
        {"enterprise": e, "grade": e.current_grade(), "lists": listed_kinds.get(e.pk, set())} for e in page
    ]
    scheme = GradingScheme.objects.filter(is_default=True).first()
    ctx = {
        "filters": filters,
        "page": page,
        "rows": rows,
        "scheme": scheme,
        "can_write": access.can_write_any_record(request.user),
    }
    template = "credit/enterprises.html#enterprise-table" if request.htmx else "credit/enterprises.html"
    return render(request, template, ctx)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_new(request: HttpRequest) -> HttpResponse:
    require_credit_view(request)
    if not access.can_write_any_record(request.user):
        raise PermissionDenied(_("无权登记企业"))
    form = EnterpriseRegisterForm(request.POST or None)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enterprise = services.enterprise_register(
                uscc=data["uscc"],
                name=data["name"],
                actor=request.user,
                address=data["address"],
                legal_representative=data["legal_representative"],
                former_names=form.former_name_list(),
                accept_warning=data["accept_warning"],
            )
        except services.UsccWarningNotAccepted as exc:
            warnings = list(exc.result.warnings)
        except ValidationError as exc:
            for field, errors in (
                exc.message_dict.items() if hasattr(exc, "error_dict") else [("uscc", exc.messages)]
            ):
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("已登记 %(name)s") % {"name": enterprise.name})
            return redirect("credit-enterprise-detail", uscc=enterprise.uscc)
    ctx = {
        "form": form,
        "warnings": warnings,
        "can_accept": access.can_accept_uscc_warning(request.user),
    }
    return render(request, "credit/enterprise_new.html", ctx)


@login_required
@require_GET
def enterprise_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    require_credit_view(request)
    enterprise = get_object_or_404(
        Enterprise.objects.select_related("region", "uscc_warning_accepted_by"), uscc=uscc
    )
    records = list(
        enterprise.records.select_related(
            "record_type", "source_department", "source_region"
        ).prefetch_related(
            Prefetch("objections", queryset=Objection.objects.order_by("-filed_at")),
            Prefetch("repairs", queryset=RepairApplication.objects.order_by("-filed_at")),
        )
    )
    for record in records:
        record.can_write = access.can_write_record(request.user, record)
        record.public_now = record.is_public_on()
    grades = list(EnterpriseGrade.objects.filter(enterprise=enterprise).select_related("scheme"))
    current_grades = [g for g in grades if g.is_current]
    record_ids = {r.pk for r in records}
    for grade in current_grades:
        grade.contributions = grade.basis.get("contributions", [])
        grade.excluded = grade.basis.get("excluded", [])
        grade.steps = grade.basis.get("steps", [])
    entries = list(enterprise.list_entries.select_related("criterion", "source_record__record_type"))
    for entry in entries:
        entry.current = entry.is_current_on()
        entry.can_write = access.can_decide_list_entry(request.user, entry)
    events = enterprise.events.select_related("record__record_type").order_by("-at", "-pk")
    ctx = {
        "enterprise": enterprise,
        "records": records,
        "record_ids": record_ids,
        "current_grades": current_grades,
        "grade_history": [g for g in grades if not g.is_current],
        "entries": entries,
        "events": events,
        "can_write": access.can_write_any_record(request.user),
        "revoke_form": RevokeForm(),
    }
    return render(request, "credit/enterprise_detail.html", ctx)


@login_required
@require_POST
def enterprise_regrade(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = get_object_or_404(Enterprise, uscc=uscc)
    if not access.can_write_any_record(request.user):
        raise PermissionDenied(_("无权重新评级"))
    Enterprise.objects.filter(pk=enterprise.pk).update(needs_regrade=False)
    grade_enterprise(enterprise=enterprise)
    messages.success(request, _("已重新评级"))
    return redirect("credit-enterprise-detail", uscc=uscc)


@login_required
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest, uscc: str) -> HttpResponse:
    require_credit_view(request)
    enterprise = get_object_or_404(Enterprise, uscc=uscc)
    if not access.can_write_any_record(request.user):
        raise PermissionDenied(_("无权录入信用记录"))
    departments, regions = writable_sources(request.user)
    form = CreditRecordForm(
        request.POST or None, departments=departments, regions=regions, initial=default_source(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.credit_record_create(
                enterprise=enterprise,
                actor=request.user,
                record_type=data["record_type"],
                source_department=data["source_department"],
                source_region=data["source_region"],
                source_authority=data["source_authority"],
                occurred_on=data["occurred_on"],
                published_from=data["published_from"],
                display_until=data["display_until"],
                decision_number=data["decision_number"],
                title=data["title"],
                product=data["product"],
                result=data["result"],
                sector=data["sector"],
                is_public=data["is_public"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("已录入信用记录，评级将在后台更新"))
            return redirect("credit-enterprise-detail", uscc=uscc)
    return render(request, "credit/record_new.html", {"enterprise": enterprise, "form": form})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


@login_required
@require_POST
def record_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(CreditRecord.objects.select_related("enterprise"), pk=pk)
    form = RevokeForm(request.POST)
    if not access.can_write_record(request.user, record):
        raise PermissionDenied(_("只有记录的来源部门可以撤销记录"))
    if form.is_valid():
        try:
            services.credit_record_revoke(
                record=record, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已撤销记录"))
    else:
        messages.error(request, _("请填写撤销理由"))
    return redirect("credit-enterprise-detail", uscc=record.enterprise.uscc)


@login_required
@require_http_methods(["GET", "POST"])
def records_import(request: HttpRequest) -> HttpResponse:
    require_credit_view(request)
    if not access.can_write_any_record(request.user):
        raise PermissionDenied(_("无权导入信用记录"))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = credit_records_import(
            data=upload.read(),
            file_name=upload.name,
            actor=request.user,
            accept_warnings=form.cleaned_data["accept_warnings"],
        )
        if report.ok:
            messages.success(
                request,
                _("已导入 %(records)d 条记录，新登记 %(enterprises)d 家企业，并已评级")
                % {"records": report.created_records, "enterprises": report.created_enterprises},
            )
    graded = []
    if report is not None and report.ok:
        by_uscc = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=list(report.grades))}
        graded = [(by_uscc[u], g) for u, g in sorted(report.grades.items()) if u in by_uscc]
    ctx = {
        "form": form,
        "report": report,
        "graded": graded[:200],
        "columns": [names[0] for names in COLUMNS.values()],
        "can_accept": access.can_accept_uscc_warning(request.user),
        "recent_events": RecordEvent.objects.filter(
            kind=RecordEvent.Kind.IMPORTED, actor=request.user
        ).count(),
    }
    status = 400 if report is not None and report.errors else 200
    return render(request, "credit/import.html", ctx, status=status)
