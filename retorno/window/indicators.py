"""Indicator queries over the information office's work (see programmes.indicators)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from retorno.programmes.indicators import Measure, Scope, declare
from retorno.window.models import Audience, Consultation, Training


@declare("officials_trained", label=_("Government officials trained"), unit=_("officials"))
def officials_trained(scope: Scope) -> Measure:
    """Attendance of trainings for government staff held in the period (by sex as recorded)."""
    totals = Training.objects.filter(
        Q(audience=Audience.GOVERNMENT, held_on__range=(scope.start, scope.end)) & scope.in_countries("agency__country")
    ).aggregate(women=Sum("women"), men=Sum("men"))
    women, men = totals["women"] or 0, totals["men"] or 0
    return Measure(total=Decimal(women + men), by_sex={"F": women, "M": men})


@declare("people_informed", label=_("People who consulted the information office"), unit=_("consultations"))
def people_informed(scope: Scope) -> Measure:
    counts = Consultation.objects.filter(Q(held_on__range=(scope.start, scope.end)) & scope.in_countries("agency__country")).aggregate(
        total=Count("pk"), women=Count("pk", filter=Q(sex="F")), men=Count("pk", filter=Q(sex="M"))
    )
    return Measure(total=Decimal(counts["total"]), by_sex={"F": counts["women"], "M": counts["men"]})
