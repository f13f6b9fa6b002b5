"""The supervision cycle in a real browser, with the office, a lead unit, an assisting unit and the
lead unit's leader: issue → sign → assist report → lead consolidates → leader approves → office
returns → resubmit → accept → close, checking the dashboard counts at each step."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from zhiliang import factories
from zhiliang.accounts.models import Role
from zhiliang.plans.models import Role as AssignmentRole
from zhiliang.web.tests.browser.conftest import login


@pytest.fixture
def cycle(db, office_admin, department_liaison):
    assist = factories.member(
        "assist_liaison",
        organisation=factories.department_organisation("EIC", "浙江省经济和信息化委员会"),
        role=Role.DEPARTMENT_LIAISON,
    )
    leader = factories.member(
        "department_leader",
        organisation=department_liaison.membership.organisation,
        role=Role.DEPARTMENT_LEADER,
    )
    plan = factories.PlanFactory(title="浙江省质量提升2017年行动计划")
    section = factories.SectionFactory(plan=plan, number=1)
    task = factories.TaskFactory(section=section, plan=plan, number=1, label="（一）", title="打造浙江制造")
    factories.AssignmentFactory(
        task=task, name="省质监局", role=AssignmentRole.LEAD, department=factories.department("QTS")
    )
    factories.AssignmentFactory(
        task=task, name="省经信委", role=AssignmentRole.ASSIST, department=factories.department("EIC")
    )
    factories.AssignmentFactory(
        task=task,
        name="各市、县人民政府",
        role=AssignmentRole.ASSIST,
        department=factories.department("LOCAL_GOVS"),
    )
    factories.DeadlineFactory(task=task, text="2030年底前", date=datetime.date(2030, 12, 31))
    return {"plan": plan, "assist": assist, "leader": leader}


def _page_as(browser, live_server, username):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    login(page, live_server, username, factories.DEFAULT_PASSWORD)
    return page


def _count(page, key: str) -> int:
    return int(page.locator(f"[data-count={key}]").first.inner_text())


def _dashboard(page, live_server):
    page.goto(live_server.url + reverse("supervision-dashboard"))
    return page


def _items(page, live_server):
    page.goto(live_server.url + reverse("supervision-items"))
    return page


def _open_task(page):
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("打造浙江制造")).first.click()


def _click(page, name: str, *, scope=None):
    with page.expect_navigation():
        (scope or page).get_by_role("button", name=name).first.click()


def test_the_whole_supervision_cycle(browser, live_server, page, cycle, office_admin, department_liaison):
    office = page
    login(office, live_server, "office_admin", factories.DEFAULT_PASSWORD)
    lead = _page_as(browser, live_server, "department_liaison")
    assist = _page_as(browser, live_server, "assist_liaison")
    leader = _page_as(browser, live_server, "department_leader")

    # The office issues the plan; 各市县人民政府 has no accounts yet, so the office skips it explicitly.
    office.goto(live_server.url + reverse("supervision-issue", args=[cycle["plan"].pk]))
    office.select_option("select[name=kind]", "quarterly")
    office.select_option("select[name=map_0]", "skip")
    _click(office, "确认下发")
    assert "已下发 2 个督办事项" in office.content()
    _items(office, live_server)
    assert _count(office, "total") == 2 and _count(office, "to_sign") == 2

    # Both units sign.
    _dashboard(lead, live_server)
    assert _count(lead, "to_sign") == 1
    _open_task(lead)
    _click(lead, "签收")
    _dashboard(lead, live_server)
    assert _count(lead, "to_sign") == 0 and _count(lead, "to_report") == 1

    _dashboard(assist, live_server)
    _open_task(assist)
    _click(assist, "签收")
    # The assisting unit reports to the lead.
    assist.fill("input[name=percent]", "40")
    assist.fill("textarea[name=narrative]", "经信委完成重点企业调研")
    _click(assist, "提交")
    assert "待牵头单位汇总" in assist.content()
    _dashboard(assist, live_server)
    assert _count(assist, "to_report") == 0

    # The lead consolidates and submits; the department leader approves.
    _dashboard(lead, live_server)
    assert _count(lead, "to_consolidate") == 1
    _open_task(lead)
    _click(lead, "汇总到本单位报告")
    assert "经信委完成重点企业调研" in lead.locator("textarea[name=narrative]").input_value()
    lead.fill("input[name=percent]", "50")
    _click(lead, "提交")
    _dashboard(lead, live_server)
    assert _count(lead, "to_consolidate") == 0 and _count(lead, "to_report") == 0

    _dashboard(leader, live_server)
    assert _count(leader, "to_review") == 1
    _open_task(leader)
    _click(leader, "审核通过")
    _dashboard(leader, live_server)
    assert _count(leader, "to_review") == 0

    # The office returns it with a reason.
    _items(office, live_server)
    assert _count(office, "pending_review") == 1
    _open_task(office)
    form = office.locator("form.review-form")
    form.locator("textarea[name=reason]").fill("请补充佐证材料")
    _click(office, "退回", scope=form)
    _items(office, live_server)
    assert _count(office, "returned") == 1 and _count(office, "pending_review") == 0

    # The lead sees it returned, fixes it and resubmits; the leader approves again.
    _dashboard(lead, live_server)
    assert _count(lead, "returned") == 1
    _open_task(lead)
    assert "请补充佐证材料" in lead.content()
    lead.fill(
        "textarea[name=narrative]", lead.locator("textarea[name=narrative]").input_value() + "\n已补充材料"
    )
    _click(lead, "提交")
    _dashboard(lead, live_server)
    assert _count(lead, "returned") == 0
    _dashboard(leader, live_server)
    _open_task(leader)
    _click(leader, "审核通过")

    # The office accepts and closes the lead's item.
    _items(office, live_server)
    assert _count(office, "pending_review") == 1
    _open_task(office)
    _click(office, "采纳", scope=office.locator("form.review-form"))
    office.select_option("select[name=outcome]", "achieved")
    _click(office, "办结", scope=office.locator("form", has=office.locator("select[name=outcome]")))
    _items(office, live_server)
    assert _count(office, "closed_achieved") == 1
    assert _count(office, "returned") == 0 and _count(office, "pending_review") == 0
    _open_task(office)
    timeline = office.locator("ol.timeline").inner_text()
    for words in ("下发", "签收", "汇总配合单位报告", "部门审核通过", "质量办退回", "质量办采纳", "办结"):
        assert words in timeline
