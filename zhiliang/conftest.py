"""Shared pytest fixtures: named personas for permission stories, regions, and an imported plan.

Regions and departments are loaded by data migrations, so they exist in every test database.
Personas (one user, one organisation, one role each):

- ``office_admin``: 浙江省质量工作领导小组办公室, 质量办管理员 (imports plans, decides unit names)
- ``department_liaison``: 浙江省质量技术监督局 (QTS), 部门联络员
- ``city_liaison``: 杭州市人民政府, 市县联络员
- ``leader_view``: 浙江省质量工作领导小组办公室, 领导查阅 (read only)
- ``other_office_admin``: 安徽省质量工作领导小组办公室, 质量办管理员 (another province)
- ``superuser``: no membership, sees and may do everything
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from zhiliang import factories
from zhiliang.accounts.models import Role
from zhiliang.regions.models import Region

SAMPLE_PLANS_DIR = Path(__file__).resolve().parent / "sample_data" / "plans"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """PBKDF2 at production strength costs about a second per persona; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings) -> None:
    """The manifest storage needs collectstatic; tests render templates without it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def zhejiang(db) -> Region:
    return Region.objects.get(code="330000")


@pytest.fixture
def hangzhou(db) -> Region:
    return Region.objects.get(code="330100")


@pytest.fixture
def anhui(db) -> Region:
    return Region.objects.get(code="340000")


@pytest.fixture
def office_admin(db) -> User:
    return factories.member(
        "office_admin", organisation=factories.quality_office("330000"), role=Role.OFFICE_ADMIN
    )


@pytest.fixture
def department_liaison(db) -> User:
    organisation = factories.department_organisation("QTS", "浙江省质量技术监督局")
    return factories.member("department_liaison", organisation=organisation, role=Role.DEPARTMENT_LIAISON)


@pytest.fixture
def city_liaison(db) -> User:
    return factories.member(
        "city_liaison", organisation=factories.government("330100"), role=Role.CITY_LIAISON
    )


@pytest.fixture
def leader_view(db) -> User:
    return factories.member(
        "leader_view", organisation=factories.quality_office("330000"), role=Role.LEADER_VIEW
    )


@pytest.fixture
def other_office_admin(db) -> User:
    return factories.member(
        "other_office_admin", organisation=factories.quality_office("340000"), role=Role.OFFICE_ADMIN
    )


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("superuser", "superuser@example.org", factories.DEFAULT_PASSWORD)


@pytest.fixture
def sample_plan_bytes() -> bytes:
    """The bundled provincial sample plan (浙江省 2017)."""
    return (SAMPLE_PLANS_DIR / "zhejiang_2017.txt").read_bytes()


@pytest.fixture
def imported_plan(office_admin, sample_plan_bytes):
    """The provincial sample plan imported by ``office_admin``; returns the Plan."""
    from zhiliang.plans.services import plan_import_confirm

    result = plan_import_confirm(data=sample_plan_bytes, file_name="zhejiang_2017.txt", importer=office_admin)
    return result.plans[0]


@pytest.fixture
def client_as(db) -> Callable[[User], Client]:
    """``client_as(user)`` returns a django.test.Client logged in as *user*."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
