"""factory_boy factories with realistic Spanish data (STYLE.md: factories, not fixture files)."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from faker import Faker

from retorno.core.models import Agency, Country, User
from retorno.core.permissions import Role

fake = Faker("es_MX")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("country", "acronym")

    name = factory.Sequence(lambda n: f"Institución {n}")
    acronym = factory.Sequence(lambda n: f"INS{n}")
    country = factory.LazyFunction(lambda: Country.objects.get(code="SV"))
    kind = Agency.Kind.GOVERNMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"usuario{n}@retorno.test")
    full_name = factory.LazyFunction(lambda: f"{fake.first_name()} {fake.last_name()} {fake.last_name()}")
    agency = factory.SubFactory(AgencyFactory)
    role = Role.CASEWORKER

    @factory.post_generation
    def password(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        obj.set_password(extracted or "contraseña-de-prueba-2026")
        if create:
            obj.save(update_fields=["password"])


def person_data(**overrides: Any) -> dict[str, Any]:
    """Arguments for registry.services.person_create with a realistic Salvadoran returnee."""
    data: dict[str, Any] = {
        "given_names": "María José",
        "first_surname": "Hernández",
        "second_surname": "Núñez",
        "sex": "F",
        "birth_date": datetime.date(1994, 3, 12),
    }
    data.update(overrides)
    return data
