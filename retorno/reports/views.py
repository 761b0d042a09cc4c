"""Home page by role, and statistics without names."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from retorno.cases.selectors import tasks_mine
from retorno.core.models import User
from retorno.protection.selectors import protection_todo
from retorno.reception.selectors import arrivals_board
from retorno.referrals.selectors import referral_counts
from retorno.reports import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context = {
        "counts": selectors.home_counts(user=user),
        "team": selectors.team_activity(user=user),
        "table": selectors.people_by_sex_and_age(user=user) if user.can("stats.view") else None,
        "arrivals": arrivals_board(user=user)[0][:5] if user.can("arrival.desk") else None,
        "tasks": list(tasks_mine(user=user)[:5]) if user.can("case.view") else None,
        "protection": protection_todo(user=user),
        "referrals": referral_counts(user=user) if user.can("referral.send") or user.can("referral.answer") else None,
    }
    return render(request, "reports/home.html", context)


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.can("stats.view"):
        raise Http404
    return render(request, "reports/statistics.html", {"table": selectors.people_by_sex_and_age(user=user)})
