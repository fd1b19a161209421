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
        # The statistics' counts follow every enterprise write the enterprises app announces.
        from factorytiers.enterprises.grouping import regrouped, regrouping

        from .tallies import enterprises_joining, enterprises_leaving

        regrouping.connect(enterprises_leaving, dispatch_uid="tallies_leaving")
        regrouped.connect(enterprises_joining, dispatch_uid="tallies_joining")
        from . import exports  # noqa: F401  (declares the overview's export)
