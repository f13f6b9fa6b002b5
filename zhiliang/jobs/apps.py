from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "zhiliang.jobs"
    verbose_name = _("定时任务")
