"""Who reads what through the API: every endpoint scopes its rows with ``visible_region_ids``.

Reading needs a signed-in user (the project-wide ``IsAuthenticated`` default); rows are then limited
to plans of the regions the user may see, exactly as on the HTML pages and exports.
"""

from __future__ import annotations

from django.db.models import Q

from zhiliang.accounts.access import AnyUser, visible_region_ids
from zhiliang.plans.models import Plan, PlanQuerySet, Task


def plans_visible_to(user: AnyUser) -> PlanQuerySet:
    return Plan.objects.visible_to_regions(visible_region_ids(user))


def tasks_visible_to(user: AnyUser):
    region_ids = visible_region_ids(user)
    tasks = Task.objects.all()
    return tasks if region_ids is None else tasks.filter(plan__region_id__in=region_ids)


def visible_assignment_q(user: AnyUser, prefix: str = "assignments__") -> Q:
    """Q limiting a join through assignments to tasks of visible plans (empty Q: no limit)."""
    region_ids = visible_region_ids(user)
    if region_ids is None:
        return Q()
    return Q(**{f"{prefix}task__plan__region_id__in": region_ids})
