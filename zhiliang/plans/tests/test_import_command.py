from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhiliang.plans.models import Plan, PlanSource
from zhiliang.sample_data.loader import PLANS_DIR

pytestmark = pytest.mark.django_db

ZHEJIANG = str(PLANS_DIR / "zhejiang_2017.txt")
HANGZHOU = str(PLANS_DIR / "hangzhou_2017.txt")


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_previews_without_writing_by_default():
    out, err = run(ZHEJIANG)
    assert "计划标题：浙江省2017年质量强省建设行动计划" in out
    assert "年度：2017" in out
    assert "地区：浙江省" in out
    assert "任务数：12" in out
    assert "责任单位数：" in out
    assert "未识别单位：无" in out
    assert "未写入数据库（加 --commit 导入）" in out
    assert err == ""
    assert not PlanSource.objects.exists()


def test_it_lists_unknown_units_and_warnings_in_the_preview():
    out, _err = run(HANGZHOU)
    assert "未识别单位：" in out and "未识别单位：无" not in out
    assert "提示：" in out


def test_it_imports_with_commit():
    out, _err = run(ZHEJIANG, "--commit")
    assert "新导入：zhejiang_2017.txt → 浙江省2017年质量强省建设行动计划（12 项任务）" in out
    assert Plan.objects.count() == 1


def test_it_says_when_the_same_content_is_already_imported():
    run(ZHEJIANG, "--commit")
    out, _err = run(ZHEJIANG, "--commit")
    assert "已存在（内容相同）" in out
    assert Plan.objects.count() == 1


def test_it_records_the_importer_given_by_user(office_admin):
    run(ZHEJIANG, "--commit", "--user", "office_admin")
    assert PlanSource.objects.get().imported_by == office_admin


def test_it_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="用户“nobody”不存在"):
        run(ZHEJIANG, "--commit", "--user", "nobody")
    assert not PlanSource.objects.exists()


def test_it_reports_a_bad_file_continues_and_fails_at_the_end(tmp_path: Path):
    bad = tmp_path / "坏文件.txt"
    bad.write_text("这里没有任何计划。", encoding="utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 个文件未能处理"):
        call_command("import", str(bad), ZHEJIANG, "--commit", stdout=out, stderr=err)
    assert "错误：文件“坏文件.txt”：未找到任何行动计划" in err.getvalue()
    assert "新导入：zhejiang_2017.txt" in out.getvalue()
    assert Plan.objects.count() == 1


def test_it_reports_a_missing_file(tmp_path: Path):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(tmp_path / "不存在.txt"), stdout=StringIO(), stderr=err)
    assert "错误：文件“不存在.txt”：无法读取" in err.getvalue()


def test_it_exits_with_status_one_when_a_file_fails(tmp_path: Path):
    from zhiliang.cli import main

    bad = tmp_path / "x.txt"
    bad.write_bytes(b"")
    with pytest.raises(SystemExit) as excinfo:
        main(["import", str(bad)])
    assert excinfo.value.code == 1
