from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from retorno.core.models import Agency, User


def test_administrator_configures_places_agencies_and_users(administrator: User, dgme: Agency, login: Callable[[User], Client]) -> None:
    client = login(administrator)
    for url in (
        "/manage/",
        "/manage/core/adminarea/?q=Uni%C3%B3n",
        "/manage/core/pointofentry/",
        "/manage/core/agency/",
        "/manage/core/user/",
    ):
        assert client.get(url).status_code == 200, url
    weak = client.post(
        "/manage/core/user/add/",
        {"email": "nuevo@dgme.test", "full_name": "Nuevo Oficial", "agency": dgme.pk, "role": "caseworker", "password1": "123"},
    )
    assert weak.status_code == 200 and not User.objects.filter(email="nuevo@dgme.test").exists()
    created = client.post(
        "/manage/core/user/add/",
        {
            "email": "nuevo@dgme.test",
            "full_name": "Nuevo Oficial",
            "agency": dgme.pk,
            "role": "caseworker",
            "password1": "una-frase-larga-y-segura",
        },
    )
    assert created.status_code == 302
    user = User.objects.get(email="nuevo@dgme.test")
    assert user.agency == dgme and user.check_password("una-frase-larga-y-segura")


def test_other_roles_cannot_reach_the_configuration_screens(caseworker: User, supervisor: User, login: Callable[[User], Client]) -> None:
    for user in (caseworker, supervisor):
        response = login(user).get("/manage/core/user/")
        assert response.status_code == 302 and "/manage/login/" in response["Location"]


def test_permission_matrix_page_lists_every_role(caseworker: User, login: Callable[[User], Client]) -> None:
    page = login(caseworker).get("/permissions/").content.decode()
    for role in ("Oficial de recepción", "Especialista psicosocial", "Administrador/a"):
        assert role in page
