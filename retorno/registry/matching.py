"""Finding the same person again: the registry's side of record linkage.

`candidates_for` is the one function reception, search and family tracing call. It looks up
people through the indexed blocking keys, scores each with the active Fellegi–Sunter model
and explains every field. People outside the user's scope are reported without any personal
detail — only that a possible match exists at another institution.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Count, Max, QuerySet
from django.db.models.expressions import RawSQL

from retorno.core.audit import audit_log
from retorno.core.models import AdminArea, Agency, User
from retorno.core.text import fold
from retorno.registry.linkage.model import FieldResult, ModelParameters, Score, Scorer, Thresholds
from retorno.registry.linkage.records import Prepared, Record, prepare
from retorno.registry.linkage.vectorized import Comparer
from retorno.registry.models import IdentityDocument, MatchModel, Person

DEFAULT_MODEL = Path(__file__).resolve().parent / "data" / "match_model_default.json"
FETCH_LIMIT = 150  # candidates the model weighs for one query, best by agreeing keys first
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
    prepared = prepare(person_record(person, documents=[]))
    keys = prepared.keys
    person.bk_given, person.bk_first, person.bk_second = keys["given"], keys["first"], keys["second"]
    person.norm_given, person.norm_first, person.norm_second = prepared.given, prepared.first, prepared.second
    person.birth_year = person.birth_date.year if person.birth_date else None


@functools.lru_cache(maxsize=1)
def _default_scorer() -> Scorer:
    return Scorer(ModelParameters.from_json(DEFAULT_MODEL.read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=4)
def _model_scorer(pk: int, version: str, same: float, possible: float) -> Scorer:
    """Loaded once per process and version (its term-frequency tables are large); a change of
    thresholds is a new key, so an administrator's change applies at once."""
    parameters = dict(MatchModel.objects.values_list("parameters", flat=True).get(pk=pk))
    parameters["thresholds"] = {"same": same, "possible": possible}
    return Scorer(ModelParameters.from_json(json.dumps(parameters)))


def active_scorer() -> Scorer:
    """The active model's scorer; the shipped default until an administrator trains one."""
    active = MatchModel.objects.filter(is_active=True).values_list("pk", "version", "same_threshold", "possible_threshold").first()
    return _default_scorer() if active is None else _model_scorer(*active)


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


Among = tuple[str, tuple[Any, ...]]  # SQL selecting person ids, with its parameters


def _blocked_rows(p: Prepared, exclude: str, among: Among | None = None) -> list[tuple[Any, ...]]:
    """The registry rows that share a blocking key with the query, best first by a cheap count of
    agreeing keys, at most FETCH_LIMIT of them (the model then ranks these).

    Plain SQL, the same on SQLite and PostgreSQL: each rule is one of the indexed key
    combinations, and building this through the ORM cost more than running it.

    Within a small set of people (`among`: the children who may be traced, thousands rather than
    millions) one agreeing key and a close age are enough to be weighed: a family's description
    often has a typing error in two of the three names."""
    k, birth = p.keys, p.birth
    year = birth.year if birth else None
    near = " AND (birth_year IS NULL OR birth_year BETWEEN %s AND %s)" if year else ""
    near_params: list[Any] = [year - 3, year + 3] if year else []
    rules: list[str] = []
    params: list[Any] = []
    if k["first"] and year:
        # A common surname and a year are thousands of people in a national registry: ask for the
        # given name or the other surname as well (the other rules catch the rest).
        narrow = "(bk_given = %s OR bk_second = %s)" if k["second"] else "bk_given = %s"
        rules.append(f"(bk_first = %s AND birth_year IN (%s, %s, %s) AND {narrow})")
        params += [k["first"], year - 1, year, year + 1, k["given"]] + ([k["second"]] if k["second"] else [])
    if k["given"] and k["first"]:
        rules.append(f"(bk_given = %s AND bk_first = %s{near})")
        params += [k["given"], k["first"], *near_params]
    if k["given"] and k["second"]:
        rules.append(f"(bk_given = %s AND bk_second = %s{near})")
        params += [k["given"], k["second"], *near_params]
    if k["first"] and k["second"]:
        rules.append(f"(bk_second = %s AND bk_first = %s{near})")  # surnames swapped
        params += [k["first"], k["second"], *near_params]
    if k["given"] and birth:
        rules.append("(birth_date = %s AND bk_given = %s)")
        params += [birth, k["given"]]
    if among:
        window = " AND birth_year BETWEEN %s AND %s" if year else ""
        window_params: list[Any] = [year - 2, year + 2] if year else []
        surnames = [key for key in (k["first"], k["second"]) if key]
        if k["given"] and year:
            rules.append(f"(bk_given = %s{window})")
            params += [k["given"], *window_params]
        for key in surnames if year else []:
            rules.append(f"((bk_first = %s OR bk_second = %s){window})")
            params += [key, key, *window_params]
        if len(surnames) == 2:
            rules.append("(bk_first IN (%s, %s) AND bk_second IN (%s, %s))")
            params += surnames * 2
    # The people holding the document, fetched first: a subquery inside the OR would stop
    # PostgreSQL from combining the indexes (it scanned the whole table instead).
    holders = list(IdentityDocument.objects.filter(number_normalized=p.doc).values_list("person_id", flat=True)[:50]) if p.doc else []
    holding = f"id IN ({', '.join(['%s'] * len(holders))})"
    if holders:
        rules.append(holding)
        params += holders
    if not rules:
        return []
    rank = ["CASE WHEN bk_given = %s THEN 2 ELSE 0 END", "CASE WHEN bk_first = %s OR bk_second = %s THEN 2 ELSE 0 END"]
    rank_params: list[Any] = [k["given"], k["first"], k["first"]]
    if k["second"]:
        rank.append("CASE WHEN bk_second = %s OR bk_first = %s THEN 1 ELSE 0 END")
        rank_params += [k["second"], k["second"]]
    if year:
        rank.append("CASE WHEN birth_date = %s THEN 3 WHEN birth_year = %s THEN 2 WHEN birth_year BETWEEN %s AND %s THEN 1 ELSE 0 END")
        rank_params += [birth, year, year - 1, year + 1]
    if holders:
        rank.append(f"CASE WHEN {holding} THEN 8 ELSE 0 END")
        rank_params += holders
    within = f" AND id IN ({among[0]})" if among else ""
    sql = (
        f"SELECT {', '.join(CANDIDATE_COLUMNS)}, {document_sql()} FROM {Person._meta.db_table}"  # noqa: S608
        f" WHERE ({' OR '.join(rules)}) AND merged_into_id IS NULL AND public_id <> %s{within}"
        f" ORDER BY {' + '.join(rank)} DESC, id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [p.doc, *params, exclude, *(among[1] if among else ()), *rank_params, FETCH_LIMIT])
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    if connection.vendor == "sqlite":  # SQLite hands dates back as text
        rows = [(*r[:7], _date(r[7]), *r[8:]) for r in rows]
    return rows


def document_sql() -> str:
    """A person's document number for comparison, as a correlated subquery: the one equal to the
    parameter (the query's document) if the person has it, else the most telling kind."""
    kinds = " ".join(f"WHEN '{kind}' THEN {rank}" for kind, rank in DOCUMENT_PRIORITY.items())
    return (  # only names from the models are interpolated; the document number is a parameter
        f"(SELECT d.number_normalized FROM {IdentityDocument._meta.db_table} d WHERE d.person_id = {Person._meta.db_table}.id"  # noqa: S608
        f" ORDER BY CASE WHEN d.number_normalized = %s THEN 0 ELSE 1 END, CASE d.kind {kinds} ELSE 9 END, d.id LIMIT 1)"
    )


def registry_rows(people: QuerySet[Person]) -> QuerySet[Person, tuple[Any, ...]]:
    """The rows registry_prepared reads, for a whole-registry pass (no query document)."""
    return people.annotate(document=RawSQL(document_sql(), [""])).values_list(*CANDIDATE_COLUMNS, "document")  # noqa: S611


def _date(value: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


@functools.lru_cache(maxsize=1)
def _area_names(version: tuple[int, int]) -> dict[int, tuple[str, str]]:
    """Municipality id → (name, department) as the matcher compares them (folded), cached per
    process; `version` (how many areas, the highest id) makes a reload happen when they change."""
    return {
        area.pk: (fold(area.name), fold(area.parent.name) if area.parent else "")
        for area in AdminArea.objects.filter(level=AdminArea.Level.MUNICIPALITY).select_related("parent")
    }


CANDIDATE_COLUMNS = (
    "id",
    "public_id",
    "agency_id",
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "birth_date",
    "birth_date_precision",
    "municipality_of_origin_id",
    "norm_given",
    "norm_first",
    "norm_second",
    "bk_given",
    "bk_first",
    "bk_second",
)


def _areas_version() -> tuple[int, int]:
    counts = AdminArea.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return counts["n"], counts["last"] or 0


def registry_prepared(rows: Iterable[tuple[Any, ...]]) -> list[Prepared]:
    """Rows of CANDIDATE_COLUMNS plus the document (document_sql) as prepared linkage records,
    from the normalised names and keys stored with each person: no normalisation per row."""
    areas = _area_names(_areas_version())
    out = []
    for row in rows:
        _pk, public_id, _agency, given, first, second, sex, birth, precision, area_id, n_given, n_first, n_second, *keys, document = row
        municipality, department = areas.get(area_id, ("", "")) if area_id else ("", "")
        sex = sex if sex in ("F", "M") else ""
        document = document or ""
        if given and not n_given:  # stored before the normalised columns existed
            out.append(prepare(Record(public_id, given, first, second, sex, birth, precision, document, municipality, department)))
            continue
        prepared = Prepared(
            public_id, n_given, tuple(n_given.split()), n_first, n_second, sex, birth, precision, document, municipality, department, ""
        )
        prepared.keys = {"given": keys[0], "first": keys[1], "second": keys[2], "year": str(birth.year) if birth else ""}
        out.append(prepared)
    return out


def candidates_for(
    *, user: User, record: Record, limit: int = 10, include_different: bool = False, exclude: str = "", audit: bool = True
) -> list[Candidate]:
    """Ranked people who may be the person described by `record`, with a per-field explanation.

    Candidates in the user's scope carry the person; others only their agency. Only "same" and
    "possible" decisions are returned unless `include_different`. Showing in-scope candidates
    is a read: one audit event lists their ids.
    """
    return candidates_for_many(user=user, records=[record], limit=limit, include_different=include_different, exclude=exclude, audit=audit)[
        0
    ]


def candidates_for_many(
    *, user: User, records: Sequence[Record], limit: int = 10, include_different: bool = False, exclude: str = "", audit: bool = True
) -> list[list[Candidate]]:
    """`candidates_for` for several records at once (a manifest): each is blocked on its own, but
    the model weighs every pair in one pass, so a value shared by many pairs is compared once."""
    from retorno.registry.selectors import people_in_scope
    from retorno.registry.services import access_token

    scored = ranked(records, limit=limit, include_different=include_different, exclude=exclude)
    agency_of = {pk: agency_id for found in scored for _s, _d, pk, agency_id in found}
    visible = people_in_scope(user=user, agency_of=agency_of)
    agencies = dict(Agency.objects.filter(pk__in=set(agency_of.values())).values_list("pk", "acronym"))
    result = [
        [
            Candidate(
                person=visible.get(pk),
                agency=agencies.get(agency_id, ""),
                probability=score.probability,
                decision=decision,
                fields=score.fields if pk in visible else (),
                access_token="" if pk in visible else access_token(pk),
            )
            for score, decision, pk, agency_id in found
        ]
        for found in scored
    ]
    shown = list(dict.fromkeys(c.person.public_id for found in result for c in found if c.person is not None))
    if audit and shown:
        audit_log(actor=user, action="search", object_type="person", object_id="", records=shown, reason="candidates")
    return result


Ranked = tuple[Score, str, int, int]  # score, decision, person pk, agency pk


def ranked(
    records: Sequence[Record], *, limit: int = 10, include_different: bool = False, exclude: str = "", among: Among | None = None
) -> list[list[Ranked]]:
    """For each record, the registry people who may be that person, best first, scored and
    explained by the active model: no scope and no audit (callers apply both). `among` limits the
    search to a set of people (family tracing: the children who may be traced).

    Each record is blocked on its own, but the model weighs every pair in one pass, so a value
    shared by many pairs is compared once."""
    queries = [prepare(record) for record in records]
    blocked = [_blocked_rows(query, exclude, among) for query in queries]
    position: dict[int, int] = {}
    rows: list[tuple[Any, ...]] = []
    pairs_list: list[tuple[int, int]] = []
    for q, found in enumerate(blocked):
        for row in found:
            if row[0] not in position:
                position[row[0]] = len(rows)
                rows.append(row)
            pairs_list.append((q, position[row[0]]))
    if not pairs_list:
        return [[] for _ in records]
    scorer = active_scorer()
    thresholds: Thresholds = scorer.params.thresholds
    prepared = registry_prepared(rows)
    # Weigh every fetched pair at once (the vectorised comparisons), explain only those kept.
    pairs = np.array(pairs_list, dtype=np.int64)
    weights = scorer.pair_weights(scorer.record_tf_weights(queries), pairs[:, 0], Comparer(queries, prepared).matrix(pairs))
    floor = -math.inf if include_different else math.log2(thresholds.possible / (1 - thresholds.possible))
    scored: list[list[Ranked]] = [[] for _ in records]
    for q in range(len(queries)):
        mine = np.flatnonzero(pairs[:, 0] == q)
        order = mine[np.argsort(-weights[mine], kind="stable")]
        for pair in order[:limit]:
            if weights[pair] < floor:
                break
            row = rows[int(pairs[pair, 1])]
            score = scorer.score(queries[q], prepared[int(pairs[pair, 1])])
            scored[q].append((score, score.decision(thresholds), row[0], row[2]))
    return scored


def pair_explanation(left: Person, right: Person) -> Score:
    """Score and per-field explanation of two registry records (a shared document number, if any,
    is the one compared)."""
    left_docs, right_docs = list(left.documents.all()), list(right.documents.all())
    shared = {d.number_normalized for d in left_docs} & {d.number_normalized for d in right_docs}
    prefer = min(shared) if shared else ""
    a = prepare(person_record(left, left_docs, prefer_document=prefer))
    b = prepare(person_record(right, right_docs, prefer_document=prefer))
    return active_scorer().score(a, b)
