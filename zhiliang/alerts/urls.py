from django.urls import path

from zhiliang.alerts import views

urlpatterns = [
    path("", views.notifications, name="alerts-notifications"),
    path("read/", views.notifications_read, name="alerts-notifications-read"),
    path("healthz", views.healthz, name="alerts-healthz"),
    path("office/", views.office_index, name="alerts-office"),
    path("office/<int:plan_id>/", views.office_dashboard, name="alerts-office-plan"),
    path(
        "office/<int:plan_id>/report.docx", views.progress_report, {"fmt": "docx"}, name="alerts-report-docx"
    ),
    path(
        "office/<int:plan_id>/report.xlsx", views.progress_report, {"fmt": "xlsx"}, name="alerts-report-xlsx"
    ),
    path("items/<int:pk>/notices/", views.notices, name="alerts-notices"),
    path("items/<int:pk>/notices/new/", views.notice_new, name="alerts-notice-new"),
    path("notices/<int:pk>.docx", views.notice_document, {"fmt": "docx"}, name="alerts-notice-docx"),
    path("notices/<int:pk>.pdf", views.notice_document, {"fmt": "pdf"}, name="alerts-notice-pdf"),
]
