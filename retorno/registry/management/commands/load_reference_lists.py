from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from retorno.registry.services import reference_lists_load


class Command(BaseCommand):
    help = "Load the languages and ethnic groups kept in retorno/registry/data."

    def handle(self, *args: Any, **options: Any) -> None:
        languages, groups = reference_lists_load()
        self.stdout.write(self.style.SUCCESS(f"{languages} languages and {groups} ethnic groups loaded."))
