"""Decomposition pages: coverage of a plan by the areas below, local plans, task matching."""

from django.urls import path

from zhiliang.web.views import decomposition

urlpatterns = [
    path("plans/<int:pk>/coverage/", decomposition.decomposition_coverage, name="decomposition-coverage"),
    path("plans/<int:pk>/derive/", decomposition.decomposition_derive, name="decomposition-derive"),
    path("plans/<int:pk>/allocate/", decomposition.decomposition_allocate, name="decomposition-allocate"),
    path("plans/<int:pk>/decompose/", decomposition.decomposition_plan, name="decomposition-plan"),
    path(
        "plans/<int:pk>/decompose/tasks/", decomposition.decomposition_task_add, name="decomposition-task-add"
    ),
    path("plans/<int:pk>/match/", decomposition.decomposition_match, name="decomposition-match"),
    path("plans/<int:pk>/match/confirm/", decomposition.decomposition_link, name="decomposition-link"),
    path("tasks/<int:pk>/edit/", decomposition.decomposition_task_edit, name="decomposition-task-edit"),
    path("targets/<int:pk>/edit/", decomposition.decomposition_target_edit, name="decomposition-target-edit"),
]
