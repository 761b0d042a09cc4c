from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from retorno.core.audit import audit_log, audit_verify
from retorno.core.models import AuditEvent, User


def _events(user: User, n: int) -> list[AuditEvent]:
    return [audit_log(actor=user, action="view", object_type="person", object_id=f"SV-2026-{i:06d}") for i in range(n)]


def test_chain_links_each_event_to_the_previous(caseworker: User) -> None:
    first, second, third = _events(caseworker, 3)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert audit_verify() is None


def test_events_record_field_names_and_who_but_are_append_only(caseworker: User) -> None:
    event = audit_log(actor=caseworker, action="update", object_type="person", object_id="SV-2026-000001", fields=["sex", "birth_date"])
    assert event.fields == ["birth_date", "sex"]
    assert (event.user_email, event.agency_acronym) == ("jose@dgme.test", "DGME")
    event.reason = "tampered"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_verify_names_an_edited_event(caseworker: User) -> None:
    events = _events(caseworker, 5)
    AuditEvent.objects.filter(pk=events[2].pk).update(object_id="SV-2026-999999")  # someone edits the table directly
    broken = audit_verify()
    assert broken is not None and broken.event_id == events[2].pk
    with pytest.raises(CommandError, match=f"event {events[2].pk}"):
        call_command("audit_verify")


def test_verify_detects_a_deleted_event_in_the_middle_and_at_the_end(caseworker: User) -> None:
    events = _events(caseworker, 4)
    AuditEvent.objects.filter(pk=events[3].pk).delete()  # queryset delete bypasses the model guard
    assert audit_verify() is not None
    # Restore a clean chain, then remove one in the middle.
    AuditEvent.objects.all().delete()
    from retorno.core.models import AuditChainHead

    AuditChainHead.objects.all().delete()
    events = _events(caseworker, 4)
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    broken = audit_verify()
    assert broken is not None and broken.event_id == events[2].pk


def test_verify_command_reports_an_intact_chain(caseworker: User, capsys: pytest.CaptureFixture[str]) -> None:
    _events(caseworker, 2)
    call_command("audit_verify")
    assert "intact: 2 events" in capsys.readouterr().out
