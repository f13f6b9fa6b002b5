import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from zhiliang.departments.models import AliasSource, Department, DepartmentAlias
from zhiliang.departments.services import department_alias_create

pytestmark = pytest.mark.django_db


def test_it_remembers_a_name_as_a_reviewed_alias(office_admin):
    qts = Department.objects.get(code="QTS")
    alias = department_alias_create(department=qts, name=" 省标准化研究院 ", user=office_admin)
    assert (alias.name, alias.source, alias.created_by) == (
        "省标准化研究院",
        AliasSource.REVIEW,
        office_admin,
    )


def test_it_records_who_created_the_alias(office_admin):
    alias = department_alias_create(
        department=Department.objects.get(code="QTS"), name="省标院", user=office_admin
    )
    entry = LogEntry.objects.get_for_object(alias).get()
    assert entry.actor == office_admin
    assert entry.action == LogEntry.Action.CREATE


def test_it_returns_the_existing_alias_for_the_same_department(office_admin):
    alias = department_alias_create(
        department=Department.objects.get(code="QTS"), name="省质监局", user=office_admin
    )
    assert alias.source == AliasSource.REFERENCE
    assert DepartmentAlias.objects.filter(name="省质监局").count() == 1


def test_it_refuses_a_name_taken_by_another_department(office_admin):
    with pytest.raises(ValidationError, match="已对应部门"):
        department_alias_create(
            department=Department.objects.get(code="AIC"), name="省质监局", user=office_admin
        )


def test_it_refuses_an_empty_name(office_admin):
    with pytest.raises(ValidationError):
        department_alias_create(department=Department.objects.get(code="QTS"), name="  ", user=office_admin)
