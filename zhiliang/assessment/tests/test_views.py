"""The assessment over HTTP: who may see and do what (a matrix of personas), and that every page
and export renders."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from zhiliang import factories
from zhiliang.accounts.models import Role
from zhiliang.assessment import services
from zhiliang.assessment.models import (
    AssessmentScheme,
    IndicatorScore,
    Rectification,
    ScoreAdjustment,
    ScoreEvidence,
    Stage,
    TargetFiling,
)
from zhiliang.assessment.tests import builders as b

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(request, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


@pytest.fixture
def ningbo_liaison(db):
    return factories.member(
        "ningbo_liaison", organisation=factories.government("330200"), role=Role.CITY_LIAISON
    )


@pytest.fixture
def housing_liaison(db):
    org = factories.department_organisation("HOUSING", "浙江省住房和城乡建设厅")
    return factories.member("housing_liaison", organisation=org, role=Role.DEPARTMENT_LIAISON)


@pytest.fixture
def assessment(office_admin, city_liaison, ningbo_liaison, department_liaison, housing_liaison):
    return b.open_assessment(office_admin)


def _status(client: Client, url: str, data: dict | None = None) -> int:
    response = client.post(url, data) if data is not None else client.get(url)
    if response.status_code == 302 and response["Location"].startswith(reverse("accounts-login")):
        return 401
    return response.status_code


# --------------------------------------------------------------------------- visibility


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("office_admin", 200),
        ("leader_view", 200),
        ("city_liaison", 200),
        ("ningbo_liaison", 200),
        ("department_liaison", 200),
        ("other_office_admin", 404),
        ("superuser", 200),
        ("anonymous", 401),
    ],
)
def test_who_can_open_the_assessment(
    request, assessment, leader_view, other_office_admin, persona, expected
) -> None:
    assert (
        _status(client_for(request, persona), reverse("assessment-detail", args=[assessment.pk])) == expected
    )


def test_another_province_sees_nothing_anywhere(request, assessment, other_office_admin) -> None:
    client = client_for(request, "other_office_admin")
    page = client.get(reverse("assessment-list"))
    assert assessment.title not in page.content.decode()
    hz = b.city(assessment, "330100")
    row = b.score_row(assessment, "330100", "1.1.1")
    for url in (
        reverse("assessment-results", args=[assessment.pk]),
        reverse("assessment-self", args=[assessment.pk]),
        reverse("assessment-scoring", args=[assessment.pk]),
        reverse("assessment-city", args=[assessment.pk, hz.pk]),
        reverse("assessment-scheme", args=[assessment.scheme_id]),
        reverse("assessment-scheme-export", args=[assessment.scheme_id]),
    ):
        assert _status(client, url) == 404, url
    assert (
        _status(
            client,
            reverse("assessment-override", args=[assessment.pk, row.pk]),
            {"value": "1", "reason": "x"},
        )
        == 404
    )


# --------------------------------------------------------------------------- 目标备案 and 自评


def test_a_city_files_targets_for_itself_only(request, assessment) -> None:
    url = reverse("assessment-filing", args=[assessment.pk])
    client_for(request, "city_liaison").post(
        url, {"subject": "杭州目标：新增浙江名牌20个", "value": "20", "unit": "个"}
    )
    assert TargetFiling.objects.get().city.region.code == "330100"
    ningbo = client_for(request, "ningbo_liaison").get(url).content.decode()
    assert "杭州目标" not in ningbo
    office = client_for(request, "office_admin").get(url).content.decode()
    assert "杭州目标" in office and "宁波市" in office
    assert _status(client_for(request, "department_liaison"), url) == 403
    assert _status(client_for(request, "office_admin"), url, {"subject": "x"}) == 403


def test_a_city_self_assesses_with_evidence(request, assessment, office_admin) -> None:
    services.assessment_set_stage(assessment=assessment, user=office_admin, stage=Stage.SELF_ASSESSMENT)
    client = client_for(request, "city_liaison")
    row = b.score_row(assessment, "330100", "1.1.1")
    response = client.post(
        reverse("assessment-evidence-upload", args=[assessment.pk, row.pk]),
        {"file": SimpleUploadedFile("抽查统计.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302
    evidence = ScoreEvidence.objects.get()
    assert evidence.original_name == "抽查统计.pdf" and evidence.uploaded_by.username == "city_liaison"
    client.post(
        reverse("assessment-self", args=[assessment.pk]),
        {f"score-{row.pk}": "7.5", f"note-{row.pk}": "合格率94%"},
    )
    row.refresh_from_db()
    assert row.self_score == D("7.50") and row.self_note == "合格率94%"
    page = client.get(reverse("assessment-self", args=[assessment.pk])).content.decode()
    assert "抽查统计.pdf" in page
    # the evidence is readable by the city, the office and the scoring department, not by 宁波
    url = reverse("assessment-evidence", args=[evidence.pk])
    assert _status(client, url) == 200
    assert _status(client_for(request, "office_admin"), url) == 200
    assert _status(client_for(request, "department_liaison"), url) == 200  # QTS scores 1.1.1
    assert _status(client_for(request, "housing_liaison"), url) == 404
    assert _status(client_for(request, "ningbo_liaison"), url) == 404


def test_a_city_cannot_touch_another_citys_rows(request, assessment, office_admin) -> None:
    services.assessment_set_stage(assessment=assessment, user=office_admin, stage=Stage.SELF_ASSESSMENT)
    hz_row = b.score_row(assessment, "330100", "1.1.1")
    client = client_for(request, "ningbo_liaison")
    client.post(reverse("assessment-self", args=[assessment.pk]), {f"score-{hz_row.pk}": "1"})
    response = client.post(
        reverse("assessment-evidence-upload", args=[assessment.pk, hz_row.pk]),
        {"file": SimpleUploadedFile("x.pdf", PDF)},
    )
    assert response.status_code == 403
    hz_row.refresh_from_db()
    assert hz_row.self_score is None and not ScoreEvidence.objects.exists()


def test_a_bad_evidence_file_is_refused(request, assessment, office_admin) -> None:
    services.assessment_set_stage(assessment=assessment, user=office_admin, stage=Stage.SELF_ASSESSMENT)
    row = b.score_row(assessment, "330100", "1.1.1")
    client_for(request, "city_liaison").post(
        reverse("assessment-evidence-upload", args=[assessment.pk, row.pk]),
        {"file": SimpleUploadedFile("x.pdf", b"MZ not a pdf")},
    )
    assert not ScoreEvidence.objects.exists()


# --------------------------------------------------------------------------- 部门评分


def test_departments_score_only_their_indicators(request, assessment, office_admin) -> None:
    b.advance(assessment, office_admin, to=Stage.SELF_ASSESSMENT)
    services.assessment_set_stage(assessment=assessment, user=office_admin, stage=Stage.DEPARTMENT_SCORING)
    qts_row = b.score_row(assessment, "330100", "1.1.1")  # QTS
    housing_row = b.score_row(assessment, "330100", "1.1.2")  # HOUSING
    url = reverse("assessment-scoring", args=[assessment.pk])
    qts = client_for(request, "department_liaison")
    page = qts.get(url).content.decode()
    assert "1.1.1" in page and "1.1.2 工程质量" not in page
    qts.post(url, {"score": qts_row.pk, "value": "6", "note": "合格率低于目标2个百分点"})
    assert _status(qts, url, {"score": housing_row.pk, "value": "1", "note": "x"}) == 404
    qts_row.refresh_from_db()
    housing_row.refresh_from_db()
    assert qts_row.department_score == D("6.00") and housing_row.department_score is None
    # a deduction needs a reason
    qts.post(url, {"score": qts_row.pk, "value": "5", "note": ""})
    qts_row.refresh_from_db()
    assert qts_row.department_score == D("6.00")
    # cities do not score
    assert _status(client_for(request, "city_liaison"), url) == 403


def test_only_the_office_overrides_an_auto_score_with_a_reason(request, assessment, office_admin) -> None:
    b.advance(assessment, office_admin, to=Stage.SELF_ASSESSMENT)
    services.assessment_set_stage(assessment=assessment, user=office_admin, stage=Stage.DEPARTMENT_SCORING)
    row = b.score_row(assessment, "330100", "2.2.1")
    url = reverse("assessment-override", args=[assessment.pk, row.pk])
    assert _status(client_for(request, "department_liaison"), url, {"value": "8", "reason": "x"}) == 403
    client_for(request, "office_admin").post(url, {"value": "7", "reason": ""})
    row.refresh_from_db()
    assert row.override_score is None
    client_for(request, "office_admin").post(url, {"value": "7", "reason": "督办系统外完成1项"})
    row.refresh_from_db()
    assert row.override_score == D("7.00") and row.override_by == office_admin
    from auditlog.models import LogEntry

    assert LogEntry.objects.get_for_object(row).filter(changes_text__contains="override_score").exists() or (
        LogEntry.objects.get_for_object(row).exists()
    )
    page = (
        client_for(request, "office_admin")
        .get(reverse("assessment-scoring", args=[assessment.pk]))
        .content.decode()
    )
    assert "督办系统外完成1项" in page and "无法计算" in page


# --------------------------------------------------------------------------- 实地核查, 综合评价, 通报


def test_verification_is_for_assessors(request, assessment, office_admin, leader_view) -> None:
    b.advance(assessment, office_admin, to=Stage.VERIFICATION)
    row = b.score_row(assessment, "330100", "1.2.1")
    url = reverse("assessment-adjust", args=[assessment.pk, row.pk])
    for persona in ("city_liaison", "department_liaison", "leader_view"):
        assert _status(client_for(request, persona), url, {"delta": "-1", "reason": "x"}) == 403, persona
    expert = factories.member(
        "expert", organisation=factories.quality_office("330000"), role=Role.LEADER_VIEW
    )
    services.assessors_set(assessment=assessment, user=office_admin, assessors=[expert])
    client = Client()
    client.force_login(expert)
    client.post(url, {"delta": "-2", "reason": "现场核查：制度未落实"})
    adj = ScoreAdjustment.objects.get()
    assert adj.delta == D("-2.00") and adj.made_by == expert
    sheet = client.get(reverse("assessment-verification", args=[assessment.pk]) + f"?city={row.city_id}")
    assert "现场核查：制度未落实" in sheet.content.decode()


def test_results_ranking_sheet_and_exports(request, assessment, office_admin) -> None:
    b.advance(
        assessment, office_admin, to=Stage.FINAL, scores={"330200": {"1.1.1": "5"}, "330300": {"1.1.1": "5"}}
    )
    client = client_for(request, "office_admin")
    page = client.get(reverse("assessment-results", args=[assessment.pk])).content.decode()
    assert 'id="ranking-table"' in page and "assessment-data" in page and "echarts.min.js" in page
    assert page.count("data-rank>1<") == 9 and page.count("data-rank>10<") == 2  # 9 tied at 100, then 2 at 97
    # cities do not see the ranking before publication
    assert (
        _status(client_for(request, "city_liaison"), reverse("assessment-results", args=[assessment.pk]))
        == 403
    )
    ningbo = b.city(assessment, "330200")
    sheet = client.get(reverse("assessment-city", args=[assessment.pk, ningbo.pk])).content.decode()
    assert "未达到备案目标" in sheet and "97.00" in sheet
    xlsx = client.get(reverse("assessment-results-xlsx", args=[assessment.pk]))
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb["排名"]["B2"].value in {c.region.name for c in assessment.cities.select_related("region")}
    detail = [r for r in wb["得分明细"].iter_rows(values_only=True) if r[0] == "宁波市" and r[1] == "1.1.1"]
    assert detail[0][4] == 5 and "未达到备案目标" in detail[0][6]

    # publish: files, city views, rectification
    response = client.post(
        reverse("assessment-bulletin", args=[assessment.pk]), {"number": "浙质办〔2018〕1号"}
    )
    assert response.status_code == 302
    docx = client.get(reverse("assessment-bulletin-file", args=[assessment.pk, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = client.get(reverse("assessment-bulletin-file", args=[assessment.pk, "pdf"]))
    assert pdf.content[:5] == b"%PDF-"
    city = client_for(request, "city_liaison")
    assert _status(city, reverse("assessment-results", args=[assessment.pk])) == 200
    assert _status(city, reverse("assessment-city", args=[assessment.pk, ningbo.pk])) == 404
    assert (
        Rectification.objects.filter(city__assessment=assessment).count() == 2
    )  # the two tied last; the tie at 1 straddles the line


def test_rectification_permissions(request, assessment, office_admin) -> None:
    b.advance(assessment, office_admin, to=Stage.PUBLISHED, scores={"330200": {"1.1.1": "0", "1.2.1": "0"}})
    rect = Rectification.objects.get(city__region__code="330200")  # 宁波 alone at the bottom... with others
    url = reverse("assessment-rectification-action", args=[assessment.pk, rect.pk, "submit"])
    assert _status(client_for(request, "city_liaison"), url, {"report": "x"}) == 403
    client_for(request, "ningbo_liaison").post(url, {"report": "已整改"})
    rect.refresh_from_db()
    assert rect.status == "submitted"
    decide = reverse("assessment-rectification-action", args=[assessment.pk, rect.pk, "decide"])
    assert _status(client_for(request, "ningbo_liaison"), decide, {"accept": "1"}) == 403
    client_for(request, "office_admin").post(decide, {"accept": "0", "note": "不具体"})
    client_for(request, "office_admin").post(
        reverse("assessment-rectification-action", args=[assessment.pk, rect.pk, "summon"]), {"note": "约谈"}
    )
    rect.refresh_from_db()
    assert rect.status == "summoned"
    page = client_for(request, "ningbo_liaison").get(
        reverse("assessment-rectification", args=[assessment.pk])
    )
    assert "约谈" in page.content.decode()


# --------------------------------------------------------------------------- schemes


def test_the_office_builds_exports_and_imports_a_scheme(request, office_admin, zhejiang) -> None:
    client = client_for(request, "office_admin")
    client.post(reverse("assessment-scheme-from-template"), {"template": "anhui_2014", "year": "2017"})
    scheme = AssessmentScheme.objects.get()
    assert scheme.indicators.count() == 28
    page = client.get(reverse("assessment-scheme", args=[scheme.pk])).content.decode()
    assert "质量目标" in page and "质量措施" in page
    # add a 4th-level 考核要点 (Nantong style) and change the bands to a 1000 scale
    parent = scheme.indicators.get(code="2.1.1")
    client.post(
        reverse("assessment-indicator-new", args=[scheme.pk]),
        {
            "parent": parent.pk,
            "code": "2.1.1.1",
            "order": "1",
            "name": "规划制定",
            "points": "3",
            "auto_source": "",
        },
    )
    assert scheme.indicators.filter(code="2.1.1.1", parent=parent).exists()
    data = client.get(reverse("assessment-scheme-export", args=[scheme.pk])).content
    wb = load_workbook(io.BytesIO(data))
    assert [c.value for c in wb["指标"][1]][:4] == ["编号", "上级编号", "指标名称", "分值"]
    client.post(
        reverse("assessment-scheme-import"),
        {"file": SimpleUploadedFile("scheme.xlsx", data)},
    )
    imported = AssessmentScheme.objects.exclude(pk=scheme.pk).get()
    assert imported.indicators.count() == 29
    assert imported.indicators.get(code="2.1.1.1").parent.code == "2.1.1"
    assert imported.grade_bands == scheme.grade_bands and imported.veto_rules == scheme.veto_rules


def test_a_broken_import_names_the_row(request, office_admin, zhejiang) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "方案"
    wb["方案"].append(["项目", "内容"])
    wb["方案"].append(["考核年度开始", "2017-07-01"])
    wb["方案"].append(["考核年度结束", "2018-06-30"])
    sheet = wb.create_sheet("指标")
    sheet.append(
        ["编号", "上级编号", "指标名称", "分值", "评分方法", "需提交材料", "评分部门代码", "自动取数"]
    )
    sheet.append(["1", "", "质量目标", "abc", "", "", "", ""])
    sheet.append(["2", "", "质量措施", 60, "", "", "NOPE", ""])
    out = io.BytesIO()
    wb.save(out)
    response = client_for(request, "office_admin").post(
        reverse("assessment-scheme-import"),
        {"file": SimpleUploadedFile("s.xlsx", out.getvalue())},
        follow=True,
    )
    text = response.content.decode()
    assert "第2行" in text and "第3行" in text
    assert not AssessmentScheme.objects.exists()


def test_non_office_users_cannot_manage_schemes(request, assessment) -> None:
    for persona in ("city_liaison", "department_liaison"):
        client = client_for(request, persona)
        assert (
            _status(
                client, reverse("assessment-scheme-from-template"), {"template": "anhui_2014", "year": "2017"}
            )
            == 403
        )
        assert _status(client, reverse("assessment-scheme", args=[assessment.scheme_id])) == 404
    assert AssessmentScheme.objects.count() == 1


def test_a_used_scheme_is_locked_and_can_be_copied(request, assessment, office_admin) -> None:
    scheme = assessment.scheme
    ind = scheme.indicators.get(code="1.1.1")
    client = client_for(request, "office_admin")
    client.post(
        reverse("assessment-indicator", args=[scheme.pk, ind.pk]),
        {"code": "1.1.1", "order": "1", "name": "改名", "points": "8", "parent": ind.parent_id},
    )
    ind.refresh_from_db()
    assert ind.name != "改名"
    client.post(reverse("assessment-scheme-copy", args=[scheme.pk]))
    copy = AssessmentScheme.objects.exclude(pk=scheme.pk).get()
    assert copy.year_start.year == 2018 and copy.indicators.count() == scheme.indicators.count()


def test_pages_render_for_every_step(request, assessment, office_admin) -> None:
    b.advance(assessment, office_admin, to=Stage.PUBLISHED)
    client = client_for(request, "office_admin")
    hz = b.city(assessment, "330100")
    for name in (
        "assessment-detail",
        "assessment-filing",
        "assessment-self",
        "assessment-scoring",
        "assessment-verification",
        "assessment-results",
        "assessment-bulletin",
        "assessment-rectification",
    ):
        assert client.get(reverse(name, args=[assessment.pk])).status_code == 200, name
    assert (
        client.get(reverse("assessment-verification", args=[assessment.pk]) + f"?city={hz.pk}").status_code
        == 200
    )
    assert client.get(reverse("assessment-list")).status_code == 200
    assert IndicatorScore.objects.filter(city__assessment=assessment).count() == 165
