from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("export.xlsx", views.enterprise_export, name="export"),
    path("new/", views.enterprise_create, name="create"),
    path("import/", views.registry_upload, name="registry_upload"),
    path("import/<int:pk>/", views.registry_import, name="registry_import"),
    path("import/<int:pk>/progress/", views.registry_progress, name="registry_progress"),
    path("import/<int:pk>/apply/", views.registry_apply, name="registry_apply"),
    path("import/<int:pk>/retry/", views.registry_retry, name="registry_retry"),
    path("import/<int:pk>/errors.xlsx", views.registry_errors, name="registry_errors"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/history/", views.enterprise_history, name="history"),
    path("<int:pk>/factories/new/", views.factory_create, name="factory_create"),
    path("factories/<int:pk>/edit/", views.factory_edit, name="factory_edit"),
]
