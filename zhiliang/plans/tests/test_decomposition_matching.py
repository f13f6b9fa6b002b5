"""plan_match_suggestions and task_link_confirm: an imported city plan is matched to its parent."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from zhiliang.conftest import SAMPLE_PLANS_DIR
from zhiliang.plans.decomposition import DecompositionError, task_link_confirm
from zhiliang.plans.matching import bigrams, jaccard, normalise, plan_match_suggestions
from zhiliang.plans.services import plan_import_confirm

pytestmark = pytest.mark.django_db

# 杭州市2017年质量强市建设实施方案 task → the 浙江省 task it implements.
EXPECTED = {1: 1, 2: 2, 3: 3, 4: 5, 5: 6, 6: 7, 7: 8, 8: 10, 9: 12}


@pytest.fixture
def city_plan(office_admin):
    data = (SAMPLE_PLANS_DIR / "hangzhou_2017.txt").read_bytes()
    return plan_import_confirm(data=data, file_name="hangzhou_2017.txt", importer=office_admin).plans[0]


def test_it_suggests_the_parent_task_of_every_city_task(imported_plan, city_plan):
    suggestions = plan_match_suggestions(child_plan=city_plan, parent_plan=imported_plan)
    assert {s.child_task.number: s.parent_task.number for s in suggestions} == EXPECTED


def test_it_gives_a_score_and_reasons(imported_plan, city_plan):
    first = plan_match_suggestions(child_plan=city_plan, parent_plan=imported_plan)[0]
    assert 0 < first.score <= 1
    assert first.percent == round(first.score * 100)
    assert any(r.startswith("标题相似度") for r in first.reasons)
    assert any("质量技术监督局" in r for r in first.reasons)
    assert "共同指标：首席质量官" in first.reasons


def test_it_uses_each_parent_task_once(imported_plan, city_plan):
    parents = [
        s.parent_task.pk for s in plan_match_suggestions(child_plan=city_plan, parent_plan=imported_plan)
    ]
    assert len(parents) == len(set(parents))


def test_confirming_links_the_task_and_the_plan(imported_plan, city_plan, city_liaison):
    child = city_plan.tasks.get(number=4)
    parent = imported_plan.tasks.get(number=5)
    task_link_confirm(child_task=child, parent_task=parent, user=city_liaison)
    child.refresh_from_db()
    city_plan.refresh_from_db()
    assert (child.parent, city_plan.parent) == (parent, imported_plan)
    assert LogEntry.objects.get_for_object(child).latest("timestamp").actor == city_liaison


def test_confirmed_links_leave_the_suggestions(imported_plan, city_plan, city_liaison):
    task_link_confirm(
        child_task=city_plan.tasks.get(number=1),
        parent_task=imported_plan.tasks.get(number=1),
        user=city_liaison,
    )
    suggestions = plan_match_suggestions(child_plan=city_plan, parent_plan=imported_plan)
    assert 1 not in {s.child_task.number for s in suggestions}
    assert 1 not in {s.parent_task.number for s in suggestions}
    assert len(suggestions) == 8


def test_another_province_may_not_confirm(imported_plan, city_plan, other_office_admin):
    with pytest.raises(PermissionDenied):
        task_link_confirm(
            child_task=city_plan.tasks.get(number=1),
            parent_task=imported_plan.tasks.get(number=1),
            user=other_office_admin,
        )


def test_a_task_cannot_link_to_a_plan_of_its_own_level(imported_plan, city_plan, office_admin):
    with pytest.raises(DecompositionError):
        task_link_confirm(
            child_task=city_plan.tasks.get(number=1),
            parent_task=city_plan.tasks.get(number=2),
            user=office_admin,
        )


def test_normalising_drops_places_and_filler_words():
    assert normalise("深入开展全省重点产品质量提升行动。", ("浙江省", "浙江")) == "开展重点产品质量提升行动"
    assert jaccard(bigrams("品牌培育"), bigrams("品牌培育")) == 1.0
    assert jaccard(set(), bigrams("品牌")) == 0.0
