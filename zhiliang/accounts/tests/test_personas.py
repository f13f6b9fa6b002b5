"""The shared personas (zhiliang/conftest.py) are what permission stories rely on."""

import pytest

from zhiliang.accounts.access import (
    can_import_plans,
    can_review_units,
    visible_region_ids,
    writable_region_ids,
)
from zhiliang.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_it_makes_the_office_admin_the_zhejiang_quality_office(office_admin, zhejiang, hangzhou):
    membership = office_admin.membership
    assert (membership.role, membership.organisation.region) == (Role.OFFICE_ADMIN, zhejiang)
    assert can_import_plans(office_admin) and can_review_units(office_admin)
    assert {zhejiang.pk, hangzhou.pk} <= writable_region_ids(office_admin)


def test_it_gives_the_department_liaison_the_qts_bureau(department_liaison):
    membership = department_liaison.membership
    assert membership.role == Role.DEPARTMENT_LIAISON
    assert membership.organisation.department.code == "QTS"
    assert not can_import_plans(department_liaison)
    assert writable_region_ids(department_liaison) == set()


def test_it_lets_the_city_liaison_see_hangzhou_and_the_province(city_liaison, zhejiang, hangzhou, anhui):
    visible = visible_region_ids(city_liaison)
    assert {zhejiang.pk, hangzhou.pk} <= visible
    assert anhui.pk not in visible


def test_it_keeps_the_leader_read_only(leader_view, zhejiang):
    assert leader_view.membership.organisation.region == zhejiang
    assert not can_import_plans(leader_view)


def test_it_puts_the_other_office_admin_in_anhui(other_office_admin, zhejiang, anhui):
    assert other_office_admin.membership.organisation.region == anhui
    assert zhejiang.pk not in writable_region_ids(other_office_admin)


def test_it_lets_the_superuser_do_everything(superuser):
    assert writable_region_ids(superuser) is None
    assert visible_region_ids(superuser) is None


def test_it_can_use_all_personas_together(office_admin, leader_view, department_liaison, city_liaison):
    assert office_admin.membership.organisation == leader_view.membership.organisation


def test_it_logs_a_client_in_as_a_persona(client_as, office_admin):
    client = client_as(office_admin)
    assert int(client.session["_auth_user_id"]) == office_admin.pk


def test_it_gives_personas_a_usable_password(office_admin):
    from zhiliang.factories import DEFAULT_PASSWORD

    assert office_admin.check_password(DEFAULT_PASSWORD)
