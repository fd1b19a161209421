from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "factorytiers.api"
    label = "api"
    verbose_name = "接口"
