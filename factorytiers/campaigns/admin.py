"""The operator's part of the campaign data in the Django admin: the typical-scenario guide
(reference data). Campaigns, applications and everything the workflow writes are business data:
they change only through the product's pages and services, under the rules."""

from django.contrib import admin

from .models import ConstructionLink, Scenario, ScenarioEdition


class ScenarioInline(admin.TabularInline):
    model = Scenario
    extra = 0


class ConstructionLinkInline(admin.TabularInline):
    model = ConstructionLink
    extra = 0


@admin.register(ScenarioEdition)
class ScenarioEditionAdmin(admin.ModelAdmin):
    list_display = ["code", "title"]
    inlines = [ConstructionLinkInline, ScenarioInline]


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "link", "construction_link", "edition"]
    list_filter = ["edition", "link", "construction_link"]
    search_fields = ["name", "name_variant"]
