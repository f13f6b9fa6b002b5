"""The public one-stop query (一站式查询): search, enterprise page, credit report PDF, verification.

No login, no JavaScript, rate-limited per client address (django-ratelimit, ``PUBLIC_SEARCH_RATE``).
Every page shows only what ``CreditRecord.objects.public()`` and ``ListEntry.objects.current()``
allow today; an enterprise with nothing public answers exactly like an unknown code (404), so the
public side cannot tell whether a registered enterprise exists.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django import forms
from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from zhiliang.credit.models import CreditRecord, Enterprise, EnterpriseGrade, ListEntry, ListKind
from zhiliang.credit.reports import (
    credit_report_issue,
    credit_report_verify,
    normalise_report_number,
    public_state,
    render_report_pdf,
)
from zhiliang.credit.search import MAX_QUERY_CHARS, search_enterprises

RESULTS_SHOWN = 20
# Search asks for more than it shows: enterprises with nothing public are dropped from the results.
RESULTS_FETCHED = 60
PUBLIC_CACHE_SECONDS = 60


def _rate(setting: str) -> Callable[[str, HttpRequest], str]:
    """Read the rate at request time, so settings overrides (tests, env) apply."""

    def rate(group: str, request: HttpRequest) -> str:
        return getattr(settings, setting, None) or settings.PUBLIC_SEARCH_RATE

    return rate


def public_ratelimit(group: str, setting: str = "PUBLIC_SEARCH_RATE"):
    """Rate-limit a public view per client address; over the limit, answer the Chinese 429 page."""

    def decorator(view):
        @ratelimit(group=group, key="ip", rate=_rate(setting), method=ratelimit.ALL, block=False)
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if getattr(request, "limited", False):
                response = render(request, "public/429.html", {}, status=429)
                response["Retry-After"] = "60"
                patch_cache_control(response, no_store=True)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _not_found(request: HttpRequest) -> HttpResponse:
    """The one 404 page for unknown codes, non-public enterprises and unknown report numbers."""
    response = render(request, "public/404.html", {}, status=404)
    patch_cache_control(response, no_store=True)
    return response


def _cache_publicly(response: HttpResponse) -> HttpResponse:
    # Short: a repaired record must disappear on its date, and a proxy may serve this minute's copy.
    patch_cache_control(response, public=True, max_age=PUBLIC_CACHE_SECONDS)
    return response


class PublicSearchForm(forms.Form):
    q = forms.CharField(
        label="企业名称或统一社会信用代码", max_length=MAX_QUERY_CHARS * 2, required=False, strip=True
    )


class VerifyForm(forms.Form):
    number = forms.CharField(label="报告验证编号", max_length=40)

    def clean_number(self) -> str:
        number = normalise_report_number(self.cleaned_data["number"])
        if number is None:
            raise forms.ValidationError("验证编号为16位字母和数字，如 7KQ3-M9XW-4TRA-HC2E。")
        return number


@dataclass
class ResultRow:
    enterprise: Enterprise
    grade: EnterpriseGrade | None
    black: bool
    red: bool
    record_count: int


def public_result_rows(enterprises: list[Enterprise], *, on: datetime.date) -> list[ResultRow]:
    """Grade, list status and public record count for each enterprise, in three queries.

    Enterprises with nothing public are left out.
    """
    ids = [e.pk for e in enterprises]
    if not ids:
        return []
    grades = {
        g.enterprise_id: g
        for g in EnterpriseGrade.objects.filter(
            enterprise_id__in=ids, is_current=True, scheme__is_default=True
        )
        .select_related("scheme")
        .order_by("pk")
    }
    kinds: dict[int, set[str]] = {}
    for enterprise_id, kind in (
        ListEntry.objects.current(on=on).filter(enterprise_id__in=ids).values_list("enterprise_id", "kind")
    ):
        kinds.setdefault(enterprise_id, set()).add(kind)
    counts = dict(
        CreditRecord.objects.public(on=on)
        .filter(enterprise_id__in=ids)
        .order_by()
        .values("enterprise_id")
        .annotate(n=Count("pk"))
        .values_list("enterprise_id", "n")
    )
    rows = []
    for e in enterprises:
        if e.pk in grades or e.pk in kinds or counts.get(e.pk):
            listed = kinds.get(e.pk, set())
            rows.append(
                ResultRow(
                    e, grades.get(e.pk), ListKind.BLACK in listed, ListKind.RED in listed, counts.get(e.pk, 0)
                )
            )
    return rows


@require_GET
@public_ratelimit("public-search")
def public_search(request: HttpRequest) -> HttpResponse:
    form = PublicSearchForm(request.GET or None)
    query = ""
    rows: list[ResultRow] = []
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        if query:
            found = search_enterprises(query, limit=RESULTS_FETCHED)
            rows = public_result_rows(found, on=timezone.localdate())[:RESULTS_SHOWN]
    ctx = {"form": form, "query": query, "rows": rows, "searched": bool(query)}
    response = render(request, "public/search.html", ctx)
    response["X-Robots-Tag"] = "noindex"
    return _cache_publicly(response)


def _public_enterprise(uscc: str):
    """The enterprise and its public state, or None when it is unknown or has nothing public."""
    enterprise = Enterprise.objects.select_related("region").filter(uscc=uscc.upper()).first()
    if enterprise is None:
        return None
    state = public_state(enterprise)
    return state if state.is_visible else None


@require_GET
@public_ratelimit("public-search")
def public_enterprise(request: HttpRequest, uscc: str) -> HttpResponse:
    state = _public_enterprise(uscc)
    if state is None:
        return _not_found(request)
    ctx = {
        "enterprise": state.enterprise,
        "state": state,
        "grade": state.grade,
        "list_entries": state.list_entries,
        "records": state.records,
        "can_object": True,
    }
    return _cache_publicly(render(request, "public/enterprise.html", ctx))


@require_GET
@public_ratelimit("public-report", "PUBLIC_REPORT_RATE")
def public_report(request: HttpRequest, uscc: str) -> HttpResponse:
    state = _public_enterprise(uscc)
    if state is None:
        return _not_found(request)
    report = credit_report_issue(enterprise=state.enterprise)
    verify_url = request.build_absolute_uri(reverse("public-verify-number", args=[report.number]))
    pdf = render_report_pdf(report, verify_url=verify_url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="credit-report-{state.enterprise.uscc}-{report.number}.pdf"'
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
@public_ratelimit("public-verify")
def public_verify(request: HttpRequest, number: str | None = None) -> HttpResponse:
    if number is None:
        form = VerifyForm(request.GET or None)
        if form.is_bound and form.is_valid():
            return HttpResponseRedirect(reverse("public-verify-number", args=[form.cleaned_data["number"]]))
        response = render(request, "public/verify.html", {"form": form, "checked": False})
        patch_cache_control(response, no_cache=True)
        return response
    result = credit_report_verify(number=number)
    ctx = {
        "form": VerifyForm(initial={"number": number}),
        "checked": True,
        "result": result,
        "report": result.report if result else None,
        "changes": set(result.changes) if result else set(),
    }
    response = render(request, "public/verify.html", ctx, status=200 if result else 404)
    # Always fresh: "current" can turn into "superseded" at any moment.
    patch_cache_control(response, no_cache=True)
    return response


class PublicObjectionForm(forms.Form):
    name = forms.CharField(label="申请人（企业或代理人）", max_length=128)
    contact = forms.CharField(label="联系方式", max_length=128)
    reason = forms.CharField(label="异议理由", max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))


@public_ratelimit("public-objection")
def public_objection(request: HttpRequest, uscc: str, record_id: int) -> HttpResponse:
    """The enterprise disputes one of its public records (异议): a plain form, CSRF-protected."""
    from django.core.exceptions import ValidationError

    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    from zhiliang.credit.services import objection_file

    record = (
        CreditRecord.objects.public(on=timezone.localdate())
        .select_related("enterprise", "record_type")
        .filter(pk=record_id, enterprise__uscc=uscc.upper())
        .first()
    )
    if record is None:
        return _not_found(request)
    objection = None
    form = PublicObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection = objection_file(
                record=record,
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    ctx = {"form": form, "record": record, "enterprise": record.enterprise, "objection": objection}
    response = render(request, "public/objection.html", ctx)
    patch_cache_control(response, private=True, no_store=True)
    return response


@public_ratelimit("public-repair")
def public_repair(
    request: HttpRequest, uscc: str, record_id: int | None = None, entry_id: int | None = None
) -> HttpResponse:
    """The enterprise applies for credit repair (信用修复) of a public record or a current list entry."""
    from django.core.exceptions import ValidationError

    from zhiliang.credit.forms import RepairApplyForm
    from zhiliang.credit.models import ListEntry
    from zhiliang.credit.services import repair_apply

    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    today = timezone.localdate()
    record = entry = None
    if record_id is not None:
        record = (
            CreditRecord.objects.public(on=today)
            .select_related("enterprise", "record_type")
            .filter(pk=record_id, enterprise__uscc=uscc.upper())
            .first()
        )
    else:
        entry = (
            ListEntry.objects.current(on=today)
            .select_related("enterprise")
            .filter(pk=entry_id, enterprise__uscc=uscc.upper())
            .first()
        )
    subject = record or entry
    if subject is None:
        return _not_found(request)
    application = None
    form = RepairApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = repair_apply(record=record, list_entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
    ctx = {
        "form": form,
        "record": record,
        "entry": entry,
        "enterprise": subject.enterprise,
        "application": application,
    }
    response = render(request, "public/repair.html", ctx)
    patch_cache_control(response, private=True, no_store=True)
    return response
