"""Enterprise registration, records, objections and credit repair (services, no HTTP)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhiliang import factories
from zhiliang.credit import services
from zhiliang.credit.dates import add_months
from zhiliang.credit.models import (
    CreditRecord,
    DecisionStatus,
    Enterprise,
    RecordEvent,
    RecordStatus,
    RecordType,
)
from zhiliang.credit.tests import builders as b

pytestmark = pytest.mark.django_db


class TestEnterpriseRegister:
    def test_it_registers_with_the_region_from_the_code(self, office_admin):
        ent = services.enterprise_register(
            uscc=b.ZJ_USCC.lower(), name=" 杭州测试电器有限公司 ", actor=office_admin
        )
        assert ent.uscc == b.ZJ_USCC and ent.name == "杭州测试电器有限公司"
        assert ent.region.code == "330100"
        assert ent.uscc_warnings == [] and ent.uscc_warning_accepted_by is None

    def test_it_rejects_an_invalid_code_with_the_reason(self, office_admin):
        with pytest.raises(ValidationError) as exc:
            services.enterprise_register(uscc="91350100M000100Y4Z", name="x", actor=office_admin)
        assert "第18位" in str(exc.value)
        assert not Enterprise.objects.exists()

    def test_a_pilot_code_needs_an_explicit_acceptance(self, office_admin):
        with pytest.raises(services.UsccWarningNotAccepted) as exc:
            services.enterprise_register(uscc=b.PILOT_USCC, name="福州试点企业", actor=office_admin)
        assert exc.value.result.is_pilot_code
        assert not Enterprise.objects.exists()

    def test_an_office_admin_may_accept_a_pilot_code_and_it_is_recorded(self, superuser):
        ent = services.enterprise_register(
            uscc=b.PILOT_USCC, name="福州试点企业", actor=superuser, accept_warning=True
        )
        assert ent.uscc_warnings and "试点" in ent.uscc_warnings[0]
        assert ent.uscc_warning_accepted_by == superuser and ent.uscc_warning_accepted_at is not None

    def test_a_department_liaison_may_not_accept_a_warning(self, department_liaison):
        pilot_zj = "91330100M0001TGQXM"  # same body, Zhejiang area: still a pilot-style warning
        result = services.validate_uscc(pilot_zj)
        if not result.warnings:
            pytest.skip("generated code happens to pass")
        with pytest.raises(PermissionDenied):
            services.enterprise_register(
                uscc=pilot_zj, name="x", actor=department_liaison, accept_warning=True
            )

    def test_another_province_may_not_register_a_zhejiang_enterprise(self, other_office_admin):
        with pytest.raises(PermissionDenied):
            services.enterprise_register(uscc=b.ZJ_USCC, name="x", actor=other_office_admin)

    def test_duplicates_are_refused(self):
        b.enterprise()
        with pytest.raises(ValidationError):
            b.enterprise()

    def test_renaming_keeps_the_former_name_searchable(self, office_admin):
        ent = b.enterprise()
        services.enterprise_rename(enterprise=ent, name="杭州新名称有限公司", actor=office_admin)
        ent.refresh_from_db()
        assert ent.former_names == ["杭州测试电器有限公司"]
        assert list(Enterprise.objects.search("测试电器")) == [ent]
        assert list(Enterprise.objects.search(b.ZJ_USCC)) == [ent]


class TestCreditRecordCreate:
    def test_display_period_and_repairability_come_from_the_record_type(self):
        ent = b.enterprise()
        record = b.record(ent, "PENALTY", occurred_on=datetime.date(2024, 3, 1))
        assert record.display_until == datetime.date(2027, 2, 28)  # 36 months
        assert record.repairable is True
        assert record.events.get().kind == RecordEvent.Kind.CREATED

    def test_it_marks_the_enterprise_for_regrading(self, django_capture_on_commit_callbacks):
        ent = b.enterprise()
        with django_capture_on_commit_callbacks() as callbacks:
            b.record(ent)
        ent.refresh_from_db()
        assert ent.needs_regrade is True
        assert len(callbacks) >= 1

    def test_the_liaison_may_write_only_its_own_department(self, department_liaison):
        ent = b.enterprise()
        rt = RecordType.objects.get(code="PENALTY")
        kwargs = dict(
            enterprise=ent,
            record_type=rt,
            source_region=factories.region("330000"),
            source_authority="x",
            occurred_on=b.today(),
            actor=department_liaison,
        )
        services.credit_record_create(source_department=factories.department("QTS"), **kwargs)
        with pytest.raises(PermissionDenied):
            services.credit_record_create(source_department=factories.department("AIC"), **kwargs)

    def test_sampling_needs_a_product(self):
        with pytest.raises(ValidationError):
            b.record(b.enterprise(), "SAMPLING_FAIL", product="")

    def test_public_shows_only_records_in_their_display_period(self):
        ent = b.enterprise()
        old = b.record(ent, "PENALTY_MINOR", occurred_on=b.today() - datetime.timedelta(days=200))
        current = b.record(ent, "PENALTY")
        hidden = b.record(ent, "PENALTY", is_public=False)
        future = b.record(ent, "PENALTY", published_from=b.today() + datetime.timedelta(days=3))
        public = set(CreditRecord.objects.public())
        assert current in public
        assert old not in public and hidden not in public and future not in public


class TestObjections:
    def test_filing_then_upholding_revokes_the_record(self, office_admin):
        record = b.record(b.enterprise())
        objection = services.objection_file(
            record=record, name="张三", contact="13800000000", reason="检验样品非本企业生产"
        )
        record.refresh_from_db()
        assert record.status == RecordStatus.OBJECTED
        assert record in CreditRecord.objects.public()  # still shown, marked
        services.objection_decide(
            objection=objection, actor=office_admin, upheld=True, reason="核实样品来源有误"
        )
        record.refresh_from_db()
        assert record.status == RecordStatus.REVOKED
        assert record not in CreditRecord.objects.public()
        kinds = list(record.events.values_list("kind", flat=True))
        assert kinds == ["created", "objection_filed", "objection_upheld"]

    def test_rejecting_restores_the_record(self, department_liaison):
        record = b.record(b.enterprise())
        objection = services.objection_file(record=record, name="张三", contact="x", reason="y")
        services.objection_decide(
            objection=objection, actor=department_liaison, upheld=False, reason="证据不足"
        )
        record.refresh_from_db()
        objection.refresh_from_db()
        assert record.status == RecordStatus.ACTIVE and objection.status == DecisionStatus.REJECTED

    def test_one_pending_objection_per_record(self):
        record = b.record(b.enterprise())
        services.objection_file(record=record, name="张三", contact="x", reason="y")
        with pytest.raises(ValidationError):
            services.objection_file(record=record, name="李四", contact="x", reason="y")

    def test_only_the_source_decides(self, other_office_admin, city_liaison):
        record = b.record(b.enterprise())
        objection = services.objection_file(record=record, name="张三", contact="x", reason="y")
        for user in (other_office_admin, city_liaison):
            with pytest.raises(PermissionDenied):
                services.objection_decide(objection=objection, actor=user, upheld=True, reason="z")

    def test_a_decided_objection_cannot_be_decided_again(self, office_admin):
        record = b.record(b.enterprise())
        objection = services.objection_file(record=record, name="张三", contact="x", reason="y")
        services.objection_decide(objection=objection, actor=office_admin, upheld=False, reason="z")
        with pytest.raises(ValidationError):
            services.objection_decide(objection=objection, actor=office_admin, upheld=True, reason="z")


class TestRepair:
    def test_it_is_too_early_before_the_minimum_display_period(self):
        record = b.record(b.enterprise(), "PENALTY", occurred_on=b.today() - datetime.timedelta(days=30))
        with pytest.raises(ValidationError) as exc:
            services.repair_apply(record=record, name="张三", contact="x", reason="已整改")
        assert exc.value.code == "too_early"

    def test_food_needs_a_year(self):
        occurred = add_months(b.today(), -8)
        general = b.record(b.enterprise(), "PENALTY", occurred_on=occurred)
        food = b.record(
            b.enterprise(b.ZJ_USCC_2, "宁波食品有限公司"), "PENALTY", occurred_on=occurred, sector="food"
        )
        services.repair_apply(record=general, name="a", contact="b", reason="c")
        with pytest.raises(ValidationError):
            services.repair_apply(record=food, name="a", contact="b", reason="c")

    def test_unrepairable_types_are_refused(self):
        record = b.record(b.enterprise(), "LICENCE_REVOKED", occurred_on=add_months(b.today(), -24))
        with pytest.raises(ValidationError) as exc:
            services.repair_apply(record=record, name="a", contact="b", reason="c")
        assert exc.value.code == "not_repairable"

    def test_an_approved_repair_hides_the_record_from_the_effective_date(self, office_admin):
        record = b.record(b.enterprise(), "PENALTY", occurred_on=add_months(b.today(), -7))
        application = services.repair_apply(
            record=record, name="张三", contact="x", reason="已整改并缴纳罚款"
        )
        effective = b.today() + datetime.timedelta(days=5)
        services.repair_decide(
            application=application,
            actor=office_admin,
            approve=True,
            reason="符合条件",
            effective_on=effective,
        )
        record.refresh_from_db()
        assert record.status == RecordStatus.REPAIRED and record.repaired_on == effective
        assert record in CreditRecord.objects.public(on=effective - datetime.timedelta(days=1))
        assert record not in CreditRecord.objects.public(on=effective)
        assert "repair_approved" in set(record.events.values_list("kind", flat=True))

    def test_the_effective_date_may_not_be_in_the_past(self, office_admin):
        record = b.record(b.enterprise(), "PENALTY", occurred_on=add_months(b.today(), -7))
        application = services.repair_apply(record=record, name="张三", contact="x", reason="y")
        with pytest.raises(ValidationError):
            services.repair_decide(
                application=application,
                actor=office_admin,
                approve=True,
                reason="z",
                effective_on=b.today() - datetime.timedelta(days=1),
            )

    def test_a_rejected_repair_leaves_the_record(self, department_liaison):
        record = b.record(b.enterprise(), "PENALTY", occurred_on=add_months(b.today(), -7))
        application = services.repair_apply(record=record, name="张三", contact="x", reason="y")
        services.repair_decide(
            application=application, actor=department_liaison, approve=False, reason="整改未完成"
        )
        record.refresh_from_db()
        assert record.status == RecordStatus.ACTIVE and record.repaired_on is None


class TestExchangeTokens:
    def test_only_the_hash_is_stored(self, office_admin):
        token, key = services.exchange_token_create(
            actor=office_admin,
            name="省质监局抽查系统",
            department=factories.department("QTS"),
            region=factories.region("330000"),
            source_authority="浙江省质量技术监督局",
            record_types=RecordType.objects.filter(code__in=["SAMPLING_FAIL", "SAMPLING_PASS"]),
        )
        assert key not in token.key_hash and len(token.key_hash) == 64
        assert services.exchange_token_authenticate(key) == token
        assert services.exchange_token_authenticate(key + "x") is None
        services.exchange_token_revoke(token=token, actor=office_admin)
        assert services.exchange_token_authenticate(key) is None

    def test_another_province_cannot_issue_zhejiang_tokens(self, other_office_admin):
        with pytest.raises(PermissionDenied):
            services.exchange_token_create(
                actor=other_office_admin,
                name="x",
                department=factories.department("QTS"),
                region=factories.region("330000"),
                source_authority="",
                record_types=RecordType.objects.all()[:1],
            )
