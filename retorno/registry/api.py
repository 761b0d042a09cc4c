"""API for people: the same services and scoped selectors as the pages."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from retorno.core.api import lookup, request_user
from retorno.core.models import AdminArea, Country
from retorno.registry import selectors, services
from retorno.registry.models import EthnicGroup, IdentityDocument, Language, Person

router = Router(tags=["people"])


class DocumentIn(Schema):
    kind: IdentityDocument.Kind
    number: str = Field(..., min_length=1, max_length=40)
    issuing_country: str = Field(..., min_length=2, max_length=2, description="ISO 3166-1 alpha-2")


class DocumentOut(Schema):
    kind: str
    number: str
    issuing_country: str = Field(..., alias="issuing_country.code")


class PersonIn(Schema):
    given_names: str = Field(..., min_length=1, max_length=120)
    first_surname: str = Field(..., min_length=1, max_length=80)
    second_surname: str = Field("", max_length=80)
    known_as: str = Field("", max_length=120)
    sex: Person.Sex
    birth_date: datetime.date | None = None
    birth_date_precision: Person.BirthDatePrecision = Person.BirthDatePrecision.EXACT
    nationality: str | None = Field(None, min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
    languages: list[str] = Field(default_factory=list, max_length=10, description="ISO 639-3 codes")
    ethnic_group_id: int | None = None
    municipality_of_origin: str | None = Field(None, max_length=20, description="P-code")
    documents: list[DocumentIn] = Field(default_factory=list, max_length=5)


class PersonPatch(Schema):
    given_names: str | None = Field(None, min_length=1, max_length=120)
    first_surname: str | None = Field(None, min_length=1, max_length=80)
    second_surname: str | None = Field(None, max_length=80)
    known_as: str | None = Field(None, max_length=120)
    sex: Person.Sex | None = None
    birth_date: datetime.date | None = None
    birth_date_precision: Person.BirthDatePrecision | None = None
    reason: str = Field("", max_length=300)


class PersonSummary(Schema):
    public_id: str
    given_names: str
    first_surname: str
    second_surname: str
    sex: str
    birth_date: datetime.date | None
    birth_date_precision: str
    nationality: str | None = Field(None, alias="nationality.code")


class PersonOut(PersonSummary):
    known_as: str
    agency: str = Field(..., alias="agency.acronym")
    languages: list[str]
    ethnic_group: str | None = Field(None, alias="ethnic_group.name")
    municipality_of_origin: str | None = Field(None, alias="municipality_of_origin.pcode")
    documents: list[DocumentOut]

    @staticmethod
    def resolve_languages(obj: Person) -> list[str]:
        return [language.code for language in obj.languages.all()]

    @staticmethod
    def resolve_documents(obj: Person) -> list[IdentityDocument]:
        return list(obj.documents.select_related("issuing_country"))


@router.get("", response=list[PersonSummary], summary="Search people in your scope (accent-insensitive); X-Total-Count has the total")
def person_list(
    request: HttpRequest, response: HttpResponse, q: str = "", limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0)
) -> list[Person]:
    result = selectors.person_search(user=request_user(request), query=q, limit=limit, offset=offset)
    response["X-Total-Count"] = str(result.total)
    return result.people


@router.get("/{public_id}", response=PersonOut, summary="One person (audited)")
def person_detail(request: HttpRequest, public_id: str) -> Person:
    return selectors.person_get_for_user(user=request_user(request), public_id=public_id)


@router.post("", response={201: PersonOut}, summary="Register a person")
def person_create(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    countries = Country.objects.all()
    documents = [
        {
            "kind": str(doc.kind),
            "number": doc.number,
            "issuing_country": lookup(countries, "documents.issuing_country", code=doc.issuing_country.upper()),
        }
        for doc in payload.documents
    ]
    person = services.person_create(
        actor=request_user(request),
        given_names=payload.given_names,
        first_surname=payload.first_surname,
        second_surname=payload.second_surname,
        known_as=payload.known_as,
        sex=str(payload.sex),
        birth_date=payload.birth_date,
        birth_date_precision=str(payload.birth_date_precision),
        nationality=lookup(countries, "nationality", code=payload.nationality.upper()) if payload.nationality else None,
        municipality_of_origin=lookup(AdminArea.objects.all(), "municipality_of_origin", code=payload.municipality_of_origin)
        if payload.municipality_of_origin
        else None,
        ethnic_group=lookup(EthnicGroup.objects.all(), "ethnic_group_id", pk=payload.ethnic_group_id) if payload.ethnic_group_id else None,
        languages=[lookup(Language.objects.all(), "languages", code=code) for code in payload.languages],
        documents=documents,
    )
    return Status(201, person)


@router.patch("/{public_id}", response=PersonOut, summary="Correct identity data (audited with the field names changed)")
def person_update(request: HttpRequest, public_id: str, payload: PersonPatch) -> Person:
    user = request_user(request)
    person = selectors.person_get_for_user(user=user, public_id=public_id, audit=False)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    changes = {k: str(v) if k in ("sex", "birth_date_precision") else v for k, v in changes.items()}
    return services.person_update(actor=user, person=person, reason=reason, **changes)
