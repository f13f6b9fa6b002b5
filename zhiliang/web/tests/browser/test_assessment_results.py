"""The assessment in a real browser: the office reads the final ranking (table and chart), and a
city self-assesses and attaches evidence."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import expect

from zhiliang import factories
from zhiliang.assessment.models import IndicatorScore, ScoreEvidence, Stage
from zhiliang.assessment.tests import builders as b
from zhiliang.web.tests.browser.conftest import login


def test_the_office_sees_the_final_ranking(page, live_server, office_admin) -> None:
    assessment = b.open_assessment(office_admin)
    # 宁波 loses 8 (92 → A), 温州 and 湖州 tie at 85 (B), 丽水 is vetoed: D and last
    b.advance(
        assessment,
        office_admin,
        to=Stage.VERIFICATION,
        scores={
            "330200": {"1.1.1": "0"},
            "330300": {"1.2.1": "0", "1.2.2": "1"},
            "330500": {"1.2.1": "0", "1.2.2": "1"},
        },
    )
    from zhiliang.assessment import services

    services.veto_record(
        city=b.city(assessment, "331100"),
        user=office_admin,
        rule_code="regional_incident",
        description="系统性事件",
    )
    b.advance(assessment, office_admin, to=Stage.FINAL)

    login(page, live_server, "office_admin", factories.DEFAULT_PASSWORD)
    page.goto(live_server.url + reverse("assessment-list"))
    page.get_by_role("link", name=assessment.title, exact=True).click()
    page.get_by_role("link", name=re.compile("综合评价")).click()
    expect(page.get_by_role("heading", name="综合评价与排名")).to_be_visible()
    table = page.locator("#ranking-table")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(11)
    last = rows.nth(10)
    expect(last).to_have_attribute("data-city", "丽水市")
    expect(last.locator("[data-rank]")).to_have_text("11")
    expect(last.locator("[data-grade]")).to_have_text("D")
    for city in ("温州市", "湖州市"):
        row = table.locator(f"tr[data-city='{city}']")
        expect(row.locator("[data-rank]")).to_have_text("9")
        expect(row.locator("[data-total]")).to_have_text("85.00")
        expect(row.locator("[data-grade]")).to_have_text("B")
    expect(table.locator("tr[data-city='宁波市'] [data-rank]")).to_have_text("8")
    # the chart drew (ECharts renders a canvas into the container)
    expect(page.locator("#chart-ranking canvas").first).to_be_attached()
    # and the ranking links to each city's score sheet, deductions with reasons
    table.get_by_role("link", name="宁波市").click()
    expect(page.locator("tr[data-code='1.1.1']")).to_contain_text("未达到备案目标")
    expect(page.locator("[data-total]")).to_have_text("92.00")


def test_a_city_self_assesses_with_evidence(page, live_server, office_admin, city_liaison, tmp_path) -> None:
    assessment = b.open_assessment(office_admin)
    b.advance(assessment, office_admin, to=Stage.SELF_ASSESSMENT)
    evidence = tmp_path / "产品质量抽查统计.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    login(page, live_server, "city_liaison", factories.DEFAULT_PASSWORD)
    page.goto(live_server.url + reverse("assessment-detail", args=[assessment.pk]))
    page.get_by_role("link", name=re.compile("自评")).first.click()
    expect(page.get_by_role("heading", name="杭州市自评")).to_be_visible()
    row = b.score_row(assessment, "330100", "1.1.1")
    page.set_input_files(f"#file-{row.pk}", str(evidence))
    with page.expect_navigation():
        page.locator(f"form[action$='/scores/{row.pk}/evidence/'] button").click()
    expect(page.get_by_role("link", name="产品质量抽查统计.pdf")).to_be_visible()
    for score in IndicatorScore.objects.filter(
        city__region__code="330100", city__assessment=assessment
    ).select_related("indicator"):
        value = "7" if score.pk == row.pk else str(score.indicator.points)
        page.get_by_label(f"{score.indicator.code} 自评分", exact=True).fill(value)
    page.get_by_label("1.1.1 自评说明").fill("合格率93%，低于备案目标")
    with page.expect_navigation():
        page.get_by_role("button", name="提交自评").click()
    expect(page.locator(".message-success")).to_contain_text("自评已提交")
    expect(page.locator("[data-self-total]")).to_have_text("99.00")
    row.refresh_from_db()
    assert str(row.self_score) == "7.00" and row.self_note == "合格率93%，低于备案目标"
    assert ScoreEvidence.objects.get().score_id == row.pk
