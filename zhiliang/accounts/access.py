"""Who may see and change what. Every view, API endpoint and export asks here.

Regions scope visibility: a user sees plans of their organisation's region, the regions below it
(a provincial office sees its cities' plans) and above it (a city sees the provincial plan it
implements). Writes are narrower: only quality-office administrators import plans and decide
unit names, and only for their own region and below.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from zhiliang.accounts.models import Membership, Role
from zhiliang.regions.models import Region

AnyUser = User | AnonymousUser


def membership_of(user: AnyUser) -> Membership | None:
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_zhiliang_membership", False)
    if cached is not False:
        return cached
    membership = (
        Membership.objects.select_related(
            # the region's ancestors too (at most three levels up), so ancestors() costs no query
            "organisation__region__parent__parent__parent",
            "organisation__department",
        )
        .filter(user=user)
        .first()
    )
    user._zhiliang_membership = membership  # one query per request, however often we ask
    return membership


def region_and_below_ids(user: AnyUser, region: Region) -> set[int]:
    """``region.descendant_ids()``, memoised on the user object (one query per request per region).

    Permission checks ask for the user's own region and below several times per request; the
    answer is cached next to the membership and handed out as a fresh set each time (callers may
    change it).
    """
    cache = getattr(user, "_zhiliang_region_below", None)
    if cache is None:
        cache = {}
        user._zhiliang_region_below = cache
    ids = cache.get(region.pk)
    if ids is None:
        ids = cache[region.pk] = frozenset(region.descendant_ids())
    return set(ids)


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
    cached = getattr(user, "_zhiliang_visible_regions", None)
    if cached is None or cached[0] != region.pk:
        ids = region_and_below_ids(user, region)
        ids.update(r.pk for r in region.ancestors())
        cached = (region.pk, frozenset(ids))
        user._zhiliang_visible_regions = cached  # once per request, however often we ask
    return set(cached[1])


def writable_region_ids(user: AnyUser) -> set[int] | None:
    """Region ids the user may import plans for; None means every region."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return None
    membership = membership_of(user)
    if membership is None or membership.role != Role.OFFICE_ADMIN:
        return set()
    return region_and_below_ids(user, membership.organisation.region)


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
