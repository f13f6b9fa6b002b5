"""Decomposition in a real Chromium.

A city (杭州市) derives its plan from the provincial one, edits a task (a later time limit),
sets a target and adds a local task; the provincial office then sees the gaps at a glance: the
cities that have not decomposed, the late time limit, the targets whose shares don't add up; and
allocates one. A city plan imported from its own document is matched to the provincial tasks.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from zhiliang import factories
from zhiliang.conftest import SAMPLE_PLANS_DIR
from zhiliang.plans.models import Plan, Target, TargetAllocation
from zhiliang.plans.services import plan_import_confirm
from zhiliang.web.tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_a_city_decomposes_and_the_office_sees_the_gaps(
    page, live_server, imported_plan, city_liaison, office_admin
):
    from playwright.sync_api import expect

    coverage_url = live_server.url + reverse("decomposition-coverage", args=[imported_plan.pk])

    # The city derives its own plan from the provincial one.
    login(page, live_server, "city_liaison", factories.DEFAULT_PASSWORD)
    page.goto(coverage_url)
    expect(page.get_by_role("heading", name="分解情况")).to_be_visible()
    expect(page.get_by_label("分解到地区")).to_have_value(re.compile(r"\d+"))
    assert page.get_by_label("分解到地区").locator("option").all_inner_texts() == ["---------", "杭州市"]
    page.get_by_label("分解到地区").select_option(label="杭州市")
    with page.expect_navigation():
        page.get_by_role("button", name="生成分解计划").click()
    expect(page.locator(".messages")).to_contain_text("已生成杭州市的分解计划")
    expect(page.get_by_role("heading", name="杭州市2017年质量强市建设行动计划", level=1)).to_be_visible()
    expect(page.locator("#task-2 .task-parent")).to_contain_text("加快“浙江制造”标准体系建设")
    expect(page.locator("#task-2 .chips")).to_contain_text("市质监局")
    expect(page.locator("#task-1 .local-targets")).to_contain_text("待分配")

    # It moves a time limit past the province's: accepted, with a warning.
    task12 = page.locator("#task-12")
    task12.get_by_text("编辑任务").click()
    task12.get_by_label("任务").fill("营造“杭州质量”文化氛围")
    task12.get_by_label("完成时限").fill("2017-10-31")
    with page.expect_navigation():
        task12.get_by_role("button", name="保存任务").click()
    expect(page.locator(".messages")).to_contain_text("晚于上级任务的时限")
    expect(page.locator("#task-12 h3")).to_contain_text("营造“杭州质量”文化氛围")
    expect(page.locator("#task-12 .late-warning")).to_be_visible()

    # It sets its own figure for a target the province did not share out.
    task1 = page.locator("#task-1")
    task1.get_by_label("首席质量官的本地目标值").fill("80")
    with page.expect_navigation():
        task1.get_by_role("button", name="保存目标").click()
    expect(page.locator("#task-1 .local-targets")).to_contain_text("80")

    # And adds a task of its own.
    add = page.locator("#add-task")
    add.get_by_label("所属部分").select_option(index=2)
    add.get_by_label("任务").fill("打造“杭州质量”品牌")
    add.get_by_label("完成时限").fill("2017-11-30")
    with page.expect_navigation():
        add.get_by_role("button", name="新增任务").click()
    expect(page.locator(".messages")).to_contain_text("已新增本地任务")
    expect(page.locator("#task-13")).to_contain_text("本地新增")
    expect(page.locator("#task-13")).to_contain_text("（十三）打造“杭州质量”品牌")

    # The provincial office sees the coverage gaps.
    page.context.clear_cookies()
    login(page, live_server, "office_admin", factories.DEFAULT_PASSWORD)
    page.goto(coverage_url)
    hangzhou_row = page.locator('tr[data-region="330100"]')
    expect(hangzhou_row.locator('td[data-task="12"]')).to_have_attribute("data-status", "late")
    expect(hangzhou_row.locator('td[data-task="2"]')).to_have_attribute("data-status", "decomposed")
    expect(hangzhou_row.locator('td[data-count="undecomposed"]')).to_have_text("0")
    expect(hangzhou_row.locator('td[data-count="late"]')).to_have_text("1")
    expect(hangzhou_row.locator('td[data-count="local"]')).to_have_text("1")
    ningbo_row = page.locator('tr[data-region="330200"]')
    expect(ningbo_row.locator('td[data-count="undecomposed"]')).to_have_text("12")
    expect(ningbo_row.locator('td[data-task="1"]')).to_contain_text("未")
    gaps = page.locator("table.target-gaps")
    expect(gaps).to_contain_text("首席质量官")
    expect(gaps).not_to_contain_text("新培育浙江名牌产品")

    # It shares a target out; the gap shrinks by the share.
    form = page.get_by_role("form", name="分配目标")
    officers = Target.objects.get(task__plan=imported_plan, subject="首席质量官")
    form.get_by_label("目标").select_option(value=str(officers.pk))
    form.get_by_label("地区").select_option(label="杭州市")
    form.get_by_label("分配数值").fill("80")
    with page.expect_navigation():
        form.get_by_role("button", name="分配").click()
    expect(page.locator(".messages")).to_contain_text("已为杭州市分配")
    officers_row = page.locator("table.target-gaps tr", has_text="首席质量官")
    expect(officers_row).to_contain_text("-420")
    assert TargetAllocation.objects.get().region.code == "330100"
    assert Plan.objects.filter(parent=imported_plan).count() == 1


def test_a_city_matches_its_imported_plan_to_the_provincial_tasks(
    page, live_server, imported_plan, city_liaison
):
    from playwright.sync_api import expect

    data = (SAMPLE_PLANS_DIR / "hangzhou_2017.txt").read_bytes()
    city_plan = plan_import_confirm(data=data, file_name="hangzhou_2017.txt", importer=None).plans[0]

    login(page, live_server, "city_liaison", factories.DEFAULT_PASSWORD)
    page.goto(live_server.url + reverse("decomposition-match", args=[city_plan.pk]))
    expect(page.get_by_role("heading", name="与上级任务对应")).to_be_visible()
    suggestion = page.locator('table.match-suggestions tr[data-child="4"]')
    expect(suggestion).to_contain_text("严守食品药品安全底线")
    expect(suggestion).to_contain_text("标题相似度")
    with page.expect_navigation():
        suggestion.get_by_role("button", name="确认对应").click()
    expect(page.locator(".messages")).to_contain_text("已确认")
    expect(page.locator('.linked-tasks li[data-child="4"]')).to_contain_text("严守食品药品安全底线")
    expect(page.locator("table.match-suggestions tbody tr")).to_have_count(8)

    page.goto(live_server.url + reverse("decomposition-coverage", args=[imported_plan.pk]))
    row = page.locator('tr[data-region="330100"]')
    expect(row.locator('td[data-task="5"]')).to_have_attribute("data-status", "decomposed")
    expect(row.locator('td[data-count="undecomposed"]')).to_have_text("11")
