from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("my-enterprise/", views.my_enterprise, name="my_enterprise"),
    path("guide/", views.guide, name="guide"),
    path("guide/<slug:chapter>/", views.guide, name="guide_chapter"),
]
