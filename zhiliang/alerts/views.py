"""Alerts pages: my notifications, the office dashboard, the progress report, 督办单 / 催办单.

Objects a user may not read are 404; pages or actions their role does not allow are 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhiliang.accounts.access import membership_of
from zhiliang.alerts import dashboards, documents, reports, services
from zhiliang.alerts.forms import NoticeForm, PeriodForm
from zhiliang.alerts.models import Notification, SupervisionNotice
from zhiliang.plans.models import Plan
from zhiliang.supervision import access
from zhiliang.supervision.models import WorkItem

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe (and the benchmark's floor): no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


# --------------------------------------------------------------------------- notifications


@require_GET
@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")[:100]
    ctx = {
        "notifications": rows,
        "unread": Notification.objects.filter(user=request.user).unread().count(),
    }
    return render(request, "alerts/notifications.html", ctx)


@require_POST
@login_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("id", "")
    services.notification_mark_read(user=request.user, notification_id=int(raw) if raw.isdigit() else None)
    return redirect("alerts-notifications")


# --------------------------------------------------------------------------- office dashboard


def _office_only(request: HttpRequest) -> None:
    if not access.is_office_user(request.user):
        raise PermissionDenied(_("督办统计仅供质量办使用"))


def _overseen_plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    if not access.office_oversees(request.user, plan, roles=access.OFFICE_ROLES):
        raise Http404
    return plan


@require_GET
@login_required
def office_index(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    today = timezone.localdate()
    plans = dashboards.office_plans(WorkItem.objects.for_user(request.user), on=today)
    if len(plans) == 1:
        return redirect("alerts-office-plan", plan_id=plans[0]["task__plan_id"])
    return render(request, "alerts/office_index.html", {"plans": plans, "today": today})


@require_GET
@login_required
def office_dashboard(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Completion by section, unit and city; overdue and returned lists; traffic lights; charts."""
    _office_only(request)
    plan = _overseen_plan(request, plan_id)
    today = timezone.localdate()
    # _overseen_plan checked the office oversees this plan, so every item of the plan is visible.
    data = dashboards.office_dashboard(plan=plan, on=today)
    ctx = {
        "plan": plan,
        "today": today,
        "can_issue": request.user.is_superuser
        or getattr(membership_of(request.user), "role", "") == "office_admin",
        "period_form": PeriodForm(initial={"period": f"{today.year}Q{(today.month - 1) // 3 + 1}"}),
        **data,
    }
    return render(request, "alerts/office_dashboard.html", ctx)


@require_GET
@login_required
def progress_report(request: HttpRequest, plan_id: int, fmt: str) -> HttpResponse:
    """季度 / 年度落实情况 of a plan, from the reports the office accepted in the period."""
    _office_only(request)
    plan = _overseen_plan(request, plan_id)
    form = PeriodForm(request.GET)
    if not form.is_valid():
        messages.error(request, "；".join(form.errors.get("period", [_("请填写报告期")])))
        return redirect("alerts-office-plan", plan_id=plan.pk)
    period = form.cleaned_data["period"]
    sections = reports.progress_report_assemble(
        plan=plan, period=period, items=WorkItem.objects.for_user(request.user)
    )
    name = f"{plan.title or plan.pk}{period.label}落实情况"
    if fmt == "docx":
        data = reports.progress_report_docx(plan=plan, period=period, sections=sections)
        return _download(data, DOCX, f"{name}.docx")
    data = reports.progress_report_xlsx(plan=plan, period=period, sections=sections)
    return _download(data, XLSX, f"{name}.xlsx")


# --------------------------------------------------------------------------- 督办单 / 催办单


def _visible_item(request: HttpRequest, pk: int) -> WorkItem:
    return get_object_or_404(
        WorkItem.objects.for_user(request.user).select_related("task__plan", "organisation"), pk=pk
    )


@require_http_methods(["GET", "POST"])
@login_required
def notice_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible_item(request, pk)
    if not access.can_manage_work_item(request.user, item):
        raise PermissionDenied(_("只有本地区质量办管理员可以发督办单"))
    form = NoticeForm(request.POST or None, initial=NoticeForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.supervision_notice_issue(
                work_item=item,
                user=request.user,
                kind=form.cleaned_data["kind"],
                due_by=form.cleaned_data["due_by"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            messages.success(request, _("已发出 %(number)s") % {"number": notice.number})
            return redirect(reverse("alerts-notices", args=[item.pk]))
    ctx = {"item": item, "form": form, "overdue": item.is_overdue()}
    return render(request, "alerts/notice_new.html", ctx)


@require_GET
@login_required
def notices(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible_item(request, pk)
    ctx = {
        "item": item,
        "notices": item.notices.select_related("issued_by", "office").order_by("-issued_at", "-pk"),
        "can_issue": access.can_manage_work_item(request.user, item) and item.is_overdue(),
    }
    return render(request, "alerts/notices.html", ctx)


@require_GET
@login_required
def notice_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    notice = get_object_or_404(
        SupervisionNotice.objects.filter(
            work_item__in=WorkItem.objects.for_user(request.user)
        ).select_related("office", "work_item__task__plan", "work_item__organisation"),
        pk=pk,
    )
    name = f"{notice.number}{notice.get_kind_display()}"
    if fmt == "pdf":
        return _download(documents.notice_pdf(notice), "application/pdf", f"{name}.pdf")
    return _download(documents.notice_docx(notice), DOCX, f"{name}.docx")
