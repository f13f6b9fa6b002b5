"""Which models keep an audit history (who changed what, when) through django-auditlog."""

from auditlog.registry import auditlog

from zhiliang.departments.models import DepartmentAlias
from zhiliang.plans.models import Assignment, Plan, UnitReview

auditlog.register(Plan, exclude_fields=["warnings"])
auditlog.register(Assignment)
auditlog.register(UnitReview)
auditlog.register(DepartmentAlias)
