"""Browsing pages: sign-in, plans, the responsibility matrix, departments."""

from django.urls import path

from zhiliang.web.views import auth, departments, matrix, plans

urlpatterns = [
    path("login/", auth.login, name="accounts-login"),
    path("logout/", auth.logout, name="accounts-logout"),
    path("", plans.plans_list, name="plans-list"),
    path("plans/<int:pk>/", plans.plans_detail, name="plans-detail"),
    path("plans/<int:pk>/source/", plans.plans_source, name="plans-source"),
    path("plans/<int:pk>/matrix/", matrix.plans_matrix, name="plans-matrix"),
    path("departments/", departments.departments_list, name="departments-list"),
    path("departments/<str:code>/", departments.departments_detail, name="departments-detail"),
]
