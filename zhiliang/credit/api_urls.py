"""URLs of the credit exchange API, mounted at /credit/api/ (see ``credit/urls.py``)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from zhiliang.credit import api

urlpatterns = [
    path("record-types/", api.RecordTypeListApi.as_view(), name="credit-api-record-types"),
    path("records/", api.CreditRecordListApi.as_view(), name="credit-api-records"),
    path("records/create/", api.CreditRecordCreateApi.as_view(), name="credit-api-records-create"),
    path("enterprises/<str:uscc>/", api.EnterpriseArchiveApi.as_view(), name="credit-api-enterprise"),
]

# The exchange API's own OpenAPI document (the project-wide one at /api/schema/ includes it too).
schema_urlconf = [path("credit/api/", include(urlpatterns))]
urlpatterns.append(
    path(
        "schema/",
        SpectacularAPIView.as_view(
            urlconf=schema_urlconf,
            custom_settings={"TITLE": "Zhiliang 质量信用数据交换接口", "DESCRIPTION": api.__doc__},
        ),
        name="credit-api-schema",
    )
)
