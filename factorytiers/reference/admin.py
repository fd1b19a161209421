from django.contrib import admin

from .models import Country, IndustryCode, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_reporting_unit"]
    list_filter = ["level", "is_reporting_unit"]
    search_fields = ["code", "name"]


@admin.register(IndustryCode)
class IndustryCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "suggested_sector"]
    list_filter = ["level", "suggested_sector"]
    search_fields = ["code", "name"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["iso2", "name_zh", "name_en", "brics", "belt_and_road"]
    list_filter = ["brics", "belt_and_road"]
    search_fields = ["iso2", "iso3", "name_zh", "name_en"]
