"""Importing a plan document: upload (or paste), structured preview, then confirm or cancel.

The upload is kept as a PendingImport until the uploader confirms what the parser found; only the
uploader (or a superuser) can see or confirm it, everyone else gets 404.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhiliang.accounts.access import can_import_plans, writable_region_ids
from zhiliang.departments.models import Department
from zhiliang.plans.models import PendingImport, Role, Task
from zhiliang.plans.services import (
    ImportPreview,
    PlanImportError,
    pending_import_confirm,
    pending_import_create,
    pending_import_preview,
)
from zhiliang.regions.models import Region, RegionLevel
from zhiliang.web.forms_manage import PlanUploadForm

logger = logging.getLogger(__name__)

ROLE_ORDER = [Role.LEAD, Role.ASSIST, Role.SHARED]


def _require_importer(request: HttpRequest) -> None:
    if not can_import_plans(request.user):
        raise PermissionDenied(_("只有质量办管理员可以导入计划"))


def _get_pending(request: HttpRequest, pk) -> PendingImport:
    """The user's own pending upload (a superuser's: anyone's); 404 otherwise."""
    queryset = PendingImport.objects.all()
    if not request.user.is_superuser:
        queryset = queryset.filter(uploaded_by=request.user)
    return get_object_or_404(queryset, pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def imports_new(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data, file_name = form.document()
        try:
            pending = pending_import_create(user=request.user, data=data, file_name=file_name)
        except PlanImportError as exc:
            form.add_error(None, str(exc))
        except PermissionDenied:
            raise
        except Exception:
            # A parser bug must not become a 500 for the person uploading: say so and log it.
            logger.exception("import of %r failed", file_name)
            form.add_error(
                None,
                _("文件“%(name)s”：解析时出现意外错误，请检查文件内容或联系管理员") % {"name": file_name},
            )
        else:
            return redirect("imports-preview", pk=pending.pk)

    ctx = {"form": form}
    return render(request, "imports/new.html", ctx)


@dataclass
class Chip:
    name: str
    role: str
    department: Department | None
    unknown: bool


@dataclass
class RoleGroup:
    role: str
    label: str
    chips: list[Chip]


@dataclass
class PlanPreview:
    """One contract dict plus what the template needs beside it."""

    data: dict[str, Any]
    region: Region | None
    level_label: str
    allowed: bool
    task_count: int
    sections: list[dict[str, Any]] = field(default_factory=list)


def _groups(
    responsible: list[dict], departments: dict[str, Department], unknown: set[str]
) -> list[RoleGroup]:
    by_role: dict[str, list[Chip]] = {}
    for r in responsible:
        department = departments.get(r.get("department") or "")
        name = r.get("name") or ""
        by_role.setdefault(r.get("role") or Role.SHARED, []).append(
            Chip(name=name, role=r.get("role") or "", department=department, unknown=name in unknown)
        )
    ordered = sorted(by_role.items(), key=lambda kv: ROLE_ORDER.index(kv[0]) if kv[0] in ROLE_ORDER else 9)
    return [
        RoleGroup(role, Role(role).label if role in Role.values else role, chips) for role, chips in ordered
    ]


def _plan_previews(preview: ImportPreview, user) -> list[PlanPreview]:
    codes = {
        r.get("department")
        for p in preview.plans
        for s in p.get("sections") or []
        for t in s.get("tasks") or []
        for r in [
            *(t.get("responsible") or []),
            *(r for m in t.get("measures") or [] for r in m.get("responsible") or []),
        ]
        if r.get("department")
    }
    departments = {d.code: d for d in Department.objects.filter(code__in=codes)}
    unknown = set(preview.unknown_units)
    allowed_ids = writable_region_ids(user)
    result = []
    for plan in preview.plans:
        region = Region.objects.by_name(plan["region"]) if plan.get("region") else None
        allowed = allowed_ids is None or (region is not None and region.pk in allowed_ids)
        sections = []
        task_count = 0
        for s in plan.get("sections") or []:
            tasks = []
            for t in s.get("tasks") or []:
                task_count += 1
                measures = [
                    {**m, "role_groups": _groups(m.get("responsible") or [], departments, unknown)}
                    for m in t.get("measures") or []
                ]
                tasks.append(
                    {
                        **t,
                        "measures": measures,
                        "role_groups": _groups(t.get("responsible") or [], departments, unknown),
                    }
                )
            sections.append({**s, "tasks": tasks})
        level = plan.get("level") or ""
        result.append(
            PlanPreview(
                data=plan,
                region=region,
                level_label=RegionLevel(level).label if level in RegionLevel.values else "",
                allowed=allowed,
                task_count=task_count,
                sections=sections,
            )
        )
    return result


@require_GET
@login_required
def imports_preview(request: HttpRequest, pk) -> HttpResponse:
    _require_importer(request)
    pending = _get_pending(request, pk)
    try:
        preview = pending_import_preview(pending=pending)
    except PlanImportError as exc:
        messages.error(request, str(exc))
        pending.delete()
        return redirect("imports-new")

    plans = _plan_previews(preview, request.user)
    ctx = {
        "pending": pending,
        "preview": preview,
        "plans": plans,
        "task_count": sum(p.task_count for p in plans),
        "all_allowed": all(p.allowed for p in plans),
    }
    return render(request, "imports/preview.html", ctx)


@require_POST
@login_required
def imports_confirm(request: HttpRequest, pk) -> HttpResponse:
    _require_importer(request)
    pending = _get_pending(request, pk)
    try:
        result = pending_import_confirm(pending=pending, user=request.user)
    except PlanImportError as exc:
        messages.error(request, str(exc))
        return redirect("imports-preview", pk=pending.pk)

    first = result.plans[0]
    if result.created:
        count = Task.objects.filter(plan__in=result.plans).count()
        titles = "、".join(p.display_title for p in result.plans)
        messages.success(
            request, _("已导入：%(titles)s（%(count)d 项任务）") % {"titles": titles, "count": count}
        )
    else:
        messages.info(request, _("该文件已导入过，已打开现有计划"))
    return redirect("plans-detail", pk=first.pk)


@require_POST
@login_required
def imports_cancel(request: HttpRequest, pk) -> HttpResponse:
    _require_importer(request)
    pending = _get_pending(request, pk)
    file_name = pending.file_name
    pending.delete()
    messages.info(request, _("已取消导入“%(name)s”") % {"name": file_name})
    return redirect("imports-new")
