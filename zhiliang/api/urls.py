"""Read API under /api/: plans, tasks, departments, and the OpenAPI schema.

No documentation UI is served: Redoc/Swagger would need their JavaScript from a CDN, and we serve
no third-party script we have not vendored. Read /api/schema/ with any OpenAPI viewer.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from zhiliang.api import views

router = DefaultRouter()
router.register("plans", views.PlanViewSet, basename="api-plans")
router.register("tasks", views.TaskViewSet, basename="api-tasks")
router.register("departments", views.DepartmentViewSet, basename="api-departments")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include(router.urls)),
]
