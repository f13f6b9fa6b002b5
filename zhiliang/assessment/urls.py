from django.urls import path

from zhiliang.assessment import views

urlpatterns = [
    path("", views.assessment_list, name="assessment-list"),
    path("new/", views.assessment_create, name="assessment-create"),
    path("schemes/from-template/", views.scheme_from_template, name="assessment-scheme-from-template"),
    path("schemes/import/", views.scheme_import, name="assessment-scheme-import"),
    path("schemes/<int:pk>/", views.scheme_detail, name="assessment-scheme"),
    path("schemes/<int:pk>/export.xlsx", views.scheme_export, name="assessment-scheme-export"),
    path("schemes/<int:pk>/copy/", views.scheme_copy, name="assessment-scheme-copy"),
    path("schemes/<int:pk>/indicators/new/", views.indicator_edit, name="assessment-indicator-new"),
    path(
        "schemes/<int:pk>/indicators/<int:indicator_pk>/", views.indicator_edit, name="assessment-indicator"
    ),
    path(
        "schemes/<int:pk>/indicators/<int:indicator_pk>/delete/",
        views.indicator_delete,
        name="assessment-indicator-delete",
    ),
    path("evidence/<int:evidence_pk>/", views.evidence_download, name="assessment-evidence"),
    path("<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("<int:pk>/stage/", views.assessment_stage, name="assessment-stage"),
    path("<int:pk>/filing/", views.filing, name="assessment-filing"),
    path("<int:pk>/self/", views.self_assessment, name="assessment-self"),
    path(
        "<int:pk>/scores/<int:score_pk>/evidence/", views.evidence_upload, name="assessment-evidence-upload"
    ),
    path("<int:pk>/scoring/", views.scoring, name="assessment-scoring"),
    path("<int:pk>/scoring/refresh/", views.auto_refresh, name="assessment-auto-refresh"),
    path("<int:pk>/scores/<int:score_pk>/override/", views.auto_override, name="assessment-override"),
    path("<int:pk>/verification/", views.verification, name="assessment-verification"),
    path("<int:pk>/scores/<int:score_pk>/adjust/", views.adjust, name="assessment-adjust"),
    path(
        "<int:pk>/adjustments/<int:adjustment_pk>/delete/",
        views.adjustment_delete,
        name="assessment-adjustment-delete",
    ),
    path("<int:pk>/cities/<int:city_pk>/veto/", views.veto, name="assessment-veto"),
    path("<int:pk>/vetoes/<int:veto_pk>/delete/", views.veto_delete, name="assessment-veto-delete"),
    path("<int:pk>/cities/<int:city_pk>/", views.city_sheet, name="assessment-city"),
    path("<int:pk>/results/", views.results, name="assessment-results"),
    path("<int:pk>/results/compute/", views.compute, name="assessment-compute"),
    path("<int:pk>/results.xlsx", views.results_xlsx, name="assessment-results-xlsx"),
    path("<int:pk>/bulletin/", views.bulletin, name="assessment-bulletin"),
    path("<int:pk>/bulletin.<str:fmt>", views.bulletin_file, name="assessment-bulletin-file"),
    path("<int:pk>/rectification/", views.rectification, name="assessment-rectification"),
    path(
        "<int:pk>/rectification/<int:rect_pk>/<str:action>/",
        views.rectification_action,
        name="assessment-rectification-action",
    ),
]
