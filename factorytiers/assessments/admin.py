"""The maturity model editions (reference data) for the operator; assessments and results are
business data and are not in the Django admin."""

from django.contrib import admin

from .models import MaturityModelEdition


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
