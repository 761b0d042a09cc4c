from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "retorno.cases"
    verbose_name = _("Reintegration cases")

    def ready(self) -> None:
        from retorno.cases import (
            indicators,  # noqa: F401  (declares its indicator queries)
            models,
        )
        from retorno.core.audit import AUDITED_MODELS
        from retorno.registry.models import Person

        AUDITED_MODELS["case"] = models.Case
        post_save.connect(_name_follows_registry, sender=Person, dispatch_uid="cases_search_name")


def _name_follows_registry(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
    """A name corrected in the registry is the name the case list finds."""
    if created:
        return
    from retorno.cases.models import Case

    Case.objects.filter(person_id=instance.pk).exclude(search_name=instance.search_name).update(search_name=instance.search_name)
