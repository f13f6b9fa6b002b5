"""The exchange API: token auth, scope per department and record type, all-or-nothing writes, schema."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from zhiliang import factories
from zhiliang.credit import services
from zhiliang.credit.models import CreditRecord, Enterprise, ImportBatch, RecordEvent, RecordType
from zhiliang.credit.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_key(db):
    _token, key = services.exchange_token_create(
        actor=None,
        name="省质监局抽查系统",
        department=factories.department("QTS"),
        region=factories.region("330000"),
        source_authority="浙江省质量技术监督局",
        record_types=RecordType.objects.filter(code__in=["SAMPLING_FAIL", "SAMPLING_PASS"]),
    )
    return key


def client(key: str | None = None) -> APIClient:
    api = APIClient()
    if key:
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def item(**overrides):
    data = {
        "uscc": b.ZJ_USCC,
        "name": "杭州测试电器有限公司",
        "record_type": "SAMPLING_FAIL",
        "occurred_on": "2025-03-01",
        "product": "电热水壶",
        "result": "不合格",
        "external_id": "CC-2025-0001",
    }
    return data | overrides


class TestAuth:
    def test_no_token_is_refused(self):
        response = client().post("/credit/api/records/create/", {"records": [item()]}, format="json")
        assert response.status_code in (401, 403)

    def test_a_wrong_token_is_401(self, token_key):
        response = client(token_key + "x").get("/credit/api/record-types/")
        assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"

    def test_a_logged_in_user_without_token_is_refused(self, client_as, office_admin):
        response = client_as(office_admin).get("/credit/api/record-types/")
        assert response.status_code in (401, 403)

    def test_it_lists_the_types_the_token_may_write(self, token_key):
        response = client(token_key).get("/credit/api/record-types/")
        assert response.status_code == 200
        assert sorted(t["code"] for t in response.json()) == ["SAMPLING_FAIL", "SAMPLING_PASS"]


class TestWrite:
    def test_it_writes_as_the_tokens_department_and_grades(self, token_key):
        response = client(token_key).post("/credit/api/records/create/", {"records": [item()]}, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["created"] == 1 and response.json()["grades"] == {b.ZJ_USCC: "C"}
        record = CreditRecord.objects.get()
        assert record.source_department.code == "QTS" and record.source_region.code == "330000"
        assert record.source_authority == "浙江省质量技术监督局"
        assert record.events.get().kind == RecordEvent.Kind.EXCHANGED
        assert ImportBatch.objects.get().channel == "api"

    def test_a_type_outside_the_scope_is_refused(self, token_key):
        response = client(token_key).post(
            "/credit/api/records/create/", {"records": [item(record_type="PENALTY")]}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["errors"][0] == {
            "row": 1,
            "field": "record_type",
            "message": "该令牌无权写入“行政处罚”",
        }

    def test_the_source_is_always_the_tokens_own(self, token_key):
        response = client(token_key).post("/credit/api/records/create/", {"records": [item()]}, format="json")
        assert response.status_code == 201
        record = CreditRecord.objects.get()
        assert (record.source_department.code, record.source_region.code) == ("QTS", "330000")

    def test_a_source_or_unknown_field_in_a_record_is_refused_not_dropped(self, token_key):
        response = client(token_key).post(
            "/credit/api/records/create/",
            {"records": [item(source_department="AIC", source_region="340000", colour="red")]},
            format="json",
        )
        assert response.status_code == 400
        body = response.json()["records"][0]
        assert body["source_department"] == "来源部门和地区由令牌确定，不能在记录中指定"
        assert body["colour"] == "不支持的字段"
        assert not CreditRecord.objects.exists()

    def test_one_bad_item_writes_nothing(self, token_key):
        records = [item(), item(uscc="91350100M000100Y4Z", external_id="CC-2")]
        response = client(token_key).post("/credit/api/records/create/", {"records": records}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["row"] == 2
        assert not CreditRecord.objects.exists() and not Enterprise.objects.exists()

    def test_external_ids_make_it_idempotent(self, token_key):
        api = client(token_key)
        assert (
            api.post("/credit/api/records/create/", {"records": [item()]}, format="json").status_code == 201
        )
        again = api.post("/credit/api/records/create/", {"records": [item()]}, format="json")
        assert again.status_code == 400 and "已导入" in again.json()["errors"][0]["message"]

    def test_pilot_codes_cannot_be_accepted_by_a_machine(self, token_key):
        response = client(token_key).post(
            "/credit/api/records/create/", {"records": [item(uscc=b.PILOT_USCC)]}, format="json"
        )
        assert response.status_code == 400 and "质量办管理员" in response.json()["errors"][0]["message"]

    def test_dry_run_checks_only(self, token_key):
        response = client(token_key).post(
            "/credit/api/records/create/", {"records": [item()], "dry_run": True}, format="json"
        )
        assert response.status_code == 200 and response.json() == {"valid": True}
        assert not CreditRecord.objects.exists()

    def test_a_revoked_token_stops_working(self, token_key, office_admin):
        from zhiliang.credit.models import ExchangeToken

        services.exchange_token_revoke(token=ExchangeToken.objects.get(), actor=office_admin)
        assert client(token_key).get("/credit/api/record-types/").status_code == 401


class TestRead:
    def test_it_lists_its_own_records(self, token_key):
        ent = b.enterprise()
        b.record(ent)  # QTS 330000: the token's own source
        b.record(ent, "PENALTY", department="AIC", product="")
        response = client(token_key).get("/credit/api/records/")
        assert response.status_code == 200 and response.json()["count"] == 1

    def test_the_archive_shows_grade_lists_and_public_records(self, token_key):
        from zhiliang.credit.grading import grade_enterprise

        ent = b.enterprise()
        b.record(ent)
        b.record(ent, "PENALTY", is_public=False, product="")
        grade_enterprise(enterprise=ent)
        response = client(token_key).get(f"/credit/api/enterprises/{ent.uscc}/")
        data = response.json()
        # Grading counts every record (-15 and -20); the public sees only the public one.
        assert data["grade"] == "D" and data["lists"] == [] and len(data["public_records"]) == 1


def test_the_schema_documents_the_exchange_api(db):
    response = client().get("/credit/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/credit/api/records/create/" in text and "exchangeToken" in text
