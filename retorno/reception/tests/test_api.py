"""The reception API: a program plans an arrival, uploads its manifest and works the desk."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from retorno.core.models import Agency, Site, User
from retorno.core.services import api_token_create

TODAY = timezone.localdate()
MANIFEST = (
    "First Name,Last Name,Date of Birth,Gender,Citizenship,Unaccompanied minor\n"
    f"Kevin Alexander,Rivas,{TODAY.year - 14}-05-01,male,SV,yes\n"
    "Sandra,Mejía,1988-10-30,female,SV,no\n"
)


def test_an_arrival_through_the_api(reception_officer: User, conna: Agency) -> None:
    site = Site.objects.create(agency=reception_officer.agency, name="CAIM Aeropuerto", kind=Site.Kind.RECEPTION_CENTRE)
    _token, clear = api_token_create(user=reception_officer, name="ICE manifests")
    api = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {clear}"})
    created = api.post(
        "/api/v1/arrivals",
        {"site_id": site.pk, "returned_from": "US", "mode": "air", "scheduled_at": timezone.now().isoformat(), "expected_count": 2},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    arrival_id = created.json()["public_id"]

    bad = api.post(
        f"/api/v1/arrivals/{arrival_id}/manifest",
        {"file": SimpleUploadedFile("m.csv", (MANIFEST + "Ana,,1990-01-01,female,SV,no\n").encode())},
    )
    assert bad.status_code == 422 and bad.json()["errors"] == ["Fila 4: falta el apellido"]
    assert api.get(f"/api/v1/arrivals/{arrival_id}/people").json() == []

    done = api.post(f"/api/v1/arrivals/{arrival_id}/manifest", {"file": SimpleUploadedFile("m.csv", MANIFEST.encode())})
    assert done.status_code == 201 and done.json()["created"] == 2

    found = api.get(f"/api/v1/arrivals/{arrival_id}/people", {"q": "kevin rivas"}).json()
    assert len(found) == 1 and found[0]["age_at_arrival"] in (13, 14)
    entry = found[0]["id"]
    screening = api.put(
        f"/api/v1/arrivals/{arrival_id}/people/{entry}/screening",
        {"vulnerabilities": ["unaccompanied_child"], "consent_assistance": True, "consent_method": "authority"},
        content_type="application/json",
    )
    assert screening.status_code == 200, screening.content
    refused = api.post(f"/api/v1/arrivals/{arrival_id}/close")
    assert refused.status_code == 422
    handover = api.post(
        f"/api/v1/arrivals/{arrival_id}/people/{entry}/handover",
        {"receiving_officer": "Lic. Marta Guevara"},
        content_type="application/json",
    )
    assert handover.status_code == 201 and handover.json()["agency"] == "CONNA"
    given = api.post(
        f"/api/v1/arrivals/{arrival_id}/people/{entry}/assistance", {"kind": "food", "quantity": 2}, content_type="application/json"
    )
    assert given.status_code == 201
    summary = api.get(f"/api/v1/arrivals/{arrival_id}/summary").json()
    assert (summary["present"], summary["unaccompanied"], summary["handed_over"], summary["waiting"]) == (1, 1, 1, 1)
    closed = api.post(f"/api/v1/arrivals/{arrival_id}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_another_institution_gets_404(outsider: User, reception_officer: User) -> None:
    site = Site.objects.create(agency=reception_officer.agency, name="CAIM", kind=Site.Kind.RECEPTION_CENTRE)
    _token, mine = api_token_create(user=reception_officer, name="desk")
    created = Client(headers={"Authorization": f"Bearer {mine}"}).post(
        "/api/v1/arrivals",
        {"site_id": site.pk, "returned_from": "MX", "mode": "land", "scheduled_at": timezone.now().isoformat()},
        content_type="application/json",
    )
    outsider.role = "reception_officer"
    outsider.save()
    _token, theirs = api_token_create(user=outsider, name="other")
    assert Client(headers={"Authorization": f"Bearer {theirs}"}).get(f"/api/v1/arrivals/{created.json()['public_id']}").status_code == 404
