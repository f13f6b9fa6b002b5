"""A whole assessment year for 浙江省's 11 cities on the national template, through the services.

Expected totals, grades and ranks are worked out by hand below (the national template is worth
100: 15 leaves, see scheme_templates.NATIONAL_ROWS). Every city starts from full marks; the
deductions are:

=======  ==============================================================  ======  =====  ====
city     deductions                                                      total   grade  rank
=======  ==============================================================  ======  =====  ====
嘉兴     none                                                            100.00  A      1
杭州     auto: tasks 3 of 4 done → 8 × 75% = 6 (−2);                      97.00   A      2
         reports 3 of 4 on time → 4 × 75% = 3 (−1)
温州     1.2.2 打击假冒伪劣 8 → 5 (−3)                                     97.00   A      2 (tie)
湖州     2.1.1 −4, 2.2.3 −2                                               94.00   A      4
绍兴     verification: 1.2.1 −6; 1.2.2 −3 then +0.5                       91.50   A      5
金华     1.1.1 −8, 1.1.2 −4                                               88.00   B      6
衢州     1.2.1 −8, 1.2.2 −8, 1.2.3 −4                                     80.00   B      7
舟山     as 衢州, and 2.2.5 −0.01                                          79.99   C      8
台州     1.1 (−20) and 2.1 (−20) all lost                                 60.00   C      9
丽水     as 台州, and 1.2.4 −0.5                                           59.50   D      10
宁波     1.1.1 −2, but a 区域性质量安全事件: veto                          98.00   D      11
=======  ==============================================================  ======  =====  ====

Rectification: D grades (丽水, 宁波) and the bottom three (台州, 丽水, 宁波).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhiliang.assessment import services
from zhiliang.assessment.models import IndicatorScore, Rectification, RectificationStatus, Stage
from zhiliang.assessment.tests import builders as b

pytestmark = pytest.mark.django_db

AUTO = {"2.2.1", "2.2.2"}
DEDUCTIONS = {  # city code → {leaf: department score}
    "330300": {"1.2.2": "5"},
    "330500": {"2.1.1": "4", "2.2.3": "4"},
    "330700": {"1.1.1": "0", "1.1.2": "2"},
    "330800": {"1.2.1": "0", "1.2.2": "0", "1.2.3": "3"},
    "330900": {"1.2.1": "0", "1.2.2": "0", "1.2.3": "3", "2.2.5": "3.99"},
    "331000": {k: "0" for k in ("1.1.1", "1.1.2", "1.1.3", "2.1.1", "2.1.2", "2.1.3")},
    "331100": {**{k: "0" for k in ("1.1.1", "1.1.2", "1.1.3", "2.1.1", "2.1.2", "2.1.3")}, "1.2.4": "6.5"},
    "330200": {"1.1.1": "6"},
}
EXPECTED = {  # city: (total, grade, rank)
    "嘉兴市": ("100.00", "A", 1),
    "杭州市": ("97.00", "A", 2),
    "温州市": ("97.00", "A", 2),
    "湖州市": ("94.00", "A", 4),
    "绍兴市": ("91.50", "A", 5),
    "金华市": ("88.00", "B", 6),
    "衢州市": ("80.00", "B", 7),
    "舟山市": ("79.99", "C", 8),
    "台州市": ("60.00", "C", 9),
    "丽水市": ("59.50", "D", 10),
    "宁波市": ("98.00", "D", 11),
}


def test_a_full_year_reproduces_the_hand_computed_grades_and_ranks(office_admin) -> None:
    assessment = b.open_assessment(office_admin)
    assert assessment.cities.count() == 11
    assert IndicatorScore.objects.filter(city__assessment=assessment).count() == 11 * 15
    cities = {code: b.city_user(code) for code in b.ZHEJIANG_CITIES}
    departments = {code: b.department_user(code) for code in b.DEPARTMENTS}
    hangzhou = b.city(assessment, "330100")
    b.supervision_items(hangzhou.organisation, achieved=3, other=1, on_time=3, late=1)

    # 目标备案
    filing = services.target_file(
        city=hangzhou, user=cities["330100"], subject="制造业产品质量合格率", value=D("94.5"), unit="%"
    )
    with pytest.raises(PermissionDenied):  # 宁波 cannot file for 杭州
        services.target_file(city=hangzhou, user=cities["330200"], subject="x")
    assert filing.city == hangzhou

    # 自评: every city claims full marks and submits
    services.assessment_set_stage(assessment=assessment, user=office_admin, stage=Stage.SELF_ASSESSMENT)
    for code, user in cities.items():
        c = b.city(assessment, code)
        entries = {s.pk: (s.indicator.points, "已完成") for s in c.scores.select_related("indicator")}
        services.self_assessment_save(city=c, user=user, entries=entries, submit=True)

    # 部门评分: each department scores its own indicators; auto-fed ones come from supervision
    services.assessment_set_stage(assessment=assessment, user=office_admin, stage=Stage.DEPARTMENT_SCORING)
    rows = IndicatorScore.objects.filter(city__assessment=assessment).select_related(
        "indicator__department", "city__region", "city__assessment"
    )
    for row in rows:
        if row.indicator.code in AUTO:
            continue
        value = D(DEDUCTIONS.get(row.city.region.code, {}).get(row.indicator.code, row.indicator.points))
        user = departments[row.indicator.department.code]
        note = "" if value == row.indicator.points else "未达到备案目标"
        services.department_score_save(score=row, user=user, value=value, note=note)

    hz_task = b.score_row(assessment, "330100", "2.2.1")
    assert hz_task.auto_score == D("6.00")
    assert hz_task.auto_inputs["numerator"] == 3 and hz_task.auto_inputs["denominator"] == 4
    assert "3 ÷" in hz_task.auto_inputs["explanation"] and "= 6.00" in hz_task.auto_inputs["explanation"]
    hz_reports = b.score_row(assessment, "330100", "2.2.2")
    assert hz_reports.auto_score == D("3.00")  # the report sent 00:30 the next day (local) is late
    # other cities have no supervision data: the office scores them, with a reason (audited)
    for code in b.ZHEJIANG_CITIES:
        for key in AUTO:
            row = b.score_row(assessment, code, key)
            if row.auto_score is None:
                assert "无法计算" in row.auto_inputs["explanation"]
                services.auto_score_override(
                    score=row, user=office_admin, value=row.indicator.points, reason="未纳入督办，按满分计"
                )

    # 实地核查: 绍兴 loses 9 then gets 0.5 back; 宁波 is vetoed
    services.assessment_set_stage(assessment=assessment, user=office_admin, stage=Stage.VERIFICATION)
    sx = b.score_row(assessment, "330600", "1.2.1")
    services.adjustment_add(score=sx, user=office_admin, delta=D(-6), reason="现场核查：监管制度未落实")
    sx = b.score_row(assessment, "330600", "1.2.2")
    services.adjustment_add(score=sx, user=office_admin, delta=D(-3), reason="抽查案件台账不全")
    services.adjustment_add(score=sx, user=office_admin, delta=D("0.5"), reason="补充材料后认定部分落实")
    ningbo = b.city(assessment, "330200")
    services.veto_record(
        city=ningbo,
        user=office_admin,
        rule_code="regional_incident",
        description="某区发生系统性产品质量安全事件",
    )

    # 综合评价
    services.assessment_set_stage(assessment=assessment, user=office_admin, stage=Stage.FINAL)
    got = {c.region.name: (str(c.total), c.grade, c.rank) for c in assessment.cities.select_related("region")}
    assert got == EXPECTED
    ningbo.refresh_from_db()
    assert ningbo.vetoed and ningbo.banded_grade == "A"

    # 通报 and 整改
    bulletin = services.bulletin_publish(assessment=assessment, user=office_admin, number="浙质办〔2018〕1号")
    assert [r["city"] for r in bulletin.results][:3] == ["嘉兴市", "杭州市", "温州市"]
    assert bulletin.results[-1] == {
        "city": "宁波市",
        "code": "330200",
        "total": "98.00",
        "grade": "D",
        "rank": 11,
        "vetoed": True,
        "veto": "发生区域性、系统性产品质量安全事件",
    }
    rect = {
        r.city.region.name: sorted(r.reasons)
        for r in Rectification.objects.filter(city__assessment=assessment).select_related("city__region")
    }
    assert rect == {"台州市": ["bottom"], "丽水市": ["bottom", "grade_d"], "宁波市": ["bottom", "grade_d"]}

    lishui = Rectification.objects.get(city__region__code="331100", city__assessment=assessment)
    services.rectification_submit(
        rectification=lishui, user=cities["331100"], report="已召开专题会议，落实整改"
    )
    with pytest.raises(ValidationError):
        services.rectification_decide(rectification=lishui, user=office_admin, accept=False, note="")
    services.rectification_decide(rectification=lishui, user=office_admin, accept=False, note="措施不具体")
    lishui = services.rectification_summon(
        rectification=lishui, user=office_admin, note="由省领导约谈市政府主要负责人"
    )
    assert lishui.status == RectificationStatus.SUMMONED

    taizhou = Rectification.objects.get(city__region__code="331000", city__assessment=assessment)
    with pytest.raises(ValidationError):  # not overdue, not rejected: no 约谈 yet
        services.rectification_summon(rectification=taizhou, user=office_admin, note="x")
    services.rectification_submit(rectification=taizhou, user=cities["331000"], report="整改报告")
    assert services.rectification_decide(rectification=taizhou, user=office_admin, accept=True).status == (
        RectificationStatus.ACCEPTED
    )
