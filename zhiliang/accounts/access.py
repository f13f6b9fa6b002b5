"""Who may see and change what. Every view, API endpoint and export asks here.

Regions scope visibility: a user sees plans of their organisation's region, the regions below it
(a provincial office sees its cities' plans) and above it (a city sees the provincial plan it
implements). Writes are narrower: only quality-office administrators import plans and decide
unit names, and only for their own region and below.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from zhiliang.accounts.models import Membership, Role

AnyUser = User | AnonymousUser


def membership_of(user: AnyUser) -> Membership | None:
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_zhiliang_membership", False)
    if cached is not False:
        return cached
    membership = (
        Membership.objects.select_related("organisation__region", "organisation__department")
        .filter(user=user)
        .first()
    )
    user._zhiliang_membership = membership  # one query per request, however often we ask
    return membership


def visible_region_ids(user: AnyUser) -> set[int] | None:
    """Region ids whose plans the user may read; None means every region."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return None
    membership = membership_of(user)
    if membership is None:
        return set()
    region = membership.organisation.region
    ids = region.descendant_ids()
    ids.update(r.pk for r in region.ancestors())
    return ids


def writable_region_ids(user: AnyUser) -> set[int] | None:
    """Region ids the user may import plans for; None means every region."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return None
    membership = membership_of(user)
    if membership is None or membership.role != Role.OFFICE_ADMIN:
        return set()
    return membership.organisation.region.descendant_ids()


def can_import_plans(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    membership = membership_of(user)
    return membership is not None and membership.role == Role.OFFICE_ADMIN


def can_review_units(user: AnyUser) -> bool:
    """Mapping unknown unit names to departments is the quality office's call."""
    return can_import_plans(user)
