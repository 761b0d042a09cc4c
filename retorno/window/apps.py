from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WindowConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "retorno.window"
    verbose_name = _("Information office (Window)")

    def ready(self) -> None:
        from retorno.window import indicators  # noqa: F401  (declares its indicator queries)
