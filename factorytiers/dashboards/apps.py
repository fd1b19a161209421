from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "factorytiers.dashboards"
    verbose_name = "工作台"
