from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "factorytiers.reference"
    verbose_name = "参考数据"
