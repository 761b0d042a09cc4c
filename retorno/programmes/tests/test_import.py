"""The page importer: the five seed pages, one project across languages, layouts, the command and the report."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client

from retorno.core.models import User
from retorno.programmes.models import NewsItem, Organisation, Project, ProjectPartner
from retorno.programmes.pages import parse_amount, parse_states, project_type_of, read_figures, read_organizations, read_page
from retorno.programmes.services import SEEDS, pages_import

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def _seeds() -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in SEED_FILES]


def test_the_five_seeds_give_three_projects_and_two_news_items(places: None, coordinator: User) -> None:
    report = pages_import(pages=_seeds(), actor=coordinator)
    assert report.saved and not report.refused
    assert report.projects == ["PN.0008", "RT.1066", "RT.1130"] and len(report.news) == 2
    rt1066 = Project.objects.get(code="RT.1066")
    assert (rt1066.end_year, rt1066.status, rt1066.kind, rt1066.budget_usd) == (
        2024,
        "completed",
        "return_assistance",
        Decimal("280000.00"),
    )
    assert (rt1066.coverage, rt1066.region, rt1066.prima_id) == ("regional", "Latin America and the Caribbean", "HN10P0002")
    assert list(rt1066.benefiting_states.order_by("code").values_list("code", flat=True)) == ["HN", "SV"]
    assert rt1066.text("fr").title.startswith("Renforcement des capacités gouvernementales")  # type: ignore[union-attr]
    assert "13 000 personnes en 2012" in rt1066.text("fr").description  # type: ignore[union-attr]
    pn = Project.objects.get(code="PN.0008")
    assert (pn.start_year, pn.end_year, pn.year, pn.status, pn.kind, pn.prima_id) == (2024, 2026, 2024, "active", "", "SV10P0560")
    rt1130 = Project.objects.get(code="RT.1130")
    assert (rt1130.prima_id, rt1130.budget_usd, rt1130.coverage) == ("", Decimal("50000.00"), "national")
    assert list(rt1130.benefiting_states.values_list("code", flat=True)) == ["CO"]
    window = NewsItem.objects.get(title__contains="Window")
    assert window.dateline_country.code == "SV" and window.language == "fr"  # type: ignore[union-attr]
    assert window.figures == [{"value": 3700, "what": "migrants"}, {"value": 556, "what": "enfants"}]
    assert window.contacts == [
        {"name": "Alba Miriam Amaya", "office": "OIM El Salvador", "phone": "+503 2521-0500", "email": "aamaya@iom.int"}
    ]
    assert "PRM" in window.organizations and "Médiateur du Salvador" in window.organizations
    partners = NewsItem.objects.get(title__contains="partenaires")
    assert partners.organizations == ["OIM", "HCR", "CICR", "CRM", "RNCOM"] and partners.figures == []


ENGLISH_RT1066 = """Who we are
Our work
2030 AGENDA
Strengthening Government Capacities in Post-Arrival Assistance and Reintegration of Unaccompanied Children \
Returned to El Salvador and Honduras
-
End Date
2024
-
Project Status
Completed
-
Project Type
Return Assistance to Migrants and Governments
-
Budget Amount (USD)
280,000
-
Coverage
Regional
-
IDF Region
Latin America and the Caribbean
-
Prima ID
HN10P0002
-
Project ID
RT.1066
-
Benefiting Eligible Member State(s)
El Salvador Honduras
The number of Central American minors travelling north grew from an average of some 7,000 a year before 2012 to 13,000 in 2012.
"""


def test_the_same_project_in_two_languages_is_one_project_with_both_texts(places: None, coordinator: User) -> None:
    french = SEEDS / "000_cac91f7aa99bdd6e.txt"
    report = pages_import(pages=[(french.name, french.read_text(encoding="utf-8")), ("rt1066_en.txt", ENGLISH_RT1066)], actor=coordinator)
    assert [p.outcome for p in report.pages] == ["created", "merged"] and not any(p.problems for p in report.pages)
    project = Project.objects.get()
    assert sorted(project.texts.values_list("language", flat=True)) == ["en", "fr"]
    assert project.text("en").title.startswith("Strengthening Government Capacities")  # type: ignore[union-attr]
    assert project.budget_usd == Decimal("280000.00")
    again = pages_import(pages=[("rt1066_en.txt", ENGLISH_RT1066)], actor=coordinator)
    assert again.pages[0].outcome == "updated" and Project.objects.count() == 1


def test_bullets_spanish_labels_and_english_labels_on_a_spanish_page() -> None:
    page = read_page(
        "Quiénes somos\nProtección de la niñez migrante retornada en Guatemala\n"
        "- Fecha de inicio: 2021\n- Fecha de finalización: 2023\n- Estado del proyecto: Finalizado\n"
        "- Budget Amount (USD): 1.250.000,00\n- Cobertura: Nacional\n- IDF Region: América Latina y el Caribe\n"
        "- ID del proyecto: CS.0123\n- Estado(s) miembro(s) beneficiario(s): Guatemala, Costa Rica República Dominicana\n"
        + "Este proyecto fortalece la protección de niñas, niños y adolescentes retornados y de sus familias en los "
        "municipios de origen, con las instituciones del Estado y la sociedad civil.\n"
    )
    assert page.kind == "project" and page.language == "es"
    assert page.as_json() | {} == {
        "kind": "project",
        "title": "Protección de la niñez migrante retornada en Guatemala",
        "start_year": 2021,
        "end_year": 2023,
        "status": "completed",
        "project_type": None,
        "budget_usd": 1250000.0,
        "coverage": "national",
        "year": None,
        "region": "Latin America and the Caribbean",
        "prima_id": None,
        "project_id": "CS.0123",
        "member_states": ["GT", "CR", "DO"],
    }


def test_values_printed_without_labels_are_read_in_iom_order() -> None:
    page = read_page(
        "Migration governance in the Sahel\n2019\n2022\nActive\nMigration Management and Policy\nUSD 150,000\n"
        "Regional\n2020\nAfrica\nML10P0042\nPN.0042\nMali Niger Burkina Faso\n"
    )
    data = page.as_json()
    assert (data["start_year"], data["end_year"], data["year"], data["status"]) == (2019, 2022, 2020, "active")
    assert (data["budget_usd"], data["region"], data["project_id"], data["member_states"]) == (
        150000.0,
        "Africa",
        "PN.0042",
        ["ML", "NE", "BF"],
    )


def test_a_saved_html_page_is_read_without_its_navigation() -> None:
    html = """<html><head><title>IOM</title></head><body><nav><a>Who we are</a><a>Project ID</a></nav>
    <h1>Border Management in Central America</h1>
    <div class="field"><div class="field__label">Project Status</div><div class="field__item">Ongoing</div></div>
    <div class="field"><div class="field__label">Budget Amount (USD)</div><div class="field__item">75000</div></div>
    <div class="field"><div class="field__label">Project ID</div><div class="field__item">IB.0789</div></div>
    <div class="field"><div class="field__label">Benefiting Eligible Member State(s)</div>
    <div class="field__item">Belize Guatemala</div></div>
    <p>The project will support the two governments in managing their shared border.</p><footer>Contact us</footer></body></html>"""
    page = read_page(html, "border.html")
    assert (page.kind, page.title, page.status, page.budget_usd, page.project_id) == (
        "project", "Border Management in Central America", "active", Decimal("75000.00"), "IB.0789"
    )  # fmt: skip
    assert page.member_states == ["BZ", "GT"]


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("280000.00", "280000.00"),
        ("280,000", "280000.00"),
        ("150 000", "150000.00"),
        ("1.250.000,00", "1250000.00"),
        ("$1,250,000.50", "1250000.50"),
    ],
)
def test_budgets_however_written(written: str, amount: str) -> None:
    assert parse_amount(written) == Decimal(amount)


def test_member_states_several_to_a_line_and_a_name_that_is_no_country() -> None:
    assert parse_states("El Salvador Honduras") == (["SV", "HN"], [])
    assert parse_states("Costa Rica Panamá República Dominicana") == (["CR", "PA", "DO"], [])
    assert parse_states("Colombie et Atlantide") == (["CO"], ["atlantide"])


def test_a_page_that_cannot_be_read_saves_nothing_unless_the_valid_ones_are_kept(places: None, coordinator: User) -> None:
    pages = [*_seeds(), ("menu.txt", "Qui sommes nous\nStructure\nNotre travail\n")]
    report = pages_import(pages=pages, actor=coordinator)
    assert not report.saved and [p.source for p in report.refused] == ["menu.txt"]
    assert not Project.objects.exists() and not NewsItem.objects.exists()
    kept = pages_import(pages=pages, actor=coordinator, keep_valid=True)
    assert kept.saved and Project.objects.count() == 3 and NewsItem.objects.count() == 2


def test_the_command_prints_one_json_object_per_page_and_a_dry_run_saves_nothing(places: None) -> None:
    out = io.StringIO()
    call_command("import_pages", *[str(p) for p in SEED_FILES], "--dry-run", "--format", "json", stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["kind"] for r in records] == ["project", "news", "news", "project", "project"]
    assert records[0]["project_id"] == "RT.1066" and records[0]["member_states"] == ["SV", "HN"] and records[0]["budget_usd"] == 280000.0
    assert records[2]["figures"][0] == {"value": 3700, "what": "migrants"} and records[2]["dateline_country"] == "SV"
    assert records[4]["start_year"] == 2024 and records[4]["project_type"] is None
    assert not Project.objects.exists()
    text = io.StringIO()
    call_command("import_pages", str(SEED_FILES[0]), stdout=text)
    assert "RT.1066" in text.getvalue() and Project.objects.filter(code="RT.1066").exists()


def test_the_upload_page_shows_what_was_read_and_refuses_what_was_not(
    places: None, coordinator: User, login: Callable[[User], Client]
) -> None:
    client = login(coordinator)
    upload = [io.BytesIO(p.read_bytes()) for p in SEED_FILES[:2]] + [io.BytesIO("Nada que leer aquí".encode())]
    for handle, name in zip(upload, [SEED_FILES[0].name, SEED_FILES[1].name, "vacio.txt"], strict=True):
        handle.name = name
    page = client.post("/programmes/import/", {"pages": upload}).content.decode()
    assert "RT.1066" in page and "vacio.txt" in page and "No se guardó nada" in page
    assert not Project.objects.exists()


def test_the_news_page_shows_figures_and_links_an_organisation_to_the_project_it_funds(
    places: None, coordinator: User, caseworker: User, login: Callable[[User], Client]
) -> None:
    pages_import(pages=_seeds(), actor=coordinator)
    prm = Organisation.objects.create(name="Bureau of Population, Refugees, and Migration", acronym="PRM")
    ProjectPartner.objects.create(project=Project.objects.get(code="RT.1066"), organisation=prm, role=ProjectPartner.Role.DONOR)
    page = login(caseworker).get("/programmes/news/", {"country": "SV"}).content.decode()
    assert page.count('class="card mb-3 news-item"') == 2
    assert "700</strong> migrants" in page and "<strong>556</strong> enfants" in page
    assert 'PRM · <a href="/programmes/RT.1066/">RT.1066</a>' in page and "aamaya@iom.int" in page
    assert "news-item" not in login(caseworker).get("/programmes/news/", {"country": "CO"}).content.decode()


def test_only_coordinators_and_administrators_import(places: None, caseworker: User, login: Callable[[User], Client]) -> None:
    assert login(caseworker).get("/programmes/import/").status_code == 403
    with pytest.raises(PermissionDenied):
        pages_import(pages=_seeds(), actor=caseworker)
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("sentence", "language", "figures"),
    [
        ("IOM set up 4 pre-departure orientation centres and trained 6,000 women.", "en",
         [(4, "pre-departure orientation centres"), (6000, "women")]),
        ("Elle a aidé 4 200 personnes déplacées dans 35 sites d’hébergement temporaires et 1 850 migrants de la région.", "fr",
         [(4200, "personnes déplacées"), (35, "sites d’hébergement temporaires"), (1850, "migrants")]),
        ("Se alojó a 2.300 migrantes venezolanos alojados en 15 albergues y 8 centros de formación técnica.", "es",
         [(2300, "migrantes venezolanos"), (15, "albergues"), (8, "centros de formación técnica")]),
        ("Parmi eux, 270 enfants non accompagnés ; 95 víctimas, en su mayoría mujeres, USD 250,000 et 45 % des cas.", "fr",
         [(270, "enfants non accompagnés"), (95, "víctimas")]),
        ("Rentrés au cours des 12 derniers mois, ils sont suivis par 35 conseillers de l’ANPE.", "fr", [(35, "conseillers")]),
        ("Some 600 young displaced people and 180 women migrant workers; participants aged 18 to 35 receive MZN 3,000.", "en",
         [(600, "young displaced people"), (180, "women migrant workers")]),
        ("IOM distributed 9,400 corrugated galvanized iron sheets to 173 unaccompanied and separated children.", "en",
         [(9400, "corrugated galvanized iron sheets"), (173, "unaccompanied and separated children")]),
        ("J’emploie 3 personnes de mon quartier.", "fr", [(3, "personnes")]),
        ("Operators gave 1,500 free SIM cards.", "en", [(1500, "free SIM cards")]),
        ("Chaque famille reçoit 50 000 gourdes ; 2.300 migrantes venezolanos alojados en 15 albergues.", "fr",
         [(2300, "migrantes venezolanos"), (15, "albergues")]),
    ],
)  # fmt: skip
def test_a_figure_counts_the_whole_noun_phrase_after_its_number(sentence: str, language: str, figures: list) -> None:
    assert [(f.value, f.what) for f in read_figures(sentence, language)] == figures


def test_long_organisation_names_with_lowercase_words_commas_and_prepositions() -> None:
    text = (
        "Le Ministère des affaires sociales et du travail et la Chambre de commerce, d’industrie et d’agriculture de Thiès "
        "ont signé avec l’OIM. La Mesa Interinstitucional para la Prevención y Combate a la Trata de Personas y ONU Mujeres "
        "apoyaron. The Ethiopian Red Cross Society (ERCS), the Ministry of Expatriates’ Welfare and Overseas Employment and an "
        "NGO took part; the Ministry said so."
    )
    assert read_organizations(text) == [
        "Ministère des affaires sociales et du travail",
        "Chambre de commerce, d’industrie et d’agriculture de Thiès",
        "OIM",
        "Mesa Interinstitucional para la Prevención y Combate a la Trata de Personas",
        "ONU Mujeres",
        "ERCS",
        "Ministry of Expatriates’ Welfare and Overseas Employment",
    ]


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("The World Health Organization and the World Food Programme worked with the International Labour Organization.",
         ["World Health Organization", "World Food Programme", "International Labour Organization"]),
        ("Le Programme alimentaire mondial et le Fonds des Nations Unies pour l’enfance ont appuyé le ministère de l’Intérieur.",
         ["Programme alimentaire mondial", "Fonds des Nations Unies pour l’enfance", "ministère de l’Intérieur"]),
        ("The Kenya Red Cross Society and the Danish Refugee Council worked with Makerere University and Mercy Corps.",
         ["Kenya Red Cross Society", "Danish Refugee Council", "Makerere University", "Mercy Corps"]),
        ("with the Lebanese Red Cross, the Jordan Hashemite Charity Organization and UN-Habitat",
         ["Lebanese Red Cross", "Jordan Hashemite Charity Organization", "UN-Habitat"]),
        ("the African Union Commission, the Economic Community of West African States (ECOWAS) and the Russian Federation",
         ["African Union Commission", "ECOWAS"]),
        ("La Fundación Pies Descalzos, Aldeas Infantiles SOS Colombia y el Consejo Nacional para la Protección y Desarrollo "
         "de la Persona Migrante y su Familia (CONMIGRANTES).",
         ["Fundación Pies Descalzos", "Aldeas Infantiles SOS Colombia", "CONMIGRANTES"]),
        ("L’Union africaine, Caritas Niger et la Coopération suisse ont financé les kits.",
         ["Union africaine", "Caritas Niger", "Coopération suisse"]),
        ("a global fund for children, the Swiss Agency for Development and Cooperation (SDC)", ["SDC"]),
        ("L’OIM et l’Agence fédérale pour l’accueil des demandeurs d’asile (Fedasil), avec la Croix-Rouge du canton "
         "d’Una-Sana et la Mission de l’OIM.", ["OIM", "Fedasil", "Croix-Rouge du canton d’Una-Sana"]),
        ("la Oficina del Comisionado de Socorro y Repatriación de Refugiados (RRRC, por sus siglas en inglés) según el "
         "Plan Regional de Respuesta para Refugiados y Migrantes (RMRP) y la Matriz de Seguimiento de Desplazamientos (DTM)",
         ["RRRC"]),
        ("des représentants du Ministère de l’Intérieur, de la Sécurité publique et de l’Administration du territoire, "
         "de la Mairie d’Agadez, de la Direction régionale de la protection civile et de l’Agence d’État pour la promotion "
         "de l’emploi", ["Ministère de l’Intérieur, de la Sécurité publique et de l’Administration du territoire",
                         "Mairie d’Agadez", "Direction régionale de la protection civile",
                         "Agence d’État pour la promotion de l’emploi"]),
        ("el Banco Industrial y Cementos Progreso, la Asociación Civil Unión Venezolana en Perú y la Cruz Roja Chilena y "
         "de Médicos Sin Fronteras (MSF)", ["Banco Industrial", "Cementos Progreso",
                                            "Asociación Civil Unión Venezolana en Perú", "Cruz Roja Chilena", "MSF"]),
        ("the Provincial Government of Cabo Delgado, the General Directorate of General Security, Germany’s Federal Foreign "
         "Office, the Union of Municipalities of Dreib al-Awsat and UNHCR, the UN Refugee Agency, with BI Group.",
         ["Provincial Government of Cabo Delgado", "General Directorate of General Security", "Federal Foreign Office",
          "Union of Municipalities of Dreib al-Awsat", "UNHCR", "BI Group"]),
        ("the Cyclone Preparedness Programme (CPP) and the Ovibashi Karmi Unnayan Program (OKUP), a migrant-led NGO, with the "
         "United Nations Central Emergency Response Fund (CERF)", ["OKUP", "CERF"]),
        ("La empresa naviera Fluviales del Orinoco y la textil Hilados del Sur S.A. apoyaron a la Gobernación de Oruro y del "
         "Gobierno Autónomo Municipal de Sabaya, y la Oficina de las Naciones Unidas para la Coordinación de Asuntos "
         "Humanitarios (OCHA).", ["Fluviales del Orinoco", "Hilados del Sur S.A.", "Gobernación de Oruro",
                                  "Gobierno Autónomo Municipal de Sabaya", "OCHA"]),
        ("le Conseil des imams et dignitaires musulmans du Cameroun et le Ministère des Affaires étrangères et des Guinéens "
         "établis à l’étranger", ["Conseil des imams et dignitaires musulmans du Cameroun",
                                  "Ministère des Affaires étrangères et des Guinéens établis à l’étranger"]),
        ("the Ministry of Labour and Skills, the Immigration and Citizenship Service (ICS), USAID’s Bureau for Humanitarian "
         "Assistance (BHA), the Department of Fire Service and Civil Defence, and the state agency Enterprise Georgia",
         ["Ministry of Labour and Skills", "ICS", "USAID", "BHA", "Department of Fire Service and Civil Defence",
          "Enterprise Georgia"]),
        ("la Secretaría de Estado en el Despacho de Trabajo y Seguridad Social (SETRASS) tramita el Permiso por Protección "
         "Temporal (PPT); el PPT y el proyecto Sustainable Reintegration and Improved Migration Governance (SIMIG) project",
         ["SETRASS"]),
        ("the Swedish International Development Cooperation Agency (Sida), the American Chamber of Commerce in Moldova "
         "(AmCham Moldova), the Association of Ukrainian Women in Moldova, Tcell and Alif Bank, and Caritas diocésaine de Daloa",
         ["Sida", "AmCham Moldova", "Association of Ukrainian Women in Moldova", "Tcell", "Alif Bank",
          "Caritas diocésaine de Daloa"]),
        ("with the Ministry of Physical Planning and Public Utilities and the State Water Corporation (SWC), the local "
         "organization Sudanese Development Initiative (SUDIA); the Sri Lanka Police were there.",
         ["Ministry of Physical Planning and Public Utilities", "SWC", "SUDIA", "Sri Lanka Police"]),
        ("avec l’organisation confessionnelle Secours catholique et développement (SECADEV), l’ONG malgache Fanilo et "
         "l’Agence nationale pour l’emploi et le travail indépendant (ANETI) dans la région SAVA",
         ["SECADEV", "Fanilo", "ANETI"]),
        ("la Oficina para Monitorear y Combatir la Trata de Personas (J/TIP), la Dirección General de Protección a la Infancia "
         "y las Familias, el Cabildo de Gran Canaria y la cadena hotelera GHL Hoteles",
         ["J/TIP", "Dirección General de Protección a la Infancia y las Familias", "Cabildo de Gran Canaria", "GHL Hoteles"]),
    ],
)  # fmt: skip
def test_organisations_known_by_name_and_names_that_end_with_their_institution_word(sentence: str, names: list[str]) -> None:
    """The list of known organisations (data/organisations.txt) finds names with no institution word to
    start them; the longer of two overlapping names holds the other; a country is no institution."""
    assert read_organizations(sentence) == names


@pytest.mark.parametrize(
    ("dateline", "country"),
    [("Santiago de Chile, 8 de marzo de 2024", "CL"), ("GENÈVE", "CH"), ("Le Caire", "EG"), ("Dakar (Sénégal)", "SN"),
     ("Ciudad de Panamá", "PA"), ("San Miguel, El Salvador", "SV"), ("Tegucigalpa", "HN")],
)  # fmt: skip
def test_a_dateline_names_its_country_by_a_city_of_the_world(dateline: str, country: str) -> None:
    page = read_page(f"Un titre\n{dateline} – La OIM y sus socios entregaron hoy los certificados del curso a las participantes.")
    assert (page.kind, page.dateline_country) == ("news", country)


def test_a_story_whose_dateline_names_an_unknown_place_is_still_read() -> None:
    page = read_page("Title of the story\nXyzzyville – IOM opened a new centre today for 300 returned migrants and families.")
    assert page.kind == "news" and page.dateline_country is None and "dateline_country: —" in page.unread
    assert [(f.value, f.what) for f in page.figures] == [(300, "returned migrants")]


def test_a_longer_wording_of_a_label_is_read_when_its_value_follows() -> None:
    page = read_page(
        "Proyecto de prueba\n-\nCobertura geográfica\n-\nNacional\n-\nEstado(s) miembro(s) beneficiario(s) que cumplen los "
        "requisitos\n-\nGuatemala\n-\nProyecto ID\n-\nRT.1200\n"
    )
    assert (page.kind, page.coverage, page.member_states, page.project_id) == ("project", "national", ["GT"], "RT.1200")


@pytest.mark.parametrize(
    ("written", "kind"),
    [("Migration Policy", "migration_governance"), ("Políticas migratorias", "migration_governance"),
     ("Mobilité de main-d’œuvre et développement humain", "labour_mobility"),
     ("Gestión de la inmigración y de las fronteras", "border_management"),
     ("Migrant Protection and Assistance", "protection"), ("Asistencia para el retorno de migrantes y gobiernos", "return_assistance"),
     ("Migration Health", None)],
)  # fmt: skip
def test_a_project_type_is_told_by_its_words_however_it_is_worded(written: str, kind: str | None) -> None:
    assert project_type_of(written) == kind


def test_member_states_under_a_label_worded_otherwise_one_per_line_or_after_a_longer_label() -> None:
    lines = "Proyecto X\n-\nProject ID\n-\nRT.1300\n-\nEligible Member State(s) Beneficiaries\nGuyana\nSuriname\nTrinidad and Tobago\n"
    assert read_page(lines).member_states == ["GY", "SR", "TT"]
    inline = "Proyecto Y\n- Proyecto ID: RT.1301\n- Estado(s) Miembro(s) beneficiario(s) que reúnen los requisitos: Haití, Îles Salomon\n"
    assert read_page(inline).member_states == ["HT", "SB"]


def test_money_ages_and_currency_codes_are_neither_figures_nor_organisations() -> None:
    text = "IOM's team and EU-funded partners paid GHS 15,000 and PHP 2,500 to 480 young returnees, many under 18 when they left."
    assert [(f.value, f.what) for f in read_figures(text, "en")] == [(480, "young returnees")]
    assert read_organizations(text) == ["IOM", "EU"]
    assert [(f.value, f.what) for f in read_figures("Un fonds de 1,2 million d’euros aidera 12 430 personnes déplacées.", "fr")] == [
        (12430, "personnes déplacées")
    ]
