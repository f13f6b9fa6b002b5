"""Which supervision models keep an auditlog history (the readable timeline is TimelineEvent)."""

from auditlog.registry import auditlog

from zhiliang.supervision.models import (
    Evidence,
    ProgressReport,
    ReportDue,
    ReportingSchedule,
    ReviewDecision,
    TargetProgress,
    WorkItem,
)

auditlog.register(ReportingSchedule)
auditlog.register(WorkItem)
auditlog.register(ReportDue)
auditlog.register(ProgressReport)
auditlog.register(TargetProgress)
auditlog.register(Evidence)
auditlog.register(ReviewDecision)
