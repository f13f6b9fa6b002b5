"""The unit-review queue: unit names no department code or alias resolves, decided by the office.

A name is listed when it occurs in a plan the user can see. Deciding it (``unit_review_map``)
remembers an alias and points every still-unresolved assignment with that name at the department.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhiliang.accounts.access import can_review_units, visible_region_ids
from zhiliang.plans.models import Assignment, Plan, Task, UnitReview, UnitReviewStatus
from zhiliang.plans.services import unit_review_map
from zhiliang.web.forms_manage import UnitReviewFilterForm, UnitReviewMapForm
from zhiliang.web.views import is_fragment_request, vary_on_htmx

REVIEWS_PER_PAGE = 30
PLANS_SHOWN = 5


def _require_reviewer(request: HttpRequest) -> None:
    if not can_review_units(request.user):
        raise PermissionDenied(_("只有质量办管理员可以认定单位"))


def _region_ids(request: HttpRequest) -> set[int] | None:
    """visible_region_ids, once per request (it walks the region tree)."""
    if not hasattr(request, "_zhiliang_region_ids"):
        request._zhiliang_region_ids = visible_region_ids(request.user)
    return request._zhiliang_region_ids


def _visible_assignments(request: HttpRequest):
    region_ids = _region_ids(request)
    assignments = Assignment.objects.all()
    if region_ids is not None:
        assignments = assignments.filter(task__plan__region_id__in=region_ids)
    return assignments


def _visible_reviews(request: HttpRequest):
    """Reviews whose name occurs in a plan the user can see (a superuser: every review)."""
    reviews = UnitReview.objects.select_related("department", "decided_by")
    if _region_ids(request) is None:
        return reviews
    return reviews.filter(Exists(_visible_assignments(request).filter(name=OuterRef("name"))))


@dataclass
class PlanUse:
    plan: Plan
    sample_task: Task
    count: int = 0


@dataclass
class ReviewRow:
    review: UnitReview
    assignment_count: int = 0
    plan_count: int = 0
    plans: list[PlanUse] = field(default_factory=list)
    form: UnitReviewMapForm | None = None
    updated: int | None = None  # after a mapping in this request: assignments changed


def _department_choices() -> list[tuple[str, str]]:
    field = UnitReviewMapForm.base_fields["department"]
    return [("", field.empty_label), *((d.code, field.label_from_instance(d)) for d in field.queryset)]


def _rows(request: HttpRequest, reviews: list[UnitReview]) -> list[ReviewRow]:
    """Usage of each name (assignments, plans, a sample task per plan) in three queries."""
    if not reviews:
        return []
    choices = _department_choices()  # one query for every row's picker
    rows: dict[str, ReviewRow] = {}
    for review in reviews:
        form = UnitReviewMapForm(prefix=f"r{review.pk}")
        form.fields["department"].choices = choices
        rows[review.name] = ReviewRow(review=review, form=form)
    assignments = _visible_assignments(request).filter(name__in=rows)
    counts = assignments.values("name").annotate(n=Count("pk"), plans=Count("task__plan", distinct=True))
    for c in counts:
        rows[c["name"]].assignment_count = c["n"]
        rows[c["name"]].plan_count = c["plans"]
    # One sample task per (name, plan): the first by task number.
    uses = (
        assignments.select_related("task__plan__region", "task__plan__source")
        .order_by("name", "task__plan_id", "task__number")
        .only(
            "name",
            "task",
            "task__plan",
            "task__plan__region",
            "task__plan__source",
            "task__number",
            "task__label",
            "task__title",
            "task__plan__title",
            "task__plan__notice_title",
            "task__plan__year",
            "task__plan__region__name",
            "task__plan__source__file_name",
        )
    )
    for a in uses:
        row = rows[a.name]
        if row.plans and row.plans[-1].plan.pk == a.task.plan_id:
            row.plans[-1].count += 1
            continue
        if len(row.plans) < PLANS_SHOWN:
            row.plans.append(PlanUse(plan=a.task.plan, sample_task=a.task, count=1))
    return list(rows.values())


@require_GET
@login_required
def reviews_list(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    filters = UnitReviewFilterForm(request.GET or None)
    options = filters.options()
    visible = _visible_reviews(request)
    counts = visible.aggregate(
        open=Count("pk", filter=Q(status=UnitReviewStatus.OPEN)),
        mapped=Count("pk", filter=Q(status=UnitReviewStatus.MAPPED)),
    )
    reviews = visible.filter(status=options["status"])
    if options["q"]:
        reviews = reviews.filter(name__icontains=options["q"])
    if options["status"] == UnitReviewStatus.MAPPED:
        reviews = reviews.order_by("-decided_at", "name")
    else:
        reviews = reviews.order_by("name")
    page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))

    ctx = {
        "filters": filters,
        "status": options["status"],
        "q": options["q"],
        "counts": counts,
        "page": page,
        "rows": _rows(request, list(page.object_list)),
    }
    template = "reviews/list.html#review-table" if is_fragment_request(request) else "reviews/list.html"
    return vary_on_htmx(render(request, template, ctx))


@require_POST
@login_required
def reviews_map(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request)
    review = get_object_or_404(_visible_reviews(request), pk=pk)
    form = UnitReviewMapForm(request.POST, prefix=f"r{review.pk}")
    fragment = is_fragment_request(request)
    if not form.is_valid():
        if fragment:
            row = _rows(request, [review])[0]
            form.fields["department"].choices = row.form.fields["department"].choices
            row.form = form
            return vary_on_htmx(render(request, "reviews/list.html#review-row", {"row": row}))
        for error in form.errors.get("department", []):
            messages.error(request, error)
        return redirect("reviews-list")

    department = form.cleaned_data["department"]
    count = unit_review_map(review=review, department=department, user=request.user)
    message = _("已将“%(name)s”认定为 %(department)s，更新 %(count)d 条责任分工") % {
        "name": review.name,
        "department": department.canonical_name,
        "count": count,
    }
    if fragment:
        review.refresh_from_db()
        row = _rows(
            request, [UnitReview.objects.select_related("department", "decided_by").get(pk=review.pk)]
        )[0]
        row.updated = count
        return vary_on_htmx(render(request, "reviews/list.html#review-row", {"row": row, "message": message}))
    messages.success(request, message)
    return redirect("reviews-list")
