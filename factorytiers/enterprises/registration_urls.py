from django.urls import path

from . import registration_views as views

app_name = "registrations"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("registrations/", views.registration_list, name="list"),
    path("registrations/<int:pk>/", views.registration_detail, name="detail"),
    path("registrations/<int:pk>/approve/", views.registration_approve, name="approve"),
    path("registrations/<int:pk>/reject/", views.registration_reject, name="reject"),
]
