from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "factorytiers.assessments"
    verbose_name = "成熟度自评估"

    def ready(self):
        # The enterprise list shows each enterprise's counted level of the year (this app's
        # rule); the enterprises app below it takes the annotation from here.
        from factorytiers.enterprises.selectors import provide_level_of_year

        from .selectors import with_counted_result

        provide_level_of_year(with_counted_result)
        from . import exports  # noqa: F401  (declares the overview's export)
