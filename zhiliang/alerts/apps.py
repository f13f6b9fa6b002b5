from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "zhiliang.alerts"
    verbose_name = "督办提醒与统计"
    default_auto_field = "django.db.models.BigAutoField"
