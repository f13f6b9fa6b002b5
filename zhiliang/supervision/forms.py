"""Forms for supervision pages: every POST and filter goes through one of these."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiliang.accounts.models import Organisation
from zhiliang.plans.models import Plan, Target
from zhiliang.supervision.models import CloseOutcome, Decision, DisplayStatus, ScheduleKind

SKIP = "skip"


class IssueForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("报送周期"), choices=ScheduleKind.choices, initial=ScheduleKind.QUARTERLY
    )
    dates = forms.CharField(
        label=_("自定义报送日期"),
        required=False,
        help_text=_("每行或用逗号分隔一个日期，如 2017-06-30"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    default_due_date = forms.DateField(
        label=_("默认完成时限"),
        help_text=_("任务原文没有具体时限时使用"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, unmatched=(), candidates=(), **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.unmatched = list(unmatched)
        choices = [("", _("请选择…")), (SKIP, _("跳过（不下发）"))] + [
            (str(o.pk), o.name) for o in candidates
        ]
        self._candidates = {str(o.pk): o for o in candidates}
        for i, unit in enumerate(self.unmatched):
            self.fields[f"map_{i}"] = forms.ChoiceField(label=unit.name, choices=choices)

    def mapping_fields(self):  # noqa: ANN201
        return [(unit, self[f"map_{i}"]) for i, unit in enumerate(self.unmatched)]

    def clean_dates(self) -> list[datetime.date]:
        raw = self.cleaned_data["dates"].replace("，", ",").replace("\n", ",")
        result = []
        for part in (p.strip() for p in raw.split(",")):
            if not part:
                continue
            try:
                result.append(datetime.date.fromisoformat(part))
            except ValueError as exc:
                raise forms.ValidationError(
                    _("“%(value)s”不是有效日期（格式 2017-06-30）") % {"value": part}
                ) from exc
        return result

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("kind") == ScheduleKind.CUSTOM and not cleaned.get("dates"):
            self.add_error("dates", _("自定义报送周期至少需要一个报送日期"))
        return cleaned

    def mapping(self) -> dict[str, Organisation | None]:
        result: dict[str, Organisation | None] = {}
        for i, unit in enumerate(self.unmatched):
            value = self.cleaned_data[f"map_{i}"]
            result[unit.name] = None if value == SKIP else self._candidates[value]
        return result


def actual_field_name(target_id: int, breakdown_id: int | None) -> str:
    return f"actual_{target_id}_{breakdown_id or 'total'}"


class ReportForm(forms.Form):
    percent = forms.IntegerField(label=_("完成进度(%)"), required=False, min_value=0, max_value=100)
    narrative = forms.CharField(label=_("进展情况"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, targets: list[Target] = (), region_id: int | None = None, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.target_rows = []
        for target in targets:
            rows = [(None, _("合计"), target.value)]
            for b in target.breakdown.all():
                # A city government reports its own area only; departments report every area.
                if region_id is None or b.region_id == region_id:
                    rows.append((b.pk, b.region_name, b.value))
            for breakdown_id, area, value in rows:
                name = actual_field_name(target.pk, breakdown_id)
                self.fields[name] = forms.DecimalField(
                    label=f"{target.subject or target.text} · {area}",
                    required=False,
                    max_digits=18,
                    decimal_places=4,
                )
                self.target_rows.append((target, area, value, self[name], (target.pk, breakdown_id)))

    def actuals(self) -> dict[tuple[int, int | None], Decimal | None]:
        return {key: self.cleaned_data[bf.name] for (_t, _a, _v, bf, key) in self.target_rows}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("结论"), choices=Decision.choices)
    reason = forms.CharField(
        label=_("理由"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("decision") == Decision.RETURN and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("退回时请填写理由"))
        return cleaned


class ConsolidateForm(forms.Form):
    reports = forms.TypedMultipleChoiceField(label=_("配合单位报告"), coerce=int, choices=())

    def __init__(self, *args, candidates=(), **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["reports"].choices = [(r.pk, str(r.work_item.organisation)) for r in candidates]


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("办结结果"), choices=CloseOutcome.choices)
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("outcome") == CloseOutcome.NOT_ACHIEVED and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("未完成办结时请填写说明"))
        return cleaned


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("佐证材料"))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("填好的进展表(.xlsx)"))
    submit = forms.BooleanField(label=_("导入后直接提交审核"), required=False)


class WorkItemFilterForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("计划"), queryset=Plan.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部"))] + DisplayStatus.choices, required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("责任单位"), queryset=Organisation.objects.none(), required=False
    )
    q = forms.CharField(label=_("任务"), required=False, max_length=100)

    def __init__(self, *args, items=None, **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        if items is not None:
            self.fields["plan"].queryset = Plan.objects.filter(pk__in=items.values("task__plan_id")).order_by(
                "-year", "title"
            )
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=items.values("organisation_id")
            ).order_by("kind", "name")

    def filter(self, items):  # noqa: ANN001, ANN201
        if not self.is_valid():
            return items
        data = self.cleaned_data
        if data.get("plan"):
            items = items.filter(task__plan=data["plan"])
        if data.get("organisation"):
            items = items.filter(organisation=data["organisation"])
        if data.get("q"):
            items = items.filter(task__title__icontains=data["q"])
        if data.get("status"):
            items = items.filter(display_status_code=data["status"])
        return items
