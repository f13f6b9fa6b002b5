"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live_server.

Run them with `make test-browser` (or `pytest -m browser`). Every test in this directory is
marked `browser` automatically, and skipped, with the reason, when Chromium is missing.

    def test_it_shows_the_plan_list(page, live_server, alice):
        login(page, live_server, "alice", "password-of-alice")
        page.goto(live_server.url + "/plans/")
        expect(page.get_by_role("heading", name="行动计划")).to_be_visible()

Playwright never downloads a browser here: it launches /usr/bin/chromium (apt-get install
chromium fonts-noto-cjk), or the executable named by ZHILIANG_CHROMIUM.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop running in the main thread; Django's ORM would
# otherwise refuse the queries that tests and live_server fixtures make beside it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("ZHILIANG_CHROMIUM", "/usr/bin/chromium")
HERE = Path(__file__).resolve().parent
ARTIFACTS = Path(os.environ.get("ZHILIANG_TEST_ARTIFACTS", HERE.parents[3] / "test-results"))
# The flags Debian's Chromium needs as root on a machine with no outside network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _missing_reason() -> str | None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk, or set ZHILIANG_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (make test installs the dev group)"
    return None


# tryfirst: runs before pytest's own -m deselection, so the marker added here counts for -m.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing_reason()
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def playwright() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright):  # type: ignore[no-untyped-def]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _plain_static_files(settings) -> None:  # type: ignore[no-untyped-def]
    # live_server serves /static/ from the app directories by their plain names; the manifest
    # storage of production would point pages at hashed names that only exist after collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def page(  # type: ignore[no-untyped-def]
    browser, request: pytest.FixtureRequest, django_db_serialized_rollback, transactional_db
):
    """A fresh zh-CN browser context per test; a screenshot lands in test-results/ on failure.

    The database is transactional (live_server answers from another thread) with serialized
    rollback, so the regions and departments that data migrations load survive from test to test.
    """
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as exc:  # the page may already be gone; the test's own error matters more
            print(f"screenshot failed: {exc}")
    context.close()


def login(page, live_server, username: str, password: str, *, path: str | None = None):  # type: ignore[no-untyped-def]
    """Sign in through the real login form and wait until the browser has left it.

    `path` defaults to the accounts-login page; the page is returned for chaining.
    """
    from django.urls import reverse

    login_path = path or reverse("accounts-login")
    page.goto(live_server.url + login_path)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("form [type=submit]").first.click()
    return page
