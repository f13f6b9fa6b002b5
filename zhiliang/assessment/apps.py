from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "zhiliang.assessment"
    verbose_name = _("质量工作考核")

    def ready(self) -> None:
        from zhiliang.assessment import audit  # noqa: F401  (registers models with auditlog)
