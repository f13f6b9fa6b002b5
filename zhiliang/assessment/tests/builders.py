"""Test builders: a national-template assessment of 浙江省's 11 cities, with personas for each role."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from zhiliang import factories
from zhiliang.accounts.models import Role
from zhiliang.assessment import services
from zhiliang.assessment.models import Assessment, AssessmentCity, AssessmentScheme, IndicatorScore
from zhiliang.regions.models import Region
from zhiliang.supervision.models import (
    CloseOutcome,
    ProgressReport,
    ReportDue,
    ReportingSchedule,
    ReportStatus,
    WorkItem,
    WorkItemStatus,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
ZHEJIANG_CITIES = {
    "330100": "杭州市",
    "330200": "宁波市",
    "330300": "温州市",
    "330400": "嘉兴市",
    "330500": "湖州市",
    "330600": "绍兴市",
    "330700": "金华市",
    "330800": "衢州市",
    "330900": "舟山市",
    "331000": "台州市",
    "331100": "丽水市",
}
# Scoring departments of the national template, with the user who scores for each.
DEPARTMENTS = {
    "QTS": "浙江省质量技术监督局",
    "HOUSING": "浙江省住房和城乡建设厅",
    "COMMERCE": "浙江省商务厅",
    "AIC": "浙江省工商行政管理局",
    "DRC": "浙江省发展和改革委员会",
}


def national_scheme(office: User, year: int = 2017) -> AssessmentScheme:
    return services.scheme_create_from_template(
        key="national_2013", region=Region.objects.get(code="330000"), year=year, user=office
    )


def city_user(code: str) -> User:
    """The 市县联络员 of a city's government (``city_liaison`` of the conftest is 杭州's)."""
    username = "city_liaison" if code == "330100" else f"city_{code}"
    return factories.member(username, organisation=factories.government(code), role=Role.CITY_LIAISON)


def department_user(code: str) -> User:
    username = "department_liaison" if code == "QTS" else f"dept_{code.lower()}"
    org = factories.department_organisation(code, DEPARTMENTS[code])
    return factories.member(username, organisation=org, role=Role.DEPARTMENT_LIAISON)


def open_assessment(office: User, year: int = 2017) -> Assessment:
    for code in ZHEJIANG_CITIES:  # the city governments exist before the office opens the year
        factories.government(code)
    return services.assessment_create(scheme=national_scheme(office, year), user=office)


def city(assessment: Assessment, code: str) -> AssessmentCity:
    return assessment.cities.get(region__code=code)


def score_row(assessment: Assessment, city_code: str, indicator_code: str) -> IndicatorScore:
    return IndicatorScore.objects.select_related("indicator", "city__assessment").get(
        city__assessment=assessment, city__region__code=city_code, indicator__code=indicator_code
    )


def supervision_items(
    organisation, *, achieved: int, other: int, on_time: int, late: int, year: int = 2017
) -> None:  # noqa: ANN001
    """Work items of *organisation* due in the assessment year, with their reports.

    ``achieved`` items closed as achieved, ``other`` still open; the first ``on_time`` final reports
    are sent at 23:30 on the due date (Shanghai), the next ``late`` ones at 00:30 the day after,
    which is still the due date in UTC: on-time must be judged in local time.
    One more item, due the year after, must not count.
    """
    plan = factories.PlanFactory(year=year)
    section = factories.SectionFactory(plan=plan)
    schedule = ReportingSchedule.objects.create(
        plan=plan, kind="final", default_due_date=datetime.date(year + 1, 6, 30)
    )
    total = achieved + other
    for n in range(total + 1):
        task = factories.TaskFactory(section=section, plan=plan, number=n + 1)
        due = datetime.date(year, 9 + n % 3, 28) if n < total else datetime.date(year + 2, 3, 31)
        closed = n < achieved
        item = WorkItem.objects.create(
            schedule=schedule,
            task=task,
            organisation=organisation,
            role="lead",
            due_date=due,
            status=WorkItemStatus.CLOSED if closed else WorkItemStatus.IN_PROGRESS,
            close_outcome=CloseOutcome.ACHIEVED if closed else "",
        )
        report_due = ReportDue.objects.create(work_item=item, due_on=due, is_final=True, status="submitted")
        if n < on_time:
            sent = datetime.datetime.combine(due, datetime.time(23, 30), tzinfo=SHANGHAI)
        elif n < on_time + late:
            sent = datetime.datetime.combine(
                due + datetime.timedelta(days=1), datetime.time(0, 30), tzinfo=SHANGHAI
            )
        else:
            continue
        ProgressReport.objects.create(
            work_item=item, report_due=report_due, status=ReportStatus.ACCEPTED, submitted_at=sent
        )


def advance(
    assessment: Assessment, office: User, *, to: str, scores: dict[str, dict[str, str]] | None = None
) -> Assessment:
    """Drive *assessment* to stage *to*, the office scoring every indicator (full marks unless
    ``scores[city code][indicator code]`` says otherwise) and auto-fed ones overridden likewise."""
    from decimal import Decimal

    from zhiliang.assessment.models import STAGE_ORDER, Stage

    scores = scores or {}
    target = STAGE_ORDER.index(to)
    if target >= STAGE_ORDER.index(Stage.SELF_ASSESSMENT) and assessment.stage == Stage.FILING:
        services.assessment_set_stage(assessment=assessment, user=office, stage=Stage.SELF_ASSESSMENT)
    if target >= STAGE_ORDER.index(Stage.DEPARTMENT_SCORING) and assessment.stage == Stage.SELF_ASSESSMENT:
        services.assessment_set_stage(assessment=assessment, user=office, stage=Stage.DEPARTMENT_SCORING)
        rows = IndicatorScore.objects.filter(city__assessment=assessment).select_related(
            "indicator", "city__region", "city__assessment"
        )
        for row in rows:
            value = Decimal(
                scores.get(row.city.region.code, {}).get(row.indicator.code, row.indicator.points)
            )
            if row.indicator.is_auto:
                services.auto_score_override(score=row, user=office, value=value, reason="按核定数据")
            else:
                note = "" if value == row.indicator.points else "未达到备案目标"
                services.department_score_save(score=row, user=office, value=value, note=note)
    for stage in (Stage.VERIFICATION, Stage.FINAL):
        if target >= STAGE_ORDER.index(stage) and assessment.stage_index() < STAGE_ORDER.index(stage):
            services.assessment_set_stage(assessment=assessment, user=office, stage=stage)
    if target >= STAGE_ORDER.index(Stage.PUBLISHED) and assessment.stage == Stage.FINAL:
        services.bulletin_publish(assessment=assessment, user=office, number="浙质办〔2018〕1号")
        assessment.refresh_from_db()
    return assessment
