"""Sign in and out with Django's auth views and our Chinese templates."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from zhiliang.web.forms import LoginForm

login = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)
# Django's LogoutView accepts POST only (a GET link could sign people out from another site).
logout = auth_views.LogoutView.as_view()
