from django.urls import path

from zhiliang.supervision import views

urlpatterns = [
    path("", views.home, name="supervision-home"),
    path("mine/", views.dashboard, name="supervision-dashboard"),
    path("items/", views.items_list, name="supervision-items"),
    path("items/export.xlsx", views.items_export, name="supervision-export"),
    path("items/import/", views.items_import, name="supervision-import"),
    path("plans/<int:plan_id>/issue/", views.plan_issue, name="supervision-issue"),
    path("items/<int:pk>/", views.item_detail, name="supervision-item"),
    path("items/<int:pk>/acknowledge/", views.item_acknowledge, name="supervision-item-acknowledge"),
    path("items/<int:pk>/report/", views.report_save, name="supervision-report-save"),
    path("items/<int:pk>/consolidate/", views.report_consolidate, name="supervision-report-consolidate"),
    path("items/<int:pk>/evidence/", views.evidence_upload, name="supervision-evidence-upload"),
    path("items/<int:pk>/close/", views.item_close, name="supervision-item-close"),
    path("reports/<int:pk>/submit/", views.report_submit, name="supervision-report-submit"),
    path(
        "reports/<int:pk>/leader-review/", views.report_leader_review, name="supervision-report-leader-review"
    ),
    path(
        "reports/<int:pk>/office-review/", views.report_office_review, name="supervision-report-office-review"
    ),
    path("evidence/<int:pk>/", views.evidence_download, name="supervision-evidence-download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="supervision-evidence-delete"),
]
