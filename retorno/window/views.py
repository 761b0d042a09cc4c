"""The Window office's pages: the consultation form (and the last ones logged), the dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from retorno.core.forms import submitted
from retorno.core.models import Site, User
from retorno.window import selectors, services
from retorno.window.forms import ConsultationForm


def _user(request: HttpRequest, action: str) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.can(action):
        raise Http404
    return user


@login_required
def consultations(request: HttpRequest) -> HttpResponse:
    user = _user(request, "window.record")
    offices = services.offices_of(user)
    form = ConsultationForm(request.POST if request.method == "POST" else None, user=user, offices=offices)

    def call() -> None:
        data = form.cleaned_data
        services.consultation_record(
            actor=user,
            office=data.get("office") or (offices[0] if offices else None),
            channel=data["channel"],
            profile=data["profile"],
            sex=data["sex"],
            age_group=data["age_group"],
            topics=data["topics"],
            topic_other=data["topic_other"],
            materials=data["materials"],
            services=list(data["services"]),
            person=data["person"],
            note=data["note"],
            held_on=data["held_on"],
        )

    if request.method == "POST" and submitted(request, form, call, _("Consultation saved. Next one:")):
        return redirect("window:consultations")
    office: Site | None = offices[0] if offices else None
    context = {"form": form, "offices": offices, "recent": selectors.consultations_recent(user=user, office=office)}
    return render(request, "window/consultations.html", context, status=400 if form.errors else 200)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request, "window.dashboard")
    board = selectors.dashboard(user=user)
    office_id = request.GET.get("office", "")
    office = next((o for o in board.offices if str(o.pk) == office_id), None)
    if office is not None:
        board = selectors.dashboard(user=user, office=office)
    return render(request, "window/dashboard.html", {"board": board, "office": office})
