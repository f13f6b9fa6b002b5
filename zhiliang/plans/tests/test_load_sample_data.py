from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.core.management import call_command

from zhiliang.accounts.access import writable_region_ids
from zhiliang.accounts.models import Membership, Organisation, Role
from zhiliang.plans.models import Assignment, Plan, PlanSource, Task, UnitReview

pytestmark = pytest.mark.django_db

MODELS = [User, Organisation, Membership, PlanSource, Plan, Task, Assignment, UnitReview, LogEntry]


def load(*args) -> str:
    out = StringIO()
    call_command("load_sample_data", *args, stdout=out)
    return out.getvalue()


def test_it_creates_the_demo_organisations_logins_and_plans():
    out = load()
    assert Organisation.objects.count() == 6
    assert set(User.objects.values_list("username", flat=True)) == {
        "office", "qts", "qts_leader", "commerce", "hangzhou", "ningbo", "leader", "anhui_office", "admin",
    }  # fmt: skip
    assert Plan.objects.count() == 3
    assert set(Plan.objects.values_list("region__name", flat=True)) == {"浙江省", "杭州市"}
    assert all(source.imported_by.username == "office" for source in PlanSource.objects.all())
    assert "用户名" in out and "密码" in out and "机构" in out and "角色" in out
    assert "zhiliang-demo-2026" in out


def test_it_gives_each_login_its_role():
    load("--quiet")
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles["office"] == Role.OFFICE_ADMIN
    assert roles["qts_leader"] == Role.DEPARTMENT_LEADER
    assert roles["hangzhou"] == Role.CITY_LIAISON
    assert roles["anhui_office"] == Role.OFFICE_ADMIN
    assert Membership.objects.get(user__username="qts").organisation.department.code == "QTS"
    assert User.objects.get(username="admin").is_superuser
    assert writable_region_ids(User.objects.get(username="anhui_office")).isdisjoint(
        writable_region_ids(User.objects.get(username="office"))
    )


def test_it_changes_nothing_when_run_twice():
    load("--quiet")
    before = {model.__name__: model.objects.count() for model in MODELS}
    out = load()
    assert {model.__name__: model.objects.count() for model in MODELS} == before
    assert "已存在（内容相同）" in out


def test_it_takes_the_demo_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("ZHILIANG_DEMO_PASSWORD", "another-demo-password")
    load("--quiet")
    assert User.objects.get(username="office").check_password("another-demo-password")


def test_it_never_resets_a_changed_password():
    load("--quiet")
    office = User.objects.get(username="office")
    office.set_password("changed-by-the-user-1")
    office.save(update_fields=["password"])
    load("--quiet")
    office.refresh_from_db()
    assert office.check_password("changed-by-the-user-1")


def test_it_prints_nothing_when_quiet():
    assert load("--quiet") == ""


@pytest.mark.django_db
def test_it_loads_a_credit_registry_the_public_query_can_find():
    from zhiliang.credit.models import Enterprise, ListEntry
    from zhiliang.credit.search import search_enterprises

    call_command("load_sample_data", "--quiet", stdout=StringIO())
    call_command("load_sample_data", "--quiet", stdout=StringIO())  # idempotent
    assert Enterprise.objects.count() == 8
    black_listed = Enterprise.objects.get(uscc="913301004712035179")
    assert black_listed.current_grade().grade == "D"
    assert ListEntry.objects.filter(enterprise=black_listed, kind="black").count() == 1
    assert [e.uscc for e in search_enterprises("热水壶")] == [black_listed.uscc]
