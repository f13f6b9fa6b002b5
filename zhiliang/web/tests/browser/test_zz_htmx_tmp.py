import pytest
from django.urls import reverse
from zhiliang import factories
from zhiliang.web.tests.browser.conftest import login

pytestmark = pytest.mark.browser

def test_htmx_filters(page, live_server, office_admin):
    factories.PlanFactory(title="甲计划", year=2017)
    factories.PlanFactory(title="乙计划", year=2018)
    login(page, live_server, "office_admin", factories.DEFAULT_PASSWORD)
    page.evaluate("window.__marker = 1")
    page.select_option("#id_year", "2018")
    page.wait_for_url("**year=2018**")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__marker") == 1  # no full reload
    assert page.locator("#plan-table").inner_text().count("乙计划") == 1
    assert "甲计划" not in page.locator("#plan-table").inner_text()
    assert page.locator("form.filters").count() == 1
    page.go_back()
    page.wait_for_timeout(800)
    assert "甲计划" in page.locator("#plan-table").inner_text()
