"""The operator's view of the campaign data. Workflow records (transitions, scores,
objections, materials) are read-only here: they change only through the services."""

from django.contrib import admin

from .models import (
    Application,
    Campaign,
    ConstructionLink,
    ExpertAssignment,
    FactoryScenario,
    Material,
    Notification,
    Objection,
    OverseasRecommendation,
    Publicity,
    Scenario,
    ScenarioEdition,
    Score,
    Submission,
    Task,
    Transition,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    fields = ["order", "kind", "title", "deadline", "deadline_note", "deliverable", "is_closed"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "province", "document_number", "issued_on"]
    list_filter = ["province"]
    search_fields = ["title", "document_number"]
    readonly_fields = ["version"]
    inlines = [TaskInline]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1  # open edit pages of the product see the change as a conflict
        super().save_model(request, obj, form, change)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "kind", "deadline", "is_closed"]
    list_filter = ["campaign", "kind", "is_closed"]


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


@admin.register(FactoryScenario)
class FactoryScenarioAdmin(admin.ModelAdmin):
    list_display = ["factory", "scenario", "uses_ai", "built_year"]
    raw_id_fields = ["factory"]
    search_fields = ["factory__name", "factory__enterprise__name"]


class TransitionInline(ReadOnlyInline):
    model = Transition
    fields = ["at", "from_state", "to_state", "actor", "comment"]
    readonly_fields = fields


class MaterialInline(ReadOnlyInline):
    model = Material
    fields = ["slot", "number", "original_name", "kind", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """State, rank and snapshots change only through the workflow; the rest is viewable."""

    list_display = ["project_name", "enterprise", "kind", "unit", "state", "city_rank", "task"]
    list_filter = ["campaign", "kind", "state", "unit"]
    search_fields = ["project_name", "enterprise__name", "enterprise__credit_code"]
    raw_id_fields = ["enterprise", "factory", "recognition"]
    readonly_fields = [
        "campaign",
        "task",
        "kind",
        "unit",
        "state",
        "city_rank",
        "maturity_source",
        "maturity_assessed_on",
        "settings_snapshot",
        "condition_results",
        "submitted_at",
        "created_by",
        "version",
    ]
    inlines = [MaterialInline, TransitionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = ["application", "from_state", "to_state", "actor", "at"]
    list_filter = ["to_state"]
    search_fields = ["application__project_name", "application__enterprise__name"]


@admin.register(Material)
class MaterialAdmin(ReadOnlyAdmin):
    list_display = ["application", "slot", "number", "original_name", "kind", "size"]
    search_fields = ["application__project_name", "original_name", "sha256"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["task", "unit", "state", "submitted_at", "is_late"]
    list_filter = ["task__campaign", "state", "is_late", "unit"]


@admin.register(ExpertAssignment)
class ExpertAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["application", "expert", "assigned_at", "has_conflict"]
    list_filter = ["has_conflict"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "total", "submitted_at"]


@admin.register(Publicity)
class PublicityAdmin(ReadOnlyAdmin):
    list_display = ["task", "starts_on", "ends_on", "opened_by"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["application", "received_on", "recorded_by"]


@admin.register(OverseasRecommendation)
class OverseasRecommendationAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "factory", "unit", "self_assessed_level", "selected", "rank"]
    list_filter = ["task__campaign", "selected", "unit"]
    search_fields = ["enterprise__name", "factory__name"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "text", "is_read", "created_at"]
    list_filter = ["is_read"]
