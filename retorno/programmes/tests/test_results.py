"""Results frameworks measured from the records, the national plan's progress, IATI and the API."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from lxml import etree

from retorno.cases import services as cases
from retorno.core.models import Agency, Country, User
from retorno.core.tests.factories import person_data
from retorno.programmes import iati, services
from retorno.programmes.indicators import QUERIES
from retorno.programmes.models import GcmObjective, Indicator, NationalPlan, Outcome, Output, PlanAction, Project
from retorno.programmes.selectors import measure, plan_progress, project_view
from retorno.programmes.services import indicator_check, indicator_report, seed_projects_load
from retorno.registry.services import person_create

TODAY = timezone.localdate()


@pytest.fixture
def framework(places: None) -> Indicator:
    """PN.0008's outcome 1 with an indicator computed from the cases: plans agreed within a month of return."""
    seed_projects_load()
    project = Project.objects.get(code="PN.0008")
    outcome = Outcome.objects.create(project=project, code="1", statement="Buena gobernanza de la migración")
    return Indicator.objects.create(
        project=project, outcome=outcome, code="1.a", name="Personas retornadas con plan en el primer mes", unit="personas",
        target=Decimal(10), by_sex=True, period_start=TODAY - datetime.timedelta(days=365), period_end=TODAY + datetime.timedelta(days=365),
        method=Indicator.Method.COMPUTED, query="returnees_plan_within_month",
    )  # fmt: skip


def test_a_computed_indicator_follows_the_cases(framework: Indicator, caseworker: User) -> None:
    assert measure(framework).value == 0
    woman = person_create(actor=caseworker, **person_data(sex="F"))
    case = cases.case_open(
        actor=caseworker, person=woman, returned_on=TODAY - datetime.timedelta(days=10), consent_assistance=True, consent_method="verbal"
    )
    assert measure(framework).value == 0  # a case without a plan does not count
    cases.plan_save(actor=caseworker, case=case, goals="Curso de cocina", agreed_with_returnee=True, agreed_on=TODAY)
    figure = measure(framework)  # one woman: neither the count below 5 nor a part of it is shown, nor the progress
    assert figure.value is None and figure.suppressed and figure.by_sex == {"F": None, "M": 0}
    row = project_view(framework.project).outcomes[0].indicators[0]
    assert row.figure.suppressed and row.progress is None
    late = person_create(actor=caseworker, **person_data(sex="M"))
    late_case = cases.case_open(
        actor=caseworker, person=late, returned_on=TODAY - datetime.timedelta(days=60), consent_assistance=True, consent_method="verbal"
    )
    cases.plan_save(actor=caseworker, case=late_case, goals="Taller", agreed_with_returnee=True, agreed_on=TODAY, delay_reason="Enfermo")
    assert measure(framework).suppressed  # agreed two months after the return: still one, not within a month
    for _ in range(6):  # six men more: the total is shown, rounded to 5 beside the women's hidden part
        man = person_create(actor=caseworker, **person_data(sex="M"))
        man_case = cases.case_open(
            actor=caseworker, person=man, returned_on=TODAY - datetime.timedelta(days=3), consent_assistance=True, consent_method="verbal"
        )
        cases.plan_save(actor=caseworker, case=man_case, goals="Taller", agreed_with_returnee=True, agreed_on=TODAY)
    figure = measure(framework)
    assert figure.by_sex == {"F": None, "M": 6} and figure.approximate and figure.value == 5  # 7 counted, shown ≈5


def test_a_case_in_another_country_is_not_counted(framework: Indicator, outsider: User) -> None:
    hn = Agency.objects.create(country=Country.objects.get(code="HN"), acronym="DINAF-T", name="DINAF", kind=Agency.Kind.GOVERNMENT)
    outsider.agency = hn
    outsider.role = "caseworker"
    outsider.save()
    person = person_create(actor=outsider, **person_data())
    case = cases.case_open(
        actor=outsider, person=person, returned_on=TODAY - datetime.timedelta(days=3), consent_assistance=True, consent_method="verbal"
    )
    cases.plan_save(actor=outsider, case=case, goals="x", agreed_with_returnee=True, agreed_on=TODAY)
    assert measure(framework).value == 0  # PN.0008 benefits El Salvador only


def test_an_indicator_needs_a_declared_query_and_hand_values_their_source(framework: Indicator, coordinator: User) -> None:
    assert {"returnees_plan_within_month", "children_psychosocial_support", "officials_trained"} <= set(QUERIES)
    framework.query = "people_who_smiled"
    with pytest.raises(ValidationError) as refused:
        indicator_check(framework)
    assert "query" in refused.value.error_dict
    with pytest.raises(ValidationError):
        indicator_report(actor=coordinator, indicator=framework, period_end=TODAY, value=Decimal(3), source="Actas")
    manual = Indicator.objects.create(
        project=framework.project, code="1.b", name="Reuniones", unit="reuniones", target=Decimal(12),
        period_start=framework.period_start, period_end=framework.period_end,
    )  # fmt: skip
    with pytest.raises(ValidationError) as no_source:
        indicator_report(actor=coordinator, indicator=manual, period_end=TODAY, value=Decimal(3), source=" ")
    assert "source" in no_source.value.error_dict
    indicator_report(actor=coordinator, indicator=manual, period_end=TODAY, value=Decimal(3), source="Actas")
    assert measure(manual).value == 3 and measure(manual).source == "Actas"


def test_the_plan_shows_progress_by_objective_with_its_indicators(framework: Indicator, dgme: Agency) -> None:
    plan = NationalPlan.objects.create(
        country=Country.objects.get(code="SV"), title="Plan Nacional", start_year=2023, end_year=2026,
        coordinated_by="Mecanismo Nacional", project=framework.project,
    )  # fmt: skip
    done = PlanAction.objects.create(plan=plan, code="1", description="Protocolo", starts_on=TODAY - datetime.timedelta(days=400),
                                     ends_on=TODAY - datetime.timedelta(days=30), status=PlanAction.Status.DONE)  # fmt: skip
    late = PlanAction.objects.create(plan=plan, code="2", description="Datos", starts_on=TODAY - datetime.timedelta(days=400),
                                     ends_on=TODAY - datetime.timedelta(days=1), status=PlanAction.Status.IN_PROGRESS)  # fmt: skip
    done.objectives.set(GcmObjective.objects.filter(number=12))
    late.objectives.set(GcmObjective.objects.filter(number__in=[1, 21]))
    late.responsible.set([dgme])
    late.indicators.set([framework])
    progress = plan_progress(plan)
    assert [o.number for o in progress.objectives] == [1, 12, 21]
    assert progress.percent_done == 50 and [a.code for a in progress.late] == ["2"]
    assert progress.objectives[1].percent_done == 100 and progress.objectives[0].late == 1
    assert progress.objectives[2].indicators[0].figure.value == 0


def test_the_iati_export_validates_with_budgets_split_by_year(framework: Indicator) -> None:
    Output.objects.create(outcome=framework.outcome, code="1.1", statement="Red fortalecida")  # type: ignore[misc]
    document = iati.activities_xml(Project.objects.all())
    assert iati.validate(document) == []
    tree = etree.fromstring(document)
    pn = next(a for a in tree.iter("iati-activity") if a.findtext("iati-identifier") == "XM-DAC-47066-PN.0008")
    budgets = [
        (b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date"), b.findtext("value")) for b in pn.iter("budget")
    ]
    assert budgets == [
        ("2024-01-01", "2024-12-31", "100000.00"),
        ("2025-01-01", "2025-12-31", "100000.00"),
        ("2026-01-01", "2026-12-31", "100000.00"),
    ]
    assert pn.find("activity-status").get("code") == "2" and [c.get("code") for c in pn.iter("recipient-country")] == ["SV"]
    rt = next(a for a in tree.iter("iati-activity") if a.findtext("iati-identifier").endswith("RT.1066"))
    assert sorted((c.get("code"), c.get("percentage")) for c in rt.iter("recipient-country")) == [("HN", "50.00"), ("SV", "50.00")]
    assert pn.find("result/indicator/period/actual").get("value") == "0"


def test_the_checks_beyond_the_schema_catch_bad_codes() -> None:
    document = b"""<iati-activities version="2.03"><iati-activity><iati-identifier>X</iati-identifier>
    <activity-status code="9"/><recipient-country code="XX" percentage="60"/>
    <budget type="1" status="1"><period-start iso-date="2024-01-01"/><period-end iso-date="2025-06-30"/>
    <value currency="USD" value-date="2024-01-01">1</value></budget>
    </iati-activity></iati-activities>"""
    problems = " ".join(iati.validate(document))
    for expected in ("ActivityStatus", "Country code list", "add up to 60", "at most a year", "reporting-org"):
        assert expected in problems


def test_results_plan_and_iati_through_the_api(
    framework: Indicator, coordinator: User, caseworker: User, login: Callable[[User], Client]
) -> None:
    client = login(coordinator)
    results = client.get("/api/v1/projects/PN.0008/results").json()
    assert results["indicators"][0]["query"] == "returnees_plan_within_month" and float(results["indicators"][0]["current"]["value"]) == 0
    assert client.get("/api/v1/projects/objectives").json()[20]["number"] == 21
    assert client.get("/api/v1/projects/iati").content.startswith(b"<?xml")
    assert login(caseworker).get("/api/v1/projects/PN.0008/results").status_code == 403
    detail = client.get("/api/v1/projects/rt.1066").json()
    assert [t["language"] for t in detail["texts"]] == ["es", "fr"] and detail["budget_usd"] == "280000.00"


def test_the_project_and_plan_pages(framework: Indicator, coordinator: User, caseworker: User, login: Callable[[User], Client]) -> None:
    page = login(coordinator).get("/programmes/PN.0008/").content.decode()
    assert "Personas retornadas con plan en el primer mes" in page and "SV10P0560" in page and "Français" in page
    assert "Personas retornadas con plan" not in login(caseworker).get("/programmes/PN.0008/").content.decode()
    assert login(coordinator).get("/programmes/plan/").status_code == 200
    assert login(caseworker).get("/programmes/plan/").status_code == 403


def test_a_coordinator_defines_a_framework_on_the_project_page_and_its_computed_indicator_counts_at_once(
    places: None, coordinator: User, caseworker: User, login: Callable[[User], Client]
) -> None:
    seed_projects_load()
    client = login(coordinator)
    assert "Definir el marco de resultados" in client.get("/programmes/RT.1066/").content.decode()
    added = client.post("/programmes/RT.1066/framework/outcome/", {"outcome-code": "1", "outcome-statement": "Reintegración sostenible"})
    assert added.status_code == 302
    outcome = Outcome.objects.get(project__code="RT.1066", code="1")
    again = client.post("/programmes/RT.1066/framework/outcome/", {"outcome-code": "1", "outcome-statement": "Otra"})
    assert again.status_code == 400 and "ya tiene un efecto 1" in again.content.decode()
    client.post(
        "/programmes/RT.1066/framework/output/",
        {"output-outcome": outcome.pk, "output-code": "1.1", "output-statement": "Planes de reintegración", "output-objectives": [21]},
    )
    output = Output.objects.get(outcome=outcome, code="1.1")
    assert [o.number for o in output.objectives.all()] == [21]
    indicator = {
        "indicator-place": f"output-{output.pk}", "indicator-code": "1.1.a", "indicator-name": "Planes acordados en el primer mes",
        "indicator-unit": "personas", "indicator-target": "20", "indicator-period_start": (TODAY - datetime.timedelta(days=30)).isoformat(),
        "indicator-period_end": (TODAY + datetime.timedelta(days=300)).isoformat(), "indicator-method": "computed", "indicator-query": "",
    }  # fmt: skip
    refused = client.post("/programmes/RT.1066/framework/indicator/", indicator)
    assert refused.status_code == 400 and "Elija una de las consultas declaradas" in refused.content.decode()
    assert not Indicator.objects.filter(project__code="RT.1066").exists()
    client.post("/programmes/RT.1066/framework/indicator/", {**indicator, "indicator-query": "returnees_plan_within_month"})
    saved = Indicator.objects.get(project__code="RT.1066", code="1.1.a")
    assert saved.output == output and saved.baseline == 0 and measure(saved).value == 0
    # The computed indicator follows the cases from the moment it exists.
    person = person_create(actor=caseworker, **person_data(sex="F"))
    case = cases.case_open(
        actor=caseworker, person=person, returned_on=TODAY - datetime.timedelta(days=5), consent_assistance=True, consent_method="verbal"
    )
    cases.plan_save(actor=caseworker, case=case, goals="Taller", agreed_with_returnee=True, agreed_on=TODAY)
    assert measure(saved, countries=(Country.objects.get(code="SV").pk,)).suppressed  # one person: counted, shown as "<5"
    # A revised target is a change of the same indicator.
    edit = client.get(f"/programmes/indicators/{saved.pk}/").content.decode()
    assert 'value="20' in edit and f'value="{saved.period_start.isoformat()}"' in edit  # dates a browser's date field shows
    changed = client.post(f"/programmes/indicators/{saved.pk}/", {k.removeprefix("indicator-"): v for k, v in indicator.items()} | {
        "query": "returnees_plan_within_month", "target": "40"})  # fmt: skip
    assert changed.status_code == 302
    saved.refresh_from_db()
    assert saved.target == 40
    assert login(caseworker).post("/programmes/RT.1066/framework/outcome/", {"outcome-code": "2"}).status_code == 403


def test_a_framework_through_the_api(places: None, coordinator: User, caseworker: User, login: Callable[[User], Client]) -> None:
    seed_projects_load()
    client = login(coordinator)
    post = lambda path, data: client.post(path, data, content_type="application/json")  # noqa: E731
    assert post("/api/v1/projects/RT.1066/outcomes", {"code": "1", "statement": "Reintegración"}).status_code == 201
    assert post("/api/v1/projects/RT.1066/outputs", {"outcome": "9", "code": "1.1", "statement": "x"}).status_code == 422
    output = post("/api/v1/projects/RT.1066/outputs", {"outcome": "1", "code": "1.1", "statement": "Capacitación", "objectives": [7]})
    assert output.status_code == 201 and output.json()["objectives"] == [7]
    body = {"output": "1.1", "code": "1.1.a", "name": "Funcionarios capacitados", "unit": "personas", "target": "60",
            "period_start": TODAY.isoformat(), "period_end": (TODAY + datetime.timedelta(days=365)).isoformat()}  # fmt: skip
    created = post("/api/v1/projects/RT.1066/indicators", body)
    assert created.status_code == 201 and created.json()["method"] == "manual" and created.json()["output"] == "1.1"
    assert post("/api/v1/projects/RT.1066/indicators", body).status_code == 422  # the same number twice
    whole = {**body, "target": "80", "baseline": "0", "baseline_year": None, "by_sex": True, "by_age": False,
             "means_of_verification": "Listas de asistencia", "method": "manual", "query": ""}  # fmt: skip
    url = f"/api/v1/projects/indicators/{created.json()['id']}"
    assert client.put(url, {**body, "target": "80"}, content_type="application/json").status_code == 422  # a PUT says everything
    changed = client.put(url, whole, content_type="application/json")
    assert changed.status_code == 200 and float(changed.json()["target"]) == 80 and changed.json()["by_sex"] is True
    too_long = post("/api/v1/projects/RT.1066/outcomes", {"code": "1" * 11, "statement": "Texto\x00pegado"})
    assert too_long.status_code == 422 and {e["field"] for e in too_long.json()["errors"]} >= {"code", "statement"}
    probes = {"outcomes": {"code": "2", "statement": "x"}, "outputs": {"outcome": "77", "code": "1", "statement": "x"},
              "indicators": {**body, "output": "9.9"}}  # fmt: skip
    report = client.post(f"/api/v1/projects/indicators/{created.json()['id']}/reports", {"period_end": TODAY.isoformat(), "value": "9",
                         "source": "Listas"}, content_type="application/json").json()  # fmt: skip
    assert client.delete(f"/api/v1/projects/indicators/{created.json()['id']}").status_code == 422  # a value hangs from it
    assert client.delete(f"/api/v1/projects/reports/{report['id']}").status_code == 204
    assert client.delete(f"/api/v1/projects/indicators/{created.json()['id']}").status_code == 204
    assert client.delete("/api/v1/projects/RT.1066/outcomes/1").status_code == 422  # its output is still there
    assert client.delete("/api/v1/projects/RT.1066/outputs/1.1").status_code == 204
    assert client.delete("/api/v1/projects/RT.1066/outcomes/1").status_code == 204
    for path, probe in probes.items():  # refused before anything is looked up: no outcome number can be probed
        assert login(caseworker).post(f"/api/v1/projects/RT.1066/{path}", probe, content_type="application/json").status_code == 403


def test_a_coordinator_adds_an_action_to_the_national_plan_on_its_page_and_through_the_api(
    framework: Indicator, dgme: Agency, coordinator: User, caseworker: User, login: Callable[[User], Client]
) -> None:
    plan = NationalPlan.objects.create(
        country=Country.objects.get(code="SV"),
        title="Plan Nacional",
        start_year=TODAY.year - 1,
        end_year=TODAY.year + 3,
        coordinated_by="Mecanismo Nacional",
    )
    client = login(coordinator)
    assert "Agregar una acción al plan" in client.get("/programmes/plan/").content.decode()
    action = {"code": "1.2.1", "description": "Protocolo de recepción de niñez no acompañada", "objectives": [21],
              "starts_on": TODAY.isoformat(), "ends_on": (TODAY - datetime.timedelta(days=1)).isoformat(),
              "indicators": [framework.pk]}  # fmt: skip
    refused = client.post(f"/programmes/plan/{plan.pk}/actions/", action)
    page = refused.content.decode()
    assert (
        refused.status_code == 400
        and "Diga qué instituciones son responsables" in page
        and "La acción debe terminar después de empezar" in page
    )
    assert not plan.actions.exists()
    added = client.post(
        f"/programmes/plan/{plan.pk}/actions/",
        {**action, "responsible": [dgme.pk], "ends_on": (TODAY + datetime.timedelta(days=200)).isoformat()},
    )
    assert added.status_code == 302
    saved = plan.actions.get(code="1.2.1")
    assert list(saved.responsible.all()) == [dgme] and list(saved.indicators.all()) == [framework]
    progress = plan_progress(plan)
    assert [o.number for o in progress.objectives] == [21] and progress.objectives[0].indicators[0].indicator == framework
    body = {"code": "1.2.2", "description": "Registro de datos", "objectives": [1], "responsible": ["DGME", "XYZ"],
            "starts_on": TODAY.isoformat(), "ends_on": (TODAY + datetime.timedelta(days=300)).isoformat()}  # fmt: skip
    post = lambda data: client.post(f"/api/v1/plans/{plan.pk}/actions", data, content_type="application/json")  # noqa: E731
    assert post(body).status_code == 422  # XYZ is no institution of El Salvador
    unknown = post({**body, "responsible": ["DGME"], "objectives": [1, 99], "indicators": [999999]}).json()["errors"]
    assert {e["field"] for e in unknown} == {"objectives", "indicators"} and not plan.actions.filter(code="1.2.2").exists()
    created = post({**body, "responsible": ["DGME"], "responsible_other": "Universidad de El Salvador"})
    assert created.status_code == 201 and created.json()["responsible"] == ["DGME"] and created.json()["objectives"] == [1]
    assert login(caseworker).post(f"/programmes/plan/{plan.pk}/actions/", action).status_code == 403


def test_what_a_coordinator_changes_stays_consistent_with_what_was_reported_and_planned(
    framework: Indicator, coordinator: User, login: Callable[[User], Client]
) -> None:
    by_hand = Indicator.objects.create(
        project=framework.project, outcome=framework.outcome, code="1.b", name="Funcionarios capacitados", unit="personas",
        target=Decimal(40), period_start=TODAY - datetime.timedelta(days=200), period_end=TODAY + datetime.timedelta(days=100),
    )  # fmt: skip
    indicator_report(actor=coordinator, indicator=by_hand, period_end=TODAY, value=Decimal(12), source="Listas de asistencia")
    fields = {"code": "1.b", "name": by_hand.name, "unit": "personas", "target": Decimal(40), "method": "manual",
              "period_start": by_hand.period_start, "period_end": TODAY - datetime.timedelta(days=10)}  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.indicator_save(actor=coordinator, project=by_hand.project, indicator=by_hand, fields=fields)
    assert "fuera de este período" in str(refused.value.message_dict["period_end"])
    page = login(coordinator).get(f"/programmes/{framework.project.code}/").content.decode()
    assert "América Latina y el Caribe" in page  # the IDF region in the reader's language
    assert f'id="id_sex-{by_hand.pk}"' not in page and f'id="id_value-{by_hand.pk}"' in page  # no breakdown it does not use
    plan = NationalPlan.objects.create(
        country=Country.objects.get(code="SV"), title="Plan", start_year=TODAY.year, end_year=TODAY.year, coordinated_by="Mesa"
    )
    with pytest.raises(ValidationError) as outside:
        services.action_add(
            actor=coordinator, plan=plan, code="1", description="Protocolo", objectives=GcmObjective.objects.filter(number=1),
            responsible_other="Universidad", starts_on=TODAY, ends_on=TODAY.replace(year=TODAY.year + 1),
        )  # fmt: skip
    assert "años del plan" in str(outside.value.message_dict["ends_on"])


def test_a_coordinator_takes_back_what_was_added_by_mistake(
    framework: Indicator, coordinator: User, caseworker: User, login: Callable[[User], Client]
) -> None:
    client = login(coordinator)
    outcome = framework.outcome
    assert outcome is not None
    stray = Output.objects.create(outcome=outcome, code="1.9", statement="Producto por error")
    wrong = Indicator.objects.create(
        project=framework.project, outcome=outcome, code="1.z", name="Por error", unit="personas", target=Decimal(5),
        period_start=TODAY - datetime.timedelta(days=30), period_end=TODAY,
    )  # fmt: skip
    value = indicator_report(actor=coordinator, indicator=wrong, period_end=TODAY, value=Decimal(99), source="Tecleado mal")
    assert login(caseworker).post(f"/programmes/remove/report/{value.pk}/").status_code == 403
    refused = client.post(f"/programmes/remove/indicator/{wrong.pk}/", follow=True)
    assert "Se reportaron valores" in refused.content.decode() and Indicator.objects.filter(pk=wrong.pk).exists()
    assert client.post(f"/programmes/remove/outcome/{outcome.pk}/").status_code == 302 and Outcome.objects.filter(pk=outcome.pk).exists()
    client.post(f"/programmes/remove/report/{value.pk}/")
    client.post(f"/programmes/remove/indicator/{wrong.pk}/")
    client.post(f"/programmes/remove/output/{stray.pk}/")
    assert not Indicator.objects.filter(pk=wrong.pk).exists() and not Output.objects.filter(pk=stray.pk).exists()
    page = client.get(f"/programmes/{framework.project.code}/").content.decode()
    assert "Por error" not in page and "Producto por error" not in page
    Output.objects.create(outcome=outcome, code="1.1", statement="Capacitación")
    second = Outcome.objects.create(project=framework.project, code="2", statement="Otro efecto")
    with pytest.raises(ValidationError) as twice:  # output numbers are the project's own
        services.output_add(actor=coordinator, outcome=second, code="1.1", statement="Otro producto")
    assert "ya tiene un producto 1.1" in str(twice.value.message_dict["code"])
