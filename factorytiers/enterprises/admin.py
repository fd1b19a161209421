from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Enterprise, Factory


class FactoryInline(admin.TabularInline):
    model = Factory
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "unit", "sector", "size_class", "is_above_scale"]
    list_filter = ["unit", "sector", "size_class", "is_above_scale", "nature"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["industry"]
    inlines = [FactoryInline]


@admin.register(Factory)
class FactoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "enterprise", "is_overseas", "country"]
    list_filter = ["is_overseas"]
    search_fields = ["name", "enterprise__name"]
