"""Sign-in and sign-out pages, and the navigation each persona gets."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from zhiliang import factories

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_chinese(client):
    response = client.get(reverse("accounts-login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<h1 id="login-title">登录</h1>' in body
    assert '<label for="id_username">用户名</label>' in body
    assert '<label for="id_password">密码</label>' in body
    assert 'autocomplete="current-password"' in body
    assert "退出" not in body  # no navigation before signing in


def test_it_signs_in_and_goes_to_the_plan_list(client, office_admin):
    response = client.post(
        reverse("accounts-login"), {"username": "office_admin", "password": factories.DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("plans-list")
    assert client.get(reverse("plans-list")).status_code == 200


def test_it_follows_next_after_signing_in(client, office_admin):
    response = client.post(
        reverse("accounts-login") + "?next=/departments/",
        {"username": "office_admin", "password": factories.DEFAULT_PASSWORD, "next": "/departments/"},
    )
    assert response["Location"] == "/departments/"


def test_it_refuses_an_off_site_next(client, office_admin):
    response = client.post(
        reverse("accounts-login"),
        {"username": "office_admin", "password": factories.DEFAULT_PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("plans-list")


def test_bad_credentials_show_a_clean_error(client, office_admin):
    response = client.post(reverse("accounts-login"), {"username": "office_admin", "password": "wrong"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "用户名或密码不正确，请重新输入。" in body
    assert 'role="alert"' in body
    assert "_auth_user_id" not in client.session


def test_empty_fields_are_reported(client):
    response = client.post(reverse("accounts-login"), {"username": "", "password": ""})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"username", "password"}


def test_a_signed_in_user_skips_the_login_page(client_as, leader_view):
    response = client_as(leader_view).get(reverse("accounts-login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("plans-list")


def test_logout_needs_post(client_as, leader_view):
    client = client_as(leader_view)
    assert client.get(reverse("accounts-logout")).status_code == 405
    response = client.post(reverse("accounts-logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts-login")
    assert client.get(reverse("plans-list")).status_code == 302


def test_the_navigation_shows_the_user_and_a_logout_form(client_as, leader_view):
    body = client_as(leader_view).get(reverse("plans-list")).content.decode()
    assert 'aria-label="主导航"' in body
    assert "leader_view" in body and "领导查阅" in body
    assert f'action="{reverse("accounts-logout")}"' in body
    assert 'aria-current="page">行动计划</a>' in body
    assert f'href="{reverse("departments-list")}"' in body


def _url_or_skip(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        pytest.skip(f"{name} is not routed yet")


def test_office_admins_see_import_and_review_links(client_as, office_admin):
    imports, reviews = _url_or_skip("imports-new"), _url_or_skip("reviews-list")
    body = client_as(office_admin).get(reverse("plans-list")).content.decode()
    assert f'href="{imports}"' in body and "导入计划" in body
    assert f'href="{reviews}"' in body and "待认定单位" in body


def test_read_only_users_do_not_see_import_and_review_links(client_as, leader_view, city_liaison):
    imports, reviews = _url_or_skip("imports-new"), _url_or_skip("reviews-list")
    for user in [leader_view, city_liaison]:
        body = client_as(user).get(reverse("plans-list")).content.decode()
        assert f'href="{imports}"' not in body
        assert f'href="{reviews}"' not in body
