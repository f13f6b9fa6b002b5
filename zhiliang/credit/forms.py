"""Forms of the credit office UI, plus the public objection and repair forms (used by public_views)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiliang.credit.models import ListCriterion, ListKind, RecordType, Sector
from zhiliang.departments.models import Department
from zhiliang.regions.models import Region


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("名称或代码"), required=False, max_length=100)
    grade = forms.CharField(label=_("等级"), required=False, max_length=8)
    listed = forms.ChoiceField(
        label=_("名单"),
        required=False,
        choices=[("", _("全部")), (ListKind.RED, _("红名单在列")), (ListKind.BLACK, _("黑名单在列"))],
    )


class EnterpriseRegisterForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40)
    name = forms.CharField(label=_("企业名称"), max_length=200)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=64, required=False)
    address = forms.CharField(label=_("住所"), max_length=255, required=False)
    former_names = forms.CharField(
        label=_("曾用名"),
        required=False,
        help_text=_("多个曾用名用顿号或换行分隔"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    accept_warning = forms.BooleanField(label=_("我已核实该代码（如早期试点代码），确认登记"), required=False)

    def former_name_list(self) -> list[str]:
        text = self.cleaned_data.get("former_names", "")
        return [n.strip() for n in text.replace("、", "\n").splitlines() if n.strip()]


class CreditRecordForm(forms.Form):
    record_type = forms.ModelChoiceField(label=_("记录类型"), queryset=RecordType.objects.all())
    source_department = forms.ModelChoiceField(label=_("来源部门"), queryset=Department.objects.none())
    source_region = forms.ModelChoiceField(label=_("来源地区"), queryset=Region.objects.none())
    source_authority = forms.CharField(label=_("作出机关"), max_length=128)
    decision_number = forms.CharField(label=_("决定文号"), max_length=128, required=False)
    title = forms.CharField(label=_("摘要"), max_length=255, required=False)
    product = forms.CharField(label=_("产品"), max_length=200, required=False)
    result = forms.CharField(label=_("结果"), max_length=255, required=False)
    sector = forms.ChoiceField(label=_("行业"), choices=Sector.choices, required=False)
    occurred_on = forms.DateField(label=_("发生/决定日期"), widget=forms.DateInput(attrs={"type": "date"}))
    published_from = forms.DateField(
        label=_("公示起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    display_until = forms.DateField(
        label=_("公示截止日期"),
        required=False,
        help_text=_("留空则按记录类型的公示期计算"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    is_public = forms.BooleanField(label=_("向社会公示"), required=False, initial=True)

    def __init__(self, *args, departments, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_department"].queryset = departments
        self.fields["source_region"].queryset = regions


class ImportForm(forms.Form):
    file = forms.FileField(label=_("记录表（.xlsx 或 .csv）"))
    accept_warnings = forms.BooleanField(
        label=_("确认代码提示（早期试点代码等），按表登记企业"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("只接受 .xlsx 或 .csv 文件"))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过10MB"))
        return upload


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结果"), choices=[("approve", _("成立/准予")), ("reject", _("不成立/不予"))]
    )
    reason = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    effective_on = forms.DateField(
        label=_("修复生效日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=2000)


class ListEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("名单"), choices=ListKind.choices)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40)
    criterion = forms.ModelChoiceField(
        label=_("认定标准"), queryset=ListCriterion.objects.filter(is_active=True), required=False
    )
    source_record = forms.IntegerField(label=_("来源记录编号"), required=False, widget=forms.HiddenInput)
    source_department = forms.ModelChoiceField(label=_("列入部门"), queryset=Department.objects.none())
    source_region = forms.ModelChoiceField(label=_("列入地区"), queryset=Region.objects.none())
    source_authority = forms.CharField(label=_("列入机关"), max_length=128)
    reason = forms.CharField(label=_("列入理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    listed_on = forms.DateField(
        label=_("列入日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("期满日期"),
        required=False,
        help_text=_("留空则按认定标准的列入期限计算"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, departments, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_department"].queryset = departments
        self.fields["source_region"].queryset = regions


class ListRemoveForm(forms.Form):
    reason = forms.CharField(label=_("移出理由"), max_length=2000)
    removed_on = forms.DateField(
        label=_("移出日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=_("名称（对接系统）"), max_length=128)
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.all())
    region = forms.ModelChoiceField(label=_("地区"), queryset=Region.objects.none())
    source_authority = forms.CharField(label=_("作出机关"), max_length=128, required=False)
    record_types = forms.ModelMultipleChoiceField(
        label=_("可写记录类型"), queryset=RecordType.objects.all(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class ObjectionFileForm(forms.Form):
    """Public side: an enterprise disputes a record (no login). Pass to ``services.objection_file``."""

    name = forms.CharField(label=_("申请人（企业或代理人）"), max_length=128)
    contact = forms.CharField(label=_("联系方式"), max_length=128)
    reason = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class RepairApplyForm(forms.Form):
    """Public side: credit repair application (no login). Pass to ``services.repair_apply``."""

    name = forms.CharField(label=_("申请人（企业或代理人）"), max_length=128)
    contact = forms.CharField(label=_("联系方式"), max_length=128)
    reason = forms.CharField(
        label=_("申请理由及整改情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
