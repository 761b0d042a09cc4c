from __future__ import annotations

import io

import pytest

from retorno.core.models import AdminArea, Country, PointOfEntry
from retorno.core.services import places_import_admin2

SEED_MUNICIPALITIES = [
    ("SV", "La Unión", "La Unión"),
    ("SV", "San Miguel", "San Miguel"),
    ("SV", "Santa Ana", "Santa Ana"),
    ("SV", "San Salvador", "San Salvador"),
    ("SV", "Usulután", "Usulután"),
    ("HN", "Cortés", "San Pedro Sula"),
    ("HN", "Cortés", "Omoa"),
    ("HN", "Valle", "Nacaome"),
    ("HN", "Yoro", "El Progreso"),
    ("CO", "La Guajira", "Riohacha"),
    ("CO", "La Guajira", "Maicao"),
]


@pytest.mark.parametrize(("country", "department", "name"), SEED_MUNICIPALITIES)
def test_municipalities_of_the_demo_and_seeds_exist(places: None, country: str, department: str, name: str) -> None:
    area = AdminArea.objects.get(country__code=country, level=2, name=name, parent__name=department)
    assert area.pcode.startswith(country)


def test_countries_have_names_in_three_languages(places: None) -> None:
    us = Country.objects.get(code="US")
    assert (us.name_es, us.name_en, us.name_fr) == ("Estados Unidos", "United States", "États-Unis")
    assert Country.objects.get(code="SV").time_zone == "America/El_Salvador"
    assert set(Country.objects.filter(is_operating=True).values_list("code", flat=True)) == {"SV", "HN", "GT", "CO"}


@pytest.mark.parametrize(
    ("code", "municipality"),
    [
        ("SV-SAL", "San Luis Talpa"),
        ("SV-LHD", "San Francisco Menéndez"),
        ("SV-AMT", "Pasaquina"),
        ("HN-COR", "Omoa"),
        ("GT-TUM", "Ayutla"),
        ("CO-PGC", "Maicao"),
        ("CO-BOG", "Bogotá, D.C."),
    ],
)
def test_points_of_entry_sit_in_their_municipality(places: None, code: str, municipality: str) -> None:
    point = PointOfEntry.objects.get(code=code)
    assert point.municipality is not None and point.municipality.name == municipality


def test_hxl_import_takes_tags_in_any_order_and_updates(places: None) -> None:
    csv_text = (
        "Municipio,Departamento,Código,País,Cód. depto\n"
        "#adm2+name+es,#adm1+name,#adm2+code,#country+code,#adm1+code\n"
        "Nuevo Municipio,La Union,SV1499,SV,SV14\n"
        "\n"
        "La Unión (cabecera),La Unión,SV1408,SV,SV14\n"
    )
    report = places_import_admin2(io.StringIO(csv_text))
    assert report.errors == [] and (report.created, report.updated) == (1, 1)
    assert AdminArea.objects.get(code="SV1499").parent == AdminArea.objects.get(code="SV-UN")
    assert AdminArea.objects.get(code="SV1408").name == "La Unión (cabecera)"


def test_hxl_import_with_a_bad_row_saves_nothing(places: None) -> None:
    csv_text = (
        "#country+code,#adm1+code,#adm1+name,#adm2+code,#adm2+name\nSV,SV14,La Unión,SV1498,Primero Bueno\nSV,SV99,Atlántida,SV9901,Malo\n"
    )
    report = places_import_admin2(io.StringIO(csv_text))
    assert len(report.errors) == 1
    assert report.errors[0].startswith("Línea 3:")  # translated, with the line number
    assert not AdminArea.objects.filter(code="SV1498").exists()


def test_file_without_hxl_tags_is_refused(places: None) -> None:
    report = places_import_admin2(io.StringIO("a,b\n1,2\n"))
    assert report.errors and not report.created
