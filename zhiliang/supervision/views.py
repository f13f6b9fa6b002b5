"""Supervision pages: issue a plan, the office's work-item list, a unit's dashboard, one work item.

Every page works without JavaScript (plain forms, POST → redirect). Objects a user may not read
are 404; actions a user may not take on an object they can read are 403 (services check again).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhiliang.accounts.access import membership_of, visible_region_ids
from zhiliang.plans.models import Plan, Target, TargetBreakdown
from zhiliang.supervision import access, services
from zhiliang.supervision.excel import ProgressImportError, progress_import_xlsx, work_items_export_xlsx
from zhiliang.supervision.forms import (
    CloseForm,
    ConsolidateForm,
    EvidenceForm,
    ImportForm,
    IssueForm,
    ReportForm,
    ReviewForm,
    WorkItemFilterForm,
)
from zhiliang.supervision.models import (
    DisplayStatus,
    Evidence,
    ProgressReport,
    ReportStatus,
    TimelineEvent,
    WorkItem,
)

ITEMS_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _messages_of(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _visible_item(request: HttpRequest, pk: int) -> WorkItem:
    return get_object_or_404(
        WorkItem.objects.for_user(request.user).select_related(
            "task__plan__region",
            "task__section",
            "organisation__region",
            "lead_item__organisation",
            "schedule",
        ),
        pk=pk,
    )


def _visible_report(request: HttpRequest, pk: int) -> ProgressReport:
    return get_object_or_404(
        ProgressReport.objects.for_user(request.user).select_related(
            "work_item__task__plan", "work_item__organisation", "report_due"
        ),
        pk=pk,
    )


def _item_url(item: WorkItem) -> str:
    return reverse("supervision-item", args=[item.pk])


# --------------------------------------------------------------------------- landing pages


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    if access.is_office_user(request.user):
        return redirect("supervision-items")
    if access.is_unit_user(request.user):
        return redirect("supervision-dashboard")
    raise PermissionDenied(_("您的账号没有督查督办权限"))


def _attach_status_badges(buckets: dict[str, list]) -> None:
    """Give every work item in the unit dashboard's lists its rendered status badge.

    The badge markup lives in ``supervision/_status.html``; it is rendered once per distinct
    status (at most seven) instead of once per row, and the rows print the result.
    """
    badges: dict[DisplayStatus, str] = {}
    for key in ("to_sign", "returned", "to_report", "overdue"):
        for item in buckets.get(key, ()):
            status = item.display_status()
            if status not in badges:
                badges[status] = render_to_string("supervision/_status.html", {"status": status})
            item.status_badge = badges[status]


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """A unit's own to-do list: sign, report, fix, review, consolidate; each in due-date order."""
    membership = membership_of(request.user)
    if membership is None or not access.is_unit_user(request.user):
        raise PermissionDenied(_("单位工作台仅供责任单位使用"))
    buckets = services.unit_dashboard_items(membership.organisation)
    _attach_status_badges(buckets)
    ctx = {
        "organisation": membership.organisation,
        "buckets": buckets,
        "counts": {k: len(v) for k, v in buckets.items()},
        "is_leader": membership.role == "department_leader",
        "can_import": membership.role in access.REPORTING_ROLES,
        "today": timezone.localdate(),
    }
    return render(request, "supervision/dashboard.html", ctx)


@require_GET
@login_required
def items_list(request: HttpRequest) -> HttpResponse:
    """The office's list of work items, with filters and a count per status."""
    if not access.is_office_user(request.user):
        raise PermissionDenied(_("督办事项总览仅供质量办使用"))
    visible = WorkItem.objects.for_user(request.user).with_display_status()
    form = WorkItemFilterForm(request.GET or None, items=visible)
    filtered = form.filter(visible)
    counts_form = WorkItemFilterForm({k: v for k, v in request.GET.items() if k != "status"}, items=visible)
    counts = counts_form.filter(visible).status_counts()
    items = filtered.select_related("task__plan", "organisation").order_by("next_due_on", "due_date", "pk")
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    issuable = Plan.objects.visible_to_regions(visible_region_ids(request.user)).filter(
        reporting_schedule__isnull=True
    )
    ctx = {
        "form": form,
        "page": page,
        "items": page.object_list,
        "counts": [(s, counts[s.value]) for s in DisplayStatus],
        "total": sum(counts.values()),
        "issuable": [
            p
            for p in issuable.select_related("region", "source")[:50]
            if access.can_issue_plan(request.user, p)
        ],
        "can_manage": access.is_office_admin(request.user),
        "query": request.GET.urlencode(),
    }
    return render(request, "supervision/items.html", ctx)


# --------------------------------------------------------------------------- issuing


@require_http_methods(["GET", "POST"])
@login_required
def plan_issue(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.visible_to_regions(visible_region_ids(request.user)), pk=plan_id)
    if not access.can_issue_plan(request.user, plan):
        raise PermissionDenied(_("只有本地区质量办管理员可以下发计划"))
    preview = services.plan_issue_preview(plan=plan)
    initial = {"default_due_date": f"{plan.year or timezone.localdate().year}-12-31"}
    form = IssueForm(
        request.POST or None, initial=initial, unmatched=preview.unmatched, candidates=preview.candidates
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.plan_issue(
                plan=plan,
                kind=form.cleaned_data["kind"],
                dates=form.cleaned_data["dates"],
                default_due_date=form.cleaned_data["default_due_date"],
                mapping=form.mapping(),
                user=request.user,
            )
        except ValidationError as exc:
            messages.error(request, _messages_of(exc))
        else:
            messages.success(
                request,
                _("已下发 %(n)d 个督办事项；跳过 %(s)d 个单位")
                % {"n": len(result.created), "s": len(result.skipped)},
            )
            return redirect(reverse("supervision-items") + f"?plan={plan.pk}")
    ctx = {"plan": plan, "preview": preview, "form": form}
    return render(request, "supervision/issue.html", ctx)


# --------------------------------------------------------------------------- one work item


def _report_form(item: WorkItem, report: ProgressReport | None, data=None) -> ReportForm:  # noqa: ANN001
    targets = list(
        Target.objects.filter(task_id=item.task_id)
        .order_by("order")
        .prefetch_related(Prefetch("breakdown", queryset=TargetBreakdown.objects.order_by("pk")))
    )
    region_id = item.organisation.region_id if item.organisation.kind == "government" else None
    initial = {}
    if report is not None:
        initial = {"percent": report.percent, "narrative": report.narrative}
        for tp in report.target_progress.all():
            initial[f"actual_{tp.target_id}_{tp.breakdown_id or 'total'}"] = tp.actual.normalize()
    return ReportForm(data, targets=targets, region_id=region_id, initial=initial)


@require_GET
@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible_item(request, pk)
    user = request.user
    due = services.current_report_due(item)
    current = getattr(due, "report", None) if due else None
    reports = (
        item.reports.select_related("report_due", "submitted_by")
        .prefetch_related(
            "evidence", "decisions__decided_by", "target_progress__target", "target_progress__breakdown"
        )
        .order_by("-report_due__due_on")
    )
    visible_items = WorkItem.objects.for_user(user).filter(task_id=item.task_id)
    timeline = (
        TimelineEvent.objects.for_task(item.task)
        .filter(work_item__in=visible_items)
        .select_related("actor", "work_item__organisation")
        .order_by("-at", "-pk")
    )
    can_report = access.can_report(user, item)
    ctx = {
        "item": item,
        "status": item.display_status(),
        "due": due,
        "current": current,
        "reports": reports,
        "dues": item.report_dues.all(),
        "timeline": timeline,
        "siblings": visible_items.exclude(pk=item.pk).select_related("organisation").with_display_status(),
        "can_report": can_report,
        "can_leader_review": access.can_leader_review(user, item),
        "can_manage": access.can_manage_work_item(user, item),
        "report_form": _report_form(item, current) if can_report and due else None,
        "evidence_form": EvidenceForm() if can_report else None,
        "review_form": ReviewForm(),
        "close_form": CloseForm(),
        "consolidation": services.consolidation_candidates(item) if item.is_consolidating else [],
        "consolidated": ProgressReport.objects.filter(consolidated_into__work_item=item).select_related(
            "work_item__organisation", "report_due"
        ),
        "ReportStatus": ReportStatus,
    }
    return render(request, "supervision/item.html", ctx)


def _run(request: HttpRequest, item: WorkItem, action, success: str) -> HttpResponse:  # noqa: ANN001
    try:
        action()
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, success)
    return redirect(_item_url(item))


@require_POST
@login_required
def item_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible_item(request, pk)
    if not access.can_report(request.user, item):
        raise PermissionDenied(_("只有责任单位联络员可以签收"))
    return _run(
        request, item, lambda: services.work_item_acknowledge(item=item, user=request.user), _("已签收")
    )


@require_POST
@login_required
def report_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the current report as a draft; with ``action=submit`` also send it on."""
    item = _visible_item(request, pk)
    if not access.can_report(request.user, item):
        raise PermissionDenied(_("只有责任单位联络员可以填报"))
    due = services.current_report_due(item)
    form = _report_form(item, getattr(due, "report", None) if due else None, request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return redirect(_item_url(item))

    def act() -> None:
        report = services.progress_report_save(
            item=item,
            user=request.user,
            percent=form.cleaned_data["percent"],
            narrative=form.cleaned_data["narrative"],
            actuals=form.actuals(),
            report_due=due,
        )
        if request.POST.get("action") == "submit":
            services.progress_report_submit(report=report, user=request.user)

    done = _("报告已提交") if request.POST.get("action") == "submit" else _("报告已保存")
    return _run(request, item, act, done)


@require_POST
@login_required
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    if not access.can_report(request.user, report.work_item):
        raise PermissionDenied(_("只有责任单位联络员可以提交"))
    return _run(
        request,
        report.work_item,
        lambda: services.progress_report_submit(report=report, user=request.user),
        _("报告已提交"),
    )


@require_POST
@login_required
def report_consolidate(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead unit gathers assisting units' reports into its current draft (created if needed)."""
    item = _visible_item(request, pk)
    if not access.can_consolidate(request.user, item):
        raise PermissionDenied(_("只有牵头单位联络员可以汇总配合单位报告"))
    form = ConsolidateForm(request.POST, candidates=services.consolidation_candidates(item))
    if not form.is_valid():
        messages.error(request, _("请选择要汇总的配合单位报告"))
        return redirect(_item_url(item))

    def act() -> None:
        due = services.current_report_due(item)
        report = getattr(due, "report", None) if due else None
        if report is None:
            report = services.progress_report_save(item=item, user=request.user, percent=None, narrative="")
        chosen = list(ProgressReport.objects.filter(pk__in=form.cleaned_data["reports"]))
        services.progress_report_consolidate(report=report, assist_reports=chosen, user=request.user)

    return _run(request, item, act, _("已汇总配合单位报告，请核对后提交"))


def _review(request: HttpRequest, pk: int, *, stage: str) -> HttpResponse:
    """One review step (department leader or office): approve, or return with a reason."""
    report = _visible_report(request, pk)
    if stage == "leader":
        allowed = access.can_leader_review(request.user, report.work_item)
        denied, approve, give_back = (
            _("只有本部门审核人可以审核"),
            services.report_leader_approve,
            services.report_leader_return,
        )
        approved = _("审核通过，已报质量办")
    else:
        allowed = access.can_manage_work_item(request.user, report.work_item)
        denied, approve, give_back = (
            _("只有本地区质量办管理员可以审核"),
            services.report_office_accept,
            services.report_office_return,
        )
        approved = _("已采纳")
    if not allowed:
        raise PermissionDenied(denied)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("退回时请填写理由"))
        return redirect(_item_url(report.work_item))
    if form.cleaned_data["decision"] == "approve":
        return _run(request, report.work_item, lambda: approve(report=report, user=request.user), approved)
    reason = form.cleaned_data["reason"]
    return _run(
        request,
        report.work_item,
        lambda: give_back(report=report, user=request.user, reason=reason),
        _("已退回"),
    )


@require_POST
@login_required
def report_leader_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, stage="leader")


@require_POST
@login_required
def report_office_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, stage="office")


@require_POST
@login_required
def item_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible_item(request, pk)
    if not access.can_manage_work_item(request.user, item):
        raise PermissionDenied(_("只有本地区质量办管理员可以办结"))
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(_item_url(item))
    return _run(
        request,
        item,
        lambda: services.work_item_close(
            item=item, user=request.user, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
        ),
        _("已办结"),
    )


# --------------------------------------------------------------------------- evidence


@require_POST
@login_required
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a file to the current report (a draft is created if the unit has not saved one yet)."""
    item = _visible_item(request, pk)
    if not access.can_report(request.user, item):
        raise PermissionDenied(_("只有责任单位联络员可以上传佐证材料"))
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件"))
        return redirect(_item_url(item))

    def act() -> None:
        due = services.current_report_due(item)
        report = getattr(due, "report", None) if due else None
        if report is None:
            report = services.progress_report_save(item=item, user=request.user, percent=None, narrative="")
        services.evidence_attach(report=report, upload=form.cleaned_data["file"], user=request.user)

    return _run(request, item, act, _("佐证材料已上传"))


@require_GET
@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(
        Evidence.objects.filter(report__work_item__in=WorkItem.objects.for_user(request.user)), pk=pk
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("文件不存在")) from exc
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name)
    response["Content-Type"] = evidence.content_type
    return response


@require_POST
@login_required
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(
        Evidence.objects.filter(report__work_item__in=WorkItem.objects.for_user(request.user)).select_related(
            "report__work_item"
        ),
        pk=pk,
    )
    item = evidence.report.work_item
    if not access.can_report(request.user, item):
        raise PermissionDenied(_("只有责任单位联络员可以删除佐证材料"))
    return _run(
        request, item, lambda: services.evidence_remove(evidence=evidence, user=request.user), _("已删除")
    )


# --------------------------------------------------------------------------- Excel round trip


@require_GET
@login_required
def items_export(request: HttpRequest) -> HttpResponse:
    """The fill-in workbook: a unit gets its own items; the office gets the filtered list."""
    user = request.user
    items = WorkItem.objects.for_user(user)
    if access.is_office_user(user):
        if not access.is_office_admin(user):
            raise PermissionDenied(_("领导查阅账号不能导出填报表"))
        form = WorkItemFilterForm(request.GET or None, items=items.with_display_status())
        items = form.filter(items.with_display_status())
    else:
        membership = membership_of(user)
        if membership is None or membership.role not in access.REPORTING_ROLES:
            raise PermissionDenied(_("只有责任单位联络员可以导出填报表"))
        items = items.filter(organisation_id=membership.organisation_id)
    data = work_items_export_xlsx(items=items)
    response = HttpResponse(data, content_type=XLSX)
    name = f"进展填报-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@require_http_methods(["GET", "POST"])
@login_required
def items_import(request: HttpRequest) -> HttpResponse:
    user = request.user
    membership = membership_of(user)
    allowed = access.is_office_admin(user) or (
        membership is not None and membership.role in access.REPORTING_ROLES
    )
    if not allowed:
        raise PermissionDenied(_("只有质量办管理员或责任单位联络员可以导入进展"))
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = progress_import_xlsx(
                data=form.cleaned_data["file"].read(), user=user, submit=form.cleaned_data["submit"]
            )
        except ProgressImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("已导入 %(n)d 份报告，其中提交 %(s)d 份")
                % {"n": len(result.reports), "s": result.submitted},
            )
            return redirect("supervision-home")
    return render(request, "supervision/import.html", {"form": form, "errors": errors})
