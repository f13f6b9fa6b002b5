"""Who may see and change supervision work items. Every view, export and import asks here.

- Quality-office administrators issue plans, accept or return reports and close items, for plans of
  their own region and below; leader-view users of an office read the same items.
- Department liaisons and city liaisons sign and report for their own organisation's items.
- Department leaders approve or return their own organisation's reports.
- A lead unit also reads the items of the units assisting it on the same task (it consolidates them).
- Superusers see and may do everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from zhiliang.accounts.access import AnyUser, membership_of, region_and_below_ids
from zhiliang.accounts.models import OrganisationKind, Role

if TYPE_CHECKING:
    from zhiliang.plans.models import Plan
    from zhiliang.supervision.models import WorkItem, WorkItemQuerySet

UNIT_ROLES = (Role.DEPARTMENT_LIAISON, Role.DEPARTMENT_LEADER, Role.CITY_LIAISON)
REPORTING_ROLES = (Role.DEPARTMENT_LIAISON, Role.CITY_LIAISON)
OFFICE_ROLES = (Role.OFFICE_ADMIN, Role.LEADER_VIEW)


def _office_region_ids(user: AnyUser, roles: tuple[str, ...]) -> set[int] | None:
    """Regions an office user oversees (own region and below); None = all; empty = not an office user."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return None
    membership = membership_of(user)
    if (
        membership is None
        or membership.role not in roles
        or membership.organisation.kind != OrganisationKind.QUALITY_OFFICE
    ):
        return set()
    return region_and_below_ids(user, membership.organisation.region)


def visible_work_items(user: AnyUser, queryset: WorkItemQuerySet) -> WorkItemQuerySet:
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    membership = membership_of(user)
    if membership is None:
        return queryset.none()
    if membership.role in OFFICE_ROLES:
        region_ids = _office_region_ids(user, OFFICE_ROLES)
        return queryset.filter(task__plan__region_id__in=region_ids) if region_ids else queryset.none()
    if membership.role in UNIT_ROLES:
        org_id = membership.organisation_id
        return queryset.filter(Q(organisation_id=org_id) | Q(lead_item__organisation_id=org_id))
    return queryset.none()


def _is_member(user: AnyUser, item: WorkItem, roles: tuple[str, ...]) -> bool:
    membership = membership_of(user)
    return (
        membership is not None
        and membership.role in roles
        and membership.organisation_id == item.organisation_id
    )


def office_oversees(user: AnyUser, plan: Plan, *, roles: tuple[str, ...] = (Role.OFFICE_ADMIN,)) -> bool:
    region_ids = _office_region_ids(user, roles)
    return region_ids is None or (plan.region_id is not None and plan.region_id in region_ids)


def can_view_work_item(user: AnyUser, item: WorkItem) -> bool:
    from zhiliang.supervision.models import WorkItem

    return WorkItem.objects.for_user(user).filter(pk=item.pk).exists()


def can_issue_plan(user: AnyUser, plan: Plan) -> bool:
    return user.is_authenticated and office_oversees(user, plan)


def can_manage_work_item(user: AnyUser, item: WorkItem) -> bool:
    """Office decisions: accept or return reports, close the item, export or import for any unit."""
    return user.is_authenticated and office_oversees(user, item.task.plan)


def can_report(user: AnyUser, item: WorkItem) -> bool:
    """Sign the item, fill in and submit its reports, attach evidence (superusers too)."""
    return user.is_authenticated and (user.is_superuser or _is_member(user, item, REPORTING_ROLES))


def can_consolidate(user: AnyUser, lead_item: WorkItem) -> bool:
    return can_report(user, lead_item) and lead_item.is_consolidating


def can_leader_review(user: AnyUser, item: WorkItem) -> bool:
    return user.is_authenticated and (user.is_superuser or _is_member(user, item, (Role.DEPARTMENT_LEADER,)))


def is_office_user(user: AnyUser) -> bool:
    """Office admins and leader-view users (and superusers): they get the office work-item list."""
    return _office_region_ids(user, OFFICE_ROLES) != set()


def is_office_admin(user: AnyUser) -> bool:
    return _office_region_ids(user, (Role.OFFICE_ADMIN,)) != set()


def is_unit_user(user: AnyUser) -> bool:
    membership = membership_of(user)
    return user.is_authenticated and membership is not None and membership.role in UNIT_ROLES
