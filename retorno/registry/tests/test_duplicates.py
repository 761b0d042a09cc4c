"""Duplicate review: the registry-wide search (resumable), the queue, merge and its undoing."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client

from retorno.core.models import AuditEvent, Country, User
from retorno.core.tests.factories import person_data
from retorno.registry import services
from retorno.registry.dedup import dedup_run_execute, dedup_run_request
from retorno.registry.linkage import batch
from retorno.registry.models import AccessRequest, DedupRun, DuplicatePair, Language, Person


@pytest.fixture
def registry(reception_officer: User) -> dict[str, Person]:
    """One woman registered three times with the usual desk variations, and people who only look alike."""
    sv = Country.objects.get(code="SV")
    born = datetime.date(2009, 3, 15)
    make = services.person_create
    people = {
        "maria": make(
            actor=reception_officer,
            **person_data(birth_date=born),
            documents=[{"kind": "national_id", "number": "04567890-1", "issuing_country": sv}],
        ),
        "maria_again": make(actor=reception_officer, **person_data(given_names="Maria Jose", second_surname="", birth_date=born)),
        "maria_swapped": make(
            actor=reception_officer,
            **person_data(given_names="Ma. José", first_surname="Hernandez", birth_date=datetime.date(2009, 15 - 12, 15)),
        ),
        # Two men with the commonest name, born the same year in the same place: not the same person.
        "jose_1": make(
            actor=reception_officer,
            **person_data(
                given_names="José", first_surname="Hernández", second_surname="López", sex="M", birth_date=datetime.date(1990, 2, 3)
            ),
        ),
        "jose_2": make(
            actor=reception_officer,
            **person_data(
                given_names="José", first_surname="Hernández", second_surname="Martínez", sex="M", birth_date=datetime.date(1990, 9, 21)
            ),
        ),
        "other": make(
            actor=reception_officer, **person_data(given_names="Carlos Alberto", first_surname="Portillo", second_surname="Ramos", sex="M")
        ),
    }
    return people


def pairs() -> set[tuple[str, str]]:
    return {tuple(sorted((p.left.public_id, p.right.public_id))) for p in DuplicatePair.objects.select_related("left", "right")}  # type: ignore[misc]


def test_dedup_command_finds_the_three_records_of_one_person_as_one_group(registry: dict[str, Person]) -> None:
    call_command("dedup")
    run = DedupRun.objects.get()
    assert run.status == "finished" and run.percent == 100 and run.people == 6
    maria = {registry[k].public_id for k in ("maria", "maria_again", "maria_swapped")}
    found = pairs()
    assert tuple(sorted((registry["maria"].public_id, registry["maria_again"].public_id))) in found
    assert {pid for pair in found for pid in pair} >= maria
    assert all(set(pair) <= maria for pair in found), "only María's records are proposed"
    clusters = set(DuplicatePair.objects.values_list("cluster", flat=True))
    assert clusters == {min(p.pk for k, p in registry.items() if k.startswith("maria"))} and run.clusters == 1
    # Nothing is ever merged without a reviewer.
    assert not Person.objects.filter(merged_into__isnull=False).exists()


def test_an_interrupted_search_carries_on_and_finds_the_same_pairs(registry: dict[str, Person], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "CHUNK", 1)  # one block a chunk: several checkpoints even here
    call_command("dedup")
    expected = pairs()
    DuplicatePair.objects.all().delete()
    DedupRun.objects.all().delete()

    run = dedup_run_request(trigger="command")
    checkpoints = []

    def stop_after_first_chunk(current: DedupRun) -> None:
        if current.stage == "comparing" and current.chunk:
            checkpoints.append((current.rule, current.chunk))
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        dedup_run_execute(run.pk, progress=stop_after_first_chunk)
    run.refresh_from_db()
    assert run.status == "queued" and (run.rule, run.chunk) == checkpoints[0] and 0 < run.percent < 100
    call_command("dedup")  # the next search is the same run, resumed
    run.refresh_from_db()
    assert DedupRun.objects.count() == 1 and run.status == "finished" and run.resumed == 1
    assert pairs() == expected


def test_a_run_held_by_a_live_process_is_not_taken_over(registry: dict[str, Person]) -> None:
    run = dedup_run_request(trigger="command")
    DedupRun.objects.filter(pk=run.pk).update(
        status="running", started_at=datetime.datetime.now(datetime.UTC), heartbeat_at=datetime.datetime.now(datetime.UTC)
    )
    assert dedup_run_execute(run.pk) is None
    assert dedup_run_execute(run.pk, force=True) is not None


def test_merge_and_unmerge_keep_every_linked_record(registry: dict[str, Person], supervisor: User, outsider: User) -> None:
    sv = Country.objects.get(code="SV")
    kept, merged = registry["maria"], registry["maria_again"]
    passport = services.document_add(actor=supervisor, person=merged, kind="passport", number="A1234567", issuing_country=sv)
    same_dui = services.document_add(actor=supervisor, person=merged, kind="national_id", number="04567890-1", issuing_country=sv)
    nahuat, _created = Language.objects.get_or_create(code="ppl", defaults={"name": "Náhuat", "is_indigenous": True})
    merged.languages.add(nahuat)
    request = AccessRequest.objects.create(person=merged, requested_by=outsider, reason="Seguimiento del caso de reintegración")
    kept_documents = set(kept.documents.values_list("pk", flat=True))

    merge = services.person_merge(actor=supervisor, survivor=kept, merged=merged, take=["given_names"], reason="misma persona")
    kept.refresh_from_db()
    merged.refresh_from_db()
    assert merged.merged_into == kept and kept.given_names == "Maria Jose"
    assert set(kept.documents.values_list("pk", flat=True)) == kept_documents | {passport.pk}
    assert list(merged.documents.values_list("pk", flat=True)) == [same_dui.pk]  # the same paper stays behind
    assert AccessRequest.objects.get(pk=request.pk).person == kept
    assert nahuat in kept.languages.all()
    event = AuditEvent.objects.get(action="merge", object_id=kept.public_id)
    assert "given_names" in event.fields and "identitydocument" in event.fields and event.reason == f"← {merged.public_id}"
    assert AuditEvent.objects.filter(action="merge", object_id=merged.public_id).exists()

    services.person_unmerge(actor=supervisor, merge_id=merge.pk)
    kept.refresh_from_db()
    merged.refresh_from_db()
    assert merged.merged_into is None and kept.given_names == "María José"
    assert set(kept.documents.values_list("pk", flat=True)) == kept_documents
    assert set(merged.documents.values_list("pk", flat=True)) == {passport.pk, same_dui.pk}
    assert AccessRequest.objects.get(pk=request.pk).person == merged
    assert nahuat not in kept.languages.all() and nahuat in merged.languages.all()
    assert AuditEvent.objects.filter(action="unmerge", object_id=kept.public_id).exists()
    assert DuplicatePair.objects.get(pk=merge.pair_id).status == "pending"


def test_undoing_a_merge_keeps_corrections_made_since(registry: dict[str, Person], supervisor: User) -> None:
    kept, merged = registry["maria"], registry["maria_again"]
    merge = services.person_merge(actor=supervisor, survivor=kept, merged=merged, take=["given_names", "second_surname"])
    kept.refresh_from_db()
    services.person_update(actor=supervisor, person=kept, given_names="María José Elena")
    services.person_unmerge(actor=supervisor, merge_id=merge.pk)
    kept.refresh_from_db()
    assert kept.given_names == "María José Elena"  # corrected after the merge: kept
    assert kept.second_surname == "Núñez"  # taken by the merge and untouched since: restored


def test_only_a_supervisor_of_the_registering_agency_merges(registry: dict[str, Person], caseworker: User, outsider: User) -> None:
    from django.core.exceptions import PermissionDenied

    for user in (caseworker, outsider):
        with pytest.raises(PermissionDenied):
            services.person_merge(actor=user, survivor=registry["maria"], merged=registry["maria_again"])


def test_review_journey_in_the_pages(registry: dict[str, Person], supervisor: User, login: Callable[[User], Client]) -> None:
    client = login(supervisor)
    response = client.post("/people/duplicates/", follow=True)  # "search now": the job runs (at once in tests)
    page = response.content.decode()
    assert "Finalizada" in page and "grupo por revisar" in page and registry["maria_again"].public_id in page
    pair = DuplicatePair.objects.get(left=registry["maria"], right=registry["maria_again"])
    side_by_side = client.get(f"/people/duplicates/{pair.pk}/").content.decode()
    assert "¿Son estos registros la misma persona?" in side_by_side
    assert "María José" in side_by_side and "Maria Jose" in side_by_side and "coincide" in side_by_side
    views = AuditEvent.objects.filter(action="view", user=supervisor, reason="duplicates")
    assert {e.object_id for e in views} == {registry["maria"].public_id, registry["maria_again"].public_id}

    response = client.post(
        f"/people/duplicates/{pair.pk}/", {"decision": "merge", "keep": "left", "value_second_surname": "left"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/people/{registry['maria'].public_id}/"
    assert "Deshacer esta fusión" in response.content.decode()
    # The merged record's id leads to the one kept; it no longer appears in searches.
    old = client.get(f"/people/{registry['maria_again'].public_id}/")
    assert old.status_code == 302 and old["Location"] == f"/people/{registry['maria'].public_id}/"
    found = client.get("/people/", {"q": "maria"}).content.decode()
    assert f"/people/{registry['maria'].public_id}/" in found and f"/people/{registry['maria_again'].public_id}/" not in found


def test_not_the_same_person_is_never_proposed_again(
    registry: dict[str, Person], supervisor: User, login: Callable[[User], Client]
) -> None:
    call_command("dedup")
    pair = DuplicatePair.objects.get(left=registry["maria"], right=registry["maria_again"])
    client = login(supervisor)
    client.post(f"/people/duplicates/{pair.pk}/", {"decision": "different", "reason": "hermanas"})
    pair.refresh_from_db()
    assert pair.status == "different" and pair.decided_by == supervisor
    call_command("dedup")
    pair.refresh_from_db()
    assert pair.status == "different"
    queue = client.get("/people/duplicates/").content.decode()
    assert f"/people/duplicates/{pair.pk}/" not in queue


def test_the_queue_shows_no_names_to_administrators_nor_to_other_agencies(
    registry: dict[str, Person], administrator: User, caseworker: User, outsider: User, login: Callable[[User], Client]
) -> None:
    call_command("dedup")
    admin_page = login(administrator).get("/people/duplicates/").content.decode()
    assert "Finalizada" in admin_page and "María" not in admin_page and registry["maria"].public_id not in admin_page
    assert login(caseworker).get("/people/duplicates/").status_code == 404
    pair = DuplicatePair.objects.first()
    assert pair is not None
    assert login(outsider).get(f"/people/duplicates/{pair.pk}/").status_code == 404
