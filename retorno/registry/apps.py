from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "retorno.registry"
    label = "registry"
    verbose_name = _("People")

    def ready(self) -> None:
        from retorno.core.audit import AUDITED_MODELS
        from retorno.registry.models import Person

        AUDITED_MODELS["person"] = Person
