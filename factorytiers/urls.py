from django.contrib import admin
from django.urls import include, path

from factorytiers.api.endpoints import api

admin.site.site_header = "智能工厂梯度培育管理系统 · 运维管理"
admin.site.site_title = "智能工厂梯度培育管理系统"

urlpatterns = [
    path("", include("factorytiers.dashboards.urls")),
    path("accounts/", include("factorytiers.accounts.urls")),
    path("accounts/", include("factorytiers.enterprises.registration_urls")),
    path("enterprises/", include("factorytiers.enterprises.urls")),
    path("assessments/", include("factorytiers.assessments.urls")),
    path("campaigns/", include("factorytiers.campaigns.urls")),
    path("documents/", include("factorytiers.documents.urls")),
    path("", include("factorytiers.reminders.urls")),  # /reminders/… and /calendar/<token>.ics
    # The operator's pages of machine tokens, then the REST API itself (django-ninja).
    path("api/tokens/", include("factorytiers.api.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
