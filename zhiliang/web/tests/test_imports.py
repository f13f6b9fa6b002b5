"""Importing a plan through the web: upload or paste, preview, confirm, cancel, and who may."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from zhiliang.plans.models import PendingImport, Plan, PlanSource, Task, UnitReview
from zhiliang.plans.services import pending_import_create

pytestmark = pytest.mark.django_db


def upload(client, data: bytes, name: str = "zhejiang_2017.txt", **extra):
    return client.post(reverse("imports-new"), {"file": SimpleUploadedFile(name, data), "text": ""}, **extra)


def docx_bytes(text: str) -> bytes:
    from docx import Document

    document = Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def pending(office_admin, sample_plan_bytes) -> PendingImport:
    return pending_import_create(user=office_admin, data=sample_plan_bytes, file_name="zhejiang_2017.txt")


class TestUploadForm:
    def test_it_shows_the_upload_form_to_the_office(self, client_as, office_admin):
        response = client_as(office_admin).get(reverse("imports-new"))

        assert response.status_code == 200
        content = response.content.decode()
        assert "导入计划" in content
        assert 'name="file"' in content
        assert 'name="text"' in content

    def test_it_redirects_a_utf8_upload_to_its_preview(self, client_as, office_admin, sample_plan_bytes):
        response = upload(client_as(office_admin), sample_plan_bytes)

        pending = PendingImport.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("imports-preview", args=[pending.pk])
        assert pending.uploaded_by == office_admin
        assert pending.file_name == "zhejiang_2017.txt"
        assert Plan.objects.count() == 0  # nothing is written before the confirmation

    def test_it_reads_a_gb18030_file(self, client_as, office_admin, sample_plan_bytes):
        client = client_as(office_admin)
        data = sample_plan_bytes.decode("utf-8").encode("gb18030")

        response = upload(client, data, "浙江省2017年行动计划.txt", follow=True)

        assert response.status_code == 200
        content = response.content.decode()
        assert "浙江省2017年质量强省建设行动计划" in content
        assert "深入开展重点产品质量提升行动" in content

    def test_it_reads_a_docx_file(self, client_as, office_admin, sample_plan_bytes):
        client = client_as(office_admin)
        data = docx_bytes(sample_plan_bytes.decode("utf-8"))

        response = upload(client, data, "zhejiang_2017.docx", follow=True)

        assert response.status_code == 200
        content = response.content.decode()
        assert "浙江省2017年质量强省建设行动计划" in content
        assert "深入开展重点产品质量提升行动" in content
        assert PendingImport.objects.get().file_name == "zhejiang_2017.docx"

    def test_it_accepts_pasted_text(self, client_as, office_admin, sample_plan_bytes):
        client = client_as(office_admin)

        response = client.post(
            reverse("imports-new"), {"text": sample_plan_bytes.decode("utf-8")}, follow=True
        )

        assert response.status_code == 200
        pending = PendingImport.objects.get()
        assert pending.file_name.startswith("粘贴文本-")
        assert pending.file_name.endswith(".txt")
        assert "深入开展重点产品质量提升行动" in response.content.decode()

    def test_it_asks_for_a_file_or_text_when_the_form_is_empty(self, client_as, office_admin):
        response = client_as(office_admin).post(reverse("imports-new"), {"text": "   "})

        assert response.status_code == 200
        assert "请选择要上传的文件，或粘贴计划全文" in response.content.decode()
        assert PendingImport.objects.count() == 0

    def test_it_refuses_both_a_file_and_text(self, client_as, office_admin, sample_plan_bytes):
        response = client_as(office_admin).post(
            reverse("imports-new"),
            {"file": SimpleUploadedFile("a.txt", sample_plan_bytes), "text": "一些文字"},
        )

        assert response.status_code == 200
        assert "请只选择一种方式" in response.content.decode()

    def test_it_names_the_file_when_no_plan_is_found(self, client_as, office_admin):
        data = "这是一段与行动计划无关的文字。今天天气很好。".encode()

        response = upload(client_as(office_admin), data, "天气.txt")

        assert response.status_code == 200
        content = response.content.decode()
        assert "天气.txt" in content
        assert "未找到任何行动计划" in content
        assert PendingImport.objects.count() == 0

    def test_it_reports_an_empty_file_on_the_form(self, client_as, office_admin):
        response = upload(client_as(office_admin), b"", "空白.txt")

        assert response.status_code == 200
        content = response.content.decode()
        assert "空白.txt" in content
        assert "为空" in content

    def test_it_reports_a_broken_docx_on_the_form_instead_of_failing(self, client_as, office_admin):
        response = upload(client_as(office_admin), b"PK\x03\x04 not really a zip file", "坏文件.docx")

        assert response.status_code == 200
        content = response.content.decode()
        assert "坏文件.docx" in content
        assert PendingImport.objects.count() == 0

    def test_it_reports_binary_garbage_on_the_form(self, client_as, office_admin):
        response = upload(client_as(office_admin), bytes(range(256)) * 20, "乱码.txt")

        assert response.status_code == 200
        assert "乱码.txt" in response.content.decode()
        assert PendingImport.objects.count() == 0

    def test_it_refuses_an_unsupported_file_type(self, client_as, office_admin):
        response = upload(client_as(office_admin), b"%PDF-1.4", "plan.pdf")

        assert response.status_code == 200
        assert "格式不受支持" in response.content.decode()

    @override_settings(PLAN_UPLOAD_MAX_BYTES=1024)
    def test_it_refuses_a_file_over_the_size_limit(self, client_as, office_admin, sample_plan_bytes):
        response = upload(client_as(office_admin), sample_plan_bytes, "大文件.txt")

        assert response.status_code == 200
        content = response.content.decode()
        assert "大文件.txt" in content
        assert "上限" in content
        assert PendingImport.objects.count() == 0


class TestPreview:
    def test_it_shows_the_plans_meta_tasks_and_responsibilities(self, client_as, office_admin, pending):
        response = client_as(office_admin).get(reverse("imports-preview", args=[pending.pk]))

        assert response.status_code == 200
        content = response.content.decode()
        for expected in [
            "浙江省2017年质量强省建设行动计划",  # title
            "浙政办发〔2017〕48号",  # doc number
            "浙江省人民政府办公厅",  # issuer
            "2017-05-16",  # date
            "省级",  # level
            "深入开展重点产品质量提升行动",  # a task
            "chip-lead",  # responsibility chips by role
            "确认导入",
            reverse("imports-confirm", args=[pending.pk]),
            reverse("imports-cancel", args=[pending.pk]),
        ]:
            assert expected in content, expected

    def test_it_lists_the_parser_warnings(self, client_as, office_admin, pending):
        preview = pending._preview
        response = client_as(office_admin).get(reverse("imports-preview", args=[pending.pk]))

        content = response.content.decode()
        for warning in preview.warnings:
            assert warning in content

    def test_it_highlights_unknown_units_as_going_to_the_review_queue(self, client_as, office_admin):
        text = (
            "浙江省2017年质量提升试点行动计划\n\n一、重点任务\n\n"
            "（一）推进质量试点。开展质量试点示范工作。（省质监局牵头，省火星开发办配合）\n"
        )
        pending = pending_import_create(user=office_admin, data=text.encode(), file_name="试点.txt")

        response = client_as(office_admin).get(reverse("imports-preview", args=[pending.pk]))

        content = response.content.decode()
        assert "省火星开发办" in pending._preview.unknown_units
        assert "将进入待认定队列" in content
        assert "chip-unresolved" in content

    def test_it_says_when_the_same_file_was_imported_before(
        self, client_as, office_admin, imported_plan, pending
    ):
        response = client_as(office_admin).get(reverse("imports-preview", args=[pending.pk]))

        content = response.content.decode()
        assert "该文件已导入过" in content
        assert reverse("plans-detail", args=[imported_plan.pk]) in content

    def test_it_hides_another_users_pending_import(self, client_as, pending, superuser, django_user_model):
        from zhiliang import factories
        from zhiliang.accounts.models import Role

        colleague = factories.member(
            "colleague", organisation=factories.quality_office("330000"), role=Role.OFFICE_ADMIN
        )
        client = client_as(colleague)

        assert client.get(reverse("imports-preview", args=[pending.pk])).status_code == 404
        assert client.post(reverse("imports-confirm", args=[pending.pk])).status_code == 404
        assert client.post(reverse("imports-cancel", args=[pending.pk])).status_code == 404
        assert PendingImport.objects.filter(pk=pending.pk).exists()

    def test_a_superuser_may_see_any_pending_import(self, client_as, pending, superuser):
        assert client_as(superuser).get(reverse("imports-preview", args=[pending.pk])).status_code == 200

    def test_it_returns_404_for_an_unknown_pending_import(self, client_as, office_admin):
        url = reverse("imports-preview", args=["00000000-0000-0000-0000-000000000000"])
        assert client_as(office_admin).get(url).status_code == 404


class TestConfirm:
    def test_it_creates_the_plan_and_opens_it(self, client_as, office_admin, pending):
        client = client_as(office_admin)

        response = client.post(reverse("imports-confirm", args=[pending.pk]))

        plan = Plan.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("plans-detail", args=[plan.pk])
        assert plan.title == "浙江省2017年质量强省建设行动计划"
        assert plan.source.imported_by == office_admin
        assert not PendingImport.objects.filter(pk=pending.pk).exists()
        page = client.get(response.url)
        count = Task.objects.filter(plan=plan).count()
        assert count > 0
        assert f"已导入：浙江省2017年质量强省建设行动计划（{count} 项任务）" in page.content.decode()

    def test_the_same_file_again_opens_the_existing_plan(self, client_as, office_admin, sample_plan_bytes):
        client = client_as(office_admin)
        upload(client, sample_plan_bytes)
        client.post(reverse("imports-confirm", args=[PendingImport.objects.get().pk]))
        first = Plan.objects.get()

        upload(client, sample_plan_bytes, "again.txt")
        response = client.post(reverse("imports-confirm", args=[PendingImport.objects.get().pk]), follow=True)

        assert Plan.objects.count() == 1
        assert PlanSource.objects.count() == 1
        assert response.redirect_chain[-1][0] == reverse("plans-detail", args=[first.pk])
        assert "该文件已导入过，已打开现有计划" in response.content.decode()

    def test_it_queues_unknown_units_for_review(self, client_as, office_admin):
        text = (
            "浙江省2017年质量提升试点行动计划\n\n一、重点任务\n\n"
            "（一）推进质量试点。开展质量试点示范工作。（省质监局牵头，省火星开发办配合）\n"
        )
        pending = pending_import_create(user=office_admin, data=text.encode(), file_name="试点.txt")

        client_as(office_admin).post(reverse("imports-confirm", args=[pending.pk]))

        assert UnitReview.objects.filter(name="省火星开发办", status="open").exists()

    def test_it_refuses_a_plan_of_a_region_the_user_may_not_import(
        self, client_as, other_office_admin, sample_plan_bytes
    ):
        client = client_as(other_office_admin)  # 安徽 office, 浙江 plan
        upload(client, sample_plan_bytes)
        pending = PendingImport.objects.get()

        preview = client.get(reverse("imports-preview", args=[pending.pk]))
        response = client.post(reverse("imports-confirm", args=[pending.pk]), follow=True)

        assert "您无权导入这个地区的计划" in preview.content.decode()
        assert Plan.objects.count() == 0
        assert response.status_code == 200
        assert "无权导入" in response.content.decode()

    def test_cancel_forgets_the_upload(self, client_as, office_admin, pending):
        response = client_as(office_admin).post(reverse("imports-cancel", args=[pending.pk]), follow=True)

        assert not PendingImport.objects.filter(pk=pending.pk).exists()
        assert Plan.objects.count() == 0
        assert "已取消导入“zhejiang_2017.txt”" in response.content.decode()

    def test_confirm_and_cancel_refuse_get(self, client_as, office_admin, pending):
        client = client_as(office_admin)
        assert client.get(reverse("imports-confirm", args=[pending.pk])).status_code == 405
        assert client.get(reverse("imports-cancel", args=[pending.pk])).status_code == 405


class TestPermissions:
    @pytest.mark.parametrize("persona", ["department_liaison", "city_liaison", "leader_view"])
    def test_a_non_office_user_gets_403_on_every_import_endpoint(self, request, client_as, persona, pending):
        client = client_as(request.getfixturevalue(persona))

        assert client.get(reverse("imports-new")).status_code == 403
        assert client.post(reverse("imports-new"), {"text": "x"}).status_code == 403
        assert client.get(reverse("imports-preview", args=[pending.pk])).status_code == 403
        assert client.post(reverse("imports-confirm", args=[pending.pk])).status_code == 403
        assert client.post(reverse("imports-cancel", args=[pending.pk])).status_code == 403
        assert PendingImport.objects.filter(pk=pending.pk).exists()

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client):
        response = client.get(reverse("imports-new"))

        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts-login"))


class TestRobustness:
    def test_an_unexpected_parser_failure_is_reported_on_the_form(
        self, client_as, office_admin, sample_plan_bytes
    ):
        from unittest.mock import patch

        with patch(
            "zhiliang.web.views.imports.pending_import_create", autospec=True, side_effect=RuntimeError
        ):
            response = upload(client_as(office_admin), sample_plan_bytes, "出错.txt")

        assert response.status_code == 200
        assert "文件“出错.txt”：解析时出现意外错误" in response.content.decode()

    def test_a_superuser_may_confirm_someone_elses_upload(self, client_as, superuser, pending):
        response = client_as(superuser).post(reverse("imports-confirm", args=[pending.pk]))

        plan = Plan.objects.get()
        assert response.url == reverse("plans-detail", args=[plan.pk])
        assert plan.source.imported_by == superuser
