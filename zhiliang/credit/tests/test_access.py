"""credit.access: who may write for which source (department × region)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from zhiliang import factories
from zhiliang.credit import access

pytestmark = pytest.mark.django_db


def source(code: str = "QTS", region: str = "330000") -> dict:
    return {"department_id": factories.department(code).pk, "region_id": factories.region(region).pk}


def test_office_admin_writes_for_every_department_of_its_province(office_admin):
    assert access.can_write_for_source(office_admin, **source("QTS"))
    assert access.can_write_for_source(office_admin, **source("AIC", "330100"))
    assert not access.can_write_for_source(office_admin, **source("QTS", "340000"))


def test_the_liaison_writes_only_for_its_department(department_liaison):
    assert access.can_write_for_source(department_liaison, **source("QTS", "330100"))
    assert not access.can_write_for_source(department_liaison, **source("AIC"))
    assert not access.can_write_for_source(department_liaison, **source("QTS", "340000"))


def test_read_only_roles_and_strangers_write_nothing(city_liaison, leader_view, other_office_admin):
    for user in (city_liaison, leader_view, AnonymousUser()):
        assert access.credit_scope(user) is None
    assert not access.can_write_for_source(other_office_admin, **source())
    assert access.can_view_credit(city_liaison) and not access.can_view_credit(AnonymousUser())


def test_superusers_write_everywhere(superuser):
    assert access.can_write_for_source(superuser, **source("FDA", "340000"))
    assert access.can_accept_uscc_warning(superuser) and access.can_manage_tokens(superuser, region_id=1)


def test_only_office_admins_accept_code_warnings(office_admin, department_liaison):
    assert access.can_accept_uscc_warning(office_admin)
    assert not access.can_accept_uscc_warning(department_liaison)


def test_the_load_defaults_command_is_idempotent_and_dry_by_default():
    from io import StringIO

    from django.core.management import call_command

    from zhiliang.credit.models import GradingScheme, RecordType

    RecordType.objects.filter(code="PENALTY").update(display_months=1)
    out = StringIO()
    call_command("credit_load_defaults", stdout=out)
    assert "演练模式" in out.getvalue() and RecordType.objects.get(code="PENALTY").display_months == 1
    call_command("credit_load_defaults", "--commit", stdout=out)
    assert RecordType.objects.get(code="PENALTY").display_months == 36
    assert GradingScheme.objects.filter(is_default=True).count() == 1
