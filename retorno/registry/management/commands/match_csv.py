from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from retorno.registry.linkage.batch import link
from retorno.registry.linkage.csvio import CsvError, read_person_csv, write_pairs
from retorno.registry.linkage.model import ModelParameters, Thresholds
from retorno.registry.linkage.records import prepare
from retorno.registry.matching import active_scorer


class Command(BaseCommand):
    help = (
        "Deduplicate a person CSV (--left) or link it to another (--right), writing left_id,right_id,score for every "
        "pair called the same person. Columns: id, given_names, first_surname, second_surname, sex, birth_date, "
        "document_number, municipality, department, address (empty allowed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--left", required=True, type=Path)
        parser.add_argument("--right", type=Path)
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--threshold", type=float, help="probability from which a pair is the same person")
        parser.add_argument(
            "--model",
            choices=["train", "active"],
            default="train",
            help="train on these files (default, as Splink does) or use the registry's active model",
        )
        parser.add_argument("--model-out", type=Path, help="save the trained parameters as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            left = [prepare(r) for r in read_person_csv(options["left"])]
            right = [prepare(r) for r in read_person_csv(options["right"])] if options["right"] else None
        except (CsvError, OSError) as error:
            raise CommandError(str(error)) from None
        model: ModelParameters | None = active_scorer().params if options["model"] == "active" else None
        thresholds = Thresholds(same=options["threshold"]) if options["threshold"] else None
        result = link(left, right, model=model, thresholds=thresholds, progress=lambda m: self.stderr.write(m))
        written = write_pairs(options["out"], result.pairs)
        if options["model_out"]:
            options["model_out"].write_text(result.model.to_json(), encoding="utf-8")
        summary = {
            "records": len(left) + len(right or []),
            "pairs_compared": result.compared,
            "pairs_written": written,
            "seconds": round(time.monotonic() - started, 2),
        }
        self.stdout.write(json.dumps(summary))
