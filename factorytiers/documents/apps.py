from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "factorytiers.documents"
    verbose_name = "报表与材料"

    def ready(self):
        from . import exports  # noqa: F401  (declares the report's export)
