"""Load the demo organisations, logins and sample plans; idempotent (a second run changes nothing)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from zhiliang.accounts.models import Membership, Organisation, OrganisationKind, Role
from zhiliang.departments.models import Department
from zhiliang.plans.services import ImportResult, plan_import_confirm
from zhiliang.regions.models import Region

PLANS_DIR = Path(__file__).resolve().parent / "plans"
# Invented enterprises with valid codes, so the public credit query has something to find.
CREDIT_RECORDS = Path(__file__).resolve().parent / "credit" / "records.csv"
SAMPLE_PLANS = ["zhejiang_2017.txt", "zhejiang_2018.txt", "hangzhou_2017.txt"]
DEFAULT_DEMO_PASSWORD = "zhiliang-demo-2026"  # noqa: S105 (a published demo password, not a secret)

# (name, kind, region code, department code)
ORGANISATIONS = [
    ("浙江省质量工作领导小组办公室", OrganisationKind.QUALITY_OFFICE, "330000", "QUALITY_OFFICE"),
    ("浙江省质量技术监督局", OrganisationKind.DEPARTMENT, "330000", "QTS"),
    ("浙江省商务厅", OrganisationKind.DEPARTMENT, "330000", "COMMERCE"),
    ("杭州市人民政府", OrganisationKind.GOVERNMENT, "330100", "GOV"),
    ("宁波市人民政府", OrganisationKind.GOVERNMENT, "330200", "GOV"),
    ("安徽省质量工作领导小组办公室", OrganisationKind.QUALITY_OFFICE, "340000", "QUALITY_OFFICE"),
]

# (username, organisation name, role)
LOGINS = [
    ("office", "浙江省质量工作领导小组办公室", Role.OFFICE_ADMIN),
    ("qts", "浙江省质量技术监督局", Role.DEPARTMENT_LIAISON),
    ("qts_leader", "浙江省质量技术监督局", Role.DEPARTMENT_LEADER),
    ("commerce", "浙江省商务厅", Role.DEPARTMENT_LIAISON),
    ("hangzhou", "杭州市人民政府", Role.CITY_LIAISON),
    ("ningbo", "宁波市人民政府", Role.CITY_LIAISON),
    ("leader", "浙江省质量工作领导小组办公室", Role.LEADER_VIEW),
    ("anhui_office", "安徽省质量工作领导小组办公室", Role.OFFICE_ADMIN),
]


@dataclass
class Login:
    username: str
    organisation: str
    role: str
    created: bool


@dataclass
class SampleDataResult:
    password: str
    logins: list[Login]
    imports: list[tuple[str, ImportResult]]
    credit_enterprises: int = 0


def demo_password() -> str:
    return os.environ.get("ZHILIANG_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def _user(username: str, password: str, *, superuser: bool = False) -> tuple[User, bool]:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False  # never reset a password someone may have changed
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.org", password), True
    return User.objects.create_user(username, f"{username}@example.org", password), True


@transaction.atomic
def sample_data_load(*, password: str | None = None) -> SampleDataResult:
    password = password or demo_password()
    organisations: dict[str, Organisation] = {}
    for name, kind, region_code, department_code in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.get_or_create(
            region=Region.objects.get(code=region_code),
            name=name,
            defaults={"kind": kind, "department": Department.objects.get(code=department_code)},
        )
    logins: list[Login] = []
    for username, organisation_name, role in LOGINS:
        user, created = _user(username, password)
        organisation = organisations[organisation_name]
        Membership.objects.get_or_create(user=user, defaults={"organisation": organisation, "role": role})
        logins.append(Login(username, organisation.name, Role(role).label, created))
    admin, created = _user("admin", password, superuser=True)
    logins.append(Login(admin.username, "—", "系统管理员", created))

    office = User.objects.get(username="office")
    imports = [
        (name, plan_import_confirm(data=(PLANS_DIR / name).read_bytes(), file_name=name, importer=office))
        for name in SAMPLE_PLANS
    ]
    return SampleDataResult(
        password=password, logins=logins, imports=imports, credit_enterprises=_load_credit_sample(office)
    )


def _load_credit_sample(office: User) -> int:
    """Import the sample credit records once, then black-list and red-list one enterprise each."""
    from zhiliang.credit.imports import credit_records_import
    from zhiliang.credit.lists import list_entry_create
    from zhiliang.credit.models import Enterprise, ListCriterion

    if Enterprise.objects.exists():
        return 0  # a registry that already has data is left alone
    report = credit_records_import(
        data=CREDIT_RECORDS.read_bytes(), file_name=CREDIT_RECORDS.name, actor=office
    )
    if not report.ok:
        raise RuntimeError(f"sample credit records failed to import: {report.errors}")
    market = Department.objects.get(code="MARKET")
    zhejiang = Region.objects.get(code="330000")
    for uscc, criterion_code, reason in (
        ("913301004712035179", "BL_SERIOUS_PENALTY", "电热水壶复查仍不合格并被责令停产停业"),
        ("91330200614532976W", "RL_QUALITY_AWARD", "获浙江省人民政府质量奖，近三年无不良信用记录"),
    ):
        criterion = ListCriterion.objects.get(code=criterion_code)
        list_entry_create(
            enterprise=Enterprise.objects.get(uscc=uscc),
            kind=criterion.kind,
            actor=office,
            reason=reason,
            source_department=market,
            source_region=zhejiang,
            source_authority="浙江省市场监督管理局",
            criterion=criterion,
        )
    return report.created_enterprises
