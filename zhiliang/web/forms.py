"""Forms that check query input for the browsing pages (filters, sorting)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from zhiliang.departments.models import DepartmentKind
from zhiliang.plans.models import PlanQuerySet, Role, Section, SectionKind
from zhiliang.regions.models import Region, RegionLevel


def valid_data(form: forms.Form) -> dict:
    """Cleaned values of the fields that validated; {} for an unbound form.

    Filters stay usable when one field is bad: that field is dropped (and its error shown).
    """
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


class LoginForm(AuthenticationForm):
    """Django's login form with a plain Chinese message for bad credentials."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确，请重新输入。"),
        "inactive": _("该账号已停用，请联系质量办管理员。"),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class PlanFilterForm(forms.Form):
    """Filters of the plan list; choices come from the plans the user can see."""

    region = forms.ModelChoiceField(
        label=_("地区"),
        queryset=Region.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("全部地区"),
    )
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False, empty_value=None)
    level = forms.ChoiceField(label=_("层级"), required=False)

    def __init__(self, data, *, plans: PlanQuerySet) -> None:
        super().__init__(data)
        self.fields["region"].queryset = Region.objects.filter(pk__in=plans.values("region_id")).order_by(
            "code"
        )
        years = sorted(
            {y for y in plans.order_by().values_list("year", flat=True).distinct() if y}, reverse=True
        )
        self.fields["year"].choices = [("", _("全部年度")), *((y, str(y)) for y in years)]
        self.fields["level"].choices = [("", _("全部层级")), *RegionLevel.choices]

    def filter(self, plans: PlanQuerySet) -> PlanQuerySet:
        """Apply the valid filters; an invalid field is ignored (and its error shown)."""
        data = valid_data(self)
        if data.get("region"):
            plans = plans.filter(region=data["region"])
        if data.get("year"):
            plans = plans.filter(year=data["year"])
        if data.get("level"):
            plans = plans.filter(level=data["level"])
        return plans


class MatrixFilterForm(forms.Form):
    """Filter and sort the responsibility matrix of one plan."""

    UNIT_SORTS = [("total", _("按任务总数")), ("lead", _("按牵头数")), ("name", _("按名称"))]
    TASK_SORTS = [("number", _("任务序号（升序）")), ("-number", _("任务序号（降序）"))]

    section = forms.TypedChoiceField(label=_("部分"), coerce=int, required=False, empty_value=None)
    role = forms.ChoiceField(label=_("角色"), required=False, choices=[("", _("全部角色")), *Role.choices])
    unit = forms.CharField(
        label=_("单位"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("输入单位名称或代码")}),
    )
    unit_sort = forms.ChoiceField(label=_("单位排序"), required=False, choices=UNIT_SORTS)
    task_sort = forms.ChoiceField(label=_("任务排序"), required=False, choices=TASK_SORTS)

    def __init__(self, data, *, sections: list[Section]) -> None:
        super().__init__(data)
        self.fields["section"].choices = [
            ("", _("全部部分")),
            *((s.pk, f"{s.label}{s.title}") for s in sections if s.kind == SectionKind.TASKS),
        ]

    def options(self) -> dict:
        """Cleaned options with defaults; invalid fields fall back to their default."""
        data = valid_data(self)
        return {
            "section": data.get("section"),
            "role": data.get("role") or "",
            "unit": (data.get("unit") or "").strip(),
            "unit_sort": data.get("unit_sort") or "total",
            "task_sort": data.get("task_sort") or "number",
        }


class DepartmentFilterForm(forms.Form):
    """Search the department registry."""

    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("名称、代码或别名")}),
    )
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部类别")), *DepartmentKind.choices]
    )
