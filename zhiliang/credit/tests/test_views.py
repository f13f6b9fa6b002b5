"""Office UI over HTTP: who may write what (from the outside), and that the pages render."""

from __future__ import annotations

import pytest
from django.test import Client

from zhiliang import factories
from zhiliang.credit import lists, services
from zhiliang.credit.dates import add_months
from zhiliang.credit.models import (
    CreditRecord,
    DecisionStatus,
    Enterprise,
    ExchangeToken,
    ListCriterion,
    ListEntry,
    ListKind,
    RecordStatus,
    RecordType,
)
from zhiliang.credit.tests import builders as b

pytestmark = pytest.mark.django_db

# persona -> may write for source QTS in 浙江省?
WRITERS = {"office_admin": True, "other_office_admin": False, "department_liaison": True, "anonymous": False}


def http(request, persona: str) -> Client:
    if persona == "anonymous":
        return Client()
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    return client


def refused(response) -> bool:
    """403, a redirect to the login page, or the form shown again (200) without effect."""
    return (
        response.status_code in (403, 200)
        or (response.status_code == 302 and "/accounts/login" in response["Location"])
        or (response.status_code == 302 and "login" in response["Location"])
    )


@pytest.mark.parametrize("persona", WRITERS)
def test_register_enterprise(request, persona):
    response = http(request, persona).post(
        "/credit/enterprises/new/", {"uscc": b.ZJ_USCC, "name": "杭州企业"}
    )
    created = Enterprise.objects.filter(uscc=b.ZJ_USCC).exists()
    assert created == WRITERS[persona], response.status_code
    if not created:
        assert refused(response)


@pytest.mark.parametrize("persona", WRITERS)
@pytest.mark.parametrize("department", ["QTS", "AIC"])
def test_create_record(request, persona, department):
    ent = b.enterprise()
    data = {
        "record_type": RecordType.objects.get(code="PENALTY").pk,
        "source_department": factories.department(department).pk,
        "source_region": factories.region("330000").pk,
        "source_authority": "浙江省某局",
        "occurred_on": "2025-03-01",
        "is_public": "on",
    }
    response = http(request, persona).post(f"/credit/enterprises/{ent.uscc}/records/new/", data)
    expected = WRITERS[persona] and (department == "QTS" or persona == "office_admin")
    assert CreditRecord.objects.exists() == expected, response.status_code
    if not expected:
        assert refused(response)


@pytest.mark.parametrize("persona", WRITERS)
@pytest.mark.parametrize("department", ["QTS", "AIC"])
def test_revoke_record(request, persona, department):
    record = b.record(b.enterprise(), "PENALTY", department=department, product="")
    response = http(request, persona).post(f"/credit/records/{record.pk}/revoke/", {"reason": "决定被撤销"})
    record.refresh_from_db()
    expected = WRITERS[persona] and (department == "QTS" or persona == "office_admin")
    assert (record.status == RecordStatus.REVOKED) == expected
    if not expected:
        assert refused(response)


@pytest.mark.parametrize("persona", WRITERS)
def test_import(request, persona):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = b.csv_bytes(
        [
            ["统一社会信用代码", "企业名称", "记录类型", "发生日期", "来源部门", "来源地区", "产品"],
            [b.ZJ_USCC, "杭州企业", "SAMPLING_FAIL", "2025-03-01", "QTS", "330000", "水壶"],
        ]
    )
    upload = SimpleUploadedFile("r.csv", data, content_type="text/csv")
    response = http(request, persona).post("/credit/import/", {"file": upload})
    assert CreditRecord.objects.exists() == WRITERS[persona]
    if WRITERS[persona]:
        assert response.status_code == 200 and "已写入 1 条记录" in response.content.decode()
    else:
        assert response.status_code in (302, 400, 403)


@pytest.mark.parametrize("persona", WRITERS)
@pytest.mark.parametrize("department", ["QTS", "AIC"])
def test_decide_objection(request, persona, department):
    record = b.record(b.enterprise(), "PENALTY", department=department, product="")
    objection = services.objection_file(record=record, name="企业", contact="x", reason="有误")
    response = http(request, persona).post(
        f"/credit/objections/{objection.pk}/decide/", {"decision": "approve", "reason": "核实有误"}
    )
    objection.refresh_from_db()
    expected = WRITERS[persona] and (department == "QTS" or persona == "office_admin")
    assert (objection.status == DecisionStatus.APPROVED) == expected
    if not expected:
        assert refused(response)


@pytest.mark.parametrize("persona", WRITERS)
def test_decide_repair(request, persona):
    record = b.record(b.enterprise(), "PENALTY", product="", occurred_on=add_months(b.today(), -7))
    application = services.repair_apply(record=record, name="企业", contact="x", reason="已整改")
    response = http(request, persona).post(
        f"/credit/repairs/{application.pk}/decide/", {"decision": "approve", "reason": "符合条件"}
    )
    record.refresh_from_db()
    assert (record.status == RecordStatus.REPAIRED) == WRITERS[persona]
    if not WRITERS[persona]:
        assert refused(response)


@pytest.mark.parametrize("persona", WRITERS)
def test_list_and_remove(request, persona):
    ent = b.enterprise()
    data = {
        "kind": "black",
        "uscc": ent.uscc,
        "criterion": ListCriterion.objects.get(code="BL_SERIOUS_PENALTY").pk,
        "source_department": factories.department("QTS").pk,
        "source_region": factories.region("330000").pk,
        "source_authority": "浙江省质量技术监督局",
        "reason": "严重质量失信",
    }
    client = http(request, persona)
    response = client.post("/credit/lists/new/", data)
    assert ListEntry.objects.exists() == WRITERS[persona], response.status_code
    entry = ListEntry.objects.first() or lists.list_entry_create(
        enterprise=ent,
        kind=ListKind.BLACK,
        actor=None,
        reason="x",
        source_department=factories.department("QTS"),
        source_region=factories.region("330000"),
        source_authority="浙江省质量技术监督局",
    )
    response = client.post(f"/credit/lists/{entry.pk}/remove/", {"reason": "处罚被撤销"})
    entry.refresh_from_db()
    assert (entry.removed_on is not None) == WRITERS[persona]


@pytest.mark.parametrize(
    "persona,allowed",
    [
        ("office_admin", True),
        ("other_office_admin", False),
        ("department_liaison", False),
        ("anonymous", False),
    ],
)
def test_issue_token(request, persona, allowed):
    data = {
        "name": "抽查系统",
        "department": factories.department("QTS").pk,
        "region": factories.region("330000").pk,
        "source_authority": "浙江省质量技术监督局",
        "record_types": [RecordType.objects.get(code="SAMPLING_FAIL").pk],
    }
    response = http(request, persona).post("/credit/tokens/", data)
    assert ExchangeToken.objects.exists() == allowed
    if allowed:
        key_shown = response.content.decode()
        assert ExchangeToken.objects.get().key_prefix in key_shown


class TestPages:
    def test_anonymous_users_are_sent_to_login(self):
        response = Client().get("/credit/")
        assert response.status_code == 302 and "login" in response["Location"]

    def test_the_list_filters_and_does_not_grow_queries(
        self, client_as, office_admin, django_assert_max_num_queries
    ):
        from zhiliang.credit.grading import regrade_dirty

        for i in range(5):
            uscc = b.make_uscc("9", "1", "330100", f"MA2MXB{i}Q")
            b.record(b.enterprise(uscc, f"测试企业{i}"))
        regrade_dirty()
        client = client_as(office_admin)
        with django_assert_max_num_queries(12):
            response = client.get("/credit/")
        assert response.status_code == 200 and response.content.decode().count("测试企业") >= 5
        response = client.get("/credit/", {"q": "测试企业3"})
        assert "测试企业3" in response.content.decode() and "测试企业4" not in response.content.decode()
        response = client.get("/credit/", {"grade": "C"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "<html" not in response.content.decode()

    def test_the_archive_shows_grade_basis_lists_and_history(self, client_as, office_admin):
        from zhiliang.credit.grading import grade_enterprise

        ent = b.enterprise()
        record = b.record(ent, "PENALTY", product="")
        lists.list_entry_create(
            enterprise=ent,
            kind=ListKind.BLACK,
            actor=office_admin,
            reason="严重质量失信",
            source_department=factories.department("QTS"),
            source_region=factories.region("330000"),
            source_authority="浙江省质量技术监督局",
            source_record=record,
        )
        grade_enterprise(enterprise=ent)
        page = client_as(office_admin).get(f"/credit/enterprises/{ent.uscc}/").content.decode()
        assert "黑名单在列，直接评为D" in page
        assert f'href="#record-{record.pk}"' in page
        assert "列入名单" in page and "录入" in page

    @pytest.mark.parametrize(
        "url",
        ["/credit/objections/", "/credit/repairs/", "/credit/lists/", "/credit/schemes/", "/credit/import/"],
    )
    def test_pages_render(self, client_as, department_liaison, url):
        assert client_as(department_liaison).get(url).status_code == 200

    def test_the_queue_shows_only_the_users_sources(self, client_as, department_liaison):
        ent = b.enterprise()
        own = b.record(ent, "PENALTY", product="", source_authority="浙江省质监局")
        other = b.record(ent, "PENALTY", department="AIC", product="", source_authority="浙江省工商局")
        services.objection_file(record=own, name="企业甲", contact="x", reason="y")
        services.objection_file(record=other, name="企业乙", contact="x", reason="y")
        page = client_as(department_liaison).get("/credit/objections/").content.decode()
        assert "企业甲" in page and "企业乙" not in page

    def test_a_pilot_code_shows_the_warning_and_can_be_accepted(self, client_as, office_admin):
        client = client_as(office_admin)
        response = client.post("/credit/enterprises/new/", {"uscc": b.PILOT_ZJ_USCC, "name": "杭州试点企业"})
        assert "试点" in response.content.decode() and not Enterprise.objects.exists()
        response = client.post(
            "/credit/enterprises/new/",
            {"uscc": b.PILOT_ZJ_USCC, "name": "杭州试点企业", "accept_warning": "on"},
        )
        assert (
            response.status_code == 302 and Enterprise.objects.get().uscc_warning_accepted_by == office_admin
        )
