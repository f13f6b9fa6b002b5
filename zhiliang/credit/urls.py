"""Office UI of the credit archive (/credit/, login required) and the exchange API (/credit/api/)."""

from django.urls import include, path

from zhiliang.credit import views, views_queues

urlpatterns = [
    path("", views.enterprises_list, name="credit-enterprises"),
    path("enterprises/new/", views.enterprise_new, name="credit-enterprise-new"),
    path("enterprises/<str:uscc>/", views.enterprise_detail, name="credit-enterprise-detail"),
    path("enterprises/<str:uscc>/regrade/", views.enterprise_regrade, name="credit-enterprise-regrade"),
    path("enterprises/<str:uscc>/records/new/", views.record_new, name="credit-record-new"),
    path("records/<int:pk>/revoke/", views.record_revoke, name="credit-record-revoke"),
    path("import/", views.records_import, name="credit-import"),
    path("objections/", views_queues.objections_queue, name="credit-objections"),
    path("objections/<int:pk>/decide/", views_queues.objection_decide, name="credit-objection-decide"),
    path("repairs/", views_queues.repairs_queue, name="credit-repairs"),
    path("repairs/<int:pk>/decide/", views_queues.repair_decide, name="credit-repair-decide"),
    path("lists/", views_queues.lists_view, name="credit-lists"),
    path("lists/new/", views_queues.list_entry_new, name="credit-list-entry-new"),
    path("lists/<int:pk>/remove/", views_queues.list_entry_remove, name="credit-list-entry-remove"),
    path("schemes/", views_queues.schemes_view, name="credit-schemes"),
    path("tokens/", views_queues.tokens_view, name="credit-tokens"),
    path("tokens/<int:pk>/revoke/", views_queues.token_revoke, name="credit-token-revoke"),
    path("api/", include("zhiliang.credit.api_urls")),
]
