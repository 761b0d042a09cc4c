from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "retorno.demo"
    label = "demo"
