from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "retorno.protection"
    verbose_name = _("Child protection")

    def ready(self) -> None:
        from retorno.core.audit import AUDITED_MODELS, AUDITED_NAMES
        from retorno.protection import (
            indicators,  # noqa: F401  (declares its indicator queries)
            models,
            services,
        )
        from retorno.reception.signals import child_handed_over

        AUDITED_MODELS["protection_case"] = models.ProtectionCase
        AUDITED_MODELS["tracing_request"] = models.TracingRequest
        AUDITED_NAMES.update(
            {
                ("protection_case", "location"): _("where the child lives"),
                ("protection_case", "care"): _("care arrangement"),
                ("protection_case", "tracing_consent"): _("consent to family tracing"),
                ("protection_case", "tracing_match"): _("potential match"),
                ("protection_case", "tracing_action"): _("tracing action"),
                ("protection_case", "verification"): _("verification of the relationship"),
                ("protection_case", "placement"): _("reunification or alternative care"),
                ("protection_case", "follow_up_visit"): _("follow-up visit"),
                ("protection_case", "best_interests_assessment"): _("best-interests assessment"),
                ("protection_case", "best_interests_determination"): _("best-interests determination"),
                ("protection_case", "received_again"): _("received again at a hand-over"),
            }
        )
        child_handed_over.connect(services.on_child_handed_over, dispatch_uid="protection_case_at_handover")
