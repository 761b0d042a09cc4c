"""Referrals between institutions: made by the protocol's rules or by hand, with consent (or a
child-protection officer's recorded reason), answered within their time limit, and read by the
receiving institution only as far as they share."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from retorno.cases import instruments
from retorno.cases import services as cases
from retorno.cases.tests.conftest import answers_all
from retorno.core.models import AuditEvent, Notification, User
from retorno.protection.tests.conftest import hand_over
from retorno.reception import services as reception
from retorno.referrals import selectors, services
from retorno.referrals.models import Referral, RuleVersion, Service
from retorno.referrals.services import Origin
from retorno.referrals.tests.conftest import child_at_desk, screen_alone
from retorno.registry.models import Person

pytestmark = pytest.mark.django_db


def _screened(officer: User, capture: Any, consent: bool = True, **person: Any) -> Any:
    entry = child_at_desk(officer, **person)
    with capture(execute=True):
        screen_alone(officer, entry, consent=consent)
    return entry


def test_screening_an_unaccompanied_child_refers_them_by_rule_once(
    reception_officer: User, child_protection_officer: User, uac_rule: RuleVersion, django_capture_on_commit_callbacks: Any
) -> None:
    entry = _screened(reception_officer, django_capture_on_commit_callbacks)
    referral = Referral.objects.get(arrival_entry=entry)
    assert referral.status == Referral.Status.SENT and referral.rule_version == uac_rule
    assert referral.to_agency == child_protection_officer.agency and referral.from_agency == reception_officer.agency
    assert referral.due_at is not None and referral.sent_at is not None
    assert referral.due_at - referral.sent_at == datetime.timedelta(hours=2)
    assert referral.consent_given and referral.phone == "7123-4567"  # the rule shares the phone; the screening had consent
    # CONNA hears of it in the app and by e-mail, which names the referral, never the child.
    note = Notification.objects.get(user=child_protection_officer)
    assert referral.public_id in note.url
    sent = [m for m in mail.outbox if child_protection_officer.email in m.to]
    assert len(sent) == 1 and referral.public_id in sent[0].body and "Kevin" not in sent[0].body + sent[0].subject
    # Screened again, or the rule changed: still one referral by this rule.
    with django_capture_on_commit_callbacks(execute=True):
        screen_alone(reception_officer, entry)
    assert Referral.objects.filter(arrival_entry=entry).count() == 1


def test_a_rule_that_is_off_or_does_not_fit_refers_nobody(
    reception_officer: User, administrator: User, uac_rule: RuleVersion, django_capture_on_commit_callbacks: Any
) -> None:
    services.rule_switch(actor=administrator, version=uac_rule, on=False)
    _screened(reception_officer, django_capture_on_commit_callbacks)
    services.rule_switch(actor=administrator, version=uac_rule, on=True)
    adult = child_at_desk(reception_officer, given_names="Juana", first_surname="Pérez", sex="F", birth_date=datetime.date(1990, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        reception.screening_save(actor=reception_officer, entry=adult, vulnerabilities=["fear_of_return"])
    assert Referral.objects.count() == 0


def test_without_consent_the_rules_referral_waits_unseen_until_consent_or_an_override(
    reception_officer: User,
    child_protection_officer: User,
    uac_rule: RuleVersion,
    login: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    entry = _screened(reception_officer, django_capture_on_commit_callbacks, consent=False)
    referral = Referral.objects.get(arrival_entry=entry)
    assert referral.status == Referral.Status.HELD and referral.due_at is None
    assert Notification.objects.filter(user=reception_officer, kind="referral_held").exists()
    # The receiving institution does not see a referral that was not sent.
    assert login(child_protection_officer).get(f"/referrals/{referral.public_id}/").status_code == 404
    assert selectors.referral_list(user=child_protection_officer, box=selectors.RECEIVED) == []
    desk = login(reception_officer)
    refused = desk.post(f"/referrals/{referral.public_id}/", {"action": "consent", "consent-override_reason": "x" * 30})
    assert refused.status_code == 400 and "Registre el consentimiento" in refused.content.decode()  # only CPOs may override
    sent = desk.post(
        f"/referrals/{referral.public_id}/", {"action": "consent", "consent-consent_given": "on", "consent-consent_method": "guardian"}
    )
    assert sent.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT and referral.due_at is not None and referral.phone == "7123-4567"
    assert selectors.referral_list(user=child_protection_officer, box=selectors.RECEIVED) == [referral]


def test_a_child_protection_officer_may_refer_a_child_without_consent_with_a_reason(
    child_protection_officer: User, reception_officer: User, psychosocial_care: Service, caseworker: User
) -> None:
    handover = hand_over(reception_officer, given_names="Ana", first_surname="López", sex="F", birth_date=datetime.date(2012, 5, 1))
    origin = Origin.of_protection_case(handover.protection_case)
    ask = {"origin": origin, "service": psychosocial_care, "urgency": "urgent", "reason": "Crisis de ansiedad tras el retorno"}
    with pytest.raises(ValidationError) as refused:
        services.referral_create(actor=child_protection_officer, **ask, override_reason="corto")
    assert "override_reason" in refused.value.error_dict
    with pytest.raises(ValidationError) as no_consent:
        services.referral_create(actor=child_protection_officer, **ask)
    assert "consent_given" in no_consent.value.error_dict
    referral = services.referral_create(
        actor=child_protection_officer, **ask, override_reason="La niña necesita apoyo ya y su tutora no está localizable"
    )
    assert referral.status == Referral.Status.SENT and referral.override_by == child_protection_officer and not referral.consent_given
    assert referral.due_at is not None and referral.sent_at is not None
    assert referral.due_at - referral.sent_at == datetime.timedelta(hours=24)
    with pytest.raises(PermissionDenied):  # the case is CONNA's: DGME does not refer from it
        services.referral_create(actor=caseworker, **ask, consent_given=True, consent_method="signed")


def test_answers_follow_the_states_and_a_decline_needs_a_reason(
    reception_officer: User,
    child_protection_officer: User,
    caseworker: User,
    uac_rule: RuleVersion,
    django_capture_on_commit_callbacks: Any,
) -> None:
    referral = Referral.objects.get(arrival_entry=_screened(reception_officer, django_capture_on_commit_callbacks))
    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=caseworker, referral=referral)  # DGME did not receive it
    with pytest.raises(ValidationError) as refused:
        services.referral_decline(actor=child_protection_officer, referral=referral, reason="  ")
    assert "reason" in refused.value.error_dict
    with pytest.raises(ValidationError):
        services.referral_complete(actor=child_protection_officer, referral=referral, outcome="Recibido")  # not accepted yet
    services.referral_accept(actor=child_protection_officer, referral=referral)
    assert Notification.objects.filter(user=reception_officer, kind="referral_accepted").exists()
    with pytest.raises(ValidationError) as no_outcome:
        services.referral_complete(actor=child_protection_officer, referral=referral, outcome="")
    assert "outcome" in no_outcome.value.error_dict
    services.referral_complete(actor=child_protection_officer, referral=referral, outcome="Recibido en el albergue de CONNA")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.COMPLETED and referral.closed_by == child_protection_officer
    with pytest.raises(ValidationError):
        services.referral_withdraw(actor=reception_officer, referral=referral, reason="Ya no hace falta")  # closed


def test_a_sender_withdraws_an_open_referral_and_the_receiver_is_told(
    reception_officer: User, child_protection_officer: User, uac_rule: RuleVersion, django_capture_on_commit_callbacks: Any
) -> None:
    referral = Referral.objects.get(arrival_entry=_screened(reception_officer, django_capture_on_commit_callbacks))
    with pytest.raises(PermissionDenied):
        services.referral_withdraw(actor=child_protection_officer, referral=referral, reason="No es nuestro")
    services.referral_withdraw(actor=reception_officer, referral=referral, reason="Su madre llegó al centro de recepción")
    assert Notification.objects.filter(user=child_protection_officer, kind="referral_withdrawn").exists()


def test_the_receiving_institution_sees_only_what_the_referral_shares(
    reception_officer: User,
    caseworker: User,
    information_officer: User,
    child_protection_officer: User,
    psychosocial_care: Service,
    login: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    entry = child_at_desk(reception_officer, given_names="Juana", first_surname="Pérez", sex="F", birth_date=datetime.date(1990, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        reception.screening_save(
            actor=reception_officer,
            entry=entry,
            vulnerabilities=["violence_survivor"],
            health_needs="Dolor de cabeza persistente",
            phone="7555-1234",
            consent_assistance=True,
            consent_referral=True,
            consent_method="signed",
        )
    referral = services.referral_create(
        actor=reception_officer,
        origin=Origin.of_entry(entry),
        service=psychosocial_care,
        urgency="priority",
        reason="Pide hablar con una psicóloga",
        consent_given=True,
        consent_method="signed",
    )
    receiver = login(information_officer)
    page = receiver.get(f"/referrals/{referral.public_id}/").content.decode()
    assert "Juana Pérez" in page and "Pide hablar con una psicóloga" in page
    for hidden in ("7555-1234", "Dolor de cabeza", "sobreviviente", "1990", entry.person.public_id):
        assert hidden not in page
    assert receiver.get(f"/people/{entry.person.public_id}/").status_code == 404  # the record itself stays closed
    api = receiver.get(f"/api/v1/referrals/{referral.public_id}").json()
    assert "7555-1234" not in str(api) and {row["label"] for row in api["shared"]} == {"Nombre", "Sexo", "Edad", "Municipio"}
    event = AuditEvent.objects.filter(object_type="referral", object_id=referral.public_id, user_email=information_officer.email).first()
    assert event is not None and "phone" not in event.fields
    # Shared with consent, the phone and the health needs reach the receiver.
    Referral.objects.filter(pk=referral.pk).update(share=["phone", "health"], phone="7555-1234")
    page = receiver.get(f"/referrals/{referral.public_id}/").content.decode()
    assert "7555-1234" in page and "Dolor de cabeza persistente" in page and "1990" not in page
    # The institution that sent it reads it whole; one that neither sent nor received it: not found.
    assert "7555-1234" in login(reception_officer).get(f"/referrals/{referral.public_id}/").content.decode()
    assert login(child_protection_officer).get(f"/referrals/{referral.public_id}/").status_code == 404
    assert login(child_protection_officer).get(f"/api/v1/referrals/{referral.public_id}").status_code == 404


def test_an_unanswered_referral_past_its_limit_is_flagged_overdue(
    reception_officer: User,
    child_protection_officer: User,
    uac_rule: RuleVersion,
    login: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    referral = Referral.objects.get(arrival_entry=_screened(reception_officer, django_capture_on_commit_callbacks))
    assert not referral.is_overdue
    Referral.objects.filter(pk=referral.pk).update(due_at=timezone.now() - datetime.timedelta(minutes=5))
    assert selectors.referral_counts(user=child_protection_officer)["overdue"] == 1
    inbox = login(child_protection_officer).get("/referrals/", {"box": "received", "overdue": "on"}).content.decode()
    assert referral.public_id in inbox and "vencida" in inbox and 'id="overdue-alert"' in inbox
    assert services.referrals_overdue_remind() == 1 and services.referrals_overdue_remind() == 0  # told once
    assert Notification.objects.filter(kind="referral_overdue").count() == 2  # the receiver and the sender
    home = login(child_protection_officer).get("/").content.decode()
    assert "1 derivación por responder" in home and "1 superó su plazo" in home
    services.referral_accept(actor=child_protection_officer, referral=Referral.objects.get(pk=referral.pk))
    referral.refresh_from_db()
    assert not referral.is_overdue and referral.answered_late


def test_a_referral_by_hand_from_a_case_checks_consent_and_eligibility(
    caseworker: User,
    returned_adult: Person,
    immediate_care: Service,
    psychosocial_care: Service,
    login: Callable[[User], Client],
) -> None:
    case = cases.case_open(
        actor=caseworker,
        person=returned_adult,
        returned_on=timezone.localdate() - datetime.timedelta(days=20),
        consent_assistance=True,
        consent_method="signed",
    )
    client = login(caseworker)
    assert "Derivar a un servicio" in client.get(f"/cases/{case.public_id}/").content.decode()
    form = client.get("/referrals/new/", {"case": case.public_id})
    assert form.status_code == 200 and "Atención psicosocial" in form.content.decode()
    empty = client.post("/referrals/new/", {"case": case.public_id})
    body = empty.content.decode()
    assert (
        empty.status_code == 400 and "Elija un servicio activo" in body and "Diga por qué" in body and "Registre el consentimiento" in body
    )
    too_old = client.post(
        "/referrals/new/",
        {
            "case": case.public_id,
            "service": immediate_care.pk,
            "urgency": "urgent",
            "reason": "Apoyo",
            "consent_given": "on",
            "consent_method": "signed",
        },
    )
    assert too_old.status_code == 400 and "hasta 17" in too_old.content.decode()
    sent = client.post(
        "/referrals/new/",
        {
            "case": case.public_id,
            "service": psychosocial_care.pk,
            "urgency": "priority",
            "reason": "Apoyo tras la deportación",
            "consent_given": "on",
            "consent_method": "signed",
        },
    )
    referral = Referral.objects.get(case=case)
    assert sent.status_code == 302 and sent["Location"] == f"/referrals/{referral.public_id}/"
    assert referral.public_id in client.get(f"/cases/{case.public_id}/").content.decode()


def test_a_rule_is_versioned_previewed_and_switched_on(
    reception_officer: User,
    administrator: User,
    immediate_care: Service,
    psychosocial_care: Service,
    login: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _screened(reception_officer, django_capture_on_commit_callbacks)  # screened before any rule
    client = login(administrator)
    refused = client.post("/referrals/protocol/new/", {})
    body = refused.content.decode()
    assert refused.status_code == 400 and "Dé un nombre" in body and "al menos una vulnerabilidad" in body and "Elija un servicio" in body
    made = client.post(
        "/referrals/protocol/new/",
        {
            "name": "Niñez no acompañada",
            "vulnerabilities": ["unaccompanied_child"],
            "service": immediate_care.pk,
            "urgency": "immediate",
            "hours": 2,
            "reason": "Recepción inmediata",
        },
    )
    first = RuleVersion.objects.get()
    assert made.status_code == 302 and not first.is_active and first.number == 1
    page = client.get(made["Location"]).content.decode()
    assert "derivaría a 1 persona" in page and "Kevin" not in page  # the preview shows no names
    client.post(made["Location"], {"version": first.pk, "action": "on"})
    first.refresh_from_db()
    assert first.is_active
    client.post(
        f"/referrals/protocol/{first.rule_id}/edit/",
        {
            "name": "Niñez no acompañada",
            "vulnerabilities": ["unaccompanied_child"],
            "service": psychosocial_care.pk,
            "urgency": "urgent",
            "hours": 24,
            "reason": "Apoyo",
        },
    )
    second = RuleVersion.objects.get(number=2)
    assert not second.is_active and RuleVersion.objects.get(number=1).is_active  # a new version waits for its switch
    client.post(made["Location"], {"version": second.pk, "action": "on"})
    assert list(RuleVersion.objects.filter(is_active=True)) == [second]
    assert client.get("/referrals/protocol/").status_code == 200
    assert login(reception_officer).get("/referrals/protocol/").status_code == 404


def test_an_assessment_rule_refers_a_case_whose_score_falls_in_its_range(
    caseworker: User,
    administrator: User,
    returned_adult: Person,
    psychosocial_care: Service,
    login: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    versions = {v.instrument.code: v for v in cases.instruments_seed()}
    needs = versions["needs"]
    calm, distressed = answers_all(needs, 0), answers_all(needs, 99)
    low, high = (instruments.score(needs.definition, a)[0]["psychosocial"] for a in (calm, distressed))
    assert low != high
    threshold = (low + high) / 2
    rule = {
        "trigger": "assessment",
        "instrument": "needs",
        "dimension": "psychosocial",
        "service": psychosocial_care,
        "urgency": "urgent",
        "hours": 24,
        "reason": "Necesidad psicosocial alta en la evaluación",
    }
    wanting, lower = (threshold, None) if high > low else (None, threshold)
    with pytest.raises(ValidationError) as refused:
        services.rule_version_save(
            actor=administrator, country=psychosocial_care.provider.country, name="Psicosocial", data={**rule, "dimension": "nope"}
        )
    assert set(refused.value.error_dict) == {"dimension", "score_from"}
    version = services.rule_version_save(
        actor=administrator,
        country=psychosocial_care.provider.country,
        name="Necesidad psicosocial alta",
        data={**rule, "score_from": wanting, "score_to": lower},
    )
    services.rule_switch(actor=administrator, version=version, on=True)
    case = cases.case_open(
        actor=caseworker,
        person=returned_adult,
        returned_on=timezone.localdate() - datetime.timedelta(days=5),
        consent_assistance=True,
        consent_method="signed",
        caseworker=caseworker,
    )
    with django_capture_on_commit_callbacks(execute=True):
        cases.assessment_record(actor=caseworker, case=case, version=needs, answers=calm, done_on=timezone.localdate())
    assert not Referral.objects.exists()  # below the threshold
    page = login(administrator).get(f"/referrals/protocol/{version.rule_id}/").content.decode()
    assert "derivaría a 0 personas" in page
    with django_capture_on_commit_callbacks(execute=True):
        cases.assessment_record(actor=caseworker, case=case, version=needs, answers=distressed, done_on=timezone.localdate())
    referral = Referral.objects.get()
    assert referral.case == case and referral.rule_version == version and referral.status == Referral.Status.HELD  # consent first
    assert Notification.objects.filter(user=caseworker, kind="referral_held").exists()
    with django_capture_on_commit_callbacks(execute=True):
        cases.assessment_record(actor=caseworker, case=case, version=needs, answers=distressed, done_on=timezone.localdate())
    assert Referral.objects.count() == 1  # once per rule and case


def test_the_sending_side_reads_a_referral_only_with_the_record_it_came_from(
    caseworker: User, reception_officer: User, returned_adult: Person, psychosocial_care: Service, login: Callable[[User], Client]
) -> None:
    case = cases.case_open(
        actor=caseworker,
        person=returned_adult,
        returned_on=timezone.localdate() - datetime.timedelta(days=5),
        consent_assistance=True,
        consent_method="signed",
    )
    referral = services.referral_create(
        actor=caseworker,
        origin=Origin.of_case(case),
        service=psychosocial_care,
        urgency="urgent",
        reason="Dolor de espalda",
        consent_given=True,
        consent_method="signed",
    )
    # The desk of the same institution does not read case referrals, nor withdraw them.
    assert login(reception_officer).get(f"/referrals/{referral.public_id}/").status_code == 404
    assert selectors.referral_list(user=reception_officer, box=selectors.SENT) == []
    with pytest.raises(PermissionDenied):
        services.referral_withdraw(actor=reception_officer, referral=referral, reason="Error")
    # The caseworker lands on what they sent when nothing waits in their inbox.
    listing = login(caseworker).get("/referrals/").content.decode()
    assert referral.public_id in listing
