"""Family tracing: a relative's request, the children who may be traced (consent or a recorded
best-interests override, never otherwise), potential matches ranked with their explanation,
the decision after a side-by-side comparison, verification, reunification and the visits."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from retorno.core.models import AdminArea, AuditEvent, User
from retorno.protection import selectors, services
from retorno.protection.models import FollowUpVisit, ProtectionCase, TracingMatch, TracingRequest
from retorno.protection.tests.conftest import TODAY, hand_over
from retorno.reception.models import ChildHandover

pytestmark = pytest.mark.django_db


def _usulutan() -> AdminArea:
    return AdminArea.objects.get(level=AdminArea.Level.MUNICIPALITY, name="Usulután", country__code="SV")


def _mother_looks_for_kevin(user: User, **sought: Any) -> TracingRequest:
    person = {"given_names": "Kevin Alexander", "first_surname": "Ramos", "second_surname": "Guevara", "sex": "M", "age": 14}
    person.update(sought)
    return services.tracing_request_create(
        actor=user,
        inquirer_name="Marta Alicia Guevara de Ramos",
        inquirer_relationship="mother",
        inquirer_phone="7012-3456",
        inquirer_municipality=_usulutan(),
        sought=[person],
    )


def _audited(field: str, **where: Any) -> bool:
    return any(field in event.fields for event in AuditEvent.objects.filter(**where))


def _consent(officer: User, case: ProtectionCase) -> None:
    services.tracing_basis_record(actor=officer, case=case, consent=True, method="authority")


def test_a_child_without_tracing_consent_never_appears_as_a_potential_match(
    handover: ChildHandover, child_protection_officer: User, caseworker: User
) -> None:
    case = ProtectionCase.objects.get()
    request = _mother_looks_for_kevin(caseworker)  # another institution's caseworker registers it
    assert not TracingMatch.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.tracing_basis_record(actor=child_protection_officer, case=case, consent=False, override_reason="porque sí")
    assert "override_reason" in error.value.message_dict
    assert not TracingMatch.objects.exists()
    # Consent recorded: the child is compared with the open request at once.
    _consent(child_protection_officer, case)
    match = TracingMatch.objects.get()
    assert match.case == case and match.sought.request == request and match.probability > 0.9
    verdicts = {f["field"]: f["verdict"] for f in match.fields}
    assert verdicts["given_names"] == "agrees" and verdicts["first_surname"] == "agrees"


def test_an_override_in_the_childs_best_interests_lets_tracing_go_on_and_ranks_the_child_before_look_alikes(
    handover: ChildHandover, reception_officer: User, child_protection_officer: User
) -> None:
    kevin = ProtectionCase.objects.get()
    cousin = hand_over(
        reception_officer,
        given_names="Kevin Antonio",
        first_surname="Ramos",
        second_surname="Guardado",
        sex="M",
        birth_date=TODAY.replace(year=TODAY.year - 15),
    ).protection_case
    services.tracing_basis_record(
        actor=child_protection_officer,
        case=kevin,
        consent=False,
        override_reason="Tiene 14 años y está en shock; no puede consentir hoy y su familia lo busca.",
    )
    _consent(child_protection_officer, cousin)
    _mother_looks_for_kevin(child_protection_officer, given_names="Kebin", known_as="Kevin", second_surname="")
    ranked = list(TracingMatch.objects.order_by("-probability"))
    assert [m.case for m in ranked][0] == kevin
    assert _audited("tracing_consent", object_type="protection_case", object_id=kevin.public_id)


def test_side_by_side_confirmation_then_verification_reunification_and_visits(
    handover: ChildHandover,
    child_protection_officer: User,
    caseworker: User,
    login: Callable[[User], Client],
) -> None:
    case = ProtectionCase.objects.get()
    _consent(child_protection_officer, case)
    request = _mother_looks_for_kevin(caseworker)
    match = TracingMatch.objects.get()
    officer = login(child_protection_officer)
    page = officer.get(f"/protection/matches/{match.pk}/").content.decode()
    assert "Marta Alicia Guevara de Ramos" in page and "Kevin Alexander" in page and "coincide" in page
    refused = officer.post(f"/protection/matches/{match.pk}/", {"confirm": "0", "reason": ""})
    assert refused.status_code == 400 and "Diga por qué" in refused.content.decode()
    assert officer.post(f"/protection/matches/{match.pk}/", {"confirm": "1"}).status_code == 302
    match.refresh_from_db()
    request.refresh_from_db()
    assert match.status == "confirmed" and match.decided_by == child_protection_officer and request.status == "found"
    assert _audited("tracing_match", object_id=case.public_id, user=child_protection_officer)
    # The caseworker who registered the request learns that the person was found, not who or where.
    mine = login(caseworker).get(f"/tracing/{request.public_id}/").content.decode()
    assert "Encontrada: protección de la niñez confirmó" in mine and case.public_id not in mine

    services.tracing_action_record(
        actor=child_protection_officer, case=case, done_on=TODAY, kind="phone", outcome="La madre confirma y pide reunirse"
    )
    with pytest.raises(ValidationError, match="verifique"):
        services.placement_record(
            actor=child_protection_officer,
            case=case,
            kind="reunified",
            on=TODAY,
            with_whom="Marta Alicia Guevara de Ramos",
            relationship="mother",
            municipality=_usulutan(),
            address="Barrio El Centro",
        )
    with pytest.raises(ValidationError) as error:
        services.verification_record(
            actor=child_protection_officer,
            case=case,
            relative_name="Marta Alicia Guevara de Ramos",
            relationship="mother",
            methods=["documents"],
            child_views="",
            confirmed=True,
            done_on=TODAY,
        )
    assert "child_views" in error.value.message_dict
    services.verification_record(
        actor=child_protection_officer,
        case=case,
        relative_name="Marta Alicia Guevara de Ramos",
        relationship="mother",
        methods=["documents", "recognition"],
        child_views="Quiero volver con mi mamá y mis hermanos",
        confirmed=True,
        done_on=TODAY,
    )
    services.placement_record(
        actor=child_protection_officer,
        case=case,
        kind="reunified",
        on=TODAY,
        with_whom="Marta Alicia Guevara de Ramos",
        relationship="mother",
        municipality=_usulutan(),
        address="Barrio El Centro, casa 12",
    )
    visits = list(case.visits.values_list("month", flat=True))
    assert visits == [1, 3, 6]
    view = selectors.protection_case_get(user=child_protection_officer, public_id=case.public_id)
    assert view.current is not None and view.current.kind == "relative"
    first = case.visits.get(month=1)
    with pytest.raises(ValidationError) as error:
        services.visit_record(actor=child_protection_officer, visit=first, done_on=TODAY, wellbeing="well", in_school=True, notes="")
    assert "done_on" in error.value.message_dict  # a month early: not yet
    FollowUpVisit.objects.filter(pk=first.pk).update(due_on=TODAY)
    first.refresh_from_db()
    services.visit_record(actor=child_protection_officer, visit=first, done_on=TODAY, wellbeing="well", in_school=True, notes="Inscrito")
    assert case.visits.get(month=1).wellbeing == "well"

    # Closing waits for every visit; another reason needs a note.
    closing = officer.post(f"/protection/{case.public_id}/close/", {"reason": "followed_up"})
    assert closing.status_code == 400 and "cada visita de seguimiento" in closing.content.decode()
    assert officer.post(f"/protection/{case.public_id}/close/", {"reason": "other", "note": ""}).status_code == 400
    FollowUpVisit.objects.filter(case=case, month__in=[3, 6]).update(done_on=TODAY, wellbeing="well")
    assert officer.post(f"/protection/{case.public_id}/close/", {"reason": "followed_up"}).status_code == 302
    case.refresh_from_db()
    assert case.closed_at is not None and case.closed_by == child_protection_officer and not case.may_be_traced


def test_the_childs_location_is_shown_only_on_request_and_that_read_is_audited(
    handover: ChildHandover, child_protection_officer: User, login: Callable[[User], Client]
) -> None:
    case = ProtectionCase.objects.get()
    services.care_arrangement_record(actor=child_protection_officer, case=case, kind="shelter", place="Hogar Santa Marta")
    officer = login(child_protection_officer)
    page = officer.get(f"/protection/{case.public_id}/").content.decode()
    assert "Hogar Santa Marta" not in page and "albergue" in page.lower()
    assert not _audited("location", object_id=case.public_id)
    shown = officer.get(f"/protection/{case.public_id}/?show=location").content.decode()
    assert "Hogar Santa Marta" in shown
    assert _audited("location", object_id=case.public_id, user=child_protection_officer)
    from retorno.core.audit import field_labels

    assert field_labels("protection_case", ["location", "care"]) == ["dónde vive la niña o el niño", "modalidad de cuidado"]


def test_tracing_requests_refuse_what_cannot_be_traced_and_stay_within_their_institution(
    caseworker: User, outsider: User, child_protection_officer: User, login: Callable[[User], Client]
) -> None:
    with pytest.raises(ValidationError) as error:
        services.tracing_request_create(
            actor=caseworker, inquirer_name="", inquirer_relationship="", sought=[{"given_names": "", "first_surname": "", "known_as": ""}]
        )
    assert {"inquirer_name", "inquirer_relationship", "inquirer_phone", "__all__"} <= set(error.value.message_dict)
    request = _mother_looks_for_kevin(caseworker)
    assert login(outsider).get(f"/tracing/{request.public_id}/").status_code == 404
    assert login(child_protection_officer).get(f"/tracing/{request.public_id}/").status_code == 200
    client = login(caseworker)
    response = client.post("/tracing/new/", {"inquirer_name": "Rosa", "inquirer_relationship": "grandparent", "inquirer_phone": ""})
    assert response.status_code == 400 and "teléfono" in response.content.decode()
    assert TracingRequest.objects.count() == 1
    created = client.post(
        "/tracing/new/",
        {
            "inquirer_name": "Rosa Amelia Guevara",
            "inquirer_relationship": "grandparent",
            "inquirer_phone": "7777-0000",
            "sought-0-given_names": "Yamileth",
            "sought-0-first_surname": "Guevara",
            "sought-0-age": "12",
        },
    )
    assert created.status_code == 302 and TracingRequest.objects.count() == 2


def test_best_interests_assessment_with_the_childs_views_and_supervisor_approval_then_a_determination(
    handover: ChildHandover, child_protection_officer: User, protection_supervisor: User, login: Callable[[User], Client]
) -> None:
    from retorno.registry.models import Language

    case = ProtectionCase.objects.get()
    elements = {code: "Sin hallazgos; entrevista con el niño" for code, _label in services.ELEMENTS}
    with pytest.raises(ValidationError) as error:
        services.assessment_record(
            actor=child_protection_officer,
            case=case,
            elements={**elements, "health": ""},
            child_views="",
            interview_language=None,
            interpreter=False,
            weight="",
            weight_reason="",
            recommendation="",
        )
    assert {"element_health", "child_views", "interview_language", "weight", "recommendation"} <= set(error.value.message_dict)
    assessment = services.assessment_record(
        actor=child_protection_officer,
        case=case,
        elements=elements,
        child_views="Me quiero ir con mi mamá, en Usulután. Allá está mi escuela.",
        interview_language=Language.objects.get(code="spa"),
        interpreter=False,
        weight="significant",
        weight_reason="14 años, se expresa con claridad",
        recommendation="Reunificación con la madre, tras verificar",
    )
    with pytest.raises(ValidationError):
        services.determination_record(
            actor=child_protection_officer,
            case=case,
            subject="durable_solution",
            decision="Reunificación",
            reasons="El niño lo pide",
            decided_on=TODAY,
            review_on=TODAY + datetime.timedelta(days=90),
            panel=[("Ana", "CONNA", "De acuerdo")] * 3,
        )  # the assessment is not approved yet
    supervisor = login(protection_supervisor)
    assert "Evaluaciones del interés superior en espera" in supervisor.get("/protection/").content.decode()
    response = supervisor.post(f"/protection/{case.public_id}/assessment/{assessment.pk}/decide/", {"approve": "1"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "approved" and assessment.decided_by == protection_supervisor
    with pytest.raises(ValidationError) as error:
        services.determination_record(
            actor=child_protection_officer,
            case=case,
            subject="durable_solution",
            decision="Reunificación con la madre",
            reasons="",
            decided_on=TODAY,
            review_on=TODAY,
            panel=[("Ana", "CONNA", "De acuerdo"), ("Luis", "", "")],
        )
    assert {"reasons", "review_on", "panel"} <= set(error.value.message_dict)
    determination = services.determination_record(
        actor=child_protection_officer,
        case=case,
        subject="durable_solution",
        decision="Reunificación con la madre",
        reasons="El niño lo pide y la madre ofrece un hogar seguro",
        decided_on=TODAY,
        review_on=TODAY + datetime.timedelta(days=90),
        panel=[
            ("Ana Pérez", "Psicóloga, CONNA", "De acuerdo"),
            ("Luis Rivas", "Trabajador social, CONNA", "De acuerdo"),
            ("Sonia Mejía", "Procuradora, PGR", "De acuerdo con seguimiento"),
        ],
    )
    assert determination.panel.count() == 3
    board = selectors.dashboard(user=protection_supervisor, since=TODAY - datetime.timedelta(days=30))
    assert board.received == 1 and board.unaccompanied == 1 and board.without_assessment == 0
    assert board.median_hours_to_assessment is not None and board.median_hours_to_assessment >= 79
    assert "Niñas y niños recibidos" in supervisor.get("/protection/dashboard/").content.decode()


def test_the_reintegration_case_of_a_child_is_opened_from_the_protection_case(
    handover: ChildHandover, child_protection_officer: User, caseworker: User
) -> None:
    case = ProtectionCase.objects.get()
    reintegration = services.reintegration_case_open(actor=child_protection_officer, case=case)
    assert reintegration.person == case.child and reintegration.agency == case.agency
    assert services.reintegration_case_open(actor=child_protection_officer, case=case) == reintegration
    assert reintegration.returned_on == timezone.localtime(case.received_at).date() or reintegration.returned_on == case.received_at.date()


def test_the_institution_that_registered_a_request_is_not_told_a_child_may_match(
    handover: ChildHandover, child_protection_officer: User, information_officer: User, login: Callable[[User], Client]
) -> None:
    case = ProtectionCase.objects.get()
    _consent(child_protection_officer, case)
    _mother_looks_for_kevin(information_officer)
    assert TracingMatch.objects.filter(status="pending").exists()
    listing = login(information_officer).get("/tracing/").content.decode()
    assert "posible coincidencia" not in listing and "Marta Alicia Guevara de Ramos" in listing
    assert "1 posible coincidencia" in login(child_protection_officer).get("/tracing/").content.decode()


def test_a_tracing_request_form_reports_every_mistake_at_once_and_keeps_what_was_typed(
    information_officer: User, login: Callable[[User], Client]
) -> None:
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    response = login(information_officer).post(
        "/tracing/new/",
        {
            "inquirer_name": "Rosa Amelia Guevara",
            "inquirer_relationship": "grandparent",
            "inquirer_phone": "abc",
            "sought-0-given_names": "Yamileth",
            "sought-0-first_surname": "Guevara",
            "sought-0-birth_date": tomorrow,
            "sought-1-given_names": "Josué",
            "sought-1-first_surname": "Guevara",
            "sought-1-age": "30",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and not TracingRequest.objects.exists()
    assert "8 dígitos" in page and "La fecha no puede ser futura." in page
    assert "de 0 a 25 años" in page and 'value="Yamileth"' in page
    assert 'aria-required="true"' in page  # what the service needs is marked, though checked in one round


def test_visits_exist_only_at_1_3_and_6_months(
    handover: ChildHandover, child_protection_officer: User, login: Callable[[User], Client]
) -> None:
    case = ProtectionCase.objects.get()
    assert login(child_protection_officer).get(f"/protection/{case.public_id}/visits/2/").status_code == 404
