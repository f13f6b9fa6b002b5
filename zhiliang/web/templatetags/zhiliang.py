"""Small template helpers for the browsing pages: permissions, numbers, role styling."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from zhiliang.accounts import access

register = template.Library()


@register.filter
def can_import_plans(user) -> bool:
    return access.can_import_plans(user)


@register.filter
def can_review_units(user) -> bool:
    return access.can_review_units(user)


@register.filter
def num(value) -> str:
    """A decimal without trailing zeros: Decimal('12.5000') → '12.5', Decimal('30.0000') → '30'."""
    if value is None or value == "":
        return ""
    try:
        d = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return format(d.normalize(), "f")
