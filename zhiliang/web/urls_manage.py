"""Management pages: importing plan files, deciding unit names, exporting a plan."""

from django.urls import path, register_converter

from zhiliang.web.views import exports, imports, reviews


class ExportFormatConverter:
    """`xlsx`, `json` or `md`: anything else is not an export URL (404)."""

    regex = "xlsx|json|md"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormatConverter, "exportfmt")

urlpatterns = [
    path("imports/new/", imports.imports_new, name="imports-new"),
    path("imports/<uuid:pk>/", imports.imports_preview, name="imports-preview"),
    path("imports/<uuid:pk>/confirm/", imports.imports_confirm, name="imports-confirm"),
    path("imports/<uuid:pk>/cancel/", imports.imports_cancel, name="imports-cancel"),
    path("reviews/", reviews.reviews_list, name="reviews-list"),
    path("reviews/<int:pk>/map/", reviews.reviews_map, name="reviews-map"),
    path("plans/<int:pk>/export.<exportfmt:fmt>", exports.plans_export, name="plans-export"),
]
