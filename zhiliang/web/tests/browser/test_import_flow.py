"""The import flow in a real Chromium: upload → preview → confirm → plan → matrix → xlsx download."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhiliang import factories
from zhiliang.conftest import SAMPLE_PLANS_DIR
from zhiliang.web.tests.browser.conftest import login

pytestmark = pytest.mark.browser

SAMPLE = SAMPLE_PLANS_DIR / "zhejiang_2018.txt"  # has a warning: 省文化和旅游厅 is not in the registry
TITLE = "浙江省2018年质量强省建设行动计划"


def test_an_office_admin_imports_a_plan_and_downloads_its_task_table(page, live_server, office_admin):
    from playwright.sync_api import expect

    login(page, live_server, "office_admin", factories.DEFAULT_PASSWORD)
    page.get_by_role("link", name="导入计划").first.click()
    expect(page).to_have_url(live_server.url + reverse("imports-new"))

    page.set_input_files("input[name=file]", str(SAMPLE))
    with page.expect_navigation():
        page.get_by_role("button", name="解析并预览").click()

    expect(page.get_by_role("heading", name="导入预览")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text("浙政办发", exact=False).first).to_be_visible()
    expect(page.locator(".preview-task").first).to_be_visible()
    assert page.locator(".preview-task").count() == 10
    warnings = page.locator("details.warnings")
    expect(warnings).to_contain_text("省文化和旅游厅")
    expect(page.locator(".unknown-units")).to_contain_text("将进入待认定队列")

    with page.expect_navigation():
        page.get_by_role("button", name="确认导入").click()

    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    expect(page.locator(".messages")).to_contain_text(f"已导入：{TITLE}（10 项任务）")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()

    page.get_by_role("link", name="责任矩阵").click()
    expect(page.get_by_role("heading", name="责任矩阵")).to_be_visible()
    page.get_by_role("link", name="任务结构").click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel").click()
    download = download_info.value
    assert download.suggested_filename == f"{TITLE}-任务分工表.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    assert [c.value for c in sheet[2]] == [
        "序号",
        "重点任务",
        "具体措施",
        "牵头单位",
        "责任单位/配合单位",
        "完成时限",
        "目标",
    ]
    assert TITLE in sheet["A1"].value
    assert sheet.max_row >= 2 + 10  # one row per task, or one per measure with its own note


def test_a_bad_file_shows_the_reason_on_the_form(page, live_server, office_admin, tmp_path):
    from playwright.sync_api import expect

    bad = tmp_path / "天气.txt"
    bad.write_text("今天天气很好，适合出门散步。", encoding="utf-8")
    login(page, live_server, "office_admin", factories.DEFAULT_PASSWORD)
    page.goto(live_server.url + reverse("imports-new"))

    page.set_input_files("input[name=file]", str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="解析并预览").click()

    expect(page.locator(".alert-error")).to_contain_text("天气.txt")
    expect(page.locator(".alert-error")).to_contain_text("未找到任何行动计划")
