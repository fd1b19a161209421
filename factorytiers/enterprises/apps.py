from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "factorytiers.enterprises"
    verbose_name = "企业与工厂"
