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
    text = format(d.normalize(), "f")
    return text


@register.filter
def role_mark(role: str) -> str:
    """The one-character mark of a role in the matrix: 牵 / 配 / 共."""
    return {"lead": "牵", "assist": "配", "shared": "共"}.get(role, "")
