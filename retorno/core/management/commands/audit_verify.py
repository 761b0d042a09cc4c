from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from retorno.core.audit import audit_verify
from retorno.core.models import AuditEvent


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; name the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = audit_verify()
        if broken is not None:
            raise CommandError(f"Audit chain broken at event {broken.event_id}: {broken.problem}.")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {AuditEvent.objects.count()} events."))
