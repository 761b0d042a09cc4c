"""Finding the same person again: the registry's side of record linkage.

`candidates_for` is the one function reception, search and family tracing call. It looks up
people through the indexed blocking keys, scores each with the active Fellegi–Sunter model
and explains every field. People outside the user's scope are reported without any personal
detail — only that a possible match exists at another institution.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.db.models import Q

from retorno.core.audit import audit_log
from retorno.core.models import AdminArea, Agency, User
from retorno.registry.linkage.model import FieldResult, ModelParameters, Score, Scorer, Thresholds
from retorno.registry.linkage.records import Prepared, Record, prepare
from retorno.registry.linkage.vectorized import Comparer
from retorno.registry.models import IdentityDocument, MatchModel, Person

DEFAULT_MODEL = Path(__file__).resolve().parent / "data" / "match_model_default.json"
FETCH_LIMIT = 2000
DOCUMENT_PRIORITY = {
    k: i for i, k in enumerate(["national_id", "passport", "birth_certificate", "consular_id", "travel_document", "other"])
}


def person_record(person: Person, documents: list[IdentityDocument] | None = None, prefer_document: str = "") -> Record:
    """A registry person as a linkage record (the document that best answers the query, if any)."""
    docs = sorted(documents if documents is not None else person.documents.all(), key=lambda d: DOCUMENT_PRIORITY.get(d.kind, 9))
    number = next((d.number_normalized for d in docs if prefer_document and d.number_normalized == prefer_document), "")
    number = number or (docs[0].number_normalized if docs else "")
    municipality = person.municipality_of_origin
    return Record(
        id=person.public_id,
        given_names=person.given_names,
        first_surname=person.first_surname,
        second_surname=person.second_surname,
        sex=person.sex if person.sex in ("F", "M") else "",
        birth_date=person.birth_date,
        birth_precision=person.birth_date_precision,
        document_number=number,
        municipality=municipality.name if municipality else "",
        department=municipality.parent.name if municipality and municipality.parent else "",
    )


def blocking_keys_update(person: Person) -> None:
    """Refresh the indexed keys from the person's current identity (services call this before saving)."""
    keys = prepare(person_record(person, documents=[])).keys
    person.bk_given, person.bk_first, person.bk_second = keys["given"], keys["first"], keys["second"]
    person.birth_year = person.birth_date.year if person.birth_date else None


@functools.lru_cache(maxsize=4)
def _scorer_for(version: str, parameters_json: str) -> Scorer:
    return Scorer(ModelParameters.from_json(parameters_json))


def active_scorer() -> Scorer:
    """The active model's scorer; the shipped default until an administrator trains one."""
    model = MatchModel.objects.filter(is_active=True).first()
    if model is None:
        text = DEFAULT_MODEL.read_text(encoding="utf-8")
        return _scorer_for("default", text)
    parameters = dict(model.parameters)
    parameters["thresholds"] = {"same": model.same_threshold, "possible": model.possible_threshold}
    return _scorer_for(model.version, json.dumps(parameters, sort_keys=True))


@dataclass(frozen=True)
class Candidate:
    """A ranked possible match. `person` is None when it lies outside the user's scope."""

    person: Person | None
    agency: str
    probability: float
    decision: str  # same / possible / different
    fields: tuple[FieldResult, ...]
    access_token: str = ""  # outside the scope: what an access request refers to

    @property
    def in_scope(self) -> bool:
        return self.person is not None


def _block_filter(p: Prepared) -> Q:
    k, birth = p.keys, p.birth
    year = birth.year if birth else None
    near_year = Q(birth_year__isnull=True) | Q(birth_year__gte=year - 3, birth_year__lte=year + 3) if year else Q()
    condition = Q(pk__in=[])
    if k["first"] and year:
        # A common surname and a year are thousands of people in a national registry: ask for the
        # given name or the other surname as well (the other rules catch the rest).
        narrow = Q(bk_given=k["given"]) | Q(bk_second=k["second"]) if k["second"] else Q(bk_given=k["given"])
        condition |= Q(bk_first=k["first"], birth_year__in=[year - 1, year, year + 1]) & narrow
    if k["given"] and k["first"]:
        condition |= Q(bk_given=k["given"], bk_first=k["first"]) & near_year
    if k["given"] and k["second"]:
        condition |= Q(bk_given=k["given"], bk_second=k["second"]) & near_year
    if k["first"] and k["second"]:
        condition |= Q(bk_second=k["first"], bk_first=k["second"]) & near_year  # surnames swapped
    if k["given"] and birth:
        condition |= Q(birth_date=birth, bk_given=k["given"])
    if p.doc:
        condition |= Q(pk__in=IdentityDocument.objects.filter(number_normalized=p.doc).values("person_id"))
    return condition


@functools.lru_cache(maxsize=50_000)
def _prepared(*fields: Any) -> Prepared:
    """A registry row normalised for comparison; rows of common names recur from query to query."""
    return prepare(Record(*fields))


@functools.lru_cache(maxsize=1)
def _area_names(version: int) -> dict[int, tuple[str, str]]:
    """Municipality id → (name, department), cached per process; `version` (the number of areas)
    makes a reload happen when an administrator adds some."""
    return {
        area.pk: (area.name, area.parent.name if area.parent else "")
        for area in AdminArea.objects.filter(level=AdminArea.Level.MUNICIPALITY).select_related("parent")
    }


def person_documents(person_ids: list[int] | None = None) -> dict[int, list[str]]:
    """Normalised document numbers per person, the most telling kind first (all people if None)."""
    found: dict[int, list[tuple[int, str]]] = {}
    documents = IdentityDocument.objects.all() if person_ids is None else IdentityDocument.objects.filter(person_id__in=person_ids)
    for person_id, kind, number in documents.values_list("person_id", "kind", "number_normalized").iterator(chunk_size=20_000):
        found.setdefault(person_id, []).append((DOCUMENT_PRIORITY.get(kind, 9), number))
    return {person_id: [number for _rank, number in sorted(docs)] for person_id, docs in found.items()}


def registry_prepared(
    rows: Iterable[tuple[Any, ...]], documents: dict[int, list[str]], prefer_document: str = "", cache: bool = True
) -> list[Prepared]:
    """Rows of CANDIDATE_COLUMNS as prepared linkage records (the document that answers the
    query, if any, else the most telling one). `cache` keeps recurring rows prepared between
    queries; a whole-registry pass reads each row once and skips it."""
    make = _prepared if cache else (lambda *fields: prepare(Record(*fields)))
    areas = _area_names(AdminArea.objects.count())
    out = []
    for pk, public_id, _agency, given, first, second, sex, birth, precision, area_id in rows:
        numbers = documents.get(pk, [])
        document = prefer_document if prefer_document and prefer_document in numbers else (numbers[0] if numbers else "")
        municipality, department = areas.get(area_id, ("", "")) if area_id else ("", "")
        out.append(
            make(public_id, given, first, second, sex if sex in ("F", "M") else "", birth, precision, document, municipality, department)
        )
    return out


CANDIDATE_COLUMNS = (
    "pk",
    "public_id",
    "agency_id",
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "birth_date",
    "birth_date_precision",
    "municipality_of_origin_id",
)


def candidates_for(
    *, user: User, record: Record, limit: int = 10, include_different: bool = False, exclude: str = "", audit: bool = True
) -> list[Candidate]:
    """Ranked people who may be the person described by `record`, with a per-field explanation.

    Candidates in the user's scope carry the person; others only their agency. Only "same" and
    "possible" decisions are returned unless `include_different`. Showing in-scope candidates
    is a read: one audit event lists their ids.
    """
    from retorno.registry.selectors import person_scope
    from retorno.registry.services import access_token

    query = prepare(record)
    scorer = active_scorer()
    thresholds: Thresholds = scorer.params.thresholds
    blocked = Person.objects.filter(_block_filter(query), merged_into__isnull=True).exclude(public_id=exclude)
    blocked = blocked.order_by()  # ranked below, not sorted here
    rows = list(blocked.values_list(*CANDIDATE_COLUMNS)[:FETCH_LIMIT])
    if not rows:
        return []
    prepared = registry_prepared(rows, person_documents([r[0] for r in rows]), prefer_document=query.doc)
    # Weigh every fetched row at once (the vectorised comparisons), explain only those shown.
    pairs = np.stack([np.zeros(len(prepared), dtype=np.int64), np.arange(len(prepared))], axis=1)
    weights = scorer.pair_weights(scorer.record_tf_weights([query]), pairs[:, 0], Comparer([query], prepared).matrix(pairs))
    floor = -math.inf if include_different else math.log2(thresholds.possible / (1 - thresholds.possible))
    best = [int(i) for i in np.argsort(-weights, kind="stable")[:limit] if weights[i] >= floor]
    scored = []
    for index in best:
        score = scorer.score(query, prepared[index])
        scored.append((score, score.decision(thresholds), rows[index][0], rows[index][2]))
    ids = [pk for _s, _d, pk, _a in scored]
    visible = {p.pk: p for p in person_scope(user=user).filter(pk__in=ids).select_related("agency", "municipality_of_origin__parent")}
    agencies = dict(Agency.objects.filter(pk__in={a for *_rest, a in scored}).values_list("pk", "acronym"))
    result = [
        Candidate(
            person=visible.get(pk),
            agency=agencies.get(agency_id, ""),
            probability=score.probability,
            decision=decision,
            fields=score.fields if pk in visible else (),
            access_token="" if pk in visible else access_token(pk),
        )
        for score, decision, pk, agency_id in scored
    ]
    shown = [c.person.public_id for c in result if c.person is not None]
    if audit and shown:
        audit_log(actor=user, action="search", object_type="person", object_id="", records=shown, reason="candidates")
    return result


def pair_explanation(left: Person, right: Person) -> Score:
    """Score and per-field explanation of two registry records (a shared document number, if any,
    is the one compared)."""
    left_docs, right_docs = list(left.documents.all()), list(right.documents.all())
    shared = {d.number_normalized for d in left_docs} & {d.number_normalized for d in right_docs}
    prefer = min(shared) if shared else ""
    a = prepare(person_record(left, left_docs, prefer_document=prefer))
    b = prepare(person_record(right, right_docs, prefer_document=prefer))
    return active_scorer().score(a, b)
