"""Who may see and do what in an assessment. Views answer 404 for what a user may not read and
403 for what they may read but not do; services ask the same functions again.

- The **office** (质量办管理员 of the assessment's province) runs everything: schemes, stages,
  verification, final evaluation, the bulletin and rectification decisions. Superusers too.
- **Assessors** named on the assessment (experts, other office staff) may verify (实地核查).
- A **city** (市县联络员 of an assessed city's government) files targets, self-assesses, attaches
  evidence and writes its rectification report: its own city only. It sees the ranking once
  the bulletin is published.
- A **scoring department** (部门联络员 / 审核人 of a department in the province) scores the
  indicators assigned to its department, for every city.
- 领导查阅 of the office reads everything, changes nothing. Another province sees nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhiliang.accounts.access import AnyUser, membership_of
from zhiliang.accounts.models import OrganisationKind, Role


def _office_region_id(user: AnyUser, roles: tuple[str, ...]) -> int | None:
    m = membership_of(user)
    if m is None or m.role not in roles or m.organisation.kind != OrganisationKind.QUALITY_OFFICE:
        return None
    return m.organisation.region_id


def is_office(user: AnyUser, assessment_or_region_id) -> bool:  # noqa: ANN001
    """Quality-office administrator of the assessment's (or scheme's) region."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    region_id = getattr(assessment_or_region_id, "region_id", assessment_or_region_id)
    return _office_region_id(user, (Role.OFFICE_ADMIN,)) == region_id


def is_office_reader(user: AnyUser, assessment) -> bool:  # noqa: ANN001
    if is_office(user, assessment):
        return True
    return _office_region_id(user, (Role.LEADER_VIEW,)) == assessment.region_id


def can_manage_schemes(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or _office_region_id(user, (Role.OFFICE_ADMIN,)) is not None


def office_region_id(user: AnyUser) -> int | None:
    return _office_region_id(user, (Role.OFFICE_ADMIN,))


def city_of(user: AnyUser, assessment):  # noqa: ANN001, ANN201
    """The AssessmentCity the user speaks for, or None."""
    m = membership_of(user)
    if m is None or m.role != Role.CITY_LIAISON or m.organisation.kind != OrganisationKind.GOVERNMENT:
        return None
    return (
        assessment.cities.filter(organisation=m.organisation).select_related("region", "organisation").first()
    )


def scoring_department_id(user: AnyUser, assessment) -> int | None:  # noqa: ANN001
    """The department whose indicators the user scores in this assessment, or None."""
    m = membership_of(user)
    if m is None or m.role not in (Role.DEPARTMENT_LIAISON, Role.DEPARTMENT_LEADER):
        return None
    if m.organisation.kind != OrganisationKind.DEPARTMENT or m.organisation.department_id is None:
        return None
    if m.organisation.region_id != assessment.region_id:
        return None
    return m.organisation.department_id


def is_assessor(user: AnyUser, assessment) -> bool:  # noqa: ANN001
    if is_office(user, assessment):
        return True
    return user.is_authenticated and assessment.assessors.filter(pk=user.pk).exists()


def can_see_results(user: AnyUser, assessment) -> bool:  # noqa: ANN001
    """Ranking and every city's totals: the office and its readers at once, others once published."""
    from zhiliang.assessment.models import Stage

    if is_office_reader(user, assessment) or is_assessor(user, assessment):
        return True
    return assessment.stage_reached(Stage.PUBLISHED)


def can_see_city(user: AnyUser, assessment, city) -> bool:  # noqa: ANN001
    """A city's score sheet: the office, assessors, that city; departments see their rows only."""
    if is_office_reader(user, assessment) or is_assessor(user, assessment):
        return True
    own = city_of(user, assessment)
    return own is not None and own.pk == city.pk


def visible_assessments(user: AnyUser, qs: QuerySet) -> QuerySet:
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    m = membership_of(user)
    cond = Q(assessors=user)
    if m is not None:
        org = m.organisation
        if org.kind == OrganisationKind.QUALITY_OFFICE and m.role in (Role.OFFICE_ADMIN, Role.LEADER_VIEW):
            cond |= Q(region_id=org.region_id)
        elif org.kind == OrganisationKind.GOVERNMENT and m.role == Role.CITY_LIAISON:
            cond |= Q(cities__organisation=org)
        elif org.kind == OrganisationKind.DEPARTMENT and org.department_id:
            cond |= Q(region_id=org.region_id, scheme__indicators__department_id=org.department_id)
    return qs.filter(cond).distinct()
