"""Every role × every supervision write endpoint and export, through HTTP: zero leaks.

Items belong to 浙江省 (QTS lead, EIC assist, 杭州/宁波 governments). ``other_office_admin`` is in
安徽省; ``other_city_liaison`` is 宁波市; ``assist_liaison`` (EIC) only reads the lead's item
through its own. A refused request must be 403 or 404 and change nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhiliang.supervision import services
from zhiliang.supervision.models import ProgressReport, TimelineEvent, WorkItem

PERSONAS = [
    "office_admin",
    "leader_view",
    "department_liaison",
    "department_leader",
    "assist_liaison",
    "city_liaison",
    "other_city_liaison",
    "other_office_admin",
    "anonymous",
]


@pytest.fixture
def world(
    issued_plan,
    request,
    other_city_liaison,
    department_liaison,
    assist_liaison,
    city_liaison,
    department_leader,
    office_admin,
):
    plan = issued_plan
    lead = WorkItem.objects.get(task__plan=plan, organisation__name="浙江省质量技术监督局")
    assist = WorkItem.objects.get(task__plan=plan, organisation__name="浙江省经济和信息化委员会")
    hz = WorkItem.objects.get(task__plan=plan, organisation__name="杭州市人民政府")
    nb = WorkItem.objects.get(task__plan=plan, organisation__name="宁波市人民政府")  # left unsigned
    for item, user in ((lead, department_liaison), (assist, assist_liaison), (hz, city_liaison)):
        services.work_item_acknowledge(item=item, user=user)
    lead_report = services.progress_report_save(
        item=lead, user=department_liaison, percent=10, narrative="草稿"
    )
    assist_report = services.progress_report_save(
        item=assist, user=assist_liaison, percent=10, narrative="配合"
    )
    services.progress_report_submit(report=assist_report, user=assist_liaison)
    hz_report = services.progress_report_save(item=hz, user=city_liaison, percent=10, narrative="杭州")
    services.progress_report_submit(report=hz_report, user=city_liaison)  # no leader: goes to the office
    return {
        "plan": plan,
        "nb": nb,
        "lead": lead,
        "assist": assist,
        "hz": hz,
        "lead_report": lead_report,
        "hz_report": hz_report,
    }


def _user(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


def _client(client_as, user):
    from django.test import Client

    return Client() if user is None else client_as(user)


# (name, method, url builder, data, personas allowed)
ENDPOINTS = [
    (
        "issue",
        "post",
        lambda w: reverse("supervision-issue", args=[w["plan"].pk]),
        {"kind": "final", "default_due_date": "2017-12-31"},
        {"office_admin"},
    ),
    (
        "acknowledge-nb",
        "post",
        lambda w: reverse("supervision-item-acknowledge", args=[w["nb"].pk]),
        {},
        {"other_city_liaison"},
    ),
    (
        "report-save-lead",
        "post",
        lambda w: reverse("supervision-report-save", args=[w["lead"].pk]),
        {"percent": "77", "narrative": "改", "action": "save"},
        {"department_liaison"},
    ),
    (
        "report-save-hz",
        "post",
        lambda w: reverse("supervision-report-save", args=[w["hz"].pk]),
        {"percent": "77", "narrative": "改", "action": "save"},
        {"city_liaison"},
    ),
    (
        "submit-lead",
        "post",
        lambda w: reverse("supervision-report-submit", args=[w["lead_report"].pk]),
        {},
        {"department_liaison"},
    ),
    (
        "consolidate",
        "post",
        lambda w: reverse("supervision-report-consolidate", args=[w["lead"].pk]),
        {"reports": []},
        {"department_liaison"},
    ),
    (
        "evidence-upload",
        "post",
        lambda w: reverse("supervision-evidence-upload", args=[w["lead"].pk]),
        {},
        {"department_liaison"},
    ),
    (
        "office-review-hz",
        "post",
        lambda w: reverse("supervision-report-office-review", args=[w["hz_report"].pk]),
        {"decision": "approve"},
        {"office_admin"},
    ),
    (
        "leader-review-lead",
        "post",
        lambda w: reverse("supervision-report-leader-review", args=[w["lead_report"].pk]),
        {"decision": "approve"},
        {"department_leader"},
    ),
    (
        "close-hz",
        "post",
        lambda w: reverse("supervision-item-close", args=[w["hz"].pk]),
        {"outcome": "achieved"},
        {"office_admin"},
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_write_endpoints_refuse_everyone_else(endpoint, persona, world, request, client_as):
    name, method, url, data, allowed = endpoint
    user = _user(request, persona)
    before = (
        list(WorkItem.objects.order_by("pk").values_list("status", "acknowledged_at", "closed_at")),
        list(ProgressReport.objects.order_by("pk").values_list("status", "percent", "narrative")),
        TimelineEvent.objects.count(),
    )
    response = getattr(_client(client_as, user), method)(url(world), data)
    if persona in allowed:
        assert response.status_code == 302, response.content[:500]
        return
    if persona == "anonymous":
        assert response.status_code == 302 and "/login" in response["Location"]
    else:
        assert response.status_code in (403, 404), (name, persona, response.status_code)
    after = (
        list(WorkItem.objects.order_by("pk").values_list("status", "acknowledged_at", "closed_at")),
        list(ProgressReport.objects.order_by("pk").values_list("status", "percent", "narrative")),
        TimelineEvent.objects.count(),
    )
    assert after == before


VIEW_EXPECTATIONS = {
    # persona: set of item keys it may read
    "office_admin": {"lead", "assist", "hz"},
    "leader_view": {"lead", "assist", "hz"},
    "department_liaison": {"lead", "assist"},  # the lead reads its assisting unit's item
    "department_leader": {"lead", "assist"},
    "assist_liaison": {"assist"},
    "city_liaison": {"hz"},
    "other_city_liaison": set(),  # 宁波 sees its own item only, not 杭州's
    "other_office_admin": set(),
}


@pytest.mark.parametrize("persona", list(VIEW_EXPECTATIONS))
def test_item_pages_show_only_what_the_role_allows(persona, world, request, client_as):
    client = client_as(_user(request, persona))
    for key in ("lead", "assist", "hz"):
        response = client.get(reverse("supervision-item", args=[world[key].pk]))
        expected = 200 if key in VIEW_EXPECTATIONS[persona] else 404
        assert response.status_code == expected, (persona, key, response.status_code)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_export_contains_only_the_users_items(persona, world, request, client_as):
    from io import BytesIO

    from openpyxl import load_workbook

    user = _user(request, persona)
    response = _client(client_as, user).get(reverse("supervision-export"))
    allowed = {
        "office_admin": {"lead", "assist", "hz"},
        "department_liaison": {"lead"},
        "assist_liaison": set(),  # its only open report is with the lead
        "city_liaison": set(),  # its report is with the office
        "other_city_liaison": {"nb"},
        "other_office_admin": set(),
    }
    if persona == "anonymous":
        assert response.status_code == 302
        return
    if persona not in allowed:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content))["进展"]
    ids = {row[0] for row in ws.iter_rows(min_row=2, values_only=True)}
    nb = WorkItem.objects.filter(organisation__name="宁波市人民政府").values_list("pk", flat=True).first()
    keys = {"lead": world["lead"].pk, "assist": world["assist"].pk, "hz": world["hz"].pk, "nb": nb}
    signed = {k for k in allowed[persona] if k != "nb"}
    expected = {keys[k] for k in signed}
    # 宁波 has not signed yet, so it has nothing to fill in
    assert (
        ids == expected - {world["assist"].pk, world["hz"].pk}
        if persona == "office_admin"
        else ids <= expected
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_and_dashboards_are_role_bound(persona, world, request, client_as):
    user = _user(request, persona)
    client = _client(client_as, user)
    items = client.get(reverse("supervision-items"))
    mine = client.get(reverse("supervision-dashboard"))
    if persona == "anonymous":
        assert items.status_code == mine.status_code == 302
    elif persona in ("office_admin", "leader_view", "other_office_admin"):
        assert items.status_code == 200 and mine.status_code == 403
        body = items.content.decode()
        assert ("打造浙江制造" in body) == (persona != "other_office_admin")
    else:
        assert items.status_code == 403 and mine.status_code == 200


def test_a_hangzhou_user_cannot_download_another_units_evidence(
    world, client_as, department_liaison, city_liaison, tmp_path, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    report = world["lead_report"]
    ev = services.evidence_attach(
        report=report, upload=SimpleUploadedFile("材料.pdf", b"%PDF-1.4 test"), user=department_liaison
    )
    assert (
        client_as(city_liaison).get(reverse("supervision-evidence-download", args=[ev.pk])).status_code == 404
    )
    ok = client_as(department_liaison).get(reverse("supervision-evidence-download", args=[ev.pk]))
    assert ok.status_code == 200 and ok["Content-Type"] == "application/pdf"
    assert (
        client_as(city_liaison).post(reverse("supervision-evidence-delete", args=[ev.pk])).status_code == 404
    )
