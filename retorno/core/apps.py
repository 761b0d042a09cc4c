from django.apps import AppConfig


class CoreConfig(AppConfig):
    verbose_name = "Retorno"
    name = "retorno.core"
    label = "core"
