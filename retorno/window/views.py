"""The Window office's pages: the consultation form (and the last ones logged), the dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.core.forms import submitted
from retorno.core.models import Site, User
from retorno.window import selectors, services
from retorno.window.forms import ConsultationForm, ParticipantForm, TrainingForm
from retorno.window.models import Training


def _user(request: HttpRequest, action: str) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.can(action):
        raise Http404
    return user


@login_required
def consultations(request: HttpRequest) -> HttpResponse:
    user = _user(request, "window.record")
    offices = services.offices_of(user)
    # The channel of the last consultation saved comes first: phone calls come in runs.
    initial = {"channel": request.session.get("window_channel", "walk_in")}
    form = ConsultationForm(request.POST if request.method == "POST" else None, user=user, offices=offices, initial=initial)

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
        request.session["window_channel"] = form.cleaned_data["channel"]
        return redirect("window:consultations")
    office: Site | None = offices[0] if offices else None
    context = {"form": form, "offices": offices, "recent": selectors.consultations_recent(user=user, office=office)}
    return render(request, "window/consultations.html", context, status=400 if form.errors else 200)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request, "window.dashboard")
    office = request.GET.get("office", "")
    board = selectors.dashboard(user=user, office_id=int(office) if office.isdigit() else None)
    context = {"board": board, "office": board.office, "trainings": selectors.training_summary(user=user)}
    return render(request, "window/dashboard.html", context)


# --- Trainings ------------------------------------------------------------------------------------


@login_required
def trainings(request: HttpRequest) -> HttpResponse:
    user = _user(request, "window.record")
    rows = selectors.trainings_of(user=user)[:100]
    return render(request, "window/trainings.html", {"rows": rows})


@login_required
def training_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request, "window.record")
    training = selectors.training_get(user=user, pk=pk) if pk else None
    initial = TrainingForm.initial_of(training) if training else {"held_on": timezone.localdate()}
    form = TrainingForm(request.POST if request.method == "POST" else None, user=user, offices=services.offices_of(user), initial=initial)
    saved: list[Training] = []

    def call() -> None:
        saved.append(services.training_save(actor=user, data=form.cleaned_data, training=training))

    if request.method == "POST" and submitted(request, form, call, _("Training saved.")):
        return redirect("window:training", pk=saved[0].pk)
    return render(request, "window/training_form.html", {"form": form, "training": training}, status=400 if form.errors else 200)


@login_required
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request, "window.record")
    training = selectors.training_get(user=user, pk=pk)
    form = ParticipantForm(request.POST if request.method == "POST" else None)

    def call() -> None:
        data = form.cleaned_data
        services.participant_add(
            actor=user,
            training=training,
            name=data["name"],
            sex=data["sex"],
            organisation=data["organisation"],
            pre_score=data["pre_score"],
            post_score=data["post_score"],
        )

    if request.method == "POST" and submitted(request, form, call, _("Participant added.")):
        return redirect("window:training", pk=training.pk)
    context = {"training": training, "participants": list(training.participants.all()), "form": form}
    return render(request, "window/training_detail.html", context, status=400 if form.errors else 200)
