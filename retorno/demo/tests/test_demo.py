"""`make demo` must keep working: the demo data goes through the same services and rules."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from retorno.reception.models import Arrival, ArrivalPerson, ChildHandover


@pytest.mark.django_db(transaction=True)
def test_demo_data_loads_with_arrivals_at_every_stage() -> None:
    out = StringIO()
    call_command("demo_data", stdout=out)
    assert "recepcion@dgme.demo.retorno.org" in out.getvalue()
    statuses = sorted(Arrival.objects.values_list("status", flat=True))
    assert statuses == ["closed", "closed", "closed", "expected", "receiving"]
    today = Arrival.objects.get(status="receiving")
    assert today.people.filter(listed_unaccompanied=True).count() == 2
    assert today.people.exclude(previous_returns=[]).exists()  # repeat returnees
    assert ChildHandover.objects.exists() and ArrivalPerson.objects.filter(screening__isnull=False).count() > 60
    # Child protection: every hand-over has a case; one child reunified with a visit done, one in
    # alternative care, one assessment waiting for the supervisor, a match waiting for review.
    from retorno.protection.models import BestInterestsAssessment, Placement, ProtectionCase, TracingMatch

    assert ProtectionCase.objects.count() >= 4 and not ProtectionCase.objects.filter(care__isnull=True).exists()
    assert sorted(Placement.objects.values_list("kind", flat=True)) == ["alternative", "reunified"]
    assert BestInterestsAssessment.objects.filter(status="submitted").count() == 1
    assert TracingMatch.objects.filter(status="pending").exists() and TracingMatch.objects.filter(status="confirmed").count() == 2
    assert ProtectionCase.objects.filter(reintegration_case__isnull=False).count() == 1
    # The public directory has services around La Unión, psychosocial among them.
    from retorno.referrals.models import Service

    assert Service.objects.filter(category="psychosocial", areas__name="La Unión").exists() and Service.objects.count() >= 8
    # The protocol: unaccompanied children go to CONNA by rule; referrals in every state, one overdue.
    from retorno.referrals.models import Referral, RuleVersion

    assert RuleVersion.objects.filter(is_active=True, vulnerabilities__icontains="unaccompanied_child", hours=2).exists()
    assert sorted(Referral.objects.values_list("status", flat=True)) == ["accepted", "completed", "declined", "sent"]
    assert Referral.objects.get(status="sent").is_overdue
    # The Window office: a year of consultations, counted on its dashboard.
    from retorno.window.models import Consultation, Training

    assert Consultation.objects.count() == 180 and Consultation.objects.dates("held_on", "month").count() >= 6
    assert Training.objects.count() == 5 and Training.objects.filter(participants__isnull=False).distinct().count() == 1
    # Projects read from their pages, with a results framework whose indicators are computed, and the national plan.
    from retorno.programmes.models import NationalPlan, Project
    from retorno.programmes.selectors import plan_progress, project_view

    assert Project.objects.count() == 3 and Project.objects.get(code="RT.1066").texts.count() == 2
    view = project_view(Project.objects.get(code="PN.0008"))
    trained = next(r for o in view.outcomes for out in o.outputs for r in out.indicators if r.indicator.query == "officials_trained")
    assert trained.figure.value and trained.figure.value > 0
    progress = plan_progress(NationalPlan.objects.get())
    assert progress.totals["total"] == 8 and progress.late and {o.number for o in progress.objectives} >= {1, 3, 7, 12, 21, 23}
