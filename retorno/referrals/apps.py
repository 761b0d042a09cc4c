from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "retorno.referrals"
    verbose_name = _("Services and referrals")

    def ready(self) -> None:
        from retorno.cases.signals import assessment_recorded
        from retorno.core.audit import AUDITED_MODELS, AUDITED_NAMES
        from retorno.core.notifications import MESSAGES
        from retorno.reception.signals import screening_recorded
        from retorno.referrals import models, services

        AUDITED_MODELS["referral"] = models.Referral
        AUDITED_NAMES.update({("referral", key): label for key, label in models.Share.choices})
        AUDITED_NAMES[("referral", "referral")] = _("referral")
        AUDITED_NAMES[("referral", "consent")] = _("consent to the referral")
        AUDITED_NAMES[("referral", "shared")] = _("what the referral shares")
        AUDITED_NAMES[("person", "referral")] = _("referral to a service")
        MESSAGES.update(
            {
                "referral_received": _("Referral %(ref)s to %(service)s: answer by %(due)s"),
                "referral_held": _("Referral %(ref)s to %(service)s waits for the person's consent"),
                "referral_accepted": _("Referral %(ref)s accepted by %(service)s"),
                "referral_declined": _("Referral %(ref)s declined by %(service)s: find another service"),
                "referral_completed": _("Referral %(ref)s completed by %(service)s"),
                "referral_withdrawn": _("Referral %(ref)s to %(service)s was withdrawn"),
                "referral_overdue": _("Referral %(ref)s to %(service)s is past its time limit without an answer"),
            }
        )
        screening_recorded.connect(services.on_screening_recorded, dispatch_uid="protocol_rules_on_screening")
        assessment_recorded.connect(services.on_assessment_recorded, dispatch_uid="protocol_rules_on_assessment")
