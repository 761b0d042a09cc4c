"""Case pages: thin — parse, call a service or selector, render. Every action posts from the case
page; a refused action shows the case page again with the reason next to the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.cases import forms as case_forms
from retorno.cases import selectors, services
from retorno.cases.instruments import InstrumentError
from retorno.cases.models import Assessment, Case, InstrumentVersion
from retorno.core.forms import apply_errors, submitted
from retorno.core.models import User
from retorno.reception.models import ArrivalPerson
from retorno.registry.selectors import person_scope


def _user(request: HttpRequest, action: str = "case.view") -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.can(action):
        raise Http404
    return user


def _person(user: User, public_id: str) -> Any:
    """A person of the user's scope by Retorno id, or a field error to show."""
    person = person_scope(user=user).filter(public_id=public_id.strip().upper()).first()
    if person is None:
        raise ValidationError({"person": _("No person with this id among your institution's records.")})
    return person


def _case(request: HttpRequest, public_id: str, action: str = "case.view", audit: bool = True) -> tuple[User, Case]:
    user = _user(request, action)
    return user, selectors.case_get(user=user, public_id=public_id, audit=audit)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = case_forms.CaseFilterForm(request.GET or None, user=user)
    filters = selectors.CaseFilters(open_only=True)
    if form.is_valid():
        data = form.cleaned_data
        stage = data["stage"]
        filters = selectors.CaseFilters(
            stage=stage if stage in Case.Stage.values else "",
            open_only=stage == "",
            risk=data["risk"],
            overdue=data["overdue"],
            mine=data["mine"],
            department=data["department"].pk if data["department"] else None,
            query=data["q"],
        )
    offset = int(request.GET["offset"]) if request.GET.get("offset", "").isdigit() else 0
    result = selectors.case_list(user=user, filters=filters, offset=offset)
    params = {k: v for k, v in request.GET.items() if k != "offset"}
    context = {
        "form": form,
        "result": result,
        "query_string": urlencode(params),
        "waiting": selectors.arrivals_waiting_for_case(user=user),
        "can_work": user.can("case.work"),
    }
    return render(request, "cases/case_list.html", context)


@login_required
def case_open(request: HttpRequest) -> HttpResponse:
    user = _user(request, "case.work")
    form = case_forms.CaseOpenForm(request.POST or None, user=user, initial={"person": request.GET.get("person", "")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            case = services.case_open(actor=user, person=_person(user, data.pop("person")), **data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Case %(id)s opened. Start with the assessment.") % {"id": case.public_id})
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/case_open.html", {"form": form})


@login_required
@require_POST
def case_open_from_arrival(request: HttpRequest, entry_id: int) -> HttpResponse:
    user = _user(request, "case.work")
    entry = (
        ArrivalPerson.objects.select_related("arrival", "person", "screening")
        .filter(pk=entry_id, arrival__agency_id=user.agency_id or 0)
        .first()
    )
    if entry is None:
        raise Http404
    try:
        case = services.case_open_from_arrival(actor=user, entry=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:list")
    messages.success(request, _("Case %(id)s opened from the arrival. Start with the assessment.") % {"id": case.public_id})
    return redirect("cases:detail", public_id=case.public_id)


def _page(request: HttpRequest, user: User, case: Case, status: int = 200, **bound: Any) -> HttpResponse:
    """The case page, with any form that was refused kept as the user filled it."""
    view = selectors.case_view(user=user, case=case)
    forms: dict[str, Any] = {
        "note_form": case_forms.NoteForm(user=user),
        "session_form": case_forms.SessionForm(),
        "assign_form": case_forms.AssignForm(user=user, initial={"caseworker": case.caseworker_id, "supervisor": case.supervisor_id}),
        "risk_form": case_forms.RiskForm(initial={"risk": case.risk}),
        "member_form": case_forms.MemberForm(),
        "decision_form": case_forms.DecisionForm(),
        "reason_form": case_forms.ReasonForm(),
    }
    forms.update(bound)
    context = {
        "case": case,
        "view": view,
        "instruments": selectors.instruments_current(),
        "can_work": user.can("case.work"),
        "can_approve": user.can("case.approve"),
        "can_psychosocial": user.can("case.psychosocial"),
        "pending_transfer": next((t for t in view.transfers if t.status == "pending"), None),
        **forms,
    }
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user, case = _case(request, public_id)
    return _page(request, user, case)


@login_required
def case_summary(request: HttpRequest, public_id: str) -> HttpResponse:
    """The printable summary: the same selectors as the page, so it shows no more than the page."""
    user, case = _case(request, public_id)
    return render(request, "cases/case_summary.html", {"case": case, "view": selectors.case_view(user=user, case=case)})


def _act(
    request: HttpRequest,
    public_id: str,
    form_name: str,
    make_form: Callable[[User], Any],
    call: Callable[[User, Case, dict[str, Any]], Any],
    done: str,
    action: str = "case.work",
) -> HttpResponse:
    """A form posted from the case page: valid and accepted → back to the case with a message;
    otherwise the case page again, the form showing why."""
    user, case = _case(request, public_id, action, audit=False)
    form = make_form(user)
    if submitted(request, form, lambda: call(user, case, form.cleaned_data), done):
        return redirect("cases:detail", public_id=case.public_id)
    case = selectors.case_get(user=user, public_id=public_id)  # shown again: a read, audited
    messages.error(request, _("Nothing was saved: the reason is next to the form below."))
    return _page(request, user, case, status=400, **{form_name: form})


@login_required
@require_POST
def note_add(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(
        request,
        public_id,
        "note_form",
        lambda u: case_forms.NoteForm(request.POST, user=u),
        lambda u, c, d: services.note_add(actor=u, case=c, text=d["text"], confidentiality=d["confidentiality"]),
        _("Note saved."),
        "case.view",
    )


@login_required
@require_POST
def session_add(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(
        request,
        public_id,
        "session_form",
        lambda u: case_forms.SessionForm(request.POST),
        lambda u, c, d: services.session_record(actor=u, case=c, **d),
        _("Session recorded."),
        "case.psychosocial",
    )


@login_required
@require_POST
def member_add(request: HttpRequest, public_id: str) -> HttpResponse:
    def call(user: User, case: Case, data: dict[str, Any]) -> Any:
        return services.case_member_add(actor=user, case=case, person=_person(user, data["person"]), relationship=data["relationship"])

    return _act(request, public_id, "member_form", lambda u: case_forms.MemberForm(request.POST), call, _("Household member added."))


@login_required
@require_POST
def assign(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(
        request,
        public_id,
        "assign_form",
        lambda u: case_forms.AssignForm(request.POST, user=u),
        lambda u, c, d: services.case_assign(actor=u, case=c, caseworker=d["caseworker"], supervisor=d["supervisor"]),
        _("Case assigned."),
        "case.approve",
    )


@login_required
@require_POST
def risk_set(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(
        request,
        public_id,
        "risk_form",
        lambda u: case_forms.RiskForm(request.POST),
        lambda u, c, d: services.case_risk_set(actor=u, case=c, risk=d["risk"]),
        _("Risk level changed."),
    )


@login_required
@require_POST
def plan_submit(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(
        request,
        public_id,
        "submit_form",
        lambda u: case_forms.ConfirmForm(request.POST),
        lambda u, c, d: services.plan_submit(actor=u, case=c),
        _("Plan sent to the supervisor for approval."),
    )


@login_required
@require_POST
def plan_decide(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(
        request,
        public_id,
        "decision_form",
        lambda u: case_forms.DecisionForm(request.POST),
        lambda u, c, d: services.plan_decide(actor=u, case=c, approve=d["approve"], comment=d["comment"]),
        _("Decision on the plan recorded."),
        "case.approve",
    )


@login_required
@require_POST
def closure_decide(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(
        request,
        public_id,
        "closure_decision_form",
        lambda u: case_forms.DecisionForm(request.POST),
        lambda u, c, d: services.closure_decide(actor=u, case=c, approve=d["approve"], comment=d["comment"]),
        _("Decision on the closure recorded."),
        "case.approve",
    )


@login_required
@require_POST
def reopen(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(
        request,
        public_id,
        "reason_form",
        lambda u: case_forms.ReasonForm(request.POST),
        lambda u, c, d: services.case_reopen(actor=u, case=c, reason=d["reason"]),
        _("Case reopened."),
    )


def _item(user: User, case: Case, item_id: int) -> Any:
    return selectors.item_get(user=user, case=case, item_id=item_id)


@login_required
@require_POST
def assistance_approve(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    return _act(
        request,
        public_id,
        "approve_form",
        lambda u: case_forms.ConfirmForm(request.POST),
        lambda u, c, d: services.assistance_approve(actor=u, item=_item(u, c, item_id)),
        _("Assistance approved."),
        "case.approve",
    )


@login_required
@require_POST
def assistance_cancel(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    return _act(
        request,
        public_id,
        "cancel_form",
        lambda u: case_forms.ReasonForm(request.POST),
        lambda u, c, d: services.assistance_cancel(actor=u, item=_item(u, c, item_id), reason=d["reason"]),
        _("Assistance cancelled."),
    )


def _form_page(
    request: HttpRequest,
    user: User,
    case: Case,
    template: str,
    form: Any,
    call: Callable[[dict[str, Any]], Any],
    done: str,
    **context: Any,
) -> HttpResponse:
    """A page of its own for longer forms (assessment, plan, assistance, delivery, transfer, closure)."""
    if request.method == "POST":
        if submitted(request, form, lambda: call(form.cleaned_data), done):
            return redirect("cases:detail", public_id=case.public_id)
        return render(request, template, {"case": case, "form": form, **context}, status=400)
    return render(request, template, {"case": case, "form": form, **context})


def _form_case(request: HttpRequest, public_id: str, action: str = "case.work") -> tuple[User, Case]:
    """The case of a form page: showing the form is a read (audited); posting it, the service audits."""
    return _case(request, public_id, action, audit=request.method == "GET")


@login_required
def assess(request: HttpRequest, public_id: str, version_id: int) -> HttpResponse:
    version = selectors.instrument_version_get(version_id)
    occasion = request.GET.get("occasion", "baseline")
    if occasion not in Assessment.Occasion.values:
        raise Http404

    user, case = _form_case(request, public_id)

    def call(data: dict[str, Any]) -> Any:
        done_on, month = data.pop("done_on"), data.pop("month", None)
        return services.assessment_record(
            actor=user, case=case, version=version, answers=data, done_on=done_on, occasion=occasion, month=month
        )

    return _form_page(
        request,
        user,
        case,
        "cases/assessment_form.html",
        case_forms.assessment_form(version, request.POST or None, occasion=occasion),
        call,
        _("Answers saved and scored."),
        version=version,
        occasion=Assessment.Occasion(occasion),
    )


@login_required
def plan_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    user, case = _form_case(request, public_id)
    plan = getattr(case, "plan", None)
    initial = {"delay_reason": case.plan_delay_reason}
    if plan is not None:
        initial |= {"goals": plan.goals, "agreed_with_returnee": plan.agreed_with_returnee, "agreed_on": plan.agreed_on}
    return _form_page(
        request,
        user,
        case,
        "cases/form_page.html",
        case_forms.PlanForm(request.POST or None, initial=initial),
        lambda d: services.plan_save(actor=user, case=case, **d),
        _("Plan saved. Add its assistance, then send it for approval."),
        title=_("Reintegration plan"),
        intro=_("The goals the returnee agreed to, in their words where possible. The plan is due one month after return."),
    )


@login_required
def assistance_new(request: HttpRequest, public_id: str) -> HttpResponse:
    user, case = _form_case(request, public_id)
    return _form_page(
        request,
        user,
        case,
        "cases/form_page.html",
        case_forms.AssistanceForm(request.POST or None, user=user),
        lambda d: services.assistance_add(actor=user, case=case, **d),
        _("Assistance added to the plan."),
        title=_("Add assistance to the plan"),
        intro=_(
            "Who provides it, what it will cost and which project pays for it. Costs in another currency need the day's exchange rate."
        ),
    )


@login_required
def assistance_deliver(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    user, case = _form_case(request, public_id)
    item = _item(user, case, item_id)

    def call(data: dict[str, Any]) -> Any:
        upload = data["evidence"]
        evidence = [(upload, data["evidence_kind"])] if upload else []
        return services.assistance_deliver(
            actor=user, item=item, delivered_on=data["delivered_on"], actual_cost=data["actual_cost"], evidence=evidence
        )

    return _form_page(
        request,
        user,
        case,
        "cases/form_page.html",
        case_forms.DeliverForm(request.POST or None, request.FILES or None, initial={"actual_cost": item.estimated_cost}),
        call,
        _("Delivery recorded."),
        item=item,
        title=_("Record the delivery"),
        intro=_("When money was spent, attach the receipt or a photo of the delivery."),
        submit=_("Record the delivery"),
        multipart=True,
    )


@login_required
def evidence_file(request: HttpRequest, public_id: str, evidence_id: int) -> FileResponse:
    user, case = _case(request, public_id, audit=False)
    found = selectors.evidence_get(user=user, case=case, evidence_id=evidence_id)
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def transfer_new(request: HttpRequest, public_id: str) -> HttpResponse:
    user, case = _form_case(request, public_id)
    return _form_page(
        request,
        user,
        case,
        "cases/form_page.html",
        case_forms.TransferForm(request.POST or None, user=user),
        lambda d: services.transfer_request(actor=user, case=case, **d),
        _("Transfer requested: the case stays with you until the other institution accepts it."),
        title=_("Transfer the case to another institution"),
        submit=_("Ask them to take the case"),
        intro=_("The case stays with your institution until the other one accepts it. The returnee must agree."),
    )


@login_required
def closure_request(request: HttpRequest, public_id: str) -> HttpResponse:
    user, case = _form_case(request, public_id)
    return _form_page(
        request,
        user,
        case,
        "cases/form_page.html",
        case_forms.ClosureForm(request.POST or None),
        lambda d: services.closure_request(actor=user, case=case, reason=d["reason"], note=d["note"]),
        _("Closure sent to the supervisor for approval."),
        title=_("Close the case"),
        submit=_("Send the closure for approval"),
        intro=_(
            "When the support period ends, record the final sustainability survey first and deliver or cancel what is pending. "
            "After an abrupt exit, pending assistance is cancelled when the supervisor approves."
        ),
    )


@login_required
def transfer_decide(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """The receiving supervisor reads the case summary and accepts or declines."""
    user = _user(request, "case.approve")
    transfer = selectors.transfer_get(user=user, transfer_id=transfer_id)
    form = case_forms.TransferDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_decide(actor=user, transfer=transfer, accept=form.cleaned_data["accept"], reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(error, form)
        else:
            if form.cleaned_data["accept"]:
                messages.success(request, _("Case accepted: assign a caseworker."))
                return redirect("cases:detail", public_id=transfer.case.public_id)
            messages.success(request, _("Transfer declined."))
            return redirect("cases:tasks")
    # What the sending institution shares: the plan and the story, general notes only.
    view = selectors.case_view(user=user, case=transfer.case, shared=True)
    return render(request, "cases/transfer_decide.html", {"transfer": transfer, "form": form, "view": view, "case": transfer.case})


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "mine": list(selectors.tasks_mine(user=user)[:200]),
        "overdue": list(selectors.tasks_overdue(user=user)[:500]) if user.can("case.approve") else None,
        "transfers": list(selectors.transfers_incoming(user=user)),
    }
    return render(request, "cases/tasks.html", context)


@login_required
def funding(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not (user.can("stats.view") or user.can("case.approve")):
        raise Http404
    return render(request, "cases/funding.html", {"rows": selectors.spending_by_project()})


@login_required
def instruments(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not (user.can("case.view") or user.can("instrument.load")):
        raise Http404
    form = case_forms.InstrumentUploadForm(request.POST or None, request.FILES or None) if user.can("instrument.load") else None
    if form is not None and request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > 512 * 1024:
                raise InstrumentError([_("The file is larger than 512 KB: an instrument definition is a short text file.")])
            version = services.instrument_load(actor=user, text=upload.read())
        except InstrumentError as error:
            for problem in error.problems:
                form.add_error("file", problem)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(
                request,
                _("Version %(version)s of “%(title)s” loaded: new answers use it.") % {"version": version.version, "title": version.title},
            )
            return redirect("cases:instruments")
    versions = InstrumentVersion.objects.select_related("instrument", "loaded_by").order_by("instrument__kind", "-loaded_at")
    return render(request, "cases/instruments.html", {"versions": versions, "form": form})
