import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhiliang.lib.planparse import parse_document
from zhiliang.plans.contract import plan_to_contract, plans_to_contract
from zhiliang.plans.models import Plan
from zhiliang.plans.services import plan_import_confirm
from zhiliang.sample_data.loader import PLANS_DIR, SAMPLE_PLANS

pytestmark = pytest.mark.django_db

PLAN_FIELDS = [
    "source", "title", "notice_title", "issuer", "doc_number", "date", "year", "region", "level",
    "basis", "duplicates_removed", "warnings",
]  # fmt: skip
SECTION_FIELDS = ["number", "label", "title", "kind"]
TASK_FIELDS = ["number", "label", "title", "text", "measures", "responsible", "targets", "deadlines"]


def contract_fields(plan: dict) -> dict:
    """The fields contracts/plan-json.md fixes, and nothing else (the parser may add more)."""
    data = {key: plan[key] for key in PLAN_FIELDS}
    data["sections"] = [
        {
            **{key: s[key] for key in SECTION_FIELDS},
            "tasks": [
                {
                    **{key: t[key] for key in TASK_FIELDS},
                    "measures": [{"text": m["text"], "responsible": m["responsible"]} for m in t["measures"]],
                }
                for t in s["tasks"]
            ],
        }
        for s in plan["sections"]
    ]
    return json.loads(json.dumps(data))  # same number types as the JSON output


@pytest.mark.parametrize("file_name", SAMPLE_PLANS)
def test_it_rebuilds_the_parser_output_from_the_database(file_name, office_admin):
    data = (PLANS_DIR / file_name).read_bytes()
    parsed = [p.to_dict() for p in parse_document(data, filename=file_name)]
    plans = plan_import_confirm(data=data, file_name=file_name, importer=office_admin).plans
    assert [contract_fields(plan_to_contract(p)) for p in plans] == [contract_fields(p) for p in parsed]


def test_it_reads_a_plan_in_a_constant_number_of_queries(office_admin):
    for file_name in SAMPLE_PLANS:
        plan_import_confirm(
            data=(PLANS_DIR / file_name).read_bytes(), file_name=file_name, importer=office_admin
        )
    counts = []
    for plan in Plan.objects.all():
        with CaptureQueriesContext(connection) as queries:
            plan_to_contract(plan)
        counts.append(len(queries))
    assert len(set(counts)) == 1
    assert counts[0] <= 10


def test_it_reads_many_plans_with_the_same_queries_as_one(office_admin):
    for file_name in SAMPLE_PLANS:
        plan_import_confirm(
            data=(PLANS_DIR / file_name).read_bytes(), file_name=file_name, importer=office_admin
        )
    first = Plan.objects.first()
    with CaptureQueriesContext(connection) as one:
        plans_to_contract(Plan.objects.filter(pk=first.pk))
    with CaptureQueriesContext(connection) as many:
        result = plans_to_contract(Plan.objects.all())
    assert len(result) == 3
    assert len(many) == len(one)


def test_it_keeps_the_order_of_a_list_of_plans(office_admin):
    for file_name in SAMPLE_PLANS:
        plan_import_confirm(
            data=(PLANS_DIR / file_name).read_bytes(), file_name=file_name, importer=office_admin
        )
    plans = list(Plan.objects.order_by("-pk"))
    assert [c["title"] for c in plans_to_contract(plans)] == [p.title for p in plans]


def test_it_writes_numbers_as_the_parser_does(imported_plan):
    task = next(
        t for s in plan_to_contract(imported_plan)["sections"] for t in s["tasks"] if t["number"] == 3
    )
    target = task["targets"][0]
    assert target["value"] == 100 and isinstance(target["value"], int)
    assert target["breakdown"][0] == {"region": "杭州市", "value": 22}
