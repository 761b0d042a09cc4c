"""Demo referral protocol and referrals: the hand-over of unaccompanied children as a rule (on),
three more rules (one in its second version, one reading the needs assessment), and referrals from DGME's cases to OIM-SV in every
state — one past its time limit — written through the referrals services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from retorno.cases.models import Case
from retorno.core.models import Country, User
from retorno.referrals import services
from retorno.referrals.models import ProtocolRule, Referral, Service
from retorno.referrals.services import Origin

DEMO = ".demo.retorno.org"


def _user(local: str, domain: str) -> User:
    return User.objects.get(email=f"{local}@{domain}{DEMO}")


def _service(name: str) -> Service:
    return Service.objects.get(name=name)


def build_referrals() -> int:
    """Idempotent: nothing is added when a rule exists. Returns the number of referrals."""
    if ProtocolRule.objects.exists() or not Service.objects.exists():
        return 0
    admin = _user("admin", "oimsv")
    country = Country.objects.get(code="SV")

    def rule(name: str, on: bool = True, **data: object) -> None:
        version = services.rule_version_save(actor=admin, country=country, name=name, data=data)
        if on:
            services.rule_switch(actor=admin, version=version, on=True)

    rule(
        "Niñez no acompañada: entrega a CONNA",
        vulnerabilities=["unaccompanied_child"],
        max_age=17,
        service=_service("Recepción inmediata de niñez no acompañada"),
        urgency="immediate",
        hours=2,
        share=["phone", "vulnerabilities", "health"],
        reason="Niña, niño o adolescente no acompañado: recepción y protección inmediata (LEPINA).",
    )
    psychosocial = _service("Atención psicosocial a personas retornadas — La Unión")
    survivors = {
        "vulnerabilities": ["violence_survivor", "trafficking_victim"],
        "min_age": 18,
        "service": psychosocial,
        "urgency": "priority",
        "hours": 72,
        "share": ["phone"],
        "reason": "Sobreviviente de violencia o de trata identificada en la recepción: primera atención psicosocial.",
    }
    rule("Sobrevivientes de violencia: atención psicosocial", on=False, **survivors)
    first = ProtocolRule.objects.get(name="Sobrevivientes de violencia: atención psicosocial")
    second = services.rule_version_save(
        actor=admin, country=country, name=first.name, data={**survivors, "urgency": "urgent", "hours": 24}, rule=first
    )
    services.rule_switch(actor=admin, version=second, on=True)
    rule(
        "Temor al retorno: orientación legal",
        on=False,
        vulnerabilities=["fear_of_return"],
        min_age=18,
        service=_service("Ventanilla de información — La Unión"),
        urgency="priority",
        hours=72,
        reason="Expresa temor de volver a su comunidad: orientación sobre protección y desplazamiento.",
    )
    rule(
        "Necesidad psicosocial alta en la evaluación",
        trigger="assessment",
        instrument="needs",
        dimension="psychosocial",
        score_from=0.7,
        service=psychosocial,
        urgency="priority",
        hours=72,
        share=["phone"],
        reason="La evaluación de necesidades muestra una necesidad psicosocial alta: primera atención psicosocial.",
    )
    return _referrals_from_cases(psychosocial)


def _referrals_from_cases(psychosocial: Service) -> int:
    caseworker = _user("gestor", "dgme")
    oim = _user("gestor.oim", "oimsv")
    window = _user("ventanilla", "oimsv")
    cases = list(
        Case.objects.filter(agency=caseworker.agency, closed_at__isnull=True, person__birth_date__isnull=False).order_by("opened_at")
    )
    adults = [c for c in cases if c.person.age is not None and c.person.age >= 18][:4]
    if len(adults) < 4:
        return 0
    now = timezone.now()

    def refer(case: Case, service: Service, urgency: str, reason: str, days_ago: float) -> Referral:
        referral = services.referral_create(
            actor=caseworker,
            origin=Origin.of_case(case),
            service=service,
            urgency=urgency,
            reason=reason,
            share=["phone"],
            consent_given=True,
            consent_method="signed",
        )
        shift = datetime.timedelta(days=days_ago)
        assert referral.sent_at is not None and referral.due_at is not None
        Referral.objects.filter(pk=referral.pk).update(
            created_at=now - shift, sent_at=referral.sent_at - shift, due_at=referral.due_at - shift
        )
        referral.refresh_from_db()
        return referral

    refer(adults[0], psychosocial, "priority", "Duerme mal desde la detención; pide hablar con alguien.", 4)  # past its 72 hours
    medical = refer(adults[1], _service("Consulta médica y referencia — La Unión"), "urgent", "Dolor lumbar desde el viaje.", 2)
    services.referral_accept(actor=oim, referral=medical)
    done = refer(adults[2], psychosocial, "priority", "Duelo por un hermano fallecido en la ruta.", 20)
    services.referral_accept(actor=oim, referral=done)
    services.referral_complete(actor=oim, referral=done, outcome="Cuatro sesiones individuales; derivado al grupo de apoyo de La Unión.")
    declined = refer(adults[3], _service("Ventanilla de información — La Unión"), "routine", "Quiere saber cómo validar sus estudios.", 6)
    services.referral_decline(
        actor=window, referral=declined, reason="La validación de estudios la hace el MINED: le damos la dirección de la departamental."
    )
    return 4
