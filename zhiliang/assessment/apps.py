from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "zhiliang.assessment"
    verbose_name = _("质量工作考核")
