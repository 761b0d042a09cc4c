"""Indicator queries over reintegration cases, and what each project paid for (see programmes.indicators)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from retorno.cases.models import AssistanceItem, Case
from retorno.programmes.indicators import FUNDED, FundedLine, Measure, Scope, count_people, declare
from retorno.registry.models import Person


def _cases(scope: Scope) -> Q:
    return Q(cases__returned_on__range=(scope.start, scope.end)) & scope.in_countries("cases__agency__country")


@declare("returnees_with_case", label=_("Returnees whose reintegration case was opened"), unit=_("people"))
def returnees_with_case(scope: Scope) -> Measure:
    return count_people(Person.objects.filter(_cases(scope)), scope.end)


@declare(
    "returnees_plan_within_month",
    label=_("Returnees with a reintegration plan agreed within a month of their return"),
    unit=_("people"),
)
def returnees_plan_within_month(scope: Scope) -> Measure:
    on_time = Case.objects.filter(
        Q(returned_on__range=(scope.start, scope.end)) & scope.in_countries("agency__country"),
        plan__agreed_on__isnull=False,
        plan__agreed_on__lte=F("returned_on") + datetime.timedelta(days=31),
    )
    return count_people(Person.objects.filter(cases__in=on_time), scope.end)


@declare("returnees_assisted", label=_("Returnees who received reintegration assistance"), unit=_("people"))
def returnees_assisted(scope: Scope) -> Measure:
    delivered = AssistanceItem.objects.filter(
        Q(status=AssistanceItem.Status.DELIVERED, delivered_on__range=(scope.start, scope.end))
        & scope.in_countries("case__agency__country")
    )
    return count_people(Person.objects.filter(cases__assistance__in=delivered), scope.end)


@declare("returnees_assisted_by_project", label=_("Returnees who received assistance paid by the project"), unit=_("people"))
def returnees_assisted_by_project(scope: Scope) -> Measure:
    if scope.project_id is None:
        return Measure(total=Decimal(0))
    delivered = AssistanceItem.objects.filter(
        status=AssistanceItem.Status.DELIVERED, delivered_on__range=(scope.start, scope.end), project_id=scope.project_id
    )
    return count_people(Person.objects.filter(cases__assistance__in=delivered), scope.end)


def assistance_paid(project_id: int) -> list[FundedLine]:
    """Reintegration assistance the project pays for, by type: approved (committed) and delivered (spent)."""
    rows = (
        AssistanceItem.objects.filter(project_id=project_id)
        .exclude(status=AssistanceItem.Status.CANCELLED)
        .values("kind")
        .annotate(
            items=Count("pk"),
            people=Count("case__person", distinct=True),
            committed=Sum("estimated_usd", filter=Q(status=AssistanceItem.Status.APPROVED)),
            spent=Sum("actual_usd", filter=Q(status=AssistanceItem.Status.DELIVERED)),
        )
        .order_by("kind")
    )
    labels = dict(AssistanceItem._meta.get_field("kind").choices or [])
    return [
        FundedLine(
            label=str(labels.get(row["kind"], row["kind"])),
            items=row["items"],
            people=row["people"],
            committed_usd=row["committed"] or Decimal(0),
            spent_usd=row["spent"] or Decimal(0),
        )
        for row in rows
    ]


FUNDED.append(assistance_paid)
