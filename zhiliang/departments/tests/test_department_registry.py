import pytest
from django.core.management import call_command

from zhiliang.departments.models import AliasSource, Department, DepartmentAlias
from zhiliang.departments.services import department_registry_sync, department_rows

pytestmark = pytest.mark.django_db


def test_it_has_every_row_of_the_bundled_csv():
    rows = department_rows()
    assert len(rows) > 60
    stored = {d.code: d for d in Department.objects.all()}
    for row in rows:
        department = stored[row.code]
        assert department.canonical_name == row.canonical_name
        assert department.kind == row.kind
        assert department.successor_2018 == row.successor_2018


def test_it_knows_canonical_names_aliases_and_national_forms_as_aliases():
    qts = Department.objects.get(code="QTS")
    names = set(qts.aliases.values_list("name", flat=True))
    assert {"省质量技术监督局", "省质监局", "质监局", "质检总局"} <= names
    assert DepartmentAlias.objects.get(name="省发改委").department.code == "DRC"
    assert DepartmentAlias.objects.get(name="国家发展改革委").department.code == "DRC"


def test_it_marks_registry_aliases_as_reference():
    assert not DepartmentAlias.objects.exclude(source=AliasSource.REFERENCE).exists()


def test_it_gives_every_csv_name_exactly_one_alias():
    for row in department_rows():
        for name in row.names:
            assert DepartmentAlias.objects.get(name=name).department.code == row.code


def test_it_syncs_idempotently():
    aliases = DepartmentAlias.objects.count()
    result = department_registry_sync()
    assert (result.departments_created, result.departments_updated, result.aliases_created) == (0, 0, 0)
    assert DepartmentAlias.objects.count() == aliases


def test_it_restores_deleted_aliases_and_edited_names():
    DepartmentAlias.objects.filter(name="省质监局").delete()
    Department.objects.filter(code="QTS").update(canonical_name="质监")
    result = department_registry_sync()
    assert (result.departments_updated, result.aliases_created) == (1, 1)
    assert Department.objects.get(code="QTS").canonical_name == "省质量技术监督局"
    assert DepartmentAlias.objects.filter(name="省质监局").exists()


def test_it_never_overwrites_a_reviewed_alias():
    DepartmentAlias.objects.filter(name="质监局").update(
        department=Department.objects.get(code="MARKET"), source=AliasSource.REVIEW
    )
    department_registry_sync()
    assert DepartmentAlias.objects.get(name="质监局").department.code == "MARKET"


def test_it_loads_departments_from_the_command():
    DepartmentAlias.objects.filter(name="省质监局").delete()
    from io import StringIO

    out = StringIO()
    call_command("load_departments", stdout=out)
    assert "别名：新增 1 个" in out.getvalue()
    assert DepartmentAlias.objects.filter(name="省质监局").exists()
