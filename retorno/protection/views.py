"""Child-protection pages: the child-protection roles of the child-protection authority only (404
for everyone else, so the pages do not reveal that a child is in protection). Tracing requests
live at /tracing/: any institution's authorised roles register them and follow their status; the
potential matches are reviewed by child protection alone."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.core.forms import submitted
from retorno.core.models import User
from retorno.protection import forms as pforms
from retorno.protection import selectors, services
from retorno.protection.models import BestInterestsAssessment, FollowUpVisit
from retorno.protection.selectors import ProtectionView
from retorno.registry.views import comparison_rows, person_value

TARGET_HOURS = int(selectors.TEMPORARY_CARE_TARGET.total_seconds() // 3600)


def _user(request: HttpRequest, action: str = "protection.view") -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.can(action):
        raise Http404
    return user


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = pforms.OpenCaseForm(request.POST or None)
    if request.method == "POST":
        _user(request, "protection.work")
        opened: list[Any] = []

        def call() -> None:
            child = selectors.child_for_protection(user=user, public_id=form.cleaned_data["child"])
            if child is None:
                raise ValidationError({"child": _("No person with this Retorno id in the country's registry.")})
            opened.append(services.protection_case_open(actor=user, child=child, received_at=form.cleaned_data["received_at"]))

        if submitted(request, form, call, _("Protection case opened.")):
            return redirect("protection:detail", public_id=opened[0].public_id)
    context = {
        "form": form,
        "can_work": user.can("protection.work"),
        "views": selectors.protection_cases(user=user),
        "target_hours": TARGET_HOURS,
        "waiting": selectors.assessments_waiting(user=user),
        "can_approve": user.can("protection.approve"),
    }
    return render(request, "protection/case_list.html", context, status=400 if form.errors else 200)


def _page(request: HttpRequest, user: User, view: ProtectionView, status: int = 200, **forms: Any) -> HttpResponse:
    case = view.case
    can_work = user.can("protection.work")
    context: dict[str, Any] = {
        "view": view,
        "case": case,
        "can_work": can_work,
        "can_approve": user.can("protection.approve"),
        "target_hours": TARGET_HOURS,
        "elements": services.ELEMENTS,
        **selectors.case_detail(view),
    }
    if can_work:
        context.setdefault("care_form", pforms.CareForm())
        context.setdefault("basis_form", pforms.TracingBasisForm())
        context.setdefault("action_form", pforms.ActionForm(initial={"done_on": timezone.localdate()}))
        context.setdefault("close_form", pforms.CloseForm())
    context.setdefault("decision_form", pforms.DecisionForm())
    context.update(forms)
    return render(request, "protection/case_detail.html", context, status=status)


@login_required
def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    view = selectors.protection_case_get(user=user, public_id=public_id, location=request.GET.get("show") == "location")
    return _page(request, user, view)


def _act(
    request: HttpRequest,
    public_id: str,
    form_name: str,
    form: Any,
    call: Callable[[User, Any, dict[str, Any]], Any],
    done: str,
    action: str,
) -> HttpResponse:
    """A form posted from the child's page: back to it with a message, or the page again with
    the form saying why nothing was saved."""
    user = _user(request, action)
    case = selectors.protection_scope(user=user).filter(public_id=public_id.upper()).select_related("child", "agency").first()
    if case is None:
        raise Http404
    if submitted(request, form, lambda: call(user, case, form.cleaned_data), done):
        return redirect("protection:detail", public_id=case.public_id)
    return _page(request, user, selectors.protection_case_get(user=user, public_id=public_id), status=400, **{form_name: form})


@login_required
@require_POST
def care_add(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(
        request,
        public_id,
        "care_form",
        pforms.CareForm(request.POST),
        lambda u, c, d: services.care_arrangement_record(actor=u, case=c, **d),
        _("Care arrangement recorded."),
        "protection.work",
    )


@login_required
@require_POST
def tracing_basis(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(
        request,
        public_id,
        "basis_form",
        pforms.TracingBasisForm(request.POST),
        lambda u, c, d: services.tracing_basis_record(actor=u, case=c, **d),
        _("Recorded: the child can now be found by family tracing."),
        "protection.work",
    )


@login_required
@require_POST
def action_add(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(
        request,
        public_id,
        "action_form",
        pforms.ActionForm(request.POST),
        lambda u, c, d: services.tracing_action_record(actor=u, case=c, **d),
        _("Tracing action recorded."),
        "protection.work",
    )


@login_required
@require_POST
def assessment_decide(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    def call(user: User, case: Any, data: dict[str, Any]) -> Any:
        assessment = get_object_or_404(BestInterestsAssessment, pk=pk, case=case)
        return services.assessment_decide(actor=user, assessment=assessment, **data)

    return _act(request, public_id, "decision_form", pforms.DecisionForm(request.POST), call, _("Decision recorded."), "protection.approve")


@login_required
@require_POST
def close(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(
        request,
        public_id,
        "close_form",
        pforms.CloseForm(request.POST),
        lambda u, c, d: services.protection_case_close(actor=u, case=c, **d),
        _("Case closed."),
        "protection.work",
    )


@login_required
@require_POST
def reintegration_open(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request, "protection.work")
    view = selectors.protection_case_get(user=user, public_id=public_id)
    reintegration = services.reintegration_case_open(actor=user, case=view.case)
    return redirect("cases:detail", public_id=reintegration.public_id)


def _form_page(
    request: HttpRequest,
    public_id: str,
    make_form: Callable[[User, dict[str, Any] | None], Any],
    call: Callable[[User, Any, Any], Any],
    done: str,
    title: str,
    **context: Any,
) -> HttpResponse:
    """A page of its own for the longer forms; showing it is a read of the case (audited)."""
    user = _user(request, "protection.work")
    view = selectors.protection_case_get(user=user, public_id=public_id)
    form = make_form(user, request.POST or None)
    status = 200
    if request.method == "POST":
        if submitted(request, form, lambda: call(user, view.case, form), done):
            return redirect("protection:detail", public_id=view.case.public_id)
        status = 400
    return render(request, "protection/form_page.html", {"case": view.case, "form": form, "title": title, **context}, status=status)


@login_required
def assessment_new(request: HttpRequest, public_id: str) -> HttpResponse:
    def call(user: User, case: Any, form: pforms.AssessmentForm) -> Any:
        data = form.cleaned_data
        return services.assessment_record(
            actor=user,
            case=case,
            elements=form.elements(),
            child_views=data["child_views"],
            interview_language=data["interview_language"],
            interpreter=data["interpreter"],
            weight=data["weight"],
            weight_reason=data["weight_reason"],
            recommendation=data["recommendation"],
        )

    return _form_page(
        request,
        public_id,
        lambda u, d: pforms.AssessmentForm(d),
        call,
        _("Best-interests assessment sent to the supervisor for approval."),
        _("Best-interests assessment"),
        intro=_("The elements of the Committee on the Rights of the Child's General Comment No. 14. Hear the child first."),
    )


@login_required
def determination_new(request: HttpRequest, public_id: str) -> HttpResponse:
    def call(user: User, case: Any, form: pforms.DeterminationForm) -> Any:
        data = form.cleaned_data
        return services.determination_record(
            actor=user,
            case=case,
            subject=data["subject"],
            decision=data["decision"],
            reasons=data["reasons"],
            decided_on=data["decided_on"],
            review_on=data["review_on"],
            panel=form.panel(),
        )

    return _form_page(
        request,
        public_id,
        lambda u, d: pforms.DeterminationForm(d, initial={"decided_on": timezone.localdate()}),
        call,
        _("Best-interests determination recorded."),
        _("Best-interests determination"),
        intro=_("A panel of at least three members; each member's view is recorded with the decision and its reasons."),
    )


@login_required
def verification_new(request: HttpRequest, public_id: str) -> HttpResponse:
    return _form_page(
        request,
        public_id,
        lambda u, d: pforms.VerificationForm(d, initial={"done_on": timezone.localdate()}),
        lambda u, c, f: services.verification_record(actor=u, case=c, **f.cleaned_data),
        _("Verification recorded."),
        _("Verify the relationship"),
        intro=_("How the relationship was checked, and what the child said about going back to this family."),
    )


@login_required
def placement_new(request: HttpRequest, public_id: str) -> HttpResponse:
    return _form_page(
        request,
        public_id,
        lambda u, d: pforms.PlacementForm(d, user=u, initial={"on": timezone.localdate()}),
        lambda u, c, f: services.placement_record(actor=u, case=c, **f.cleaned_data),
        _("Outcome recorded: the follow-up visits at 1, 3 and 6 months are planned."),
        _("Reunification or alternative care"),
    )


@login_required
def visit_record(request: HttpRequest, public_id: str, month: int) -> HttpResponse:
    user = _user(request, "protection.work")
    visit = get_object_or_404(FollowUpVisit, case__in=selectors.protection_scope(user=user), case__public_id=public_id.upper(), month=month)
    if visit.done_on is not None:
        messages.info(request, _("This visit is already recorded."))
        return redirect("protection:detail", public_id=visit.case.public_id)

    def call(user: User, case: Any, form: pforms.VisitForm) -> Any:
        return services.visit_record(actor=user, visit=visit, **form.cleaned_data)

    return _form_page(
        request,
        public_id,
        lambda u, d: pforms.VisitForm(d, initial={"done_on": timezone.localdate()}),
        call,
        _("Follow-up visit recorded."),
        _("Follow-up visit, %(n)s months after") % {"n": month} if month != 1 else _("Follow-up visit, 1 month after"),
    )


def _day(day: datetime.date | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else ""


@login_required
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The sought person and the child side by side, with the model's per-field explanation."""
    user = _user(request)
    match = selectors.match_get(user=user, pk=pk)
    form = pforms.MatchDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        _user(request, "protection.work")
        done = _("Decision recorded.")
        if submitted(request, form, lambda: services.match_decide(actor=user, match=match, **form.cleaned_data), done):
            return redirect("protection:match", pk=match.pk)
        status = 400
    sought, child = match.sought, match.case.child
    rows = comparison_rows(
        [
            (
                "given_names",
                _("Given names"),
                f"{sought.given_names}" + (f" («{sought.known_as}»)" if sought.known_as else ""),
                child.given_names,
            ),
            ("first_surname", _("First surname"), sought.first_surname, child.first_surname),
            ("second_surname", _("Second surname"), sought.second_surname, child.second_surname),
            ("sex", _("Sex"), sought.get_sex_display(), child.get_sex_display()),
            (
                "birth_date",
                _("Date of birth"),
                _day(sought.birth_date) or (_("%(n)s years old") % {"n": sought.age} if sought.age is not None else ""),
                person_value(child, "birth_date"),
            ),
        ],
        {f["field"]: f["verdict"] for f in match.fields},
    )
    where = sought.request.inquirer_municipality
    # Shown, not weighed (families move): no verdict.
    rows.append(
        {
            "name": "municipality",
            "label": _("Municipality (where the inquirer lives · the child's origin)"),
            "left": str(where or ""),
            "right": str(child.municipality_of_origin or ""),
            "verdict": "",
            "differ": True,
        }
    )
    context = {"match": match, "rows": rows, "form": form, "can_work": user.can("protection.work")}
    return render(request, "protection/match.html", context, status=status)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request, "protection.approve")
    try:
        days = max(1, min(int(request.GET.get("days", "90")), 3660))
    except ValueError:
        days = 90
    board = selectors.dashboard(user=user, since=timezone.localdate() - datetime.timedelta(days=days))
    return render(request, "protection/dashboard.html", {"board": board, "days": days, "target_hours": TARGET_HOURS})


# --- tracing requests (/tracing/) ---------------------------------------------------------------


def _tracing_user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not selectors.may_trace(user):
        raise Http404
    return user


@login_required
def tracing_list(request: HttpRequest) -> HttpResponse:
    user = _tracing_user(request)
    status = request.GET.get("status", "open")
    requests = selectors.tracing_requests(user=user, status="" if status == "all" else status)
    return render(
        request, "protection/tracing_list.html", {"requests": requests, "status": status, "can_create": user.can("tracing.request")}
    )


@login_required
def tracing_new(request: HttpRequest) -> HttpResponse:
    user = _tracing_user(request)
    if not user.can("tracing.request"):
        raise Http404
    form = pforms.TracingRequestForm(request.POST or None, user=user)
    created: list[Any] = []

    def call() -> None:
        data = form.cleaned_data
        created.append(
            services.tracing_request_create(
                actor=user,
                inquirer_name=data["inquirer_name"],
                inquirer_relationship=data["inquirer_relationship"],
                inquirer_phone=data["inquirer_phone"],
                inquirer_address=data["inquirer_address"],
                inquirer_municipality=data["inquirer_municipality"],
                sought=form.sought(),
            )
        )

    if request.method == "POST":
        if submitted(request, form, call, _("Tracing request registered; child protection reviews any potential match.")):
            return redirect("tracing:detail", public_id=created[0].public_id)
        return render(request, "protection/tracing_new.html", {"form": form}, status=400)
    return render(request, "protection/tracing_new.html", {"form": form})


@login_required
def tracing_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _tracing_user(request)
    tracing_request, sought = selectors.tracing_request_get(user=user, public_id=public_id)
    matches = selectors.matches_visible(user=user, sought=sought)
    rows = [(person, matches.get(person.pk, [])) for person in sought]
    context = {"tracing": tracing_request, "rows": rows, "reviews": user.can("protection.view")}
    return render(request, "protection/tracing_detail.html", context)
