from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "factorytiers.assessments"
    verbose_name = "成熟度自评估"
