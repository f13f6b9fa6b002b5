"""Downloads of one plan: the .xlsx 任务分工表, the contract JSON and Markdown."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from zhiliang.plans.exports import EXPORT_FORMATS, export_file_name, plan_export
from zhiliang.plans.models import Plan
from zhiliang.web.views import get_visible_plan


def attachment_header(file_name: str, fallback: str) -> str:
    """Content-Disposition with an ASCII fallback and the real name per RFC 5987 (``filename*``)."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


@require_GET
@login_required
def plans_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    plan = get_visible_plan(request, pk, Plan.objects.select_related("source"))
    response = HttpResponse(plan_export(plan, fmt), content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = attachment_header(export_file_name(plan, fmt), f"plan-{plan.pk}.{fmt}")
    return response
