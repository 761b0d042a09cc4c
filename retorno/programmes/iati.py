"""Projects as IATI 2.03 activities (https://iatistandard.org/en/iati-standard/203/).

The official activity schema and the code lists the export uses are kept in ``iati/`` (from the
IATI Standard's 2.03 release as packaged by pyIATI, MIT licence); ``validate`` checks a document
against the schema and then what the schema does not check: activity status, region and country
codes are on their code lists, recipient percentages add up to 100, and no budget period is
longer than a year (multi-year budgets are split by calendar year).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from lxml import etree

from retorno.programmes.models import Indicator, Project, ProjectPartner, ProjectText
from retorno.programmes.selectors import measure

IATI_DIR = Path(__file__).parent / "iati"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# IOM's organisation identifier on the IATI Registry (DAC multilateral code 47066).
REPORTING_ORG = getattr(settings, "IATI_REPORTING_ORG", "XM-DAC-47066")
REPORTING_NAMES = {
    "en": "International Organization for Migration",
    "es": "Organización Internacional para las Migraciones",
    "fr": "Organisation internationale pour les migrations",
}
STATUS: dict[str, str] = {Project.Status.PIPELINE: "1", Project.Status.ACTIVE: "2", Project.Status.COMPLETED: "3"}
# IOM Development Fund regions → IATI Region (OECD DAC) codes.
REGIONS = {
    "Latin America and the Caribbean": "498",
    "Central America, North America and the Caribbean": "389",
    "South America": "489",
    "Africa": "298",
    "West and Central Africa": "289",
    "East and Horn of Africa": "289",
    "Southern Africa": "289",
    "Middle East and North Africa": "589",
    "Asia and the Pacific": "798",
    "Europe": "89",
    "South-Eastern Europe, Eastern Europe and Central Asia": "89",
}
ROLES: dict[str, str] = {ProjectPartner.Role.DONOR: "1", ProjectPartner.Role.ACCOUNTABLE: "2", ProjectPartner.Role.IMPLEMENTING: "4"}


@cache
def codelist(name: str) -> frozenset[str]:
    tree = etree.parse(str(IATI_DIR / "codelists" / f"{name}.xml"))  # noqa: S320 (our own file)
    return frozenset(code.text.strip() for code in tree.iter("code") if code.text)


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(IATI_DIR / "iati-activities-schema.xsd")))  # noqa: S320


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _narratives(parent: etree._Element, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        narrative = _sub(parent, "narrative", text)
        narrative.set(XML_LANG, lang)


def budget_periods(project: Project) -> list[tuple[datetime.date, datetime.date, Decimal]]:
    """The budget split by calendar year over the project's years (each period at most a year),
    the cents that do not divide going to the last year."""
    if project.budget_usd is None:
        return []
    first = project.start_year or project.year or project.end_year
    last = project.end_year or project.start_year or project.year
    if first is None or last is None:
        return []
    years = list(range(first, last + 1))
    share = (project.budget_usd / len(years)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    amounts = [share] * (len(years) - 1) + [project.budget_usd - share * (len(years) - 1)]
    return [(datetime.date(y, 1, 1), datetime.date(y, 12, 31), a) for y, a in zip(years, amounts, strict=True)]


def _percentages(count: int) -> list[Decimal]:
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [share] * (count - 1) + [Decimal(100) - share * (count - 1)]


def _activity(root: etree._Element, project: Project, today: datetime.date) -> None:
    texts: dict[str, ProjectText | None] = {t.language: t for t in project.texts.all()} or {"es": None}
    default_lang = "es" if "es" in texts else next(iter(texts))
    activity = _sub(
        root,
        "iati-activity",
        last_updated_datetime=project.updated_at.replace(microsecond=0).isoformat(),
        default_currency="USD",
    )
    activity.set(XML_LANG, default_lang)
    _sub(activity, "iati-identifier", f"{REPORTING_ORG}-{project.code}")
    reporting = _sub(activity, "reporting-org", ref=REPORTING_ORG, type="40")
    _narratives(reporting, {lang: REPORTING_NAMES[lang] for lang in ("en", "es", "fr")})
    _narratives(_sub(activity, "title"), {lang: (t.title if t else project.title) for lang, t in texts.items()})
    descriptions = {lang: t.description for lang, t in texts.items() if t and t.description}
    if descriptions:
        _narratives(_sub(activity, "description", type="1"), descriptions)
    accountable = _sub(activity, "participating-org", ref=REPORTING_ORG, role="2", type="40")
    _narratives(accountable, {"en": REPORTING_NAMES["en"]})
    for partner in project.partners.all():
        org = _sub(activity, "participating-org", role=ROLES[partner.role])
        _narratives(org, {"en": str(partner.organisation)})
    _sub(activity, "other-identifier", ref=project.code, type="B01")
    if project.prima_id:
        _sub(activity, "other-identifier", ref=project.prima_id, type="B01")
    _sub(activity, "activity-status", code=STATUS.get(project.status, "2"))
    start_year, end_year = project.start_year or project.year, project.end_year
    if start_year:
        started = datetime.date(start_year, 1, 1)
        _sub(activity, "activity-date", iso_date=started.isoformat(), type="2" if started <= today else "1")
    if end_year:
        ended = datetime.date(end_year, 12, 31)
        _sub(activity, "activity-date", iso_date=ended.isoformat(), type="4" if project.status == Project.Status.COMPLETED else "3")
    if not start_year and not end_year:
        _sub(activity, "activity-date", iso_date=project.updated_at.date().isoformat(), type="1")
    scope = {"regional": "2", "national": "4", "global": "1"}.get(project.coverage)
    if scope:
        _sub(activity, "activity-scope", code=scope)
    states = sorted(c.code for c in project.benefiting_states.all())
    if states:
        for code, share in zip(states, _percentages(len(states)), strict=True):
            _sub(activity, "recipient-country", code=code, percentage=str(share))
    elif project.region in REGIONS:
        _sub(activity, "recipient-region", code=REGIONS[project.region], vocabulary="1", percentage="100")
    for start, end, amount in budget_periods(project):
        budget = _sub(activity, "budget", type="1", status="2" if project.status != Project.Status.PIPELINE else "1")
        _sub(budget, "period-start", iso_date=start.isoformat())
        _sub(budget, "period-end", iso_date=end.isoformat())
        _sub(budget, "value", str(amount), currency="USD", value_date=start.isoformat())
    for indicator in project.indicators.select_related("output", "outcome"):
        _result(activity, indicator)


def _result(activity: etree._Element, indicator: Indicator) -> None:
    result = _sub(activity, "result", type="1" if indicator.output_id else "2", aggregation_status="0")
    statement = indicator.output.statement if indicator.output else indicator.outcome.statement if indicator.outcome else indicator.name
    _narratives(_sub(result, "title"), {"es": statement[:500]})
    element = _sub(result, "indicator", measure="2" if indicator.unit.strip() == "%" else "1", ascending="1")
    _narratives(_sub(element, "title"), {"es": indicator.name})
    baseline = _sub(element, "baseline", year=str(indicator.baseline_year or indicator.period_start.year), value=str(indicator.baseline))
    baseline.set("iso-date", datetime.date(indicator.baseline_year or indicator.period_start.year, 1, 1).isoformat())
    period = _sub(element, "period")
    _sub(period, "period-start", iso_date=indicator.period_start.isoformat())
    _sub(period, "period-end", iso_date=indicator.period_end.isoformat())
    _sub(period, "target", value=str(indicator.target))
    figure = measure(indicator)
    if figure.value is not None:
        _sub(period, "actual", value=str(figure.value))


def activities_xml(projects: Iterable[Project]) -> bytes:
    today = timezone.localdate()
    root = etree.Element("iati-activities", {"version": "2.03", "generated-datetime": timezone.now().replace(microsecond=0).isoformat()})
    for project in projects:
        _activity(root, project, today)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def export(codes: Iterable[str] = ()) -> tuple[bytes, list[str]]:
    """Every project, or those whose IDs are given, as an activities file, and what is wrong with it."""
    chosen = Project.objects.prefetch_related("texts", "benefiting_states", "partners__organisation")
    wanted = [c.strip().upper() for c in codes if c.strip()]
    if wanted:
        chosen = chosen.filter(code__in=wanted)
    document = activities_xml(chosen)
    return document, validate(document)


def validate(document: bytes) -> list[str]:
    """Problems with an IATI activities document: the schema's, then the code lists' and the rules'."""
    tree = etree.fromstring(document)  # noqa: S320 (we wrote it)
    xsd = schema()
    problems = [f"line {e.line}: {e.message}" for e in xsd.error_log] if not xsd.validate(tree) else []
    checks = (
        ("activity-status", "code", "ActivityStatus"),
        ("recipient-country", "code", "Country"),
        ("recipient-region", "code", "Region"),
        ("participating-org", "role", "OrganisationRole"),
        ("activity-date", "type", "ActivityDateType"),
        ("budget", "type", "BudgetType"),
        ("budget", "status", "BudgetStatus"),
    )
    for tag, attribute, name in checks:
        for element in tree.iter(tag):
            value = element.get(attribute)
            if value is not None and value not in codelist(name):
                problems.append(f"line {element.sourceline}: {tag}/@{attribute} {value!r} is not on the {name} code list")
    for value in tree.iter("value"):
        if value.get("currency") and value.get("currency") not in codelist("Currency"):
            problems.append(f"line {value.sourceline}: currency {value.get('currency')!r} is not on the Currency code list")
    for activity in tree.iter("iati-activity"):
        shares = [Decimal(e.get("percentage", "0")) for e in activity if e.tag in ("recipient-country", "recipient-region")]
        if shares and sum(shares) != 100:
            problems.append(f"line {activity.sourceline}: recipient percentages add up to {sum(shares)}, not 100")
        for budget in activity.iter("budget"):
            start = datetime.date.fromisoformat(budget.find("period-start").get("iso-date"))  # type: ignore[union-attr, arg-type]
            end = datetime.date.fromisoformat(budget.find("period-end").get("iso-date"))  # type: ignore[union-attr, arg-type]
            if (end - start).days > 366 or end < start:
                problems.append(f"line {budget.sourceline}: a budget period must be at most a year long")
    return problems
