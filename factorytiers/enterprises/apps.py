from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "factorytiers.enterprises"
    verbose_name = "企业与工厂"

    def ready(self):
        from . import exports  # noqa: F401  (declares the enterprise list's export)
        from .grouping import copy_recognition_groups, regrouped

        # A recognition carries its enterprise's group (TierRecognition.group_*).
        regrouped.connect(copy_recognition_groups, dispatch_uid="recognition_groups")
