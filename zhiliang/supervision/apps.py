from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "zhiliang.supervision"
    verbose_name = _("督查督办")

    def ready(self) -> None:
        from zhiliang.supervision import audit  # noqa: F401  (registers models with auditlog)
