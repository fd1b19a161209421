from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "factorytiers.documents"
    verbose_name = "报表与材料"
