"""The login page renders in a real Chromium, in Chinese and with its styles, and signing in works."""

from __future__ import annotations

from django.urls import reverse

from zhiliang import factories
from zhiliang.web.tests.browser.conftest import login


def test_it_renders_the_login_page_in_chinese_with_its_styles(page, live_server):
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)

    response = page.goto(live_server.url + reverse("accounts-login"))

    assert response is not None and response.status == 200
    assert page.get_by_role("heading", name="登录").is_visible()
    assert page.locator("input[name=password]").is_visible()
    assert page.evaluate("document.documentElement.lang").lower().startswith("zh")
    assert page.evaluate("document.styleSheets.length") >= 1
    assert failed == []


def test_it_signs_in_and_lands_on_the_plan_list(page, live_server, office_admin):
    login(page, live_server, "office_admin", factories.DEFAULT_PASSWORD)

    assert page.url == live_server.url + reverse("plans-list")
    assert page.locator("input[name=password]").count() == 0


def test_it_refuses_a_wrong_password(page, live_server, office_admin):
    page.goto(live_server.url + reverse("accounts-login"))
    page.fill("input[name=username]", "office_admin")
    page.fill("input[name=password]", "not-the-password")
    page.locator("form [type=submit]").first.click()
    page.wait_for_load_state()

    assert page.url.startswith(live_server.url + reverse("accounts-login"))
    assert page.locator("input[name=password]").is_visible()
