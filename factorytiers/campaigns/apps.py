from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "factorytiers.campaigns"
    verbose_name = "年度工作与申报"
