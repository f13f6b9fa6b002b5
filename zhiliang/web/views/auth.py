"""Sign in and out with Django's auth views and our Chinese templates.

Sign-in is throttled with django-ratelimit: failed attempts are counted per client address and
per username (``LOGIN_FAILURES_PER_IP`` / ``LOGIN_FAILURES_PER_USERNAME`` settings, e.g.
``"5/15m"``); past the limit the form is refused with HTTP 429 and a Chinese message. Successful
sign-ins are never counted.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from zhiliang.web.forms import LoginForm


def _username_key(group: str, request: HttpRequest) -> str:
    return request.POST.get("username", "").strip().lower()


def login_throttled(request: HttpRequest, *, increment: bool = False) -> bool:
    """Whether sign-in from this address or for this username is over its failure limit."""
    by_ip = is_ratelimited(
        request,
        group="login-ip",
        key="ip",
        rate=settings.LOGIN_FAILURES_PER_IP,
        method="POST",
        increment=increment,
    )
    by_username = is_ratelimited(
        request,
        group="login-username",
        key=_username_key,
        rate=settings.LOGIN_FAILURES_PER_USERNAME,
        method="POST",
        increment=increment,
    )
    return by_ip or by_username


class ThrottledLoginView(auth_views.LoginView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if login_throttled(request):
            messages.error(request, _("登录失败次数过多，请 15 分钟后再试。"))
            context = self.get_context_data(form=self.get_form_class()(request))
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        login_throttled(self.request, increment=True)
        return super().form_invalid(form)


login = ThrottledLoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)
# Django's LogoutView accepts POST only (a GET link could sign people out from another site).
logout = auth_views.LogoutView.as_view()
