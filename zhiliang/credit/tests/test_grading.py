"""Grading: scores, basis, caps, holding periods, forced grades, incremental re-grading."""

from __future__ import annotations

import datetime

import pytest

from zhiliang import factories
from zhiliang.credit import grading, lists
from zhiliang.credit.dates import add_months
from zhiliang.credit.models import Enterprise, EnterpriseGrade, GradingScheme, ListKind
from zhiliang.credit.tests import builders as b

pytestmark = pytest.mark.django_db


def default_grade(ent: Enterprise) -> EnterpriseGrade:
    return EnterpriseGrade.objects.get(enterprise=ent, is_current=True, scheme__is_default=True)


class TestComputeGrade:
    def test_an_enterprise_without_records_gets_the_base_score(self):
        ent = b.enterprise()
        grading.grade_enterprise(enterprise=ent)
        grade = default_grade(ent)
        assert grade.grade == "B" and grade.score == 80
        assert grade.basis["contributions"] == []

    def test_the_basis_names_every_record_that_counted(self):
        ent = b.enterprise()
        fail = b.record(ent, "SAMPLING_FAIL")
        award = b.record(ent, "AWARD_GOV", product="")
        grading.grade_enterprise(enterprise=ent)
        grade = default_grade(ent)
        assert {c["record_id"]: c["points"] for c in grade.basis["contributions"]} == {
            fail.pk: "-15",
            award.pk: "15",
        }
        assert grade.score == 80

    def test_old_records_and_revoked_ones_do_not_count(self, office_admin):
        from zhiliang.credit import services

        ent = b.enterprise()
        old = b.record(ent, "PENALTY", occurred_on=add_months(b.today(), -40))
        revoked = b.record(ent, "PENALTY")
        services.credit_record_revoke(record=revoked, actor=office_admin, reason="决定已撤销")
        grading.grade_enterprise(enterprise=ent)
        grade = default_grade(ent)
        assert grade.score == 80
        reasons = {e["record_id"]: e["reason"] for e in grade.basis["excluded"]}
        assert reasons == {old.pk: "超出计分期", revoked.pk: "已撤销"}

    def test_a_negative_record_caps_the_grade_at_a(self):
        ent = b.enterprise()
        b.record(ent, "AWARD_NATIONAL", product="")
        b.record(ent, "AWARD_GOV", product="")
        b.record(ent, "COMPLAINT", product="")
        grading.grade_enterprise(enterprise=ent)
        grade = default_grade(ent)
        assert grade.score == 115 and grade.grade == "A"

    def test_aa_needs_two_years_at_a_and_aaa_one_year_at_aa(self):
        ent = b.enterprise()
        b.record(ent, "AWARD_NATIONAL", product="", occurred_on=add_months(b.today(), -30))
        b.record(ent, "AWARD_GOV", product="", occurred_on=add_months(b.today(), -30))
        start = add_months(b.today(), -30)
        grading.grade_enterprise(enterprise=ent, as_of=start)
        assert default_grade(ent).grade == "A"  # score 120 qualifies for AAA, but nothing held yet
        grading.grade_enterprise(enterprise=ent, as_of=add_months(start, 12))
        assert default_grade(ent).grade == "A"
        grading.grade_enterprise(enterprise=ent, as_of=add_months(start, 24))
        grade = default_grade(ent)
        assert grade.grade == "AA" and grade.held_since == add_months(start, 24)
        grading.grade_enterprise(enterprise=ent, as_of=add_months(start, 30))
        assert default_grade(ent).grade == "AA"
        assert any("AAA须持有AA满12个月" in s for s in default_grade(ent).basis["steps"])

    def test_history_is_kept_when_the_grade_changes(self):
        ent = b.enterprise()
        grading.grade_enterprise(enterprise=ent)
        b.record(ent, "PENALTY", product="")
        grading.grade_enterprise(enterprise=ent)
        grades = EnterpriseGrade.objects.filter(enterprise=ent, scheme__is_default=True)
        assert [(g.grade, g.is_current) for g in grades.order_by("pk")] == [("B", False), ("C", True)]

    def test_regrading_without_changes_updates_in_place(self):
        ent = b.enterprise()
        grading.grade_enterprise(enterprise=ent)
        grading.grade_enterprise(enterprise=ent)
        assert EnterpriseGrade.objects.filter(enterprise=ent, scheme__is_default=True).count() == 1

    def test_a_black_listed_enterprise_is_d(self, office_admin):
        ent = b.enterprise()
        record = b.record(ent, "PENALTY")
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
        grading.grade_enterprise(enterprise=ent)
        grade = default_grade(ent)
        assert grade.grade == "D" and grade.basis["forced_by"] == {"list_kind": "black", "grade": "D"}

    def test_the_second_scheme_grades_too(self):
        ent = b.enterprise()
        grading.grade_enterprise(enterprise=ent)
        other = GradingScheme.objects.get(code="AQSIQ-2012-74")
        assert EnterpriseGrade.objects.get(enterprise=ent, scheme=other, is_current=True).grade == "A"


class TestRegradeDirty:
    def test_only_flagged_enterprises_are_graded(self):
        changed = b.enterprise()
        untouched = b.enterprise(b.ZJ_USCC_2, "宁波企业")
        b.record(changed)
        Enterprise.objects.filter(pk=untouched.pk).update(needs_regrade=False)
        assert grading.regrade_dirty() == 1
        assert EnterpriseGrade.objects.filter(enterprise=changed).exists()
        assert not EnterpriseGrade.objects.filter(enterprise=untouched).exists()
        changed.refresh_from_db()
        assert changed.needs_regrade is False
        assert grading.regrade_dirty() == 0

    def test_the_task_runs_the_job(self):
        from zhiliang.credit.tasks import regrade_dirty_task

        ent = b.enterprise()
        b.record(ent)
        assert regrade_dirty_task.call() == 1

    def test_a_record_change_enqueues_the_job_on_commit(self, django_capture_on_commit_callbacks):
        from django_tasks_db.models import DBTaskResult

        ent = b.enterprise()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            b.record(ent)
        assert callbacks  # the enqueue ran on commit and did not break the write
        assert DBTaskResult.objects.filter(task_path="zhiliang.credit.tasks.regrade_dirty_task").exists()
        ent.refresh_from_db()
        assert ent.needs_regrade is True  # whoever runs next (task or command) grades it

    def test_regrade_all_grades_everyone(self):
        b.enterprise()
        b.enterprise(b.ZJ_USCC_2, "宁波企业")
        Enterprise.objects.update(needs_regrade=False)
        assert grading.regrade_all() == 2

    def test_the_command_is_incremental_by_default(self):
        from io import StringIO

        from django.core.management import call_command

        ent = b.enterprise()
        b.record(ent)
        out = StringIO()
        call_command("credit_regrade", stdout=out)
        assert "已评级企业 1 家" in out.getvalue()
        out = StringIO()
        call_command("credit_regrade", "--all", "--expire-lists", stdout=out)
        assert "已评级企业 1 家" in out.getvalue()


def test_add_months_clamps_to_month_end():
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2024, 12, 15), 1) == datetime.date(2025, 1, 15)
