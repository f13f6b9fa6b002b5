"""Which assessment models keep an auditlog history: every score, override, adjustment and decision."""

from auditlog.registry import auditlog

from zhiliang.assessment.models import (
    Assessment,
    AssessmentScheme,
    Bulletin,
    Indicator,
    IndicatorScore,
    Rectification,
    ScoreAdjustment,
    ScoreEvidence,
    TargetFiling,
    VetoFinding,
)

auditlog.register(AssessmentScheme)
auditlog.register(Indicator)
auditlog.register(Assessment, exclude_fields=["computed_at"])
auditlog.register(TargetFiling)
auditlog.register(IndicatorScore)
auditlog.register(ScoreEvidence)
auditlog.register(ScoreAdjustment)
auditlog.register(VetoFinding)
auditlog.register(Bulletin, exclude_fields=["results"])
auditlog.register(Rectification)
