from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiliang.alerts.models import NoticeKind
from zhiliang.alerts.reports import Period


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=NoticeKind.choices, initial=NoticeKind.DUBAN)
    due_by = forms.DateField(label=_("办理时限"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("督办内容"), widget=forms.Textarea(attrs={"rows": 6}), max_length=4000)

    @classmethod
    def initial_for(cls, item) -> dict:  # noqa: ANN001
        return {
            "kind": NoticeKind.DUBAN,
            "due_by": timezone.localdate() + datetime.timedelta(days=7),
            "text": _(
                "你单位承担的“%(task)s”任务，报送期限 %(due)s 已过，至今未报送进展情况。"
                "请高度重视，抓紧推进，按时限报送办理情况及佐证材料。"
            )
            % {"task": item.task.title, "due": f"{item.next_due_on:%Y-%m-%d}" if item.next_due_on else ""},
        }


class PeriodForm(forms.Form):
    period = forms.CharField(label=_("报告期"), max_length=8, help_text=_("年度如 2017，季度如 2017Q3"))

    def clean_period(self) -> Period:
        return Period.parse(self.cleaned_data["period"])
