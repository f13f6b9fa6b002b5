"""Decomposition pages: the office's coverage matrix, a local plan's edit page, and task matching.

Writes go through ``zhiliang.plans.decomposition``; every POST redirects back (post/redirect/get).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from zhiliang.departments.models import Department, DepartmentKind
from zhiliang.plans.coverage import MARK_LABELS, is_late, plan_coverage
from zhiliang.plans.decomposition import (
    DecompositionError,
    can_allocate,
    can_decompose,
    plan_derive,
    target_allocate,
    target_edit,
    task_add_local,
    task_edit,
    task_link_confirm,
)
from zhiliang.plans.matching import plan_match_suggestions
from zhiliang.plans.models import Assignment, Deadline, Measure, Plan, PlanOrigin, Section, Target, Task
from zhiliang.regions.models import Region
from zhiliang.web.views import get_visible_plan, visible_plans

# --------------------------------------------------------------------------- forms


class DeriveForm(forms.Form):
    region = forms.ModelChoiceField(label=gettext_lazy("分解到地区"), queryset=Region.objects.none())

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class AllocateForm(forms.Form):
    target = forms.ModelChoiceField(label=gettext_lazy("目标"), queryset=Target.objects.none())
    region = forms.ModelChoiceField(label=gettext_lazy("地区"), queryset=Region.objects.none())
    value = forms.DecimalField(label=gettext_lazy("分配数值"), min_value=0, max_digits=18, decimal_places=4)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Target.objects.filter(task__plan=plan)
        self.fields["region"].queryset = Region.objects.filter(parent_id=plan.region_id).order_by("code")


class TaskEditForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("任务"), max_length=255)
    text = forms.CharField(
        label=gettext_lazy("内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    deadline = forms.DateField(
        label=gettext_lazy("完成时限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TaskAddForm(TaskEditForm):
    section = forms.ModelChoiceField(label=gettext_lazy("所属部分"), queryset=Section.objects.none())
    lead = forms.ModelChoiceField(
        label=gettext_lazy("牵头单位"),
        queryset=Department.objects.exclude(kind=DepartmentKind.COLLECTIVE).order_by("code"),
        required=False,
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = plan.sections.order_by("number")
        self.order_fields(["section", "title", "text", "deadline", "lead"])


class TargetEditForm(forms.Form):
    value = forms.DecimalField(label=gettext_lazy("本地目标值"), min_value=0, max_digits=18, decimal_places=4)


class LinkForm(forms.Form):
    child_task = forms.ModelChoiceField(queryset=Task.objects.none())
    parent_task = forms.ModelChoiceField(queryset=Task.objects.none())

    def __init__(self, *args, child_plan: Plan, parent_plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child_task"].queryset = child_plan.tasks.all()
        self.fields["parent_task"].queryset = parent_plan.tasks.all()


def _form_errors(form: forms.Form) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


# --------------------------------------------------------------------------- coverage (office)


@require_GET
@login_required
def decomposition_coverage(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_plan(request, pk, Plan.objects.select_related("region", "source"))
    coverage = plan_coverage(plan=plan)
    derived = {p.region_id for row in coverage.rows for p in row.plans}
    derivable = [r for r in coverage.regions if r.pk not in derived and can_decompose(request.user, r)]
    ctx = {
        "plan": plan,
        "coverage": coverage,
        "mark_labels": MARK_LABELS,
        "derive_form": DeriveForm(
            regions=Region.objects.filter(pk__in=[r.pk for r in derivable]),
            initial={"region": derivable[0].pk} if len(derivable) == 1 else None,
        ),
        "derivable": derivable,
        "own_plans": [
            p for row in coverage.rows for p in row.plans if can_decompose(request.user, row.region)
        ],
        "can_allocate": can_allocate(request.user, plan),
        "allocate_form": AllocateForm(plan=plan, auto_id="allocate_%s"),
        "totals": {mark: coverage.total(mark) for mark in MARK_LABELS},
    }
    return render(request, "decomposition/coverage.html", ctx)


@require_POST
@login_required
def decomposition_derive(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_plan(request, pk, Plan.objects.select_related("region"))
    form = DeriveForm(request.POST, regions=Region.objects.filter(parent_id=plan.region_id))
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("decomposition-coverage", pk=plan.pk)
    try:
        child = plan_derive(parent=plan, region=form.cleaned_data["region"], user=request.user)
    except DecompositionError as exc:
        messages.error(request, str(exc))
        return redirect("decomposition-coverage", pk=plan.pk)
    messages.success(
        request,
        _("已生成%(region)s的分解计划：%(title)s") % {"region": child.region.name, "title": child.title},
    )
    return redirect("decomposition-plan", pk=child.pk)


@require_POST
@login_required
def decomposition_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_plan(request, pk, Plan.objects.select_related("region"))
    form = AllocateForm(request.POST, plan=plan)
    back = reverse("decomposition-coverage", args=[plan.pk]) + "#targets"
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    try:
        allocation = target_allocate(
            parent_target=form.cleaned_data["target"],
            region=form.cleaned_data["region"],
            value=form.cleaned_data["value"],
            user=request.user,
        )
    except (DecompositionError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        return redirect(back)
    messages.success(
        request,
        _("已为%(region)s分配“%(target)s” %(value)s")
        % {
            "region": allocation.region.name,
            "target": allocation.target.subject,
            "value": f"{allocation.value:g}",
        },
    )
    return redirect(back)


# --------------------------------------------------------------------------- local plan (city)


def _local_plan_queryset():
    parent_deadlines = Prefetch("parent__deadlines", queryset=Deadline.objects.order_by("order"))
    tasks = Task.objects.order_by("number").prefetch_related(
        Prefetch("measures", queryset=Measure.objects.order_by("order")),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(measure__isnull=True)
            .select_related("department")
            .order_by("order"),
        ),
        Prefetch("targets", queryset=Target.objects.order_by("order").select_related("parent_target")),
        Prefetch("deadlines", queryset=Deadline.objects.order_by("order")),
        "parent",
        parent_deadlines,
    )
    sections = Section.objects.order_by("number").prefetch_related(Prefetch("tasks", queryset=tasks))
    return Plan.objects.select_related("region", "parent", "parent__region", "source").prefetch_related(
        Prefetch("sections", queryset=sections)
    )


@require_GET
@login_required
def decomposition_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_plan(request, pk, _local_plan_queryset())
    editable = can_decompose(request.user, plan.region) and (
        plan.parent_id is not None or plan.origin == PlanOrigin.DERIVED
    )
    sections = list(plan.sections.all())
    for section in sections:
        for task in section.tasks.all():
            deadlines = list(task.deadlines.all())
            task.is_late = task.parent is not None and is_late(deadlines, list(task.parent.deadlines.all()))
            dated = [d.date for d in deadlines if d.date and not d.recurring]
            task.edit_form = TaskEditForm(
                initial={"title": task.title, "text": task.text, "deadline": max(dated) if dated else None},
                prefix=f"task-{task.pk}",
            )
    ctx = {
        "plan": plan,
        "sections": sections,
        "editable": editable,
        "add_form": TaskAddForm(plan=plan, prefix="add"),
        "task_count": sum(len(s.tasks.all()) for s in sections),
    }
    return render(request, "decomposition/plan.html", ctx)


def _editable_task(request: HttpRequest, pk: int) -> Task:
    return get_object_or_404(
        Task.objects.filter(plan__in=visible_plans(request)).select_related("plan"), pk=pk
    )


@require_POST
@login_required
def decomposition_task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _editable_task(request, pk)
    form = TaskEditForm(request.POST, prefix=f"task-{task.pk}")
    back = reverse("decomposition-plan", args=[task.plan_id]) + f"#task-{task.number}"
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    try:
        task_edit(
            task=task,
            user=request.user,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            deadline=form.cleaned_data["deadline"],
        )
    except (DecompositionError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        return redirect(back)
    messages.success(request, _("已保存任务“%(title)s”") % {"title": task.title})
    if task.parent_id is not None:
        child = list(task.deadlines.all())
        if is_late(child, list(task.parent.deadlines.all())):
            messages.warning(request, _("完成时限晚于上级任务的时限，将在分解情况中标出"))
    return redirect(back)


@require_POST
@login_required
def decomposition_task_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_plan(request, pk, Plan.objects.select_related("region", "source"))
    form = TaskAddForm(request.POST, plan=plan, prefix="add")
    back = reverse("decomposition-plan", args=[plan.pk])
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back + "#add-task")
    try:
        task = task_add_local(
            plan=plan,
            section=form.cleaned_data["section"],
            user=request.user,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            deadline=form.cleaned_data["deadline"],
            lead=form.cleaned_data["lead"],
        )
    except (DecompositionError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        return redirect(back + "#add-task")
    messages.success(request, _("已新增本地任务“%(title)s”") % {"title": task.title})
    return redirect(back + f"#task-{task.number}")


@require_POST
@login_required
def decomposition_target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(
        Target.objects.filter(task__plan__in=visible_plans(request)).select_related("task__plan"), pk=pk
    )
    form = TargetEditForm(request.POST, prefix=f"target-{target.pk}")
    back = reverse("decomposition-plan", args=[target.task.plan_id]) + f"#task-{target.task.number}"
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    try:
        target_edit(target=target, value=form.cleaned_data["value"], user=request.user)
    except (DecompositionError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        return redirect(back)
    messages.success(request, _("已保存目标“%(subject)s”") % {"subject": target.subject or target.text})
    return redirect(back)


# --------------------------------------------------------------------------- matching (imported city plans)


def _parent_plan_for(request: HttpRequest, plan: Plan) -> Plan | None:
    """The plan being matched against: the recorded parent, the one asked for, or the upper area's."""
    if plan.parent_id is not None:
        return plan.parent
    candidates = visible_plans(request).filter(region_id=plan.region.parent_id if plan.region else None)
    asked = request.GET.get("parent")
    if asked and asked.isdigit():
        return candidates.filter(pk=int(asked)).first()
    return candidates.filter(year=plan.year).order_by("-date", "pk").first() or candidates.first()


@require_GET
@login_required
def decomposition_match(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_plan(request, pk, Plan.objects.select_related("region", "parent", "parent__region"))
    parent = _parent_plan_for(request, plan)
    suggestions = plan_match_suggestions(child_plan=plan, parent_plan=parent) if parent else []
    linked = list(plan.tasks.filter(parent__isnull=False).select_related("parent").order_by("number"))
    suggested = {s.child_task.pk for s in suggestions}
    unmatched = list(plan.tasks.filter(parent__isnull=True).exclude(pk__in=suggested).order_by("number"))
    ctx = {
        "plan": plan,
        "parent": parent,
        "suggestions": suggestions,
        "linked": linked,
        "unmatched": unmatched,
        "parent_tasks": list(parent.tasks.order_by("number")) if parent else [],
        "can_link": can_decompose(request.user, plan.region),
    }
    return render(request, "decomposition/match.html", ctx)


@require_POST
@login_required
def decomposition_link(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_plan(request, pk, Plan.objects.select_related("region", "parent"))
    parent_pk = request.POST.get("parent_plan", "")
    parent = plan.parent or (
        visible_plans(request).filter(pk=int(parent_pk)).first() if parent_pk.isdigit() else None
    )
    back = reverse("decomposition-match", args=[plan.pk]) + (f"?parent={parent.pk}" if parent else "")
    if parent is None:
        messages.error(request, _("请先选择上级计划"))
        return redirect(back)
    form = LinkForm(request.POST, child_plan=plan, parent_plan=parent)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    try:
        task = task_link_confirm(
            child_task=form.cleaned_data["child_task"],
            parent_task=form.cleaned_data["parent_task"],
            user=request.user,
        )
    except DecompositionError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request,
        _("已确认：%(child)s 细化 %(parent)s")
        % {"child": f"{task.label}{task.title}", "parent": f"{task.parent.label}{task.parent.title}"},
    )
    return redirect(back)
