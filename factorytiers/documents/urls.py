from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/enterprises/", views.statistics_list, name="statistics_list"),
    path("statistics/summary.xlsx", views.statistics_export, name="statistics_export"),
    path("tasks/<int:pk>/", views.task_units, name="task_units"),
    path("tasks/<int:pk>/units/<int:unit>/", views.unit_forms, name="unit_forms"),
    path(
        "tasks/<int:pk>/units/<int:unit>/forms/<slug:key>.<slug:extension>",
        views.form_download,
        name="form_download",
    ),
    path(
        "tasks/<int:pk>/rollup/<slug:key>.<slug:extension>",
        views.rollup_download,
        name="rollup_download",
    ),
    path(
        "publicities/<int:pk>/list.<slug:extension>",
        views.publicity_list,
        name="publicity_list",
    ),
    path(
        "tasks/<int:pk>/units/<int:unit>/report.<slug:extension>",
        views.report_download,
        name="report_download",
    ),
    path("tasks/<int:pk>/units/<int:unit>/report/edit/", views.report_edit, name="report_edit"),
    path(
        "tasks/<int:pk>/units/<int:unit>/report/autosave/",
        views.report_autosave,
        name="report_autosave",
    ),
    path("tasks/<int:pk>/units/<int:unit>/package/", views.package_request, name="package_request"),
    path("packages/<int:pk>/", views.package_detail, name="package"),
    path("packages/<int:pk>/progress/", views.package_progress, name="package_progress"),
    path("packages/<int:pk>/retry/", views.package_retry, name="package_retry"),
    path("packages/<int:pk>/download/", views.package_download, name="package_download"),
]
