"""Sign-in is throttled per username and per address after repeated failures (django-ratelimit)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from zhiliang import factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _post(client, username, password="wrong-password"):  # noqa: S107 (a deliberately wrong password)
    return client.post(reverse("accounts-login"), {"username": username, "password": password})


def test_it_refuses_a_username_after_five_failures_even_with_the_right_password(
    client, office_admin, settings
):
    settings.LOGIN_FAILURES_PER_USERNAME = "5/15m"
    for _ in range(6):
        assert _post(client, "office_admin").status_code == 200
    response = _post(client, "office_admin", factories.DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_sign_ins_are_not_counted(client, office_admin):
    for _ in range(8):
        response = _post(client, "office_admin", factories.DEFAULT_PASSWORD)
        assert response.status_code == 302
        client.logout()


def test_it_throttles_one_address_trying_many_usernames(client, settings, db):
    settings.LOGIN_FAILURES_PER_IP = "3/15m"
    for i in range(4):
        _post(client, f"nobody{i}")
    assert _post(client, "someone-else").status_code == 429


def test_the_password_and_session_settings_are_strict(settings):
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    validators = [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert "MinimumLengthValidator" in validators and "CommonPasswordValidator" in validators
