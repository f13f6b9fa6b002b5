import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from zhiliang.plans.models import PendingImport, Plan, PlanSource
from zhiliang.plans.services import (
    PlanImportError,
    pending_import_confirm,
    pending_import_create,
    pending_import_preview,
    pending_import_purge,
)
from zhiliang.sample_data.loader import PLANS_DIR

pytestmark = pytest.mark.django_db


def test_it_keeps_an_upload_until_it_is_confirmed(office_admin, sample_plan_bytes):
    pending = pending_import_create(user=office_admin, data=sample_plan_bytes, file_name="zhejiang_2017.txt")
    stored = PendingImport.objects.get(pk=pending.pk)
    assert bytes(stored.data) == sample_plan_bytes
    assert stored.uploaded_by == office_admin
    assert not Plan.objects.exists()


def test_it_fails_early_on_a_bad_file(office_admin):
    with pytest.raises(PlanImportError, match="未找到任何行动计划"):
        pending_import_create(user=office_admin, data="没有计划的文字。".encode(), file_name="x.txt")
    assert not PendingImport.objects.exists()


def test_it_refuses_uploads_from_users_who_may_not_import(department_liaison, sample_plan_bytes):
    with pytest.raises(PermissionDenied):
        pending_import_create(user=department_liaison, data=sample_plan_bytes, file_name="zhejiang_2017.txt")


def test_it_previews_a_stored_upload(office_admin, sample_plan_bytes):
    pending = pending_import_create(user=office_admin, data=sample_plan_bytes, file_name="zhejiang_2017.txt")
    reloaded = PendingImport.objects.get(pk=pending.pk)
    preview = pending_import_preview(pending=reloaded)
    assert preview.plans[0]["title"] == "浙江省2017年质量强省建设行动计划"
    assert preview.file_name == "zhejiang_2017.txt"


def test_it_imports_on_confirm_and_forgets_the_upload(office_admin, sample_plan_bytes):
    pending = pending_import_create(user=office_admin, data=sample_plan_bytes, file_name="zhejiang_2017.txt")
    result = pending_import_confirm(pending=PendingImport.objects.get(pk=pending.pk), user=office_admin)
    assert result.created
    assert result.plans[0].source.imported_by == office_admin
    assert not PendingImport.objects.exists()


def test_it_refuses_another_provinces_plan_and_keeps_the_upload(other_office_admin, sample_plan_bytes):
    pending = pending_import_create(
        user=other_office_admin, data=sample_plan_bytes, file_name="zhejiang_2017.txt"
    )
    with pytest.raises(PlanImportError, match="无权导入浙江省地区的计划"):
        pending_import_confirm(pending=pending, user=other_office_admin)
    assert PendingImport.objects.filter(pk=pending.pk).exists()
    assert not PlanSource.objects.exists()


def test_it_lets_a_provincial_office_import_a_city_plan(office_admin):
    data = (PLANS_DIR / "hangzhou_2017.txt").read_bytes()
    pending = pending_import_create(user=office_admin, data=data, file_name="hangzhou_2017.txt")
    assert pending_import_confirm(pending=pending, user=office_admin).plans[0].region.name == "杭州市"


def test_it_lets_only_the_uploader_confirm(office_admin, other_office_admin, sample_plan_bytes):
    pending = pending_import_create(user=office_admin, data=sample_plan_bytes, file_name="zhejiang_2017.txt")
    with pytest.raises(PermissionDenied):
        pending_import_confirm(pending=pending, user=other_office_admin)


def test_it_lets_a_superuser_import_any_region(superuser, sample_plan_bytes):
    pending = pending_import_create(user=superuser, data=sample_plan_bytes, file_name="zhejiang_2017.txt")
    assert pending_import_confirm(pending=pending, user=superuser).created


def test_it_returns_the_existing_plans_when_confirming_known_bytes(
    imported_plan, office_admin, sample_plan_bytes
):
    pending = pending_import_create(user=office_admin, data=sample_plan_bytes, file_name="again.txt")
    assert pending_import_preview(pending=pending).existing_plans == [imported_plan]
    result = pending_import_confirm(pending=pending, user=office_admin)
    assert (result.created, result.plans) == (False, [imported_plan])
    assert not PendingImport.objects.exists()


def test_it_purges_uploads_older_than_the_cutoff(office_admin, sample_plan_bytes):
    old = pending_import_create(user=office_admin, data=sample_plan_bytes, file_name="old.txt")
    fresh = pending_import_create(user=office_admin, data=sample_plan_bytes, file_name="fresh.txt")
    PendingImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert pending_import_purge(older_than=datetime.timedelta(days=1)) == 1
    assert list(PendingImport.objects.values_list("pk", flat=True)) == [fresh.pk]
