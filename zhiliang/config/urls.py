from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("zhiliang.api.urls")),
    # The one-stop public credit query: no login, rate-limited, works without JavaScript.
    path("public/", include("zhiliang.credit.public_urls")),
    path("credit/", include("zhiliang.credit.urls")),
    path("supervision/", include("zhiliang.supervision.urls")),
    path("assessment/", include("zhiliang.assessment.urls")),
    path("alerts/", include("zhiliang.alerts.urls")),
    path("", include("zhiliang.web.urls")),
]
