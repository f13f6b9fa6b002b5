"""Exports of one plan: the .xlsx 任务分工表, the contract JSON, Markdown; same visibility as the plan."""

from __future__ import annotations

import io
import json
from urllib.parse import quote

import pytest
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook

from zhiliang.plans.contract import plan_to_contract
from zhiliang.plans.exports import XLSX_COLUMNS

pytestmark = pytest.mark.django_db


def export(client, plan, fmt: str):
    return client.get(reverse("plans-export", kwargs={"pk": plan.pk, "fmt": fmt}))


def test_the_xlsx_is_a_task_division_table(client_as, office_admin, imported_plan):
    response = export(client_as(office_admin), imported_plan, "xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "任务分工表"
    assert "浙江省2017年质量强省建设行动计划" in sheet["A1"].value
    assert [c.value for c in sheet[2]] == [
        "序号",
        "重点任务",
        "具体措施",
        "牵头单位",
        "责任单位/配合单位",
        "完成时限",
        "目标",
    ]
    assert XLSX_COLUMNS == [c.value for c in sheet[2]]
    assert sheet.freeze_panes == "A3"
    assert sheet["B2"].font.b
    assert sheet.column_dimensions["C"].width >= 40
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows, "one row per task at least"
    assert rows[0][0] == 1
    assert "深入开展重点产品质量提升行动" in rows[0][1]
    assert sheet["C3"].alignment.wrap_text


def test_the_xlsx_puts_lead_units_apart_from_the_others(client_as, office_admin, imported_plan):
    contract = plan_to_contract(imported_plan)
    task = next(
        t
        for s in contract["sections"]
        for t in s["tasks"]
        if t["responsible"] and not any(m["responsible"] for m in t["measures"])
    )
    leads = "、".join(r["name"] for r in task["responsible"] if r["role"] == "lead")
    others = "、".join(r["name"] for r in task["responsible"] if r["role"] != "lead")

    sheet = load_workbook(io.BytesIO(export(client_as(office_admin), imported_plan, "xlsx").content)).active
    row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == task["number"])

    assert (row[3] or "") == leads
    assert (row[4] or "") == others


def test_the_json_equals_the_contract(client_as, office_admin, imported_plan):
    response = export(client_as(office_admin), imported_plan, "json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "浙江省".encode() in response.content  # not \u-escaped
    data = json.loads(response.content.decode("utf-8"))
    assert data == [plan_to_contract(imported_plan)]
    for field in ["source", "title", "notice_title", "issuer", "doc_number", "date", "year", "region", "level",
                  "basis", "sections", "duplicates_removed", "warnings"]:  # fmt: skip
        assert field in data[0]
    assert data[0]["doc_number"] == "浙政办发〔2017〕48号"


def test_the_markdown_lists_the_tasks(client_as, office_admin, imported_plan):
    response = export(client_as(office_admin), imported_plan, "md")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("# 浙江省2017年质量强省建设行动计划")
    for task in imported_plan.tasks.all():
        assert task.title in text


@pytest.mark.parametrize("fmt", ["xlsx", "json", "md"])
def test_the_file_name_is_chinese_per_rfc_5987(client_as, office_admin, imported_plan, fmt):
    disposition = export(client_as(office_admin), imported_plan, fmt)["Content-Disposition"]

    assert disposition.startswith("attachment; ")
    assert f'filename="plan-{imported_plan.pk}.{fmt}"' in disposition
    assert "filename*=UTF-8''" + quote("浙江省2017年质量强省建设行动计划") in disposition
    assert disposition.endswith(f".{fmt}")


@pytest.mark.parametrize("fmt", ["xlsx", "json", "md"])
def test_another_province_gets_404(client_as, other_office_admin, imported_plan, fmt):
    assert export(client_as(other_office_admin), imported_plan, fmt).status_code == 404


def test_a_city_may_export_the_provincial_plan_it_implements(client_as, city_liaison, imported_plan):
    assert export(client_as(city_liaison), imported_plan, "xlsx").status_code == 200


def test_an_unknown_plan_or_format_is_404(client_as, office_admin, imported_plan):
    client = client_as(office_admin)
    assert (
        client.get(reverse("plans-export", kwargs={"pk": imported_plan.pk + 1000, "fmt": "json"})).status_code
        == 404
    )
    assert client.get(f"/plans/{imported_plan.pk}/export.pdf").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("plans-export", kwargs={"pk": imported_plan.pk, "fmt": "pdf"})


def test_an_anonymous_visitor_must_sign_in(client, imported_plan):
    response = export(client, imported_plan, "json")

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts-login"))


def test_the_plan_page_links_the_exports(client_as, office_admin, imported_plan):
    content = client_as(office_admin).get(reverse("plans-detail", args=[imported_plan.pk])).content.decode()

    for fmt in ["xlsx", "json", "md"]:
        assert reverse("plans-export", kwargs={"pk": imported_plan.pk, "fmt": fmt}) in content
