"""Red and black lists: decisions, expiry, early removal through repair, candidates from the criteria."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhiliang import factories
from zhiliang.credit import lists, services
from zhiliang.credit.dates import add_months
from zhiliang.credit.models import ListCriterion, ListEntry, ListKind, RecordEvent, RemovalKind
from zhiliang.credit.tests import builders as b

pytestmark = pytest.mark.django_db


def black(ent, actor, *, listed_on=None, criterion_code="BL_SERIOUS_PENALTY", record=None, department="QTS"):
    return lists.list_entry_create(
        enterprise=ent,
        kind=ListKind.BLACK,
        actor=actor,
        reason="受到较重行政处罚",
        source_department=factories.department(department),
        source_region=factories.region("330000"),
        source_authority="浙江省质量技术监督局",
        criterion=ListCriterion.objects.get(code=criterion_code),
        source_record=record,
        listed_on=listed_on,
    )


class TestListEntryCreate:
    def test_the_period_comes_from_the_criterion(self, office_admin):
        entry = black(b.enterprise(), office_admin, listed_on=datetime.date(2024, 5, 10))
        assert entry.expires_on == datetime.date(2027, 5, 10)
        assert entry in ListEntry.objects.current(datetime.date(2027, 5, 9))
        assert entry not in ListEntry.objects.current(datetime.date(2027, 5, 10))
        assert entry.enterprise.events.filter(kind=RecordEvent.Kind.LISTED).exists()

    def test_every_entry_names_its_source(self, department_liaison):
        ent = b.enterprise()
        record = b.record(ent, "PENALTY_SERIOUS", product="")
        entry = black(ent, department_liaison, record=record)
        assert (
            entry.source_authority and entry.source_department.code == "QTS" and entry.source_record == record
        )

    def test_the_liaison_may_list_only_for_its_department(self, department_liaison):
        with pytest.raises(PermissionDenied):
            black(b.enterprise(), department_liaison, department="AIC")

    def test_another_province_may_not_list(self, other_office_admin):
        with pytest.raises(PermissionDenied):
            black(b.enterprise(), other_office_admin)

    def test_twice_under_the_same_criterion_is_refused(self, office_admin):
        ent = b.enterprise()
        black(ent, office_admin)
        with pytest.raises(ValidationError):
            black(ent, office_admin)

    def test_black_listing_ends_a_red_listing(self, office_admin):
        ent = b.enterprise()
        red = lists.list_entry_create(
            enterprise=ent,
            kind=ListKind.RED,
            actor=office_admin,
            reason="获省政府质量奖",
            source_department=factories.department("QUALITY_OFFICE"),
            source_region=factories.region("330000"),
            source_authority="浙江省质量工作领导小组办公室",
            criterion=ListCriterion.objects.get(code="RL_QUALITY_AWARD"),
        )
        black(ent, office_admin)
        red.refresh_from_db()
        assert red.removed_on == b.today() and red.removal_kind == RemovalKind.DECISION
        assert list(ListEntry.objects.current().filter(enterprise=ent).values_list("kind", flat=True)) == [
            "black"
        ]


class TestRemovalAndExpiry:
    def test_removal_by_decision_has_a_reason_and_a_date(self, office_admin):
        entry = black(b.enterprise(), office_admin)
        lists.list_entry_remove(entry=entry, actor=office_admin, reason="处罚决定被撤销")
        entry.refresh_from_db()
        assert entry.removed_on == b.today() and entry.removal_reason == "处罚决定被撤销"
        assert entry.removed_by == office_admin
        with pytest.raises(ValidationError):
            lists.list_entry_remove(entry=entry, actor=office_admin, reason="again")

    def test_expiry_is_recorded_by_the_daily_job(self, office_admin):
        entry = black(b.enterprise(), office_admin, listed_on=add_months(b.today(), -37))
        assert entry not in ListEntry.objects.current()  # already out of force
        assert lists.lists_expire() == 1
        entry.refresh_from_db()
        assert entry.removal_kind == RemovalKind.EXPIRED and entry.removed_on == entry.expires_on
        assert lists.lists_expire() == 0

    def test_the_expire_command(self, office_admin):
        from io import StringIO

        from django.core.management import call_command

        black(b.enterprise(), office_admin, listed_on=add_months(b.today(), -37))
        out = StringIO()
        call_command("credit_lists_expire", stdout=out)
        assert "期满移出 1 个名单条目" in out.getvalue()

    def test_early_removal_through_repair_after_a_year(self, office_admin):
        ent = b.enterprise()
        early = black(ent, office_admin, listed_on=add_months(b.today(), -6))
        with pytest.raises(ValidationError):
            services.repair_apply(list_entry=early, name="企业", contact="x", reason="已整改")
        lists.list_entry_remove(entry=early, actor=office_admin, reason="测试")
        entry = black(ent, office_admin, listed_on=add_months(b.today(), -13))
        application = services.repair_apply(list_entry=entry, name="企业", contact="x", reason="已整改")
        services.repair_decide(application=application, actor=office_admin, approve=True, reason="符合条件")
        entry.refresh_from_db()
        assert entry.removal_kind == RemovalKind.REPAIRED and entry.removed_on == b.today()
        assert entry not in ListEntry.objects.current()

    def test_criteria_without_early_removal_refuse_repair(self, office_admin):
        entry = black(
            b.enterprise(), office_admin, listed_on=add_months(b.today(), -20), criterion_code="BL_ACCIDENT"
        )
        with pytest.raises(ValidationError):
            services.repair_apply(list_entry=entry, name="企业", contact="x", reason="y")


class TestCandidates:
    def test_two_sampling_failures_in_a_year_make_a_black_candidate(self, office_admin):
        ent = b.enterprise()
        b.record(ent, "SAMPLING_FAIL", occurred_on=add_months(b.today(), -3))
        assert not [
            c for c in lists.list_candidates(kind="black") if c.criterion.code == "BL_REPEAT_SAMPLING"
        ]
        b.record(ent, "SAMPLING_FAIL")
        found = [c for c in lists.list_candidates(kind="black") if c.criterion.code == "BL_REPEAT_SAMPLING"]
        assert [c.enterprise for c in found] == [ent] and len(found[0].records) == 2
        black(ent, office_admin, criterion_code="BL_REPEAT_SAMPLING")
        assert not [
            c for c in lists.list_candidates(kind="black") if c.criterion.code == "BL_REPEAT_SAMPLING"
        ]

    def test_a_red_candidate_needs_a_clean_record(self):
        clean = b.enterprise()
        b.record(clean, "AWARD_GOV", product="")
        dirty = b.enterprise(b.ZJ_USCC_2, "宁波企业")
        b.record(dirty, "AWARD_GOV", product="")
        b.record(dirty, "COMPLAINT", product="")
        found = {
            c.enterprise for c in lists.list_candidates(kind="red") if c.criterion.code == "RL_QUALITY_AWARD"
        }
        assert found == {clean}

    def test_candidates_are_limited_to_the_users_regions(self):
        ent = b.enterprise()
        b.record(ent, "PENALTY_SERIOUS", product="")
        anhui = factories.region("340000").descendant_ids()
        assert lists.list_candidates(kind="black", region_ids=anhui) == []
