from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("registrations/", views.registration_list, name="registrations"),
    path("registrations/<int:pk>/approve/", views.registration_approve, name="approve"),
    path("registrations/<int:pk>/reject/", views.registration_reject, name="reject"),
    path("audit/", views.audit_log, name="audit_log"),
]
