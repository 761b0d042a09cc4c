"""Case work through the services: the stage follows the records, tasks and due dates, plan
approval, assistance with evidence, transfers, closure and reopening."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from retorno.cases import selectors, services
from retorno.cases.models import (
    Assessment,
    AssistanceItem,
    AssistanceType,
    Case,
    ClosureReason,
    InstrumentVersion,
    Task,
    Transfer,
    months_after,
)
from retorno.cases.tests.conftest import answers_all, open_case, planned_case
from retorno.core.models import Agency, AuditEvent, User
from retorno.core.permissions import Role
from retorno.core.tests.factories import UserFactory
from retorno.programmes.models import Project
from retorno.reception import services as reception
from retorno.reception.models import ArrivalPerson
from retorno.registry.models import Person
from retorno.registry.services import person_update

TODAY = timezone.localdate()
RECEIPT = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def receipt(name: str = "recibo.pdf", content: bytes = RECEIPT) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_case_opened_from_the_desk_takes_the_return_destination_and_consent(caseworker: User, screened: ArrivalPerson) -> None:
    case = services.case_open_from_arrival(actor=caseworker, entry=screened)
    assert case.public_id.startswith(f"SV-{TODAY.year}-C-")
    assert case.person == screened.person and case.arrival_entry == screened
    assert case.returned_on == screened.arrival.day and case.municipality == screened.screening.destination
    assert case.department == case.municipality.parent
    assert case.consent_assistance and case.caseworker == caseworker
    assert case.stage == Case.Stage.ASSESSMENT
    # The plan is due a month after return; the assessment and the plan are the first tasks.
    assert case.plan_due_on == months_after(case.returned_on, 1)
    assert sorted(case.tasks.values_list("kind", flat=True)) == ["assessment", "plan"]
    assert AuditEvent.objects.filter(object_type="case", object_id=case.public_id, action="create").exists()
    # Only one open case per person and institution.
    with pytest.raises(ValidationError, match="ya tiene un caso abierto"):
        services.case_open_from_arrival(actor=caseworker, entry=screened)


def test_a_case_needs_consent_and_a_date_of_return_that_has_happened(caseworker: User, returnee: Person) -> None:
    with pytest.raises(ValidationError) as error:
        services.case_open(actor=caseworker, person=returnee, returned_on=TODAY + datetime.timedelta(days=1))
    assert set(error.value.message_dict) == {"returned_on", "consent_assistance"}
    assert not Case.objects.exists()


def test_the_stage_follows_what_is_recorded_through_to_closure_and_reopening(
    caseworker: User, supervisor: User, returnee: Person, instruments: dict[str, InstrumentVersion], rt1066: Project
) -> None:
    case = planned_case(caseworker, supervisor, returnee, instruments, rt1066, days_ago=95)
    assert case.stage == Case.Stage.ASSISTANCE
    item = case.assistance.get()
    assert item.status == AssistanceItem.Status.APPROVED and item.estimated_usd == Decimal("800.00")
    # Approval set the delivery and the follow-ups at 3, 6 and 12 months after return.
    open_tasks = {(t.kind, t.month) for t in case.tasks.filter(done_at__isnull=True)}
    assert open_tasks == {("delivery", None), ("follow_up", 3), ("follow_up", 6), ("follow_up", 12)}

    # Money was spent: a receipt is required.
    with pytest.raises(ValidationError, match="recibo"):
        services.assistance_deliver(actor=caseworker, item=item, delivered_on=TODAY, actual_cost=Decimal("780"))
    services.assistance_deliver(
        actor=caseworker, item=item, delivered_on=TODAY, actual_cost=Decimal("780"), evidence=[(receipt(), "receipt")]
    )
    item.refresh_from_db()
    case.refresh_from_db()
    assert item.status == AssistanceItem.Status.DELIVERED and item.actual_usd == Decimal("780.00")
    assert item.evidence.get().content_type == "application/pdf"
    assert case.stage == Case.Stage.FOLLOW_UP

    rss = instruments["rss"]
    # The 6-month follow-up is not due yet; the 3-month one is.
    with pytest.raises(ValidationError, match="seguimiento de los 6 meses vence"):
        services.assessment_record(
            actor=caseworker, case=case, version=rss, answers=answers_all(rss), done_on=TODAY, occasion="follow_up", month=6
        )
    services.assessment_record(
        actor=caseworker, case=case, version=rss, answers=answers_all(rss, 0), done_on=TODAY, occasion="follow_up", month=3
    )
    assert not case.tasks.filter(kind="follow_up", month=3, done_at__isnull=True).exists()

    # A planned closure needs the final survey.
    with pytest.raises(ValidationError, match="encuesta de sostenibilidad final"):
        services.closure_request(actor=caseworker, case=case, reason=ClosureReason.SUPPORT_ENDED)
    services.assessment_record(actor=caseworker, case=case, version=rss, answers=answers_all(rss, 0), done_on=TODAY, occasion="final")
    services.closure_request(actor=caseworker, case=case, reason=ClosureReason.SUPPORT_ENDED, note="Negocio funcionando")
    with pytest.raises(PermissionDenied):
        services.closure_decide(actor=caseworker, case=case, approve=True)
    services.closure_decide(actor=supervisor, case=case, approve=True)
    case.refresh_from_db()
    assert case.stage == Case.Stage.CLOSED and case.closed_by == supervisor
    assert not case.tasks.filter(done_at__isnull=True).exists()
    with pytest.raises(ValidationError, match="cerrado"):
        services.plan_save(actor=caseworker, case=case, goals="otra", agreed_with_returnee=False)

    services.case_reopen(actor=caseworker, case=case, reason="Perdió el negocio por la extorsión")
    case.refresh_from_db()
    assert case.stage == Case.Stage.FOLLOW_UP and case.closure_reason == ""
    assert sorted(case.tasks.filter(done_at__isnull=True).values_list("month", flat=True)) == [6, 12]
    assert list(case.events.values_list("kind", flat=True))[-2:] == ["closed", "reopened"]


def test_a_plan_later_than_a_month_after_return_says_why(
    caseworker: User, supervisor: User, returnee: Person, instruments: dict[str, InstrumentVersion]
) -> None:
    case = open_case(caseworker, returnee, returned_on=TODAY - datetime.timedelta(days=45))
    assert case.plan_is_late and case.is_overdue
    services.assessment_record(
        actor=caseworker, case=case, version=instruments["needs"], answers=answers_all(instruments["needs"]), done_on=TODAY
    )
    services.plan_save(actor=caseworker, case=case, goals="Curso de soldadura", agreed_with_returnee=True, agreed_on=TODAY)
    services.assistance_add(actor=caseworker, case=case, kind=AssistanceType.VOCATIONAL_TRAINING, due_on=TODAY, provider_name="INSAFORP")
    with pytest.raises(ValidationError, match="escriba por qué"):
        services.plan_submit(actor=caseworker, case=case)
    services.plan_save(
        actor=caseworker,
        case=case,
        goals="Curso de soldadura",
        agreed_with_returnee=True,
        agreed_on=TODAY,
        delay_reason="Hospitalizado tres semanas",
    )
    services.plan_submit(actor=caseworker, case=case)
    # The supervisor returns it with a comment: the caseworker has the plan to do again.
    with pytest.raises(ValidationError):
        services.plan_decide(actor=supervisor, case=case, approve=False)
    services.plan_decide(actor=supervisor, case=case, approve=False, comment="Falta el costo")
    assert case.tasks.filter(kind="plan", done_at__isnull=True).exists()
    assert case.events.last().kind == "plan_returned"


def test_costs_in_local_currency_are_converted_and_a_project_funds_only_its_states(
    caseworker: User, returnee: Person, rt1066: Project
) -> None:
    case = open_case(caseworker, returnee)
    with pytest.raises(ValidationError) as error:
        services.assistance_add(
            actor=caseworker,
            case=case,
            kind="scholarship_school",
            due_on=TODAY,
            provider_name="Escuela",
            currency="HNL",
            estimated_cost=Decimal("2470"),
        )
    assert "exchange_rate" in error.value.message_dict
    item = services.assistance_add(
        actor=caseworker,
        case=case,
        kind="scholarship_school",
        due_on=TODAY,
        provider_name="Escuela",
        currency="hnl",
        estimated_cost=Decimal("2470"),
        exchange_rate=Decimal("24.70"),
    )
    assert (item.currency, item.estimated_usd) == ("HNL", Decimal("100.00"))
    guajira = Project.objects.get(code="RT.1130")  # Colombia only
    with pytest.raises(ValidationError, match="RT.1130"):
        services.assistance_add(actor=caseworker, case=case, kind="cash", due_on=TODAY, provider_name="OIM", project=guajira)
    assert (
        services.assistance_add(actor=caseworker, case=case, kind="cash", due_on=TODAY, provider_name="OIM", project=rt1066).project
        == rt1066
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("foto.exe", b"MZ\x90\x00" + b"\x00" * 100, "PDF, JPEG, PNG o WebP"),
        ("recibo.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "5 MB"),
        ("vacio.pdf", b"", "vacío"),
    ],
)
def test_evidence_is_limited_in_type_and_size(name: str, content: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        services.evidence_check(receipt(name, content))


def test_a_jpeg_photo_is_accepted_whatever_its_name() -> None:
    assert services.evidence_check(receipt("IMG 2026.bin", b"\xff\xd8\xff\xe0" + b"0" * 50)) == "image/jpeg"


def test_notes_are_read_by_confidentiality(caseworker: User, supervisor: User, psychosocial: User, returnee: Person) -> None:
    case = open_case(caseworker, returnee)
    services.note_add(actor=caseworker, case=case, text="Visita domiciliaria")
    services.note_add(actor=supervisor, case=case, text="Revisar carga de casos", confidentiality="supervisor")
    services.note_add(actor=psychosocial, case=case, text="Relata amenazas de pandillas", confidentiality="psychosocial")
    services.session_record(actor=psychosocial, case=case, kind="family", held_on=TODAY, participants=3, notes="Sesión con la madre")
    with pytest.raises(PermissionDenied):
        services.note_add(actor=caseworker, case=case, text="x", confidentiality="psychosocial")
    with pytest.raises(PermissionDenied):
        services.session_record(actor=supervisor, case=case, kind="individual", held_on=TODAY)
    seen = {
        user.email: sorted(n.text for n in selectors.notes_visible(user=user, case=case)) for user in (caseworker, supervisor, psychosocial)
    }
    assert seen[caseworker.email] == ["Visita domiciliaria"]
    assert seen[supervisor.email] == ["Revisar carga de casos", "Visita domiciliaria"]
    assert seen[psychosocial.email] == ["Relata amenazas de pandillas", "Visita domiciliaria"]
    assert not selectors.sessions_visible(user=supervisor, case=case).exists()
    assert selectors.sessions_visible(user=psychosocial, case=case).get().participants == 3


def test_a_transfer_needs_consent_and_the_receiving_side_decides(
    caseworker: User, supervisor: User, returnee: Person, oim_sv: Agency, outsider: User
) -> None:
    case = open_case(caseworker, returnee)
    with pytest.raises(ValidationError) as error:
        services.transfer_request(
            actor=caseworker, case=case, to_agency=oim_sv, reason="Vive en zona de OIM", consent_given=False, consent_method=""
        )
    assert "consent_given" in error.value.message_dict
    transfer = services.transfer_request(
        actor=caseworker, case=case, to_agency=oim_sv, reason="Vive en zona de OIM", consent_given=True, consent_method="signed"
    )
    oim_supervisor = UserFactory(email="jefa@oim.test", agency=oim_sv, role=Role.SUPERVISOR)
    # The receiving supervisor sees the request among their tasks and can read the case first.
    assert selectors.tasks_mine(user=oim_supervisor).get().kind == Task.Kind.TRANSFER_DECISION
    assert selectors.transfer_get(user=oim_supervisor, transfer_id=transfer.pk).case == case
    with pytest.raises(PermissionDenied):
        services.transfer_decide(actor=supervisor, transfer=transfer, accept=True)
    with pytest.raises(ValidationError):
        services.transfer_decide(actor=oim_supervisor, transfer=transfer, accept=False)
    services.transfer_decide(actor=oim_supervisor, transfer=transfer, accept=True)
    case.refresh_from_db()
    assert case.agency == oim_sv and case.caseworker is None
    assert selectors.case_scope(user=outsider).filter(pk=case.pk).exists()
    assert not selectors.case_scope(user=caseworker).filter(pk=case.pk).exists()
    assert set(case.tasks.filter(done_at__isnull=True).values_list("agency__acronym", flat=True)) == {"OIM-SV"}
    assert Transfer.objects.get().status == Transfer.Status.ACCEPTED


def test_reassignment_moves_the_open_tasks(caseworker: User, supervisor: User, returnee: Person, dgme: Agency) -> None:
    case = open_case(caseworker, returnee)
    colleague = UserFactory(email="marta@dgme.test", agency=dgme, role=Role.CASEWORKER)
    with pytest.raises(PermissionDenied):
        services.case_assign(actor=caseworker, case=case, caseworker=colleague)
    services.case_assign(actor=supervisor, case=case, caseworker=colleague)
    assert set(case.tasks.values_list("assigned_to__email", flat=True)) == {"marta@dgme.test"}
    assert selectors.tasks_mine(user=colleague).count() == 2 and not selectors.tasks_mine(user=caseworker).exists()


def test_overdue_tasks_reach_the_supervisor_and_the_case_list(caseworker: User, supervisor: User, returnee: Person) -> None:
    late = open_case(caseworker, returnee, returned_on=TODAY - datetime.timedelta(days=60))
    overdue = list(selectors.tasks_overdue(user=supervisor))
    assert [(t.case, t.kind) for t in overdue] == [(late, "plan")]
    assert selectors.tasks_overdue(user=caseworker).count() == 0  # the overdue list is the supervisors'
    page = selectors.case_list(user=caseworker, filters=selectors.CaseFilters(overdue=True))
    assert page.cases == [late]


def test_outsiders_see_no_case(caseworker: User, outsider: User, returnee: Person, reception_officer: User) -> None:
    case = open_case(caseworker, returnee)
    for user in (outsider, reception_officer):
        assert not selectors.case_scope(user=user).exists()
        with pytest.raises(Http404):
            selectors.case_get(user=user, public_id=case.public_id)


def test_a_new_instrument_version_keeps_old_answers_scored_with_their_own(
    caseworker: User, administrator: User, returnee: Person, instruments: dict[str, InstrumentVersion]
) -> None:
    case = open_case(caseworker, returnee)
    old = instruments["rss"]
    first = services.assessment_record(actor=caseworker, case=case, version=old, answers=answers_all(old, 0), done_on=TODAY)
    text = (services.INSTRUMENTS_DIR / "sustainability.yaml").read_text()
    # The official table arrives: economic counts double and work weighs three times more.
    official = text.replace('version: "2026.1-provisional"', 'version: "2027.1"').replace("provisional: true", "provisional: false")
    official = official.replace("- {code: economic, weight: 1,", "- {code: economic, weight: 2,")
    official = official.replace(
        "{code: work, dimension: economic, choices: work,", "{code: work, dimension: economic, choices: work, weight: 3,"
    )
    with pytest.raises(PermissionDenied):
        services.instrument_load(actor=caseworker, text=official)
    new = services.instrument_load(actor=administrator, text=official)
    old.refresh_from_db()
    assert new.is_current and not old.is_current and not new.provisional
    # The same version number with other content is refused.
    with pytest.raises(ValidationError, match="ya está cargada"):
        services.instrument_load(actor=administrator, text=official.replace("weight: 3,", "weight: 4,"))
    answers = answers_all(new, 0) | {"work": "none"}
    second = services.assessment_record(actor=caseworker, case=case, version=new, answers=answers, done_on=TODAY)
    first.refresh_from_db()
    assert first.version == old and services.assessment_rescore(first) == (first.scores, first.overall)
    assert second.version == new and second.scores["economic"] < first.scores["economic"]
    assert Assessment.objects.filter(version=old).count() == 1


def test_a_month_after_the_31st_is_the_end_of_a_shorter_month() -> None:
    assert months_after(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert months_after(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)
    assert months_after(datetime.date(2026, 5, 15), 12) == datetime.date(2027, 5, 15)


def test_the_case_list_finds_a_name_corrected_in_the_registry(caseworker: User, returnee: Person) -> None:
    case = open_case(caseworker, returnee)
    person_update(actor=caseworker, person=returnee, first_surname="Hernández de Quintanilla", reason="Apellido de casada")
    found = selectors.case_list(user=caseworker, filters=selectors.CaseFilters(query="quintanilla maria"))
    assert found.cases == [case]
    assert selectors.case_list(user=caseworker, filters=selectors.CaseFilters(query=case.public_id.lower())).cases == [case]
    assert selectors.case_list(user=caseworker, filters=selectors.CaseFilters(query=case.public_id[-8:])).cases == [case]
    assert selectors.case_list(user=caseworker, filters=selectors.CaseFilters(), offset=500).first == 1  # past the end: the last page


def test_a_family_group_is_one_household_case(caseworker: User, reception_officer: User, screened: ArrivalPerson) -> None:
    """The daughter who travelled with her father is not waiting for a case of her own: she joins
    his household case, opened from the arrival with her as a member."""
    daughter = reception.walk_in_add(
        actor=reception_officer,
        arrival=screened.arrival,
        given_names="Andrea Sofía",
        first_surname="Rivas",
        second_surname="Mejía",
        sex="F",
        birth_date=TODAY.replace(year=TODAY.year - 8),
    )
    reception.family_link(actor=reception_officer, entry=daughter, adult=screened, relationship="padre")
    reception.screening_save(actor=reception_officer, entry=daughter, consent_assistance=True, consent_method="guardian", case_needed=True)
    assert selectors.arrivals_waiting_for_case(user=caseworker) == [screened]
    case = services.case_open_from_arrival(actor=caseworker, entry=screened)
    assert [(m.person.given_names, m.relationship) for m in case.members.all()] == [("Andrea Sofía", "child")]
    assert selectors.arrivals_waiting_for_case(user=caseworker) == []
