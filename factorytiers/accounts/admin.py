from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AuditEntry, Registration, User
from .names import NameField


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "unit", "enterprise", "is_active"]
    list_filter = ["role", "unit", "is_active"]
    search_fields = ["username", "full_name", "enterprise__name"]
    raw_id_fields = ["enterprise"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("角色与单位", {"fields": ("role", "full_name", "phone", "unit", "enterprise")}),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "full_name":  # an expert's or officer's name, as every name
            kwargs["form_class"] = NameField
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Viewable for support; a registration is decided by the city officer of its unit."""

    list_display = ["enterprise_name", "credit_code", "unit", "status", "submitted_at"]
    list_filter = ["status", "unit"]
    search_fields = ["enterprise_name", "credit_code"]
    exclude = ["password_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target_label", "unit", "ip_address"]
    list_filter = ["action", "unit"]
    search_fields = ["target_label", "actor__username"]

    def has_change_permission(self, request, obj=None):
        return False  # the log is evidence: never edited

    def has_delete_permission(self, request, obj=None):
        return False
