import datetime
import hashlib

import pytest
from django.test import override_settings

from zhiliang.departments.models import AliasSource, Department, DepartmentAlias
from zhiliang.plans.models import Plan, PlanSource, Task
from zhiliang.plans.services import PlanImportError, pasted_text_file_name, plan_import_preview
from zhiliang.plans.tests.documents import plan_document

pytestmark = pytest.mark.django_db


def test_it_describes_the_file_and_its_plans(sample_plan_bytes):
    preview = plan_import_preview(data=sample_plan_bytes, file_name="zhejiang_2017.txt")
    assert preview.file_name == "zhejiang_2017.txt"
    assert preview.content_hash == hashlib.sha256(sample_plan_bytes).hexdigest()
    assert preview.size == len(sample_plan_bytes)
    assert (preview.format, preview.encoding) == ("text", "utf-8")
    [plan] = preview.plans
    assert plan["region"] == "浙江省"
    assert plan["year"] == 2017
    assert sum(len(s["tasks"]) for s in plan["sections"]) == 12
    assert preview.existing_plans == []
    assert preview.unknown_units == []


def test_it_writes_nothing(sample_plan_bytes):
    plan_import_preview(data=sample_plan_bytes, file_name="zhejiang_2017.txt")
    assert not PlanSource.objects.exists()
    assert not Task.objects.exists()


def test_it_lists_unit_names_no_department_or_alias_resolves():
    preview = plan_import_preview(data=plan_document(), file_name="要点.txt")
    assert preview.unknown_units == ["省标准化研究院"]
    assert any("省标准化研究院" in w for w in preview.warnings)


def test_it_counts_a_reviewed_alias_as_known():
    DepartmentAlias.objects.create(
        name="省标准化研究院", department=Department.objects.get(code="QTS"), source=AliasSource.REVIEW
    )
    preview = plan_import_preview(data=plan_document(), file_name="要点.txt")
    assert preview.unknown_units == []


def test_it_lists_plans_already_imported_from_the_same_bytes(imported_plan, sample_plan_bytes):
    preview = plan_import_preview(data=sample_plan_bytes, file_name="另一个名字.txt")
    assert preview.existing_plans == [imported_plan]
    assert preview.already_imported


def test_it_rejects_a_file_without_any_plan():
    with pytest.raises(PlanImportError) as excinfo:
        plan_import_preview(data="今天天气很好。\n我们去公园散步。\n".encode(), file_name="x.txt")
    assert str(excinfo.value) == "文件“x.txt”：未找到任何行动计划（没有可识别的标题或任务编号）"


def test_it_rejects_a_broken_word_document():
    with pytest.raises(PlanImportError, match="文件“x.docx”不是有效的 .docx"):
        plan_import_preview(data=b"PK\x03\x04 not really a zip file", file_name="x.docx")


def test_it_rejects_an_empty_file():
    with pytest.raises(PlanImportError, match="文件“空.txt”为空"):
        plan_import_preview(data=b"  \n", file_name="空.txt")


@override_settings(PLAN_UPLOAD_MAX_BYTES=20 * 1024 * 1024)
def test_it_rejects_files_over_the_size_limit():
    with pytest.raises(PlanImportError, match="超过 20 MB 上限"):
        plan_import_preview(data=b"x" * (20 * 1024 * 1024 + 1), file_name="big.txt")


def test_it_accepts_pasted_text_as_utf8_bytes():
    text = plan_document().decode()
    preview = plan_import_preview(data=text.encode("utf-8"), file_name=pasted_text_file_name())
    assert preview.file_name.startswith("粘贴文本-")
    assert len(preview.plans) == 1


def test_it_names_pasted_text_by_local_time():
    moment = datetime.datetime(2017, 5, 16, 1, 30, 0, tzinfo=datetime.UTC)
    assert pasted_text_file_name(moment) == "粘贴文本-20170516-093000.txt"


def test_it_reads_gb18030_text(sample_plan_bytes):
    data = sample_plan_bytes.decode("utf-8").encode("gb18030")
    preview = plan_import_preview(data=data, file_name="gbk.txt")
    assert preview.encoding == "gb18030"
    assert preview.plans[0]["title"] == "浙江省2017年质量强省建设行动计划"
    assert not Plan.objects.exists()
