from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "retorno.reports"
    label = "reports"
