"""Who may read and change the credit archive. Every credit view, API endpoint and service asks here.

- Reading the office side (archive, queues, lists) needs a membership (or superuser).
- A record, list entry, objection or repair belongs to its *source*: a department in a region.
  Quality-office administrators may act for every source in their region and below; a department's
  liaison or leader only for its own department, in its organisation's region and below.
- Registering an enterprise is allowed to anyone who may write some record for the enterprise's region.
"""

from __future__ import annotations

from zhiliang.accounts.access import AnyUser, membership_of, writable_region_ids
from zhiliang.accounts.models import OrganisationKind, Role

DEPARTMENT_WRITER_ROLES = {Role.DEPARTMENT_LIAISON, Role.DEPARTMENT_LEADER}


def can_view_credit(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or membership_of(user) is not None


Scope = tuple[int | None, set[int] | None]


def credit_scope(user: AnyUser) -> Scope | None:
    """``(department_id, region_ids)`` the user may write for; None = may write nothing.

    ``department_id`` None means any department; ``region_ids`` None means every region.
    Cached on the user object: an import asks once per row.
    """
    cached = getattr(user, "_zhiliang_credit_scope", False)
    if cached is not False:
        return cached
    scope = _credit_scope(user)
    if user.is_authenticated:
        user._zhiliang_credit_scope = scope
    return scope


def _credit_scope(user: AnyUser) -> Scope | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return (None, None)
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role == Role.OFFICE_ADMIN:
        return (None, writable_region_ids(user))
    organisation = membership.organisation
    if (
        membership.role in DEPARTMENT_WRITER_ROLES
        and organisation.kind == OrganisationKind.DEPARTMENT
        and organisation.department_id is not None
    ):
        return (organisation.department_id, organisation.region.descendant_ids())
    return None


def can_write_any_record(user: AnyUser) -> bool:
    return credit_scope(user) is not None


def can_write_for_source(user: AnyUser, *, department_id: int, region_id: int) -> bool:
    """May *user* create or decide on things whose source is *department* in *region*?"""
    scope = credit_scope(user)
    if scope is None:
        return False
    dept, regions = scope
    return (dept is None or dept == department_id) and (regions is None or region_id in regions)


def can_write_record(user: AnyUser, record) -> bool:
    return can_write_for_source(
        user, department_id=record.source_department_id, region_id=record.source_region_id
    )


def can_decide_list_entry(user: AnyUser, entry) -> bool:
    return can_write_for_source(
        user, department_id=entry.source_department_id, region_id=entry.source_region_id
    )


def can_register_enterprise(user: AnyUser, *, region_id: int | None) -> bool:
    scope = credit_scope(user)
    if scope is None:
        return False
    _dept, regions = scope
    if regions is None:
        return True
    return region_id is not None and region_id in regions


def can_accept_uscc_warning(user: AnyUser) -> bool:
    """Accepting a code with a warning (e.g. a pilot code) is the quality office's call.

    It concerns the code's format, not jurisdiction, so any office admin (or superuser) may accept.
    """
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    membership = membership_of(user)
    return membership is not None and membership.role == Role.OFFICE_ADMIN


def can_manage_tokens(user: AnyUser, *, region_id: int) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    membership = membership_of(user)
    if membership is None or membership.role != Role.OFFICE_ADMIN:
        return False
    return region_id in (writable_region_ids(user) or set())


def can_run_grading(user: AnyUser) -> bool:
    """Re-grading everyone is an office admin's (or superuser's) action."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    membership = membership_of(user)
    return membership is not None and membership.role == Role.OFFICE_ADMIN
