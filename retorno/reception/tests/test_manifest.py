"""The manifest reader against the files officers really receive."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from retorno.reception import manifest

TODAY = datetime.date(2026, 11, 22)
COUNTRIES = manifest.country_lookup(
    [
        ("SV", "SLV", "El Salvador", "El Salvador", "Salvador"),
        ("HN", "HND", "Honduras", "Honduras", "Honduras"),
        ("US", "USA", "Estados Unidos", "United States", "États-Unis"),
    ]
)


def _parse(content: bytes, filename: str = "manifiesto.csv") -> manifest.Manifest:
    return manifest.parse(content, filename, countries=COUNTRIES, today=TODAY)


SPANISH = (
    "Nombres;Primer apellido;Segundo apellido;F. Nac.;Sexo;DUI;Nacionalidad;Menor no acompañado\n"
    "José Ángel ;Peña;Núñez;03/02/2009;M;01234567-8;Salvadoreña;Sí\n"
    "\n"
    "María;Cañas;;1990-07-15;Femenino;;El Salvador;no\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_each_encoding_gives_the_same_names(encoding: str) -> None:
    parsed = _parse(SPANISH.encode(encoding))
    assert parsed.errors == []
    assert [(r.given_names, r.first_surname, r.second_surname) for r in parsed.rows] == [
        ("José Ángel", "Peña", "Núñez"),
        ("María", "Cañas", ""),
    ]
    assert parsed.blank_rows == 1


def test_spanish_headers_are_recognised_in_any_order_with_their_values() -> None:
    parsed = _parse(SPANISH.encode())
    assert parsed.mapping == [
        "given_names",
        "first_surname",
        "second_surname",
        "birth_date",
        "sex",
        "national_id",
        "nationality",
        "unaccompanied",
    ]
    child, adult = parsed.rows
    assert (child.birth_date, child.sex, child.document_kind, child.nationality, child.unaccompanied) == (
        datetime.date(2009, 2, 3),
        "M",
        "national_id",
        "SV",
        True,
    )
    assert (adult.birth_date, adult.sex, adult.unaccompanied) == (datetime.date(1990, 7, 15), "F", False)
    # Row numbers are the spreadsheet's: the header is row 1, the blank line row 3.
    assert [r.number for r in parsed.rows] == [2, 4]


def test_english_headers_in_another_order_and_one_surnames_column() -> None:
    content = b"Gender,Date of Birth,Last names,First Name,Passport No,Citizenship\nmale,2001-12-31,Lopez Diaz,Juan,X123456,HND\n"
    parsed = _parse(content)
    assert parsed.errors == []
    row = parsed.rows[0]
    assert (row.given_names, row.first_surname, row.second_surname, row.sex, row.document_kind, row.nationality) == (
        "Juan",
        "Lopez",
        "Diaz",
        "M",
        "passport",
        "HN",
    )


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Nombres", "given_names"),
        ("Primer apellido", "first_surname"),
        ("Apellidos", "surnames"),
        ("Fecha de nacimiento", "birth_date"),
        ("F. Nac.", "birth_date"),
        ("Sexo", "sex"),
        ("Género", "sex"),
        ("No. documento", "document_number"),
        ("DUI", "national_id"),
        ("Nacionalidad", "nationality"),
        ("Menor no acompañado", "unaccompanied"),
        ("  FECHA DE NACIMENTO ", "birth_date"),  # misspelt: matched tolerantly
        ("Observaciones", ""),
    ],
)
def test_header_variants(header: str, field: str) -> None:
    assert manifest.guess_field(header) == field


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("03/02/2009", datetime.date(2009, 2, 3)),
        ("3/2/2009", datetime.date(2009, 2, 3)),
        ("2009-02-03", datetime.date(2009, 2, 3)),
        ("39847", datetime.date(2009, 2, 3)),  # an Excel serial number that lost its format in a CSV
        (39847, datetime.date(2009, 2, 3)),
        (datetime.datetime(2009, 2, 3), datetime.date(2009, 2, 3)),
    ],
)
def test_date_forms(value: object, expected: datetime.date) -> None:
    assert manifest.parse_date(value, TODAY) == (expected, "")


def test_xlsx_with_real_dates_serial_numbers_and_numeric_documents() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Nombre completo", "Fecha de nacimiento", "Sexo", "No. documento"])
    sheet.append(["PEÑA NÚÑEZ, José", datetime.datetime(2009, 2, 3), "M", 123456789])
    sheet.append([None, None, None, None])
    sheet.append(["Ana María López Díaz", 39847, "F", None])
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = _parse(buffer.getvalue(), "manifest.xlsx")
    assert parsed.errors == []
    first, second = parsed.rows
    assert (first.given_names, first.first_surname, first.second_surname, first.document_number) == ("José", "PEÑA", "NÚÑEZ", "123456789")
    assert (second.given_names, second.first_surname, second.second_surname) == ("Ana María", "López", "Díaz")
    assert first.birth_date == second.birth_date == datetime.date(2009, 2, 3)
    assert [r.number for r in parsed.rows] == [2, 4]


def test_bad_rows_are_reported_in_spanish_with_row_number_and_reason() -> None:
    content = (
        "Nombres,Primer apellido,Fecha de nacimiento,Sexo,Nacionalidad\n"
        "Ana,López,15/04/1990,F,SV\n"
        "Luis,Díaz,31/02/2009,M,SV\n"
        ",Gómez,01/01/2000,Z,Narnia\n"
        "Ana,López,15/04/1990,F,SV\n"
    ).encode()
    parsed = _parse(content)
    with translation.override("es"):
        messages = [e.message() for e in parsed.errors]
    assert messages == [
        "Fila 3: la fecha de nacimiento 31/02/2009 no existe",
        "Fila 4: faltan los nombres",
        "Fila 4: el sexo «Z» no es F, M, X ni vacío",
        "Fila 4: la nacionalidad «Narnia» no es un país conocido",
        "Fila 5: repite la fila 2 (mismo nombre, fecha de nacimiento y documento)",
    ]
    assert parsed.bad_rows == {3, 4, 5}
    assert [r.number for r in parsed.valid_rows] == [2]


def test_an_age_alone_gives_an_estimated_date_of_birth() -> None:
    parsed = _parse(b"Nombres,Apellidos,Edad\nLuis,Ramos,15\n")
    row = parsed.rows[0]
    assert row.birth_precision == "estimated"
    assert row.birth_date is not None and TODAY.year - row.birth_date.year in (15, 16)


@pytest.mark.parametrize(
    ("content", "filename"),
    [(b"", "m.csv"), (b"\xd0\xcf\x11\xe0rest", "m.xls"), (b"PK\x03\x04broken", "m.xlsx"), (b"Color,Talla\nrojo,M\n", "m.csv")],
)
def test_unreadable_files_say_why(content: bytes, filename: str) -> None:
    with pytest.raises(manifest.ManifestError):
        _parse(content, filename)


def test_the_same_columns_in_another_order_share_a_signature() -> None:
    assert manifest.header_signature(["Nombres", "Sexo"]) == manifest.header_signature(["SEXO ", "nombres"])
    assert manifest.header_signature(["Nombres", "Sexo"]) != manifest.header_signature(["Nombres", "Edad"])


def test_a_national_id_written_wrong_is_a_row_error_and_an_unnamed_document_column_is_not() -> None:
    dui = _parse("Nombres;Apellidos;DUI;Nacionalidad\nAna;López;2309672-87;SV\nLuis;Díaz;01234567-8;SV\n".encode())
    with translation.override("es"):
        assert [e.message() for e in dui.errors] == [
            "Fila 2: el número de identidad «2309672-87» no tiene la forma de los de este país (01234567-8)"
        ]
    assert dui.rows[1].document_kind == "national_id"
    generic = _parse("Nombres;Apellidos;No. documento;Nacionalidad\nAna;López;2309672-87;SV\nLuis;Díaz;01234567-8;SV\n".encode())
    assert generic.errors == [] and [r.document_kind for r in generic.rows] == ["other", "national_id"]


def test_us_manifests_write_the_month_first() -> None:
    evidence = _parse(b"Nombres;Apellidos;F. Nac.\nAna;Lopez;12/25/2009\nLuis;Diaz;03/02/2009\n")
    assert evidence.date_order == "mdy" and [r.birth_date for r in evidence.rows] == [
        datetime.date(2009, 12, 25),
        datetime.date(2009, 3, 2),
    ]
    english = _parse(b"First Name,Last Name,DOB\nAna,Lopez,03/02/2009\n")
    assert english.rows[0].birth_date == datetime.date(2009, 3, 2)
    spanish = _parse(b"Nombres;Apellidos;F. Nac.\nAna;Lopez;25/12/2009\nLuis;Diaz;03/02/2009\n")
    assert spanish.date_order == "dmy" and spanish.rows[1].birth_date == datetime.date(2009, 2, 3)


def test_a_title_line_above_the_headers_and_repeated_surname_columns() -> None:
    content = "MANIFIESTO VUELO GST-2611 — 22/11/2026\n\nNombre;Apellido;Apellido;Sexo\nAna;De León;Pérez;F\n".encode()
    parsed = _parse(content)
    assert parsed.mapping == ["given_names", "first_surname", "second_surname", "sex"]
    row = parsed.rows[0]
    assert (row.number, row.first_surname, row.second_surname) == (4, "De León", "Pérez")
    assert manifest.split_surnames("de la Cruz Martínez") == ("de la Cruz", "Martínez")


def test_a_year_alone_is_not_a_date_and_a_huge_cell_is_a_clear_error() -> None:
    assert manifest.parse_date("1985", TODAY) == (None, "date_format")
    with pytest.raises(manifest.ManifestError):
        _parse(b'Nombres,Apellidos\n"' + b"x" * 200_000 + b'",Lopez\n')


def test_an_age_is_counted_on_the_day_of_the_arrival() -> None:
    # Listed as 17 on 30 June, arriving on 2 July: still 17 when the flight lands.
    parsed = manifest.parse(
        b"Nombres,Apellidos,Edad\nLuis,Ramos,17\n",
        "m.csv",
        countries=COUNTRIES,
        today=datetime.date(2026, 6, 30),
        age_on=datetime.date(2026, 7, 2),
    )
    assert parsed.rows[0].birth_date == datetime.date(2009, 7, 1)
