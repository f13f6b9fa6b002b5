import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from zhiliang.departments.models import AliasSource, Department, DepartmentAlias
from zhiliang.plans.models import Assignment, ResolvedBy, UnitReview, UnitReviewStatus
from zhiliang.plans.services import plan_import_confirm, plan_import_preview, unit_review_map
from zhiliang.plans.tests.documents import plan_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(office_admin) -> UnitReview:
    plan_import_confirm(data=plan_document(year=2019), file_name="2019.txt", importer=office_admin)
    plan_import_confirm(data=plan_document(year=2020), file_name="2020.txt", importer=office_admin)
    return UnitReview.objects.get(name="省标准化研究院")


@pytest.fixture
def qts() -> Department:
    return Department.objects.get(code="QTS")


def test_it_points_every_unresolved_assignment_with_the_name_at_the_department(review, qts, office_admin):
    count = unit_review_map(review=review, department=qts, user=office_admin)
    assert count == 2
    rows = Assignment.objects.filter(name="省标准化研究院")
    assert {(a.department_id, a.resolved_by) for a in rows} == {(qts.pk, ResolvedBy.REVIEW)}
    assert not Assignment.objects.unresolved().exists()


def test_it_closes_the_review_with_who_and_when(review, qts, office_admin):
    unit_review_map(review=review, department=qts, user=office_admin)
    review.refresh_from_db()
    assert (review.status, review.department, review.decided_by) == (
        UnitReviewStatus.MAPPED,
        qts,
        office_admin,
    )
    assert review.decided_at is not None


def test_it_remembers_the_decision_as_an_alias(review, qts, office_admin):
    unit_review_map(review=review, department=qts, user=office_admin)
    alias = DepartmentAlias.objects.get(name="省标准化研究院")
    assert (alias.department, alias.source, alias.created_by) == (qts, AliasSource.REVIEW, office_admin)


def test_it_resolves_the_name_by_alias_in_a_later_import(review, qts, office_admin):
    unit_review_map(review=review, department=qts, user=office_admin)
    assert plan_import_preview(data=plan_document(year=2021), file_name="2021.txt").unknown_units == []
    [plan] = plan_import_confirm(
        data=plan_document(year=2021), file_name="2021.txt", importer=office_admin
    ).plans
    assignment = Assignment.objects.get(task__plan=plan, name="省标准化研究院")
    assert (assignment.department, assignment.resolved_by) == (qts, ResolvedBy.ALIAS)
    assert UnitReview.objects.count() == 1


def test_it_records_each_changed_assignment_in_the_audit_history(review, qts, office_admin):
    unit_review_map(review=review, department=qts, user=office_admin)
    for assignment in Assignment.objects.filter(name="省标准化研究院"):
        entry = LogEntry.objects.get_for_object(assignment).get()
        assert (entry.action, entry.actor) == (LogEntry.Action.UPDATE, office_admin)
        assert entry.changes["department"] == ["None", "QTS"]
    review_entry = LogEntry.objects.get_for_object(review).get()
    assert review_entry.actor == office_admin
    alias_entry = LogEntry.objects.get_for_object(DepartmentAlias.objects.get(name="省标准化研究院")).get()
    assert alias_entry.actor == office_admin


def test_it_leaves_assignments_resolved_otherwise_alone(review, qts, office_admin):
    before = list(
        Assignment.objects.exclude(name="省标准化研究院").values_list("pk", "department_id", "resolved_by")
    )
    unit_review_map(review=review, department=qts, user=office_admin)
    after = list(
        Assignment.objects.exclude(name="省标准化研究院").values_list("pk", "department_id", "resolved_by")
    )
    assert before == after


def test_it_lets_the_office_correct_a_decision(review, qts, office_admin):
    unit_review_map(review=review, department=qts, user=office_admin)
    market = Department.objects.get(code="MARKET")
    assert unit_review_map(review=review, department=market, user=office_admin) == 0
    assert DepartmentAlias.objects.get(name="省标准化研究院").department == market


@pytest.mark.parametrize("persona", ["department_liaison", "city_liaison", "leader_view"])
def test_it_refuses_users_who_may_not_review_units(review, qts, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        unit_review_map(review=review, department=qts, user=user)
    assert Assignment.objects.unresolved().count() == 2
    assert not DepartmentAlias.objects.filter(name="省标准化研究院").exists()


def test_it_lets_a_superuser_review_units(review, qts, superuser):
    assert unit_review_map(review=review, department=qts, user=superuser) == 2
