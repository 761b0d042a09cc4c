"""Instrument definitions (YAML, schema in docs/instruments.md): reading, checking and scoring.

Nothing here knows a question or a weight: everything comes from the loaded definition, so an
updated official table (e.g. the RSS weights) is a new file, not a code change.

Scoring, for each dimension: the weighted mean of the scores of the answered, scored questions
(an option scored `null`, such as "does not want to answer", leaves the question out); a
multiple choice scores the sum of its options' scores, at most 1. The overall score is the
weighted mean of the dimension scores. Every score is between 0 and 1; what 1 means (most
vulnerable, most sustainable…) is the definition's `score_meaning`.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import yaml
from django.utils.translation import gettext as _

KINDS = ("vulnerability", "needs", "skills", "sustainability")
TYPES = ("select_one", "select_multiple", "integer", "text")
LANGUAGES = ("es", "en", "fr")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class InstrumentError(ValueError):
    """A definition that cannot be loaded; `problems` are sentences for the administrator."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _label(value: Any, where: str, problems: list[str]) -> dict[str, str]:
    if isinstance(value, str) and value.strip():
        return {lang: value.strip() for lang in LANGUAGES}
    if isinstance(value, dict) and str(value.get("es", "")).strip():
        return {lang: str(value.get(lang) or value["es"]).strip() for lang in LANGUAGES}
    problems.append(_("%(where)s: a label is needed, at least in Spanish (es).") % {"where": where})
    return {}


def _number(value: Any, where: str, problems: list[str], *, allow_none: bool = False, upper: float | None = None) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (upper is not None and value > upper):
        limit = _("between 0 and %(upper)s") % {"upper": upper} if upper is not None else _("zero or more")
        problems.append(_("%(where)s: “%(value)s” is not a number %(limit)s.") % {"where": where, "value": value, "limit": limit})
        return None
    return float(value)


def _options(raw: Any, where: str, problems: list[str]) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        problems.append(_("%(where)s: the list of options is empty.") % {"where": where})
        return []
    options, seen = [], set()
    for n, item in enumerate(raw, 1):
        here = f"{where}, {_('option')} {n}"
        if not isinstance(item, dict):
            problems.append(_("%(where)s: write the option as code, label and score.") % {"where": here})
            continue
        code = str(item.get("code", ""))
        if not CODE.match(code) or code in seen:
            problems.append(
                _("%(where)s: the code “%(code)s” is missing, repeated or not lowercase letters, digits and _.")
                % {"where": here, "code": code}
            )
        seen.add(code)
        options.append(
            {
                "code": code,
                "label": _label(item.get("label"), here, problems),
                "score": _number(item.get("score"), here, problems, allow_none=True, upper=1),
            }
        )
    return options


def definition_parse(text: str | bytes) -> dict[str, Any]:
    """Read a YAML definition into the stored form, or raise InstrumentError listing every problem."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        raise InstrumentError([_("The file is not valid YAML (line %(line)s).") % {"line": line}]) from None
    if not isinstance(raw, dict):
        raise InstrumentError([_("The file must describe one instrument: instrument, kind, version, title, dimensions, questions.")])
    problems: list[str] = []
    code = str(raw.get("instrument", ""))
    if not CODE.match(code):
        problems.append(_("“instrument” must be a short code in lowercase letters, digits and _ (e.g. rss)."))
    kind = raw.get("kind")
    if kind not in KINDS:
        problems.append(_("“kind” must be one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)})
    version = str(raw.get("version", "")).strip()
    if not version or len(version) > 40:
        problems.append(_("“version” is needed (at most 40 characters), e.g. 2024.1."))
    source = str(raw.get("source", "")).strip()
    if not source:
        problems.append(_("“source” is needed: say where the questions and weights come from."))
    title = _label(raw.get("title"), "title", problems)
    meaning = _label(raw.get("score_meaning"), "score_meaning", problems)

    dimensions, dim_codes = [], set()
    for n, item in enumerate(raw.get("dimensions") or [], 1):
        where = f"{_('dimension')} {n}"
        item = item if isinstance(item, dict) else {}
        dcode = str(item.get("code", ""))
        if not CODE.match(dcode) or dcode in dim_codes:
            problems.append(
                _("%(where)s: the code “%(code)s” is missing, repeated or not lowercase letters, digits and _.")
                % {"where": where, "code": dcode}
            )
        dim_codes.add(dcode)
        weight = _number(item.get("weight", 1), where, problems)
        dimensions.append({"code": dcode, "label": _label(item.get("label"), where, problems), "weight": weight})
    if not dimensions:
        problems.append(_("At least one dimension is needed."))

    lists = raw.get("choices") or {}
    if not isinstance(lists, dict):
        problems.append(_("“choices” must name lists of options."))
        lists = {}
    questions, q_codes = [], set()
    for n, item in enumerate(raw.get("questions") or [], 1):
        item = item if isinstance(item, dict) else {}
        qcode = str(item.get("code", ""))
        where = f"{_('question')} {n} ({qcode})" if qcode else f"{_('question')} {n}"
        if not CODE.match(qcode) or qcode in q_codes:
            problems.append(
                _("%(where)s: the code “%(code)s” is missing, repeated or not lowercase letters, digits and _.")
                % {"where": where, "code": qcode}
            )
        q_codes.add(qcode)
        qtype = item.get("type", "select_one")
        if qtype not in TYPES:
            problems.append(_("%(where)s: the type must be one of: %(types)s.") % {"where": where, "types": ", ".join(TYPES)})
        dimension = item.get("dimension")
        if dimension not in dim_codes:
            problems.append(_("%(where)s: the dimension “%(dimension)s” is not declared.") % {"where": where, "dimension": dimension})
        question: dict[str, Any] = {
            "code": qcode,
            "type": qtype,
            "dimension": dimension,
            "label": _label(item.get("label"), where, problems),
            "weight": _number(item.get("weight", 1), where, problems),
            "required": bool(item.get("required", qtype == "select_one")),
        }
        if qtype in ("select_one", "select_multiple"):
            choices = item.get("choices")
            if isinstance(choices, str):
                if choices not in lists:
                    problems.append(_("%(where)s: the list of options “%(name)s” is not declared.") % {"where": where, "name": choices})
                choices = lists.get(choices)
            question["options"] = _options(choices, where, problems)
        questions.append(question)
    if not questions:
        problems.append(_("At least one question is needed."))
    if problems:
        raise InstrumentError(problems)
    return {
        "instrument": code,
        "kind": kind,
        "version": version,
        "title": title,
        "source": source,
        "provisional": bool(raw.get("provisional", False)),
        "score_meaning": meaning,
        "dimensions": dimensions,
        "questions": questions,
    }


def checksum(definition: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(definition, sort_keys=True, ensure_ascii=True).encode()).hexdigest()


def answers_check(definition: dict[str, Any], answers: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Keep the answers the definition knows, in its form; return them and the problems by question."""
    clean: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for q in definition["questions"]:
        value = answers.get(q["code"])
        empty = value in (None, "", [])
        if empty:
            if q["required"]:
                problems[q["code"]] = _("Answer this question (there is an option for “does not want to answer” where it applies).")
            continue
        codes = {o["code"] for o in q.get("options", [])}
        if q["type"] == "select_one":
            if str(value) not in codes:
                problems[q["code"]] = _("Choose one of the options.")
            else:
                clean[q["code"]] = str(value)
        elif q["type"] == "select_multiple":
            chosen = [str(v) for v in (value if isinstance(value, list) else [value])]
            if not set(chosen) <= codes:
                problems[q["code"]] = _("Choose among the options.")
            else:
                clean[q["code"]] = list(dict.fromkeys(chosen))
        elif q["type"] == "integer":
            try:
                number = int(str(value).strip())
            except ValueError:
                problems[q["code"]] = _("Write a whole number.")
                continue
            if not 0 <= number <= 100000:
                problems[q["code"]] = _("Write a number between 0 and 100000.")
            else:
                clean[q["code"]] = number
        else:
            clean[q["code"]] = str(value).strip()[:1000]
    return clean, problems


def _question_score(question: dict[str, Any], value: Any) -> float | None:
    scores = {o["code"]: o["score"] for o in question.get("options", [])}
    if question["type"] == "select_one":
        return scores.get(value)
    if question["type"] == "select_multiple":
        chosen = [scores[v] for v in value if scores.get(v) is not None]
        return min(1.0, sum(chosen)) if chosen else None
    return None


def score(definition: dict[str, Any], answers: dict[str, Any]) -> tuple[dict[str, float], float | None]:
    """Scores 0-1 per dimension (dimensions with no scored answer are left out) and overall."""
    totals: dict[str, list[float]] = {d["code"]: [0.0, 0.0] for d in definition["dimensions"]}
    for q in definition["questions"]:
        if q["code"] not in answers or not q["weight"]:
            continue
        value = _question_score(q, answers[q["code"]])
        if value is not None:
            totals[q["dimension"]][0] += q["weight"] * value
            totals[q["dimension"]][1] += q["weight"]
    scores = {code: round(num / den, 4) for code, (num, den) in totals.items() if den}
    weights = {d["code"]: d["weight"] or 0.0 for d in definition["dimensions"]}
    den = sum(weights[code] for code in scores)
    overall = round(sum(weights[code] * value for code, value in scores.items()) / den, 4) if den else None
    return scores, overall
