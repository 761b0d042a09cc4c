"""Projects, their results and the national plan: pages for coordinators (counts and amounts, no names)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.core.forms import apply_errors
from retorno.core.models import User
from retorno.programmes import iati as iati_export
from retorno.programmes import selectors, services
from retorno.programmes.forms import ActionForm, ActionStatusForm, ImportForm, IndicatorForm, IndicatorReportForm, OutcomeForm, OutputForm
from retorno.programmes.gcm import OBJECTIVES
from retorno.programmes.models import Indicator, IndicatorReport, Outcome, Output, PlanAction, Project
from retorno.programmes.pages import place_country


def _user(request: HttpRequest, action: str | None = None) -> User:
    user: User = request.user  # type: ignore[assignment]
    if action and not user.can(action):
        raise PermissionDenied
    return user


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    objective = request.GET.get("objective", "")
    found = selectors.projects(
        status=request.GET.get("status", ""),
        country=request.GET.get("country", "")[:2],
        objective=int(objective) if objective.isdigit() else None,
        q=request.GET.get("q", "").strip()[:100],
    )
    context = {
        "projects": found,
        "statuses": Project.Status.choices,
        "objectives": OBJECTIVES.items(),
        "filters": request.GET,
        "can_manage": user.can("programme.manage"),
        "can_view": user.can("programme.view"),
    }
    return render(request, "programmes/projects.html", context)


@login_required
def news(request: HttpRequest) -> HttpResponse:
    """The IOM stories read by the importer: what they report, the organisations they name, their contacts."""
    _user(request)
    context = {
        "stories": selectors.news(country=_country_code(request.GET.get("country", "")), q=request.GET.get("q", "").strip()[:100]),
        "filters": request.GET,
    }
    return render(request, "programmes/news.html", context)


def _country_code(written: str) -> str:
    """A country filter as typed: its ISO code ("SV") or its name in any of the three languages ("El Salvador")."""
    written = written.strip()[:60]
    if len(written) <= 2:
        return written.upper()
    return place_country(written) or "??"


@login_required
def project(request: HttpRequest, code: str) -> HttpResponse:
    return _project_page(request, _user(request), code, IndicatorReportForm())


def _project_page(
    request: HttpRequest,
    user: User,
    code: str,
    form: IndicatorReportForm,
    report_for: int | None = None,
    framework_forms: dict[str, Form] | None = None,
) -> HttpResponse:
    """The project page; with a refused value, its form open on the indicator it was for; with a
    refused outcome, output or indicator, the framework's forms open on it."""
    found = selectors.project_get(code)
    if found is None:
        raise Http404
    view = selectors.project_view(found) if user.can("programme.view") else None
    can_manage = user.can("programme.manage")
    forms: dict[str, Form] | None = None
    if can_manage and view:  # the framework's forms read the project's outcomes and outputs: only for who may use them
        forms = {
            "outcome": OutcomeForm(prefix="outcome"),
            "output": OutputForm(prefix="output", project=found),
            "indicator": IndicatorForm(prefix="indicator", project=found),
            **(framework_forms or {}),
        }
    refused = any(f.is_bound and f.errors for f in (forms or {}).values())
    manual = found.indicators.filter(method=Indicator.Method.MANUAL) if can_manage else Indicator.objects.none()
    report_forms = {i.pk: form if i.pk == report_for else IndicatorReportForm(indicator=i) for i in manual}
    context = {
        "project": found,
        "text": found.text(),
        "texts": found.texts.all(),
        "view": view,
        "funded": view.funded if view else [],
        "can_manage": can_manage,
        "report_forms": report_forms,
        "report_for": report_for,
        "framework_forms": forms,
        "framework_refused": refused,
    }
    return render(request, "programmes/project.html", context, status=400 if form.errors or refused else 200)


@login_required
@require_POST
def framework_add(request: HttpRequest, code: str, part: str) -> HttpResponse:
    """Add an outcome, an output or an indicator to the project's results framework."""
    user = _user(request, "programme.manage")
    found = selectors.project_get(code)
    if found is None or part not in ("outcome", "output", "indicator"):
        raise Http404
    form: Form
    if part == "outcome":
        form = OutcomeForm(request.POST, prefix=part)
    elif part == "output":
        form = OutputForm(request.POST, prefix=part, project=found)
    else:
        form = IndicatorForm(request.POST, prefix=part, project=found)
    if form.is_valid():
        try:
            if isinstance(form, OutcomeForm):
                added: Outcome | Output | Indicator = services.outcome_add(actor=user, project=found, **form.cleaned_data)
            elif isinstance(form, OutputForm):
                added = services.output_add(actor=user, **form.cleaned_data)
            else:
                added = services.indicator_save(actor=user, project=found, fields=form.indicator_fields(found))
        except ValidationError as error:
            apply_errors(error, form)
        else:
            done = {
                "outcome": _("Outcome %(code)s added."),
                "output": _("Output %(code)s added."),
                "indicator": _("Indicator %(code)s added."),
            }
            messages.success(request, done[part] % {"code": added.code}, extra_tags="inline")  # shown in the panel, still open
            return redirect(f"{reverse('programmes:project', args=[found.code])}?added={part}#framework-edit")
    return _project_page(request, user, found.code, IndicatorReportForm(), framework_forms={part: form})


REMOVABLE: dict[str, type[services.Removable]] = {
    "outcome": Outcome, "output": Output, "indicator": Indicator, "report": IndicatorReport, "action": PlanAction
}  # fmt: skip


@login_required
@require_POST
def remove(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Take back a part of a results framework or of the plan added by mistake; back to where it was."""
    user = _user(request, "programme.manage")
    model = REMOVABLE.get(kind)
    if model is None:
        raise Http404
    thing: services.Removable = get_object_or_404(model, pk=pk)  # type: ignore[assignment]
    back = _removed_from(thing)
    try:
        services.framework_remove(actor=user, thing=thing)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed."))
    return redirect(back)


def _removed_from(thing: services.Removable) -> str:
    if isinstance(thing, PlanAction):
        return f"{reverse('programmes:plan')}?plan={thing.plan_id}"
    project = (
        thing.indicator.project if isinstance(thing, IndicatorReport)
        else thing.outcome.project if isinstance(thing, Output)
        else thing.project
    )  # fmt: skip
    return f"{reverse('programmes:project', args=[project.code])}#framework"


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an indicator: a revised target, a longer period, another query."""
    user = _user(request, "programme.manage")
    indicator = get_object_or_404(Indicator.objects.select_related("project"), pk=pk)
    found = indicator.project
    form = IndicatorForm(request.POST or None, project=found, initial=IndicatorForm.initial_for(indicator))
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(actor=user, project=found, indicator=indicator, fields=form.indicator_fields(found))
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Indicator %(code)s saved.") % {"code": indicator.code})
            return redirect(f"{reverse('programmes:project', args=[found.code])}#indicator-{indicator.pk}")
    context = {"project": found, "indicator": indicator, "form": form}
    return render(request, "programmes/indicator_form.html", context, status=400 if form.errors else 200)


@login_required
def import_pages(request: HttpRequest) -> HttpResponse:
    user = _user(request, "programme.manage")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        pages = [(f.name, f.read().decode("utf-8", errors="replace")) for f in form.cleaned_data["pages"]]
        report = services.pages_import(
            pages=pages, actor=user, dry_run=form.cleaned_data["dry_run"], keep_valid=form.cleaned_data["keep_valid"]
        )
    status = 400 if form.errors or (report and not report.saved and not report.dry_run) else 200
    return render(request, "programmes/import.html", {"form": form, "report": report}, status=status)


@login_required
@require_POST
def indicator_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request, "programme.manage")
    indicator = get_object_or_404(Indicator.objects.select_related("project"), pk=pk)
    form = IndicatorReportForm(request.POST, indicator=indicator)
    if form.is_valid():
        try:
            services.indicator_report(actor=user, indicator=indicator, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Value recorded."))
            return redirect("programmes:project", code=indicator.project.code)
    return _project_page(request, user, indicator.project.code, form, report_for=indicator.pk)


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    return _plan_page(request, _user(request, "programme.view"), request.GET.get("plan", ""))


def _plan_page(request: HttpRequest, user: User, chosen: str, action_form: ActionForm | None = None) -> HttpResponse:
    """The plan's progress by objective; for coordinators, the form of a new action (open when refused)."""
    plans = list(selectors.plans(user=user))
    current = next((p for p in plans if str(p.pk) == chosen), None) or next(
        (p for p in plans if user.agency and p.country_id == user.agency.country_id), plans[0] if plans else None
    )
    progress = selectors.plan_progress(current) if current else None
    can_manage = user.can("programme.manage")
    context = {
        "plans": plans,
        "progress": progress,
        "can_manage": can_manage,
        "statuses": PlanAction.Status.choices,
        "status_form": ActionStatusForm(),
        "action_form": (action_form or ActionForm(plan=current)) if can_manage and current else None,
    }
    return render(request, "programmes/plan.html", context, status=400 if action_form and action_form.errors else 200)


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request, "programme.manage")
    plan = get_object_or_404(selectors.plans(user=user), pk=pk)
    form = ActionForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            action = services.action_add(actor=user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Action %(code)s added to the plan.") % {"code": action.code})
            return redirect(f"{reverse('programmes:plan')}?plan={plan.pk}#{_action_anchor(action)}")
    return _plan_page(request, user, str(plan.pk), action_form=form)


@login_required
@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request, "programme.manage")
    action = get_object_or_404(PlanAction, pk=pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_update(actor=user, action=action, status=form.cleaned_data["status"])
        messages.success(request, _("Action %(code)s: %(status)s.") % {"code": action.code, "status": action.get_status_display()})
    else:
        messages.error(request, _("Choose one of the statuses."))
    return redirect(f"{reverse('programmes:plan')}?plan={action.plan_id}#{_action_anchor(action)}")


def _action_anchor(action: PlanAction) -> str:
    """The action's row under its first objective (an action with several objectives is listed under each)."""
    first = action.objectives.order_by("number").first()
    return f"action-{first.number if first else 0}-{action.pk}"


@login_required
def iati(request: HttpRequest) -> HttpResponse:
    """Every project (or the ones named by ?code=) as IATI 2.03 activities, checked before it leaves."""
    _user(request, "programme.view")
    document, problems = iati_export.export(request.GET.getlist("code"))
    if problems:
        return render(request, "programmes/iati_problems.html", {"problems": problems}, status=500)
    response = HttpResponse(document, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="retorno-iati-activities.xml"'
    return response
