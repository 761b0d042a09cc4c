"""Reads of the services directory (public: no personal data lives there), of referrals (each
side sees its own: the receiving institution only what the referral shares) and the preview of
the protocol's rules."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from retorno.cases.models import Assessment
from retorno.cases.selectors import case_get
from retorno.core.audit import audit_log
from retorno.core.models import AdminArea, Country, User
from retorno.protection.selectors import protection_case_get
from retorno.reception.models import Screening, Vulnerability
from retorno.reception.selectors import arrival_get, entry_get
from retorno.referrals.models import ProtocolRule, Referral, RuleVersion, Service, Share
from retorno.referrals.services import REFERRAL, SOURCE_ACTIONS, Origin, assessment_matches, rule_matches
from retorno.registry.selectors import person_get_for_user


def directory_countries() -> QuerySet[Country]:
    """Countries with at least one active service."""
    return Country.objects.filter(agencies__services__is_active=True).distinct().order_by("code")


def services_search(
    *,
    country: Country,
    municipality: AdminArea | None = None,
    category: str = "",
    age: int | None = None,
    sex: str = "",
    returnee: bool | None = None,
) -> QuerySet[Service]:
    """Active services of the country that serve the municipality (listed, its department listed,
    or nationwide) and whose eligibility admits the person described; what is not said is not
    filtered."""
    qs = Service.objects.filter(is_active=True, provider__country=country, provider__is_active=True)
    if municipality is not None:
        qs = qs.filter(Q(nationwide=True) | Q(areas=municipality) | Q(areas=municipality.parent_id))
    if category:
        qs = qs.filter(category=category)
    if age is not None:
        qs = qs.filter(Q(min_age__isnull=True) | Q(min_age__lte=age), Q(max_age__isnull=True) | Q(max_age__gte=age))
    if sex in ("F", "M"):
        qs = qs.filter(sex__in=["", sex])
    if returnee is True:
        qs = qs.exclude(public=Service.Public.NOT_RETURNEES)
    elif returnee is False:
        qs = qs.exclude(public=Service.Public.RETURNEES)
    # Local services first: those that name the municipality or its department before nationwide ones.
    return qs.distinct().select_related("provider", "municipality").order_by("nationwide", "category", "name")


def service_get(*, country: Country, pk: int) -> Service | None:
    return (
        Service.objects.filter(pk=pk, is_active=True, provider__country=country)
        .select_related("provider", "municipality__parent", "nationality")
        .prefetch_related("areas", "languages")
        .first()
    )


def services_of(*, agency_id: int | None, everyone: bool = False) -> QuerySet[Service]:
    """The services a user keeps: their institution's (administrators: all)."""
    qs = Service.objects.select_related("provider")
    return qs if everyone else qs.filter(provider_id=agency_id)


# --- Referrals ---------------------------------------------------------------------------------

SENT, RECEIVED = "sent", "received"


def _sees_sent(user: User) -> bool:
    return user.is_authenticated and user.agency_id is not None and user.can("referral.send")


def _sees_received(user: User) -> bool:
    return user.is_authenticated and user.agency_id is not None and user.can("referral.answer")


def sources_readable(user: User) -> list[str]:
    """The sending side reads a referral only if it reads the record it came from: the desk its
    screenings, caseworkers their cases, child protection its children, the Window its consultations."""
    return [source for source, action in SOURCE_ACTIONS.items() if user.can(action)]


def referral_scope(*, user: User, box: str) -> QuerySet[Referral]:
    """The referrals the user's institution sent, or received (held ones are not sent yet)."""
    qs = Referral.objects.select_related("service", "from_agency", "to_agency", "rule_version__rule")
    if box == SENT and _sees_sent(user):
        return qs.filter(from_agency_id=user.agency_id, source__in=sources_readable(user))
    if box == RECEIVED and _sees_received(user):
        return qs.filter(to_agency_id=user.agency_id).exclude(status=Referral.Status.HELD)
    return qs.none()


def referral_list(*, user: User, box: str, status: str = "", overdue: bool = False, limit: int = 100) -> list[Referral]:
    """A box of referrals; open ones first, the most urgent answer due first. A received list shows
    referral ids and services, never names, so it writes no audit event."""
    qs = referral_scope(user=user, box=box)
    if status in Referral.Status.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=Referral.Status.SENT, due_at__lt=timezone.now())
    still_open = [Referral.Status.HELD, Referral.Status.SENT, Referral.Status.ACCEPTED]
    # Open ones by the answer due (waiting for consent: by creation), then the newest closed ones.
    rows = list(qs.filter(status__in=still_open).order_by(F("due_at").asc(nulls_last=True), "created_at")[:limit])
    if len(rows) < limit:
        rows += list(qs.exclude(status__in=still_open).order_by("-created_at")[: limit - len(rows)])
    return rows


def referral_counts(*, user: User) -> dict[str, int]:
    """To answer, overdue among them, and waiting for consent: the home page's figures."""
    received = referral_scope(user=user, box=RECEIVED).filter(status=Referral.Status.SENT)
    return {
        "to_answer": received.count(),
        "overdue": received.filter(due_at__lt=timezone.now()).count(),
        "accepted": referral_scope(user=user, box=RECEIVED).filter(status=Referral.Status.ACCEPTED).count(),
        "held": referral_scope(user=user, box=SENT).filter(status=Referral.Status.HELD).count(),
    }


@dataclass
class ReferralView:
    """A referral as one side sees it: the sender everything it wrote; the receiver the minimum
    (name, sex, age, municipality, the reason, who sends it) and what the referral shares."""

    referral: Referral
    side: str
    shown: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_sender(self) -> bool:
        return self.side == SENT

    @property
    def is_receiver(self) -> bool:
        return self.side == RECEIVED


def _person_rows(referral: Referral) -> tuple[list[tuple[str, str]], list[str]]:
    """(label, value) rows of the person that the referral shares, and their names for the audit."""
    person = referral.person
    age = person.age_on(timezone.localdate())
    rows = [
        (_("Name"), person.full_name),
        (_("Sex"), str(person.get_sex_display())),
        (_("Age"), _("%(n)s years") % {"n": age} if age is not None else _("unknown")),
        (_("Municipality"), str(referral.municipality) if referral.municipality else "—"),
    ]
    names = ["name", "sex", "age", "municipality"]
    if Share.PHONE in referral.share:
        rows.append((str(Share.PHONE.label).capitalize(), referral.phone or "—"))
        names.append("phone")
    if Share.IDENTITY in referral.share:
        born = date_format(person.birth_date, "SHORT_DATE_FORMAT") if person.birth_date else "—"
        documents = ", ".join(f"{d.get_kind_display()} {d.number}" for d in person.documents.all()) or "—"
        rows += [(_("Date of birth"), born), (_("Identity documents"), documents)]
        names.append("identity")
    screening: Screening | None = getattr(referral.arrival_entry, "screening", None) if referral.arrival_entry else None
    if Share.VULNERABILITIES in referral.share:
        rows.append((_("Vulnerabilities found at reception"), ", ".join(screening.vulnerability_labels) if screening else "—"))
        names.append("vulnerabilities")
    if Share.HEALTH in referral.share:
        rows.append((_("Health needs"), (screening.health_needs if screening else "") or "—"))
        names.append("health")
    return rows, names


def referral_get(*, user: User, public_id: str) -> ReferralView:
    """The referral as the user's side sees it, or Http404; the read is audited with what it showed."""
    public_id = public_id.upper()
    for box in (SENT, RECEIVED):
        referral = (
            referral_scope(user=user, box=box)
            .filter(public_id=public_id)
            .select_related("person", "municipality__parent", "arrival_entry__screening", "case", "protection_case")
            .first()
        )
        if referral is not None:
            rows, names = _person_rows(referral)
            audit_log(
                actor=user,
                action="view",
                object_type=REFERRAL,
                object_id=referral.public_id,
                fields=names,
                records=[referral.person.public_id],
            )
            return ReferralView(referral, box, rows)
    raise Http404


def referrals_about(*, user: User, **source: Any) -> list[Referral]:
    """The referrals the user's institution sent from one record (case=…, arrival_entry=…,
    protection_case=…), for that record's page."""
    return list(referral_scope(user=user, box=SENT).filter(**source).order_by("-created_at"))


# --- The protocol -------------------------------------------------------------------------------

PREVIEW_DAYS = 90


def rules(*, country: Country | None = None) -> list[ProtocolRule]:
    qs = ProtocolRule.objects.prefetch_related("versions__service__provider").select_related("country")
    return list(qs.filter(country=country) if country is not None else qs)


@dataclass
class PreviewRow:
    """One record a rule would catch, without a name: the arrival or case id, the day, what it showed."""

    reference: str
    day: datetime.date
    detail: str
    place: str


@dataclass
class Preview:
    """Whom a rule would refer among the screenings (or assessments) of the last `days` days, and
    how many of them it already referred."""

    days: int
    caught: list[PreviewRow]
    total: int
    already: int


def rule_preview(*, version: RuleVersion, country: Country, days: int = PREVIEW_DAYS, limit: int = 50) -> Preview:
    since = timezone.now() - datetime.timedelta(days=days)
    done: set[int] = set()
    if version.trigger == RuleVersion.Trigger.ASSESSMENT:
        assessments = Assessment.objects.filter(
            case__agency__country=country, recorded_at__gte=since, version__instrument__code=version.instrument
        ).select_related("case__municipality", "version__instrument")
        found = [a for a in assessments.order_by("-recorded_at") if assessment_matches(version, a)]
        if version.rule_id:
            done = set(Referral.objects.filter(rule_version__rule_id=version.rule_id).values_list("case_id", flat=True))
        pending_assessments = [a for a in found if a.case_id not in done]
        rows = [
            PreviewRow(a.case.public_id, a.done_on, _score_text(version, a), str(a.case.municipality or "—")) for a in pending_assessments
        ]
        return Preview(days, rows[:limit], len(rows), len(found) - len(rows))
    screenings = Screening.objects.filter(entry__arrival__agency__country=country, screened_at__gte=since).select_related(
        "entry__arrival", "destination"
    )
    if version.vulnerabilities:
        wanted = Q()
        for v in version.vulnerabilities:
            if v in Vulnerability.values:
                wanted |= Q(vulnerabilities__icontains=f'"{v}"')  # a first cut in SQL; rule_matches decides
        screenings = screenings.filter(wanted)
    caught = [s for s in screenings.order_by("-screened_at") if s.entry.person_id is not None and rule_matches(version, s)]
    if version.rule_id:
        done = set(Referral.objects.filter(rule_version__rule_id=version.rule_id).values_list("arrival_entry_id", flat=True))
    pending = [s for s in caught if s.entry_id not in done]
    rows = [
        PreviewRow(
            s.entry.arrival.public_id, timezone.localdate(s.screened_at), ", ".join(s.vulnerability_labels), str(s.destination or "—")
        )
        for s in pending
    ]
    return Preview(days, rows[:limit], len(rows), len(caught) - len(pending))


def _score_text(version: RuleVersion, assessment: Assessment) -> str:
    score = assessment.scores.get(version.dimension) if version.dimension else assessment.overall
    return f"{version.dimension or _('overall')}: {score:.2f}" if score is not None else ""


def origin_get(
    *, user: User, case: str = "", protection: str = "", arrival: str = "", entry: int | None = None, person: str = ""
) -> tuple[Origin, str]:
    """The record a referral is made from, through its own app's scope (Http404 outside it), and
    the address of its page. `person` is someone met at an information office consultation."""
    if case:
        found = case_get(user=user, public_id=case)
        return Origin.of_case(found), reverse("cases:detail", args=[found.public_id])
    if protection:
        view = protection_case_get(user=user, public_id=protection)
        return Origin.of_protection_case(view.case), reverse("protection:detail", args=[view.case.public_id])
    if arrival and entry is not None and user.can("arrival.desk"):
        at = arrival_get(user=user, public_id=arrival)
        found_entry = entry_get(user=user, arrival=at, entry_id=entry)
        return Origin.of_entry(found_entry), reverse("reception:person", args=[at.public_id, found_entry.pk])
    if person and user.can("window.record") and user.agency is not None:
        someone = person_get_for_user(user=user, public_id=person)
        return Origin.of_person(someone, user.agency), reverse("window:consultations")
    raise Http404
