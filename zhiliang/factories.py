"""factory_boy factories for domain rows. Regions and departments come from data migrations:
factories look them up by code instead of creating them."""

from __future__ import annotations

import hashlib

import factory
from django.contrib.auth.models import User

from zhiliang.accounts.models import Membership, Organisation, OrganisationKind, Role
from zhiliang.departments.models import Department
from zhiliang.plans.models import (
    Assignment,
    Deadline,
    Measure,
    Plan,
    PlanSource,
    Section,
    SectionKind,
    Target,
    Task,
    UnitReview,
)
from zhiliang.plans.models import Role as AssignmentRole
from zhiliang.regions.models import Region

DEFAULT_PASSWORD = "zhiliang-test-password"  # noqa: S105 (test-only)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def department(code: str) -> Department:
    return Department.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save(update_fields=["password"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("region", "name")

    name = factory.Sequence(lambda n: f"浙江省测试单位{n}")
    kind = OrganisationKind.DEPARTMENT
    region = factory.LazyFunction(lambda: region("330000"))
    department = None


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.DEPARTMENT_LIAISON


def member(username: str, *, organisation: Organisation, role: str) -> User:
    """A user with one membership: the shape of every persona."""
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def quality_office(region_code: str = "330000") -> Organisation:
    r = region(region_code)
    return OrganisationFactory(
        name=f"{r.name}质量工作领导小组办公室",
        kind=OrganisationKind.QUALITY_OFFICE,
        region=r,
        department=department("QUALITY_OFFICE"),
    )


def department_organisation(code: str, name: str, region_code: str = "330000") -> Organisation:
    return OrganisationFactory(
        name=name, kind=OrganisationKind.DEPARTMENT, region=region(region_code), department=department(code)
    )


def government(region_code: str) -> Organisation:
    r = region(region_code)
    return OrganisationFactory(
        name=f"{r.name}人民政府", kind=OrganisationKind.GOVERNMENT, region=r, department=department("GOV")
    )


class PlanSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanSource

    file_name = factory.Sequence(lambda n: f"计划{n}.txt")
    text = factory.Sequence(lambda n: f"测试计划原文{n}")
    content_hash = factory.LazyAttribute(lambda s: hashlib.sha256(s.text.encode()).hexdigest())
    size = factory.LazyAttribute(lambda s: len(s.text.encode()))
    encoding = "utf-8"
    format = "text"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    source = factory.SubFactory(PlanSourceFactory)
    ordinal = 1
    title = factory.Sequence(lambda n: f"浙江省质量提升{2017 + n % 3}年行动计划")
    year = 2017
    region_name = "浙江省"
    region = factory.LazyFunction(lambda: region("330000"))
    level = "province"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    label = "一、"
    title = "重点任务"
    kind = SectionKind.TASKS


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    section = factory.SubFactory(SectionFactory)
    plan = factory.SelfAttribute("section.plan")
    number = factory.Sequence(lambda n: n + 1)
    label = "（一）"
    title = "提升产品质量"
    text = factory.LazyAttribute(lambda t: f"{t.title}。加强质量监管。")
    source_ref = factory.Sequence(lambda n: f"test-{n:06d}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    task = factory.SubFactory(TaskFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "加强质量监管。"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    task = factory.SubFactory(TaskFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = "省质监局"
    role = AssignmentRole.LEAD
    department = factory.LazyFunction(lambda: department("QTS"))
    resolved_by = "parser"


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    task = factory.SubFactory(TaskFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "新增浙江名牌产品100个"
    subject = "浙江名牌产品"
    value = 100
    unit = "个"


class DeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deadline

    task = factory.SubFactory(TaskFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "年内"


class UnitReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitReview
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"省未知单位{n}")
