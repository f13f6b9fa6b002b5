"""Forms of the management pages: the plan upload, the unit-review decision and its tabs."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zhiliang.departments.models import Department
from zhiliang.plans.models import UnitReviewStatus
from zhiliang.plans.services import pasted_text_file_name

UPLOAD_SUFFIXES = (".txt", ".text", ".docx", ".html", ".htm")


def _limit_mb() -> int:
    return max(1, settings.PLAN_UPLOAD_MAX_BYTES // (1024 * 1024))


class PlanUploadForm(forms.Form):
    """One plan document: an uploaded file (.txt in any encoding, .docx, .html) or pasted text."""

    file = forms.FileField(
        label=_("计划文件"),
        required=False,
        allow_empty_file=True,  # clean_file says which file was empty
        help_text=_("支持 .txt（任意编码）、.docx、.html 文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(UPLOAD_SUFFIXES)}),
    )
    text = forms.CharField(
        label=_("或粘贴全文"),
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 12, "placeholder": _("把行动计划（含印发通知）的全文粘贴到这里")}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        name = PurePath(upload.name or "").name
        if not name.lower().endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError(
                _("文件“%(name)s”的格式不受支持，请上传 .txt、.docx 或 .html 文件"), params={"name": name}
            )
        if upload.size > settings.PLAN_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("文件“%(name)s”超过 %(mb)d MB 上限"), params={"name": name, "mb": _limit_mb()}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("文件“%(name)s”为空"), params={"name": name})
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if self.errors:
            return cleaned
        if upload and text.strip():
            raise forms.ValidationError(_("请只选择一种方式：上传文件或粘贴全文"))
        if not upload and not text.strip():
            raise forms.ValidationError(_("请选择要上传的文件，或粘贴计划全文"))
        if not upload and len(text.encode("utf-8")) > settings.PLAN_UPLOAD_MAX_BYTES:
            self.add_error(
                "text", forms.ValidationError(_("粘贴的文本超过 %(mb)d MB 上限"), params={"mb": _limit_mb()})
            )
        return cleaned

    def document(self) -> tuple[bytes, str]:
        """(bytes, file name) of the valid form's document; pasted text is stored as UTF-8 .txt."""
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(), PurePath(upload.name).name
        return self.cleaned_data["text"].encode("utf-8"), pasted_text_file_name()


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return f"{obj.code} · {obj.canonical_name}"


class UnitReviewMapForm(forms.Form):
    """Which department a unit name means."""

    department = DepartmentChoiceField(
        label=_("认定为"),
        queryset=Department.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("选择部门…"),
        error_messages={
            "required": _("请选择部门"),
            "invalid_choice": _("没有这个部门，请从列表中选择"),
        },
    )


class UnitReviewFilterForm(forms.Form):
    """The review queue's tab (open or decided names) and a name filter."""

    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[(UnitReviewStatus.OPEN, _("待认定")), (UnitReviewStatus.MAPPED, _("已认定"))],
    )
    q = forms.CharField(
        label=_("单位名称"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("按名称筛选")}),
    )

    def options(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"status": data.get("status") or UnitReviewStatus.OPEN, "q": (data.get("q") or "").strip()}
