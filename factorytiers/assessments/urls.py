from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    # The enterprise: its assessments and platform results, the questionnaire, the result.
    path("", views.my_assessments, name="mine"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/fill/<str:domain>/", views.section, name="section"),
    path("<int:pk>/autosave/", views.autosave, name="autosave"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("platform/new/", views.platform_new, name="platform_new"),
    path("platform/<int:pk>/report/", views.platform_report, name="platform_report"),
    # Officers: bulk import of platform results, who has assessed and who has not.
    path("platform/import/", views.platform_import, name="platform_import"),
    path("platform/import/template.xlsx", views.platform_template, name="platform_template"),
    path("overview/", views.overview, name="overview"),
    path("overview/export.xlsx", views.overview_export, name="overview_export"),
    # The administrator: model editions and item-bank import.
    path("models/", views.model_list, name="models"),
    path("models/<int:pk>/items.xlsx", views.model_items, name="model_items"),
    path("models/<int:pk>/activate/", views.model_activate, name="model_activate"),
]
