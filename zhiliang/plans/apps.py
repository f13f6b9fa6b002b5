from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "zhiliang.plans"
    verbose_name = _("行动计划")

    def ready(self) -> None:
        from zhiliang.plans import audit  # noqa: F401  (registers models with auditlog)
