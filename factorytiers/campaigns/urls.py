from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/settings/", views.campaign_settings, name="settings"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/close/", views.task_close, name="task_close"),
    path("tasks/<int:pk>/apply/", views.application_create, name="application_create"),
    path("tasks/<int:pk>/rank/", views.rank, name="rank"),
    path("tasks/<int:pk>/submit/", views.submit_recommendation, name="submit_recommendation"),
    path("tasks/<int:pk>/fix-list/", views.fix_list, name="fix_list"),
    path("tasks/<int:pk>/publicity/", views.open_publicity, name="open_publicity"),
    path("tasks/<int:pk>/recognize/", views.record_recognition, name="record_recognition"),
    path("tasks/<int:pk>/overseas/new/", views.overseas_create, name="overseas_create"),
    path("tasks/<int:pk>/overseas/enterprise/", views.overseas_pick, name="overseas_pick"),
    path("tasks/<int:pk>/overseas/select/", views.overseas_select, name="overseas_select"),
    path("submissions/<int:pk>/return/", views.return_submission, name="return_submission"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/action/", views.application_action, name="application_action"),
    path("applications/<int:pk>/materials/", views.material_upload, name="material_upload"),
    path("applications/<int:pk>/recognize-basic/", views.recognize_basic, name="recognize_basic"),
    path("applications/<int:pk>/assign/", views.assign_expert, name="assign_expert"),
    path("applications/<int:pk>/objection/", views.record_objection, name="record_objection"),
    path("materials/<int:pk>/", views.material_download, name="material_download"),
    path("assignments/", views.assignment_list, name="assignments"),
    path("assignments/<int:pk>/", views.score, name="score"),
    path("assignments/<int:pk>/conflict/", views.declare_conflict, name="declare_conflict"),
    path("factories/<int:pk>/", views.factory_tiers, name="factory_tiers"),
    path("factories/<int:pk>/scenarios/", views.factory_scenarios, name="factory_scenarios"),
    path("recognitions/<int:pk>/revoke/", views.revoke_recognition, name="revoke_recognition"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
]
