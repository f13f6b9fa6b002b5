"""The public one-stop query, mounted at /public/ (no login)."""

from django.urls import path, re_path

from zhiliang.credit import public_views

urlpatterns = [
    path("credit/", public_views.public_search, name="public-search"),
    re_path(r"^credit/(?P<uscc>[0-9A-Za-z]{18})/$", public_views.public_enterprise, name="public-enterprise"),
    re_path(
        r"^credit/(?P<uscc>[0-9A-Za-z]{18})/report\.pdf$", public_views.public_report, name="public-report"
    ),
    re_path(
        r"^credit/(?P<uscc>[0-9A-Za-z]{18})/records/(?P<record_id>[0-9]{1,18})/objection/$",
        public_views.public_objection,
        name="public-objection",
    ),
    re_path(
        r"^credit/(?P<uscc>[0-9A-Za-z]{18})/records/(?P<record_id>[0-9]{1,18})/repair/$",
        public_views.public_repair,
        name="public-repair-record",
    ),
    re_path(
        r"^credit/(?P<uscc>[0-9A-Za-z]{18})/lists/(?P<entry_id>[0-9]{1,18})/repair/$",
        public_views.public_repair,
        name="public-repair-entry",
    ),
    path("verify/", public_views.public_verify, name="public-verify"),
    re_path(
        r"^verify/(?P<number>[0-9A-Za-z-]{16,24})/$", public_views.public_verify, name="public-verify-number"
    ),
]
