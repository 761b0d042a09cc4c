"""Indicator queries over child protection (see programmes.indicators)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from retorno.cases.models import DIMENSION_OF, AssistanceItem, Dimension, PsychosocialSession
from retorno.programmes.indicators import Measure, Scope, count_people, declare
from retorno.protection.models import ProtectionCase
from retorno.registry.models import Person

PSYCHOSOCIAL_KINDS = [kind for kind, dimension in DIMENSION_OF.items() if dimension == Dimension.PSYCHOSOCIAL]


@declare("children_received", label=_("Unaccompanied children received by child protection"), unit=_("children"))
def children_received(scope: Scope) -> Measure:
    cases = ProtectionCase.objects.filter(Q(received_at__date__range=(scope.start, scope.end)) & scope.in_countries("agency__country"))
    return count_people(Person.objects.filter(protection_cases__in=cases), scope.end)


@declare(
    "children_psychosocial_support",
    label=_("Unaccompanied children who received psychosocial support"),
    unit=_("children"),
)
def children_psychosocial_support(scope: Scope) -> Measure:
    """A session held, or psychosocial assistance delivered, in the period on the child's reintegration case."""
    sessions = PsychosocialSession.objects.filter(held_on__range=(scope.start, scope.end)).values("case")
    delivered = AssistanceItem.objects.filter(
        kind__in=PSYCHOSOCIAL_KINDS, status=AssistanceItem.Status.DELIVERED, delivered_on__range=(scope.start, scope.end)
    ).values("case")
    cases = ProtectionCase.objects.filter(
        (Q(reintegration_case__in=sessions) | Q(reintegration_case__in=delivered)) & scope.in_countries("agency__country")
    )
    return count_people(Person.objects.filter(protection_cases__in=cases), scope.end)
