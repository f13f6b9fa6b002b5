"""Plan list, plan page and source page: content, permissions, htmx fragments, query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhiliang import factories
from zhiliang.plans.models import Plan, Role, SectionKind, TargetBreakdown

pytestmark = pytest.mark.django_db


def build_plan(*, tasks: int = 3, region_code: str = "330000", year: int = 2017, **plan_fields) -> Plan:
    """A plan with a goals section and a task section whose tasks carry every kind of detail."""
    plan = factories.PlanFactory(
        region=factories.region(region_code),
        year=year,
        level="province" if region_code.endswith("0000") else "city",
        **plan_fields,
    )
    factories.SectionFactory(
        plan=plan,
        number=1,
        label="一、",
        title="主要目标",
        kind=SectionKind.GOALS,
        text="到年底，质量总体水平稳步提升。",
    )
    section = factories.SectionFactory(
        plan=plan, number=2, label="二、", title="重点任务", kind=SectionKind.TASKS
    )
    for n in range(1, tasks + 1):
        task = factories.TaskFactory(
            plan=plan,
            section=section,
            number=n,
            label=f"（{n}）",
            title=f"任务标题{n}",
            source_ref=f"p{plan.pk}-{n}",
        )
        measure = factories.MeasureFactory(task=task, order=1, text=f"具体措施{n}")
        factories.AssignmentFactory(
            task=task, order=1, name="省质监局", role=Role.LEAD, department=factories.department("QTS")
        )
        factories.AssignmentFactory(
            task=task, order=2, name="省经信委", role=Role.ASSIST, department=factories.department("EIC")
        )
        # A note on one measure is stored twice, as the importer does: on the task (the union of
        # the task's units) and on its measure.
        for on_measure in (None, measure):
            factories.AssignmentFactory(
                task=task,
                measure=on_measure,
                order=3,
                name="省未知中心",
                role=Role.SHARED,
                department=None,
                resolved_by="",
            )
        target = factories.TargetFactory(
            task=task, order=1, subject="浙江名牌产品", value=Decimal("100.0000"), unit="个"
        )
        TargetBreakdown.objects.create(
            target=target, region_name="杭州", region=factories.region("330100"), value=Decimal("12.5000")
        )
        factories.DeadlineFactory(task=task, order=1, text="年内", date=datetime.date(year, 12, 31))
        factories.DeadlineFactory(task=task, order=2, text="长期坚持", recurring=True)
    return plan


# ---------- plan list ----------


def test_the_list_shows_the_plans_a_user_can_see(client_as, office_admin, imported_plan):
    response = client_as(office_admin).get(reverse("plans-list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "浙江省2017年质量强省建设行动计划" in body
    assert "浙政办发〔2017〕48号" in body
    assert "2017年5月16日" in body
    assert reverse("plans-detail", args=[imported_plan.pk]) in body
    assert 'lang="zh-hans"' in body


def test_a_city_user_sees_the_provincial_plan_above_it(client_as, city_liaison, imported_plan):
    response = client_as(city_liaison).get(reverse("plans-list"))
    assert imported_plan.display_title in response.content.decode()


def test_another_province_does_not_see_the_plan(client_as, other_office_admin, imported_plan):
    response = client_as(other_office_admin).get(reverse("plans-list"))
    assert response.status_code == 200
    assert imported_plan.display_title not in response.content.decode()
    assert "还没有可查看的行动计划" in response.content.decode()


def test_the_list_shows_task_and_unresolved_counts(client_as, office_admin):
    plan = build_plan(tasks=4, title="计数测试计划")
    response = client_as(office_admin).get(reverse("plans-list"))
    row = next(p for p in response.context["plans"] if p.pk == plan.pk)
    assert (row.task_count, row.unresolved_count) == (4, 4)
    assert '<span class="badge badge-warning">4</span>' in response.content.decode()


def test_filters_narrow_the_list(client_as, superuser):
    build_plan(title="浙江二〇一七", year=2017)
    build_plan(title="浙江二〇一八", year=2018)
    build_plan(title="安徽二〇一七", region_code="340000", year=2017)
    build_plan(title="杭州二〇一七", region_code="330100", year=2017)
    client = client_as(superuser)

    titles = lambda r: {p.title for p in r.context["plans"]}  # noqa: E731
    assert titles(client.get(reverse("plans-list"), {"year": 2017})) == {
        "浙江二〇一七",
        "安徽二〇一七",
        "杭州二〇一七",
    }
    assert titles(client.get(reverse("plans-list"), {"region": "340000"})) == {"安徽二〇一七"}
    assert titles(client.get(reverse("plans-list"), {"level": "city"})) == {"杭州二〇一七"}
    assert titles(client.get(reverse("plans-list"), {"region": "330000", "year": 2018})) == {"浙江二〇一八"}


def test_filter_choices_come_from_visible_plans(client_as, office_admin):
    build_plan(title="浙江", year=2017)
    build_plan(title="安徽", region_code="340000", year=2015)
    form = client_as(office_admin).get(reverse("plans-list")).context["form"]
    assert [r.code for r in form.fields["region"].queryset] == ["330000"]
    assert [c[0] for c in form.fields["year"].choices] == ["", 2017]


def test_a_bad_filter_value_is_reported_and_ignored(client_as, office_admin):
    build_plan(title="浙江")
    response = client_as(office_admin).get(reverse("plans-list"), {"year": "abc", "region": "999999"})
    assert response.status_code == 200
    assert [p.title for p in response.context["plans"]] == ["浙江"]
    assert response.context["form"].errors.keys() == {"year", "region"}


def test_htmx_requests_get_only_the_table_fragment(client_as, office_admin, imported_plan):
    response = client_as(office_admin).get(reverse("plans-list"), {"year": 2017}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="plan-table"')
    assert "<html" not in body and "<form" not in body
    assert imported_plan.display_title in body
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(client_as, office_admin):
    response = client_as(office_admin).get(
        reverse("plans-list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


def test_the_filter_form_works_without_javascript(client_as, office_admin):
    body = client_as(office_admin).get(reverse("plans-list")).content.decode()
    assert 'method="get" action="/"' in body
    assert 'hx-get="/"' in body and 'hx-push-url="true"' in body
    assert '<label for="id_region">地区</label>' in body


def test_the_list_is_paginated(client_as, superuser):
    for i in range(30):
        factories.PlanFactory(title=f"计划{i:02d}")
    client = client_as(superuser)
    first = client.get(reverse("plans-list"))
    assert len(first.context["plans"]) == 25
    assert "第 1 / 2 页" in first.content.decode()
    assert "?page=2" in first.content.decode()
    second = client.get(reverse("plans-list"), {"page": 2})
    assert len(second.context["plans"]) == 5


def test_the_list_runs_a_fixed_number_of_queries(client_as, office_admin, django_assert_max_num_queries):
    client = client_as(office_admin)
    build_plan(tasks=2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("plans-list"))
    for _ in range(29):
        build_plan(tasks=2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("plans-list"))
    assert response.context["page"].paginator.count == 30
    assert len(many) == len(few)
    with django_assert_max_num_queries(10):  # auth 3 + regions 3 + years, regions, count, page
        client.get(reverse("plans-list"))


def test_anonymous_users_are_sent_to_login(client, imported_plan):
    for url in [
        reverse("plans-list"),
        reverse("plans-detail", args=[imported_plan.pk]),
        reverse("plans-source", args=[imported_plan.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts-login')}?next={url}"


def test_the_pages_only_answer_get(client_as, office_admin, imported_plan):
    client = client_as(office_admin)
    assert client.post(reverse("plans-list")).status_code == 405
    assert client.post(reverse("plans-detail", args=[imported_plan.pk])).status_code == 405


# ---------- plan page ----------


def test_the_plan_page_shows_header_and_provenance(client_as, office_admin, imported_plan):
    response = client_as(office_admin).get(reverse("plans-detail", args=[imported_plan.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        "浙江省2017年质量强省建设行动计划",
        "浙江省人民政府办公厅关于印发浙江省2017年质量强省建设行动计划的通知",
        "浙江省人民政府办公厅",
        "浙政办发〔2017〕48号",
        "2017年5月16日",
        "国办发〔2017〕29号",
        "zhejiang_2017.txt",
        imported_plan.source.content_hash[:12],
        "office_admin",
        "去除的重复副本",
    ]:
        assert text in body, text


def test_the_plan_page_shows_sections_tasks_and_responsibilities(client_as, office_admin, imported_plan):
    body = client_as(office_admin).get(reverse("plans-detail", args=[imported_plan.pk])).content.decode()
    assert 'class="plan-section kind-goals"' in body
    assert 'class="plan-section kind-other"' in body
    assert "制造业产品质量合格率稳定在93%以上" in body  # goals text
    assert 'id="task-1"' in body and "深入开展重点产品质量提升行动" in body
    assert f'href="{reverse("departments-detail", args=["QTS"])}"' in body
    assert 'class="chip chip-lead"' in body and 'class="chip chip-assist"' in body
    assert f"{reverse('plans-source', args=[imported_plan.pk])}#task-1" in body
    assert "首席质量官" in body  # a target subject
    assert "2017年12月31日" in body  # a deadline


def test_the_plan_page_shows_targets_breakdown_deadlines_and_unresolved_units(client_as, office_admin):
    plan = build_plan(tasks=1, warnings=["第3行：无法识别的编号"])
    response = client_as(office_admin).get(reverse("plans-detail", args=[plan.pk]))
    body = response.content.decode()
    assert "等于" in body
    assert "<strong>100</strong> 个" in body
    assert "杭州市</span> <strong>12.5</strong>" in body
    assert "长期/持续" in body
    assert "<details" in body and "第3行：无法识别的编号" in body and "解析提示（1 条）" in body
    assert "chip chip-unresolved" in body and "省未知中心" in body
    assert "具体措施1" in body


def test_unresolved_units_link_to_the_review_queue_for_office_users(client_as, office_admin, leader_view):
    plan = build_plan(tasks=1)
    url = reverse("plans-detail", args=[plan.pk])
    office = client_as(office_admin).get(url).content.decode()
    leader = client_as(leader_view).get(url).content.decode()
    assert '<a class="chip chip-unresolved"' in office
    assert '<a class="chip chip-unresolved"' not in leader
    assert '<span class="chip chip-unresolved"' in leader


def test_the_plan_page_groups_responsibilities_by_role(client_as, office_admin):
    plan = build_plan(tasks=1)
    response = client_as(office_admin).get(reverse("plans-detail", args=[plan.pk]))
    task = response.context["sections"][1].tasks.all()[0]
    assert [(g.role, [a.name for a in g.assignments]) for g in task.role_groups] == [
        ("lead", ["省质监局"]),
        ("assist", ["省经信委"]),
        ("shared", ["省未知中心"]),  # the task lists every unit, its measures' included
    ]
    measure = task.measure_list[0]
    assert [(g.role, [a.name for a in g.assignments]) for g in measure.role_groups] == [
        ("shared", ["省未知中心"])
    ]


def test_a_plan_of_another_province_is_not_found(client_as, other_office_admin, imported_plan):
    client = client_as(other_office_admin)
    assert client.get(reverse("plans-detail", args=[imported_plan.pk])).status_code == 404
    assert client.get(reverse("plans-source", args=[imported_plan.pk])).status_code == 404


def test_a_missing_plan_is_not_found(client_as, superuser):
    assert client_as(superuser).get(reverse("plans-detail", args=[999999])).status_code == 404


def test_every_persona_of_the_province_can_read_the_plan(
    client_as, imported_plan, department_liaison, city_liaison, leader_view, superuser
):
    for user in [department_liaison, city_liaison, leader_view, superuser]:
        assert client_as(user).get(reverse("plans-detail", args=[imported_plan.pk])).status_code == 200


def test_the_plan_page_runs_a_fixed_number_of_queries(client_as, office_admin, django_assert_max_num_queries):
    client = client_as(office_admin)
    small, large = build_plan(tasks=1), build_plan(tasks=15)
    client.get(reverse("plans-list"))  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("plans-detail", args=[small.pk]))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("plans-detail", args=[large.pk]))
    assert len(many) == len(few)
    with django_assert_max_num_queries(14):  # auth 3 + regions 3 + plan + 7 prefetches
        client.get(reverse("plans-detail", args=[large.pk]))


def test_export_links_appear_when_the_export_route_exists(client_as, office_admin, imported_plan):
    from django.urls import NoReverseMatch

    try:
        url = reverse("plans-export", kwargs={"pk": imported_plan.pk, "fmt": "xlsx"})
    except NoReverseMatch:
        pytest.skip("plans-export is not routed yet")
    body = client_as(office_admin).get(reverse("plans-detail", args=[imported_plan.pk])).content.decode()
    assert url in body


# ---------- source page ----------


def test_the_source_page_anchors_each_task(client_as, office_admin, imported_plan):
    response = client_as(office_admin).get(reverse("plans-source", args=[imported_plan.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for task in imported_plan.tasks.all():
        assert f'id="task-{task.number}"' in body
    assert '<mark class="task-span" id="task-1"' in body
    assert "浙政办发〔2017〕48号" in body


def test_the_source_text_is_escaped(client_as, office_admin):
    text = "前言<script>alert(1)</script>\n（一）任务甲。内容&细节。\n结尾"
    source = factories.PlanSourceFactory(text=text)
    plan = build_plan(tasks=1, source=source)
    task = plan.tasks.get()
    start = text.index("（一）")
    task.source_start, task.source_end = start, text.index("\n结尾")
    task.save(update_fields=["source_start", "source_end"])

    body = client_as(office_admin).get(reverse("plans-source", args=[plan.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "（一）任务甲。内容&amp;细节。</mark>" in body


def test_source_segments_skip_overlapping_and_missing_spans():
    from zhiliang.plans.models import Task
    from zhiliang.web.views.plans import source_segments

    tasks = [
        Task(number=1, source_start=2, source_end=5),
        Task(number=2, source_start=4, source_end=8),  # overlaps task 1
        Task(number=3, source_start=None, source_end=None),
        Task(number=4, source_start=8, source_end=10),
    ]
    segments = source_segments("0123456789AB", tasks)
    assert [(s.text, s.task.number if s.task else None) for s in segments] == [
        ("01", None),
        ("234", 1),
        ("567", None),
        ("89", 4),
        ("AB", None),
    ]
