"""HTML views. Browsing pages live in `auth`, `plans`, `matrix` and `departments`.

Shared helpers here answer the one question every page asks: which plans may this user see?
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from zhiliang.accounts.access import visible_region_ids
from zhiliang.plans.models import Plan, PlanQuerySet


def visible_plans(request: HttpRequest) -> PlanQuerySet:
    """Plans the request's user may read (see `zhiliang.accounts.access`)."""
    return Plan.objects.visible_to_regions(visible_region_ids(request.user))


def get_visible_plan(request: HttpRequest, pk: int, queryset: PlanQuerySet | None = None) -> Plan:
    """The plan, or 404 when it doesn't exist or lies outside the user's regions."""
    qs = queryset if queryset is not None else Plan.objects.all()
    region_ids = visible_region_ids(request.user)
    try:
        return qs.visible_to_regions(region_ids).get(pk=pk)
    except Plan.DoesNotExist:
        raise Http404 from None


def is_fragment_request(request: HttpRequest) -> bool:
    """An htmx swap (not a history restore, which needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """The same URL returns a page or a fragment: caches must key on the header."""
    patch_vary_headers(response, ("HX-Request",))
    return response
