"""Exchange tokens for member departments: only a SHA-256 hash of each key is stored."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiliang.credit import access
from zhiliang.credit.models import ExchangeToken, RecordType
from zhiliang.departments.models import Department
from zhiliang.regions.models import Region

TOKEN_PREFIX_LENGTH = 8


@transaction.atomic
def exchange_token_create(
    *,
    actor: User | None,
    name: str,
    department: Department,
    region: Region,
    source_authority: str,
    record_types: Iterable[RecordType],
) -> tuple[ExchangeToken, str]:
    """Create a token; returns it with the plain key, which is shown once and never stored."""
    if actor is not None and not access.can_manage_tokens(actor, region_id=region.pk):
        raise PermissionDenied(_("无权为该地区的部门签发令牌"))
    record_types = list(record_types)
    if not record_types:
        raise ValidationError({"record_types": [_("请至少选择一种可写记录类型")]})
    key = "zl_" + secrets.token_urlsafe(32)
    token = ExchangeToken(
        name=name.strip(),
        department=department,
        region=region,
        source_authority=source_authority.strip()
        or f"{region.name}{department.canonical_name.removeprefix('省')}",
        key_prefix=key[3 : 3 + TOKEN_PREFIX_LENGTH],
        key_hash=ExchangeToken.hash_key(key),
        created_by=actor,
    )
    token.full_clean()
    token.save()
    token.record_types.set(record_types)
    return token, key


def exchange_token_authenticate(key: str) -> ExchangeToken | None:
    if not key:
        return None
    token = (
        ExchangeToken.objects.select_related("department", "region")
        .filter(key_hash=ExchangeToken.hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is not None:
        ExchangeToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


@transaction.atomic
def exchange_token_revoke(*, token: ExchangeToken, actor: User) -> ExchangeToken:
    if not access.can_manage_tokens(actor, region_id=token.region_id):
        raise PermissionDenied(_("无权停用该令牌"))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
