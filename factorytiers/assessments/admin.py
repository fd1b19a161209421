from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assessment, MaturityModelEdition, PlatformImport, PlatformResult


@admin.register(MaturityModelEdition)
class MaturityModelEditionAdmin(admin.ModelAdmin):
    """Read-only: editions are imported and activated on the model page, never edited."""

    list_display = ["__str__", "source", "is_active", "imported_at", "imported_by"]
    readonly_fields = [
        "edition",
        "version",
        "title",
        "definition",
        "checksum",
        "source",
        "is_active",
        "imported_by",
        "imported_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "year", "status", "score", "level", "submitted_at"]
    list_filter = ["year", "status", "level"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    raw_id_fields = ["enterprise", "copied_from"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PlatformResult)
class PlatformResultAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "year", "score", "level", "assessed_on", "source"]
    list_filter = ["year", "source", "level"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    raw_id_fields = ["enterprise", "import_batch"]


@admin.register(PlatformImport)
class PlatformImportAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "imported_by",
        "unit",
        "row_count",
        "rejected_count",
        "imported_at",
    ]
