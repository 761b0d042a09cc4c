"""Writes of the services directory (each provider keeps its own services; administrators all),
of referrals between institutions, and of the protocol's rules that make referrals by themselves."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.cases.models import Assessment, Case, InstrumentVersion
from retorno.core.audit import audit_log
from retorno.core.models import AdminArea, Agency, Country, User
from retorno.core.notifications import notify
from retorno.core.services import public_id_next, require
from retorno.protection.models import ProtectionCase
from retorno.reception.models import ArrivalPerson, Screening, Vulnerability
from retorno.referrals.models import (
    ANSWER_HOURS,
    Category,
    ProtocolRule,
    Referral,
    RuleVersion,
    Service,
    Share,
    Urgency,
)
from retorno.registry.models import Language, Person, age_on

logger = logging.getLogger(__name__)
PERSON = "person"
SERVICE = "service"
FIELDS = (
    "name",
    "category",
    "min_age",
    "max_age",
    "sex",
    "public",
    "nationality",
    "nationwide",
    "address",
    "municipality",
    "phone",
    "email",
    "website",
    "hours",
    "free_of_charge",
    "is_active",
)


def _may_keep(actor: User, provider: Agency) -> None:
    if actor.can("config.manage"):
        return
    require(actor, "directory.manage")
    if provider.pk != actor.agency_id:
        raise PermissionDenied


@transaction.atomic
def service_save(
    *,
    actor: User,
    provider: Agency,
    data: dict[str, Any],
    description: dict[str, str],
    areas: Iterable[AdminArea] = (),
    languages: Iterable[Language] = (),
    service: Service | None = None,
) -> Service:
    """Create or update a service of `provider`, checked as a whole: every problem at once."""
    _may_keep(actor, provider)
    if service is not None and service.provider_id != provider.pk:
        raise PermissionDenied
    areas = list(areas)
    errors: dict[str, str] = {}
    if not (data.get("name") or "").strip():
        errors["name"] = _("Write the service's name.")
    if data.get("category") not in Category.values:
        errors["category"] = _("Choose a category.")
    if not (description.get("es") or "").strip():
        errors["description_es"] = _("Describe the service in Spanish (English and French are optional).")
    low, high = data.get("min_age"), data.get("max_age")
    if low is not None and high is not None and low > high:
        errors["max_age"] = _("The maximum age is below the minimum age.")
    if not data.get("nationwide") and not areas:
        errors["areas"] = _("Say where the service is offered: departments or municipalities, or the whole country.")
    if any(area.country_id != provider.country_id for area in areas):
        errors["areas"] = _("Choose places of the provider's country.")
    if not any((data.get(k) or "").strip() for k in ("phone", "email", "address")):
        errors["phone"] = _("Give at least one way to reach the service: phone, e-mail or address.")
    if errors:
        raise ValidationError(errors)
    service = service or Service(provider=provider)
    for name in FIELDS:
        if name in data:
            value = data[name]
            setattr(service, name, value.strip() if isinstance(value, str) else value)
    service.description = {k: v.strip() for k, v in description.items() if v and v.strip()}
    service.updated_at, service.updated_by = timezone.now(), actor
    service.save()
    service.areas.set(areas)
    service.languages.set(list(languages))
    audit_log(actor=actor, action="update", object_type=SERVICE, object_id=str(service.pk), fields=[n for n in FIELDS if n in data])
    return service


# --- Referrals ------------------------------------------------------------------------------

REFERRAL = "referral"
OVERRIDE_MIN = 20


@dataclass
class Origin:
    """Where a referral comes from: the record that brought the person to the sending institution."""

    source: str
    person: Person
    agency: Agency
    arrival_entry: ArrivalPerson | None = None
    case: Case | None = None
    protection_case: ProtectionCase | None = None
    municipality: AdminArea | None = None
    phone: str = ""

    @classmethod
    def of_entry(cls, entry: ArrivalPerson) -> Origin:
        if entry.person is None:
            raise ValidationError(_("Register this person at the desk before referring them."))
        screening = getattr(entry, "screening", None)
        return cls(
            Referral.Source.SCREENING,
            entry.person,
            entry.arrival.agency,
            arrival_entry=entry,
            municipality=screening.destination if screening else None,
            phone=screening.phone if screening else "",
        )

    @classmethod
    def of_case(cls, case: Case) -> Origin:
        entry = case.arrival_entry
        screening = getattr(entry, "screening", None) if entry else None
        return cls(
            Referral.Source.CASE,
            case.person,
            case.agency,
            case=case,
            municipality=case.municipality,
            phone=screening.phone if screening else "",
        )

    @classmethod
    def of_protection_case(cls, case: ProtectionCase) -> Origin:
        entry = case.handover.entry if case.handover_id and case.handover else None
        screening = getattr(entry, "screening", None) if entry else None
        return cls(
            Referral.Source.PROTECTION,
            case.child,
            case.agency,
            protection_case=case,
            arrival_entry=entry,
            municipality=screening.destination if screening else None,
            phone=screening.phone if screening else "",
        )

    @classmethod
    def of_person(cls, person: Person, agency: Agency) -> Origin:
        """A person met at an information office consultation."""
        return cls(Referral.Source.CONSULTATION, person, agency, municipality=person.municipality_of_origin)


def _eligibility_problem(service: Service, person: Person) -> str | None:
    age = person.age
    if age is not None and service.min_age is not None and age < service.min_age:
        return _("This service is for people aged %(age)s or more.") % {"age": service.min_age}
    if age is not None and service.max_age is not None and age > service.max_age:
        return _("This service is for people aged up to %(age)s.") % {"age": service.max_age}
    if service.sex and person.sex and service.sex != person.sex:
        return _("This service is for %(public)s.") % {"public": service.get_sex_display()}
    if service.public == Service.Public.NOT_RETURNEES:
        return _("This service is for people who have not migrated.")
    return None


def _consent_problems(actor: User, person: Person, consent_given: bool, consent_method: str, override_reason: str) -> dict[str, str]:
    if consent_given:
        if consent_method not in Screening.ConsentMethod.values:
            return {"consent_method": _("Say how the consent was given.")}
        return {}
    if override_reason:
        if not actor.can("protection.work"):
            return {"override_reason": _("Only a child-protection officer may refer without consent.")}
        if not person.is_child:
            return {"override_reason": _("A referral without consent is only for a child, in their best interests.")}
        if len(override_reason) < OVERRIDE_MIN:
            return {"override_reason": _("Write why the referral is in the child's best interests (at least 20 characters).")}
        return {}
    return {"consent_given": _("Record the person's consent to share their data with this institution for this service.")}


def _receivers(agency_id: int) -> list[User]:
    users = User.objects.filter(agency_id=agency_id, is_active=True)
    return [u for u in users if u.can("referral.answer")]


def _notify_receivers(referral: Referral, kind: str) -> None:
    due = timezone.localtime(referral.due_at).strftime("%d/%m/%Y %H:%M") if referral.due_at else ""
    url = reverse("referrals:detail", args=[referral.public_id])
    notify(_receivers(referral.to_agency_id), kind, url, ref=referral.public_id, service=referral.service.name, due=due)


def _notify_sender(referral: Referral, kind: str) -> None:
    url = reverse("referrals:detail", args=[referral.public_id])
    notify([referral.created_by], kind, url, ref=referral.public_id, service=referral.service.name, due="")


def _send(referral: Referral, hours: int) -> None:
    referral.status = Referral.Status.SENT
    referral.sent_at = timezone.now()
    referral.due_at = referral.sent_at + datetime.timedelta(hours=hours)


@transaction.atomic
def referral_create(
    *,
    actor: User,
    origin: Origin,
    service: Service | None,
    urgency: str,
    reason: str,
    share: Sequence[str] = (),
    consent_given: bool = False,
    consent_method: str = "",
    override_reason: str = "",
    rule_version: RuleVersion | None = None,
) -> Referral:
    """Refer the person to a service. Sent at once when the person consented (or a child-protection
    officer recorded why a child is referred without it); a rule's referral without either waits
    for consent. Every problem is reported at once."""
    if rule_version is None:
        require(actor, "referral.send")
        if origin.agency.pk != actor.agency_id:
            raise PermissionDenied
    reason, override_reason = reason.strip(), override_reason.strip()
    share = [s for s in dict.fromkeys(share) if s in Share.values]
    errors: dict[str, str] = {}
    if service is None or not service.is_active or service.provider.country_id != origin.agency.country_id:
        errors["service"] = _("Choose an active service of this country.")
    else:
        problem = _eligibility_problem(service, origin.person)
        if problem:
            errors["service"] = problem
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose how urgent the referral is.")
    if not reason:
        errors["reason"] = _("Say why the person is referred and what they need from the service.")
    held = rule_version is not None and not consent_given and not override_reason
    if not held:
        errors.update(_consent_problems(actor, origin.person, consent_given, consent_method, override_reason))
    if (
        origin.arrival_entry is not None
        and Referral.objects.filter(
            arrival_entry=origin.arrival_entry,
            service=service,
            status__in=[Referral.Status.HELD, Referral.Status.SENT, Referral.Status.ACCEPTED],
        ).exists()
    ):
        errors["service"] = _("This person already has an open referral to this service.")
    if errors or service is None:
        raise ValidationError(errors)
    referral = Referral(
        public_id=public_id_next(kind="referral", country_code=origin.agency.country.code, prefix="R"),
        person=origin.person,
        source=origin.source,
        arrival_entry=origin.arrival_entry,
        case=origin.case,
        protection_case=origin.protection_case,
        rule_version=rule_version,
        from_agency=origin.agency,
        to_agency=service.provider,
        service=service,
        urgency=urgency,
        reason=reason,
        share=share,
        municipality=origin.municipality,
        phone=origin.phone if Share.PHONE in share else "",
        consent_given=consent_given,
        consent_method=consent_method if consent_given else "",
        override_reason="" if consent_given else override_reason,
        override_by=actor if override_reason and not consent_given else None,
        status=Referral.Status.HELD,
        created_by=actor,
    )
    hours = rule_version.hours if rule_version is not None else ANSWER_HOURS[Urgency(urgency)]
    if not held:
        _send(referral, hours)
    referral.save()
    audit_log(actor=actor, action="create", object_type=REFERRAL, object_id=referral.public_id, fields=["referral", *share])
    audit_log(actor=actor, action="update", object_type=PERSON, object_id=str(origin.person.pk), fields=["referral"])
    if held:
        _notify_sender(referral, "referral_held")
    else:
        _notify_receivers(referral, "referral_received")
    return referral


@transaction.atomic
def referral_consent(
    *, actor: User, referral: Referral, consent_given: bool = False, consent_method: str = "", override_reason: str = ""
) -> Referral:
    """Record the consent a rule's referral waits for (or a child-protection officer's override), and send it."""
    _sender(actor, referral)
    if referral.status != Referral.Status.HELD:
        raise ValidationError(_("This referral is not waiting for consent."))
    override_reason = override_reason.strip()
    errors = _consent_problems(actor, referral.person, consent_given, consent_method, override_reason)
    if errors:
        raise ValidationError(errors)
    referral.consent_given = consent_given
    referral.consent_method = consent_method if consent_given else ""
    referral.override_reason = "" if consent_given else override_reason
    referral.override_by = None if consent_given else actor
    hours = referral.rule_version.hours if referral.rule_version else ANSWER_HOURS[Urgency(referral.urgency)]
    _send(referral, hours)
    if Share.PHONE in referral.share and not referral.phone:
        referral.phone = Origin.of_entry(referral.arrival_entry).phone if referral.arrival_entry else ""
    referral.save()
    audit_log(actor=actor, action="update", object_type=REFERRAL, object_id=referral.public_id, fields=["consent", "status"])
    _notify_receivers(referral, "referral_received")
    return referral


# Who on the sending side may act on a referral: whoever reads the record it came from.
SOURCE_ACTIONS = {
    Referral.Source.SCREENING: "arrival.desk",
    Referral.Source.CASE: "case.view",
    Referral.Source.PROTECTION: "protection.view",
    Referral.Source.CONSULTATION: "window.record",
}


def _sender(actor: User, referral: Referral) -> None:
    require(actor, "referral.send")
    if referral.from_agency_id != actor.agency_id or not actor.can(SOURCE_ACTIONS[Referral.Source(referral.source)]):
        raise PermissionDenied


def _answerable(actor: User, referral: Referral) -> None:
    require(actor, "referral.answer")
    if referral.to_agency_id != actor.agency_id:
        raise PermissionDenied


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral) -> Referral:
    _answerable(actor, referral)
    if referral.status != Referral.Status.SENT:
        raise ValidationError(_("Only a referral that was sent and not yet answered can be accepted."))
    referral.status, referral.answered_at, referral.answered_by = Referral.Status.ACCEPTED, timezone.now(), actor
    referral.save(update_fields=["status", "answered_at", "answered_by"])
    audit_log(actor=actor, action="update", object_type=REFERRAL, object_id=referral.public_id, fields=["status"])
    _notify_sender(referral, "referral_accepted")
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    _answerable(actor, referral)
    if referral.status != Referral.Status.SENT:
        raise ValidationError(_("Only a referral that was sent and not yet answered can be declined."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the referral is declined, so the sender can find another service.")})
    referral.status, referral.answered_at, referral.answered_by = Referral.Status.DECLINED, timezone.now(), actor
    referral.decline_reason = reason
    referral.save(update_fields=["status", "answered_at", "answered_by", "decline_reason"])
    audit_log(actor=actor, action="update", object_type=REFERRAL, object_id=referral.public_id, fields=["status", "decline_reason"])
    _notify_sender(referral, "referral_declined")
    return referral


@transaction.atomic
def referral_complete(*, actor: User, referral: Referral, outcome: str) -> Referral:
    _answerable(actor, referral)
    if referral.status != Referral.Status.ACCEPTED:
        raise ValidationError(_("Accept the referral before recording its outcome."))
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": _("Say what the service did for the person.")})
    referral.status, referral.closed_at, referral.closed_by, referral.outcome = Referral.Status.COMPLETED, timezone.now(), actor, outcome
    referral.save(update_fields=["status", "closed_at", "closed_by", "outcome"])
    audit_log(actor=actor, action="update", object_type=REFERRAL, object_id=referral.public_id, fields=["status", "outcome"])
    _notify_sender(referral, "referral_completed")
    return referral


@transaction.atomic
def referral_withdraw(*, actor: User, referral: Referral, reason: str) -> Referral:
    """The sending institution takes back a referral not yet completed (the person moved, found help elsewhere…)."""
    _sender(actor, referral)
    if not referral.is_open:
        raise ValidationError(_("Only an open referral can be withdrawn."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the referral is withdrawn.")})
    was_sent = referral.status != Referral.Status.HELD
    referral.status, referral.closed_at, referral.closed_by, referral.outcome = Referral.Status.WITHDRAWN, timezone.now(), actor, reason
    referral.save(update_fields=["status", "closed_at", "closed_by", "outcome"])
    audit_log(actor=actor, action="update", object_type=REFERRAL, object_id=referral.public_id, fields=["status", "outcome"])
    if was_sent:
        _notify_receivers(referral, "referral_withdrawn")
    return referral


def referrals_overdue_remind() -> int:
    """Tell both institutions, once, about each referral past its time limit without an answer
    (run every 15 minutes by the task worker). Returns how many were found."""
    late = Referral.objects.filter(status=Referral.Status.SENT, due_at__lt=timezone.now(), overdue_notified_at__isnull=True)
    count = 0
    for referral in late.select_related("service", "created_by"):
        with transaction.atomic():
            if Referral.objects.filter(pk=referral.pk, overdue_notified_at__isnull=True).update(overdue_notified_at=timezone.now()):
                _notify_receivers(referral, "referral_overdue")
                _notify_sender(referral, "referral_overdue")
                count += 1
    return count


# --- The protocol's rules -----------------------------------------------------------------------

RULE = "protocol_rule"


def rule_matches(version: RuleVersion, screening: Screening) -> bool:
    """Whether a screening shows what the rule looks for (the rule's conditions all hold)."""
    if version.vulnerabilities and not set(version.vulnerabilities) & set(screening.vulnerabilities):
        return False
    if version.medical_required and not screening.medical_required:
        return False
    if version.min_age is not None or version.max_age is not None:
        entry = screening.entry
        if entry.birth_date is None:
            return False
        age = age_on(entry.birth_date, entry.arrival.day)
        if (version.min_age is not None and age < version.min_age) or (version.max_age is not None and age > version.max_age):
            return False
    return True


def _assessment_condition_problems(version: RuleVersion) -> dict[str, str]:
    current = InstrumentVersion.objects.filter(instrument__code=version.instrument, is_current=True).first()
    if current is None:
        return {"instrument": _("Choose the instrument whose scores the rule reads.")}
    errors: dict[str, str] = {}
    dimensions = {d["code"] for d in current.definition.get("dimensions", [])}
    if version.dimension and version.dimension not in dimensions:
        errors["dimension"] = _("This instrument has no such dimension: choose one of %(codes)s, or none for the overall score.") % {
            "codes": ", ".join(sorted(dimensions))
        }
    low, high = version.score_from, version.score_to
    if low is None and high is None:
        errors["score_from"] = _("Give the scores that trigger the rule (from, up to, or both).")
    elif any(v is not None and not 0 <= v <= 1 for v in (low, high)) or (low is not None and high is not None and low > high):
        errors["score_from"] = _("Scores go from 0 to 1, the lower first.")
    return errors


def assessment_matches(version: RuleVersion, assessment: Assessment) -> bool:
    """Whether an assessment's score (in the rule's dimension, or overall) falls in the rule's range."""
    if assessment.version.instrument.code != version.instrument:
        return False
    score = assessment.scores.get(version.dimension) if version.dimension else assessment.overall
    if score is None:
        return False
    return (version.score_from is None or score >= version.score_from) and (version.score_to is None or score <= version.score_to)


def _rule_problems(version: RuleVersion, country: Country) -> dict[str, str]:
    """Every problem of a rule as written, at once."""
    errors: dict[str, str] = {}
    if not version.rule.name:
        errors["name"] = _("Give the rule a name.")
    if version.trigger == RuleVersion.Trigger.ASSESSMENT:
        errors.update(_assessment_condition_problems(version))
    else:
        unknown = [v for v in version.vulnerabilities if v not in Vulnerability.values]
        if unknown or (not version.vulnerabilities and not version.medical_required):
            errors["vulnerabilities"] = _("Say what the screening must show: at least one vulnerability, or mandatory medical attention.")
        if version.min_age is not None and version.max_age is not None and version.min_age > version.max_age:
            errors["max_age"] = _("The maximum age is below the minimum age.")
    service = version.service if version.service_id else None
    if service is None or not service.is_active or service.provider.country_id != country.pk:
        errors["service"] = _("Choose an active service of this country.")
    if version.urgency not in Urgency.values:
        errors["urgency"] = _("Choose how urgent the referral is.")
    if not 1 <= (version.hours or 0) <= 24 * 60:
        errors["hours"] = _("Give the hours to answer: between 1 and 1440.")
    if any(s not in Share.values for s in version.share):
        errors["share"] = _("Choose what is shared from the list.")
    if not version.reason.strip():
        errors["reason"] = _("Write what the receiving institution reads as the reason for the referral.")
    return errors


@transaction.atomic
def rule_version_save(*, actor: User, country: Country, name: str, data: dict[str, Any], rule: ProtocolRule | None = None) -> RuleVersion:
    """Write a new version of a rule (a new rule when `rule` is None). It starts switched off: an
    administrator previews it, then switches it on."""
    require(actor, "protocol.manage")
    name = " ".join(name.split())
    draft_rule = rule or ProtocolRule(country=country, created_by=actor)
    draft_rule.name = name
    version = RuleVersion(rule=draft_rule, created_by=actor, **{k: data.get(k) for k in RULE_FIELDS})
    version.vulnerabilities = list(dict.fromkeys(version.vulnerabilities or []))
    version.share = list(dict.fromkeys(version.share or []))
    version.reason = (version.reason or "").strip()
    version.medical_required = bool(version.medical_required)
    version.trigger = version.trigger if version.trigger in RuleVersion.Trigger.values else RuleVersion.Trigger.SCREENING
    version.instrument, version.dimension = version.instrument or "", version.dimension or ""
    if version.trigger == RuleVersion.Trigger.SCREENING:  # what the other kind of rule reads is not kept
        version.instrument, version.dimension, version.score_from, version.score_to = "", "", None, None
    else:
        version.vulnerabilities, version.min_age, version.max_age, version.medical_required = [], None, None, False
    errors = _rule_problems(version, country)
    if errors:
        raise ValidationError(errors)
    draft_rule.save()
    version.rule = draft_rule
    version.number = (draft_rule.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version.save()
    audit_log(actor=actor, action="create", object_type=RULE, object_id=str(draft_rule.pk), fields=[f"version {version.number}"])
    return version


RULE_FIELDS = (
    "trigger",
    "vulnerabilities",
    "min_age",
    "max_age",
    "medical_required",
    "instrument",
    "dimension",
    "score_from",
    "score_to",
    "service",
    "urgency",
    "hours",
    "share",
    "reason",
)


@transaction.atomic
def rule_switch(*, actor: User, version: RuleVersion, on: bool) -> RuleVersion:
    """Switch a version on (the rule's other versions go off) or the rule off."""
    require(actor, "protocol.manage")
    RuleVersion.objects.filter(rule=version.rule, is_active=True).exclude(pk=version.pk).update(is_active=False, switched_at=timezone.now())
    version.is_active, version.switched_at = on, timezone.now()
    version.save(update_fields=["is_active", "switched_at"])
    audit_log(
        actor=actor,
        action="update",
        object_type=RULE,
        object_id=str(version.rule_id),
        fields=[f"version {version.number} {'on' if on else 'off'}"],
    )
    return version


def _refer_by_rule(version: RuleVersion, actor: User, origin: Origin, consent_method: str = "") -> Referral | None:
    """The referral a rule makes (consent given when `consent_method` says how), or None when its
    service stopped fitting (inactive, out of its ages): the rule's preview shows it, and the
    screening or assessment itself is never refused because of a rule."""
    try:
        return referral_create(
            actor=actor,
            origin=origin,
            service=version.service,
            urgency=version.urgency,
            reason=version.reason,
            share=version.share,
            consent_given=bool(consent_method),
            consent_method=consent_method,
            rule_version=version,
        )
    except ValidationError:
        logger.warning("protocol rule %s v%s did not apply (%s)", version.rule_id, version.number, origin.source)
        return None


def rules_apply(entry: ArrivalPerson) -> list[Referral]:
    """Apply the country's rules that are on to a screening just saved: each rule refers a person
    once (a later screening or a new version of the rule does not refer them again)."""
    screening = getattr(entry, "screening", None)
    if screening is None or entry.person is None:
        return []
    country_id = entry.arrival.agency.country_id
    versions = RuleVersion.objects.filter(is_active=True, rule__country_id=country_id, trigger=RuleVersion.Trigger.SCREENING)
    made = []
    for version in versions.select_related("rule", "service__provider"):
        if not rule_matches(version, screening):
            continue
        if Referral.objects.filter(arrival_entry=entry, rule_version__rule_id=version.rule_id).exists():
            continue
        method = screening.consent_method if screening.consent_referral else ""
        referral = _refer_by_rule(version, screening.screened_by, Origin.of_entry(entry), method)
        if referral is not None:
            made.append(referral)
    return made


def on_screening_recorded(sender: Any, entry: ArrivalPerson, **kwargs: Any) -> None:
    with transaction.atomic():
        rules_apply(entry)


def rules_apply_to_assessment(assessment: Assessment) -> list[Referral]:
    """Apply the country's assessment rules that are on to an assessment just recorded: the person
    is referred once per rule and case; the referral waits for the person's consent to it."""
    case = assessment.case
    versions = RuleVersion.objects.filter(
        is_active=True,
        rule__country_id=case.agency.country_id,
        trigger=RuleVersion.Trigger.ASSESSMENT,
        instrument=assessment.version.instrument.code,
    )
    made = []
    for version in versions.select_related("rule", "service__provider"):
        if not assessment_matches(version, assessment):
            continue
        if Referral.objects.filter(case=case, rule_version__rule_id=version.rule_id).exists():
            continue
        referral = _refer_by_rule(version, assessment.recorded_by, Origin.of_case(case))
        if referral is not None:
            made.append(referral)
    return made


def on_assessment_recorded(sender: Any, assessment: Assessment, **kwargs: Any) -> None:
    with transaction.atomic():
        rules_apply_to_assessment(assessment)
