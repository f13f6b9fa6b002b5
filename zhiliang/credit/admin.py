"""Admin: rule data (record types, schemes, criteria) is edited here; records go through the services."""

from django.contrib import admin

from zhiliang.credit.models import (
    CreditRecord,
    Enterprise,
    EnterpriseGrade,
    ExchangeToken,
    GradingScheme,
    ListCriterion,
    ListEntry,
    Objection,
    RecordType,
    RepairApplication,
)


@admin.register(RecordType)
class RecordTypeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "category",
        "polarity",
        "display_months",
        "repairable",
        "repair_after_months",
    ]
    list_filter = ["polarity", "category", "repairable"]


@admin.register(GradingScheme)
class GradingSchemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_default", "valid_from", "valid_to"]


@admin.register(ListCriterion)
class ListCriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "name", "listing_months", "early_removal_after_months", "is_active"]
    list_filter = ["kind", "is_active"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Archive rows change only through the services (history, permissions); the admin only reads."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ["name", "uscc", "region", "needs_regrade"]
    search_fields = ["name", "uscc", "former_names_text"]


@admin.register(CreditRecord)
class CreditRecordAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "record_type", "source_authority", "occurred_on", "status", "is_public"]
    list_filter = ["status", "record_type"]
    list_select_related = ["enterprise", "record_type"]


@admin.register(EnterpriseGrade)
class EnterpriseGradeAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "scheme", "grade", "score", "is_current", "computed_at"]
    list_select_related = ["enterprise", "scheme"]


@admin.register(ListEntry)
class ListEntryAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "kind", "source_authority", "listed_on", "expires_on", "removed_on"]
    list_select_related = ["enterprise"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["record", "filed_by_name", "status", "filed_at"]


@admin.register(RepairApplication)
class RepairApplicationAdmin(ReadOnlyAdmin):
    list_display = ["applicant_name", "record", "list_entry", "status", "filed_at"]


@admin.register(ExchangeToken)
class ExchangeTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "department", "region", "key_prefix", "created_at", "revoked_at"]
