"""Supervision personas and a small issued plan.

The plan (浙江省, 2017) has two tasks:

- task 1 「打造浙江制造」: lead 省质监局 (QTS: ``department_liaison``), assist 省经信委 (EIC:
  ``assist_liaison``); one target with a per-city breakdown (杭州 / 宁波); deadline 2017-09-30.
- task 2 「营造质量文化」: lead 各市、县人民政府 (LOCAL_GOVS → 杭州市人民政府: ``city_liaison``).

``department_leader`` approves QTS's reports.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from zhiliang import factories
from zhiliang.accounts.models import Role
from zhiliang.plans.models import Role as AssignmentRole
from zhiliang.plans.models import TargetBreakdown


@pytest.fixture
def department_leader(department_liaison):
    organisation = department_liaison.membership.organisation
    return factories.member("department_leader", organisation=organisation, role=Role.DEPARTMENT_LEADER)


@pytest.fixture
def assist_liaison(db):
    organisation = factories.department_organisation("EIC", "浙江省经济和信息化委员会")
    return factories.member("assist_liaison", organisation=organisation, role=Role.DEPARTMENT_LIAISON)


@pytest.fixture
def other_city_liaison(db):
    return factories.member(
        "other_city_liaison", organisation=factories.government("330200"), role=Role.CITY_LIAISON
    )


@pytest.fixture
def small_plan(db, department_liaison, assist_liaison, city_liaison, other_city_liaison):
    plan = factories.PlanFactory(title="浙江省质量提升2017年行动计划")
    section = factories.SectionFactory(plan=plan, number=1)
    t1 = factories.TaskFactory(section=section, plan=plan, number=1, label="（一）", title="打造浙江制造")
    factories.AssignmentFactory(
        task=t1, name="省质监局", role=AssignmentRole.LEAD, department=factories.department("QTS")
    )
    factories.AssignmentFactory(
        task=t1, name="省经信委", role=AssignmentRole.ASSIST, department=factories.department("EIC")
    )
    factories.DeadlineFactory(task=t1, text="2017年9月底前", date=datetime.date(2017, 9, 30))
    target = factories.TargetFactory(
        task=t1, text="新增浙江制造标准120项", subject="浙江制造标准", value=120, unit="项"
    )
    TargetBreakdown.objects.create(
        target=target, region_name="杭州市", region=factories.region("330100"), value=Decimal(30)
    )
    TargetBreakdown.objects.create(
        target=target, region_name="宁波市", region=factories.region("330200"), value=Decimal(20)
    )
    t2 = factories.TaskFactory(section=section, plan=plan, number=2, label="（二）", title="营造质量文化")
    factories.AssignmentFactory(
        task=t2,
        name="各市、县人民政府",
        role=AssignmentRole.LEAD,
        department=factories.department("LOCAL_GOVS"),
    )
    return plan


@pytest.fixture
def issued_plan(small_plan, office_admin, settings):
    from zhiliang.supervision.services import plan_issue

    plan_issue(
        plan=small_plan,
        kind="quarterly",
        default_due_date=datetime.date(2017, 12, 31),
        user=office_admin,
    )
    return small_plan


@pytest.fixture(autouse=True)
def _plain_static_and_private_media(settings, tmp_path):
    # Pages render {% static %} without collectstatic; evidence files land in a throwaway folder.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
