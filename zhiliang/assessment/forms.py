from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhiliang.assessment.models import AssessmentScheme, Indicator, Stage
from zhiliang.assessment.scheme_templates import TEMPLATE_CHOICES
from zhiliang.assessment.services import parse_bands


class TemplateForm(forms.Form):
    template = forms.ChoiceField(label=_("模板"), choices=TEMPLATE_CHOICES)
    year = forms.IntegerField(label=_("考核年度（起始年）"), min_value=2000, max_value=2100)


class AssessmentCreateForm(forms.Form):
    scheme = forms.ModelChoiceField(label=_("考核方案"), queryset=AssessmentScheme.objects.none())
    title = forms.CharField(label=_("名称（可留空）"), max_length=200, required=False)

    def __init__(self, *args, schemes=None, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        if schemes is not None:
            self.fields["scheme"].queryset = schemes


class SchemeSettingsForm(forms.ModelForm):
    bands = forms.CharField(label=_("等次划分"), help_text=_("如 A≥90；B≥80；C≥60；D≥0（按满分计）"))
    vetoes = forms.CharField(
        label=_("一票否决事项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一项：代码｜名称"),
    )

    class Meta:
        model = AssessmentScheme
        fields = [
            "name",
            "description",
            "scale",
            "year_start",
            "year_end",
            "veto_grade",
            "veto_ranks_last",
            "tie_rule",
            "bottom_count",
            "rectification_days",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "year_start": forms.DateInput(attrs={"type": "date"}),
            "year_end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["bands"] = self.instance.bands_text()
            self.initial["vetoes"] = "\n".join(f"{r['code']}｜{r['name']}" for r in self.instance.veto_rules)

    def clean_bands(self) -> list[list[str]]:
        return parse_bands(self.cleaned_data["bands"])

    def clean_vetoes(self) -> list[dict]:
        rules = []
        for line in self.cleaned_data["vetoes"].splitlines():
            if not line.strip():
                continue
            code, _sep, name = line.replace("|", "｜").partition("｜")
            if not code.strip():
                raise ValidationError(_("每项否决事项都需要代码"))
            rules.append({"code": code.strip(), "name": (name or code).strip()})
        return rules


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "parent",
            "code",
            "order",
            "name",
            "points",
            "scoring_method",
            "evidence_required",
            "department",
            "auto_source",
        ]
        widgets = {
            "scoring_method": forms.Textarea(attrs={"rows": 2}),
            "evidence_required": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, scheme: AssessmentScheme, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        parents = scheme.indicators.all()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class UploadForm(forms.Form):
    file = forms.FileField(label=_("文件"))


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=Stage.choices)


class FilingForm(forms.Form):
    subject = forms.CharField(label=_("目标"), max_length=255)
    value = forms.DecimalField(label=_("目标值"), required=False, max_digits=18, decimal_places=4)
    unit = forms.CharField(label=_("单位"), max_length=32, required=False)
    indicator = forms.ModelChoiceField(label=_("对应指标"), queryset=Indicator.objects.none(), required=False)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, scheme: AssessmentScheme, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = scheme.indicators.all()


class ScoreForm(forms.Form):
    score = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.DecimalField(label=_("得分"), required=False, max_digits=8, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("理由"), required=False, max_length=2000)


class OverrideForm(forms.Form):
    value = forms.DecimalField(
        label=_("调整后得分"), required=False, max_digits=8, decimal_places=2, min_value=0
    )
    reason = forms.CharField(label=_("理由"), required=False, max_length=2000)


class AdjustForm(forms.Form):
    delta = forms.DecimalField(label=_("调整分值（扣分为负）"), max_digits=8, decimal_places=2)
    reason = forms.CharField(label=_("核查意见"), max_length=2000)
    evidence = forms.IntegerField(label=_("依据材料"), required=False)


class VetoForm(forms.Form):
    rule_code = forms.ChoiceField(label=_("否决事项"))
    description = forms.CharField(label=_("事实和依据"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, scheme: AssessmentScheme, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["rule_code"].choices = [(r["code"], r["name"]) for r in scheme.veto_rules]


class BulletinForm(forms.Form):
    number = forms.CharField(label=_("文号"), max_length=64)
    title = forms.CharField(label=_("标题（可留空）"), max_length=200, required=False)
    text = forms.CharField(
        label=_("导语（可留空）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RectificationReportForm(forms.Form):
    report = forms.CharField(label=_("整改报告"), widget=forms.Textarea(attrs={"rows": 5}))


class RectificationDecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("验收结论"), choices=[("1", _("通过")), ("0", _("不通过"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("验收意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SummonForm(forms.Form):
    note = forms.CharField(label=_("约谈安排"), widget=forms.Textarea(attrs={"rows": 2}))
