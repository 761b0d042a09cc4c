from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from retorno.registry.linkage.batch import compare_all, train_on
from retorno.registry.linkage.records import prepare
from retorno.registry.matching import person_record
from retorno.registry.models import IdentityDocument, MatchModel, Person


class Command(BaseCommand):
    help = "Train the matching model on the whole registry (EM, unsupervised) and store it as a new version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--activate", action="store_true", help="use the new version for matching at once")
        parser.add_argument("--same", type=float, default=0.95, help="probability from which a pair is the same person")
        parser.add_argument("--possible", type=float, default=0.50, help="probability from which a pair is shown for review")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["possible"] < options["same"] < 1:
            raise CommandError("Thresholds must satisfy 0 < possible < same < 1.")
        documents: dict[int, list[IdentityDocument]] = {}
        for document in IdentityDocument.objects.all().iterator(chunk_size=5000):
            documents.setdefault(document.person_id, []).append(document)
        people = Person.objects.select_related("municipality_of_origin__parent").iterator(chunk_size=5000)
        prepared = [prepare(person_record(p, documents.get(p.pk, []))) for p in people]
        if len(prepared) < 200:
            raise CommandError(f"Only {len(prepared)} people in the registry: too few to train; keep the shipped model.")
        compared = compare_all(prepared, None)
        now = timezone.now()
        version = f"registry-{now:%Y%m%d-%H%M%S}"
        parameters = train_on(prepared, None, compared, version=version)
        with transaction.atomic():
            if options["activate"]:
                MatchModel.objects.filter(is_active=True).update(is_active=False)
            MatchModel.objects.create(
                version=version,
                trained_at=datetime.datetime.fromisoformat(parameters.trained_at),
                source=f"registry: {len(prepared)} people, {len(compared)} candidate pairs",
                parameters=json.loads(parameters.to_json()),
                same_threshold=options["same"],
                possible_threshold=options["possible"],
                is_active=options["activate"],
            )
        self.stdout.write(self.style.SUCCESS(f"{version}: trained on {len(prepared)} people ({len(compared)} pairs)."))
