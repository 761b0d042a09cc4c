"""Family tracing's use of the matching engine: the persons families look for against the children
who may be traced, and each child who may now be traced against the persons looked for.

Only children of open protection cases whose record carries consent to tracing, or a
child-protection officer's best-interests override, are ever compared (`traceable`). The same
Fellegi–Sunter model as the registry scores the pairs and explains every field; a nickname is
tried as a given name too, and an age stands for an estimated date of birth. The inquirer's
municipality is shown beside the child's, not weighed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.db.models import Q, QuerySet
from django.utils import timezone

from retorno.protection.models import ProtectionCase, SoughtPerson, TracingRequest
from retorno.registry.linkage.model import Score
from retorno.registry.linkage.records import ESTIMATED, EXACT, Prepared, Record, prepare
from retorno.registry.linkage.vectorized import Comparer
from retorno.registry.matching import active_scorer, person_record, ranked
from retorno.registry.models import estimated_birth_date

LIMIT = 5  # potential matches kept for one sought person
FLOOR = 0.02  # a family's description is vaguer than a desk's: keep weaker candidates for review

Found = tuple[Any, float, list[dict[str, Any]]]


def traceable(country_id: int) -> QuerySet[ProtectionCase]:
    """Open cases of the country whose child may be compared with the persons sought."""
    return ProtectionCase.objects.filter(agency__country_id=country_id, closed_at__isnull=True).filter(
        Q(tracing_consent=True) | ~Q(tracing_override_reason="")
    )


def sought_records(sought: SoughtPerson) -> list[Record]:
    """The sought person as linkage records: as named, and with the nickname as given name."""
    request = sought.request
    birth, precision = sought.birth_date, EXACT
    if birth is None and sought.age is not None:
        birth, precision = estimated_birth_date(sought.age, timezone.localdate(request.created_at)), ESTIMATED
    names = [n for n in dict.fromkeys([sought.given_names.strip(), sought.known_as.strip()]) if n]
    return [
        Record(
            id=f"sought-{sought.pk}",
            given_names=name,
            first_surname=sought.first_surname,
            second_surname=sought.second_surname,
            sex=sought.sex,
            birth_date=birth,
            birth_precision=precision,
            # No place: where the inquirer lives now says little about where the child was
            # registered from (families move), and the registry's model weighs a different
            # municipality as strong evidence of two people.
        )
        for name in names
    ]


def explanation(score: Score) -> list[dict[str, Any]]:
    return [{"field": f.field, "level": f.level, "verdict": f.verdict, "weight": round(f.weight, 2)} for f in score.fields]


def children_like(sought: SoughtPerson, *, country_id: int) -> list[Found]:
    """Traceable children who may be the sought person, best first: (case, probability, fields)."""
    pool = traceable(country_id)
    sql, params = pool.values("child_id").query.sql_with_params()
    best: dict[int, tuple[float, Score]] = {}
    for found in ranked(sought_records(sought), limit=LIMIT * 2, include_different=True, among=(sql, tuple(params))):
        for score, _decision, person_pk, _agency in found:
            if score.probability >= FLOOR and score.probability > best.get(person_pk, (-1.0, score))[0]:
                best[person_pk] = (score.probability, score)
    top = sorted(best.items(), key=lambda item: -item[1][0])[:LIMIT]
    cases = {c.child_id: c for c in pool.filter(child_id__in=[pk for pk, _ in top]).select_related("child")}
    return [(cases[pk], p, explanation(score)) for pk, (p, score) in top if pk in cases]


def sought_like(case: ProtectionCase) -> list[Found]:
    """Persons of the country's open tracing requests who may be this child: (sought, p, fields)."""
    sought = list(
        SoughtPerson.objects.filter(
            request__status=TracingRequest.Status.OPEN, request__agency__country_id=case.agency.country_id, found__isnull=True
        ).select_related("request__inquirer_municipality__parent")
    )
    if not sought:
        return []
    records: list[Prepared] = []
    owner: list[SoughtPerson] = []
    for person in sought:
        for record in sought_records(person):
            records.append(prepare(record))
            owner.append(person)
    child = prepare(person_record(case.child))
    scorer = active_scorer()
    # Weigh the child against every record at once; explain only those worth a look.
    pairs = np.array([(i, 0) for i in range(len(records))], dtype=np.int64)
    weights = scorer.pair_weights(scorer.record_tf_weights(records), pairs[:, 0], Comparer(records, [child]).matrix(pairs))
    best: dict[int, tuple[float, Score, SoughtPerson]] = {}
    for i in np.argsort(-weights, kind="stable"):
        score = scorer.score(records[int(i)], child)
        if score.probability < FLOOR:
            break
        person = owner[int(i)]
        if score.probability > best.get(person.pk, (-1.0,))[0]:
            best[person.pk] = (score.probability, score, person)
    return [(person, p, explanation(score)) for p, score, person in sorted(best.values(), key=lambda v: -v[0])]
