"""Reception pages: thin — parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.core.forms import apply_errors
from retorno.core.models import User
from retorno.reception import selectors, services
from retorno.reception.forms import (
    ArrivalForm,
    AssistanceForm,
    FamilyForm,
    HandoverForm,
    ManifestUploadForm,
    MappingForm,
    ScreeningForm,
    WalkInForm,
)
from retorno.reception.manifest import FIELDS, MONTH_FIRST, ManifestError
from retorno.reception.models import Arrival, ArrivalPerson, AssistanceGiven, ManifestImport, Screening, Vulnerability

PREVIEW_ROWS = 15
ARRIVAL_KIT = (AssistanceGiven.Kind.FOOD, AssistanceGiven.Kind.HYGIENE_KIT, AssistanceGiven.Kind.PHONE_CALL)  # what almost everyone gets


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _desk_user(request: HttpRequest, action: str = "arrival.desk") -> User:
    user = _user(request)
    if not user.can(action):
        raise Http404
    return user


@login_required
def arrival_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not (user.can("arrival.desk") or user.can("arrival.manage")):
        raise Http404
    sites = list(selectors.reception_sites(user=user))
    chosen = request.GET.get("site", "")
    site_id = int(chosen) if chosen.isdigit() and any(s.pk == int(chosen) for s in sites) else None
    upcoming, recent = selectors.arrivals_board(user=user, site_id=site_id)
    context = {"upcoming": upcoming, "recent": recent, "sites": sites, "site_id": site_id}
    return render(request, "reception/arrival_list.html", context)


@login_required
def arrival_create(request: HttpRequest) -> HttpResponse:
    user = _desk_user(request, "arrival.manage")
    form = ArrivalForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            arrival = services.arrival_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Arrival %(id)s planned. Now import its manifest.") % {"id": arrival.public_id})
            return redirect("reception:manifest", public_id=arrival.public_id)
    return render(request, "reception/arrival_form.html", {"form": form})


@login_required
def arrival_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _desk_user(request, "arrival.manage")
    arrival = selectors.arrival_get(user=user, public_id=public_id)
    form = ArrivalForm(request.POST or None, user=user, instance=Arrival.objects.get(pk=arrival.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.arrival_update(actor=user, arrival=arrival, **{name: form.cleaned_data[name] for name in form.changed_data})
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Arrival %(id)s saved.") % {"id": arrival.public_id})
            return redirect("reception:desk", public_id=arrival.public_id)
    return render(request, "reception/arrival_form.html", {"form": form, "arrival": arrival})


@login_required
def arrival_desk(request: HttpRequest, public_id: str) -> HttpResponse:
    """The desk: find a person of the arrival by name as it is typed."""
    user = _desk_user(request)
    arrival = selectors.arrival_get(user=user, public_id=public_id)
    query = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "")
    people = selectors.arrival_people(user=user, arrival=arrival, query=query, status=status)
    if query and len(people) == 1 and not request.headers.get("HX-Request"):
        return redirect("reception:person", public_id=arrival.public_id, entry_id=people[0].pk)  # Enter on a single match
    context = {"arrival": arrival, "people": people, "query": query, "status": status}
    if request.headers.get("HX-Request"):
        return render(request, "reception/_partials/desk_rows.html", context)
    context["summary"] = selectors.arrival_summary(user=user, arrival=arrival, names=False)
    return render(request, "reception/arrival_desk.html", context)


@login_required
def manifest_upload(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _desk_user(request, "arrival.manage")
    arrival = selectors.arrival_get(user=user, public_id=public_id)
    form = ManifestUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imp = services.manifest_check(actor=user, arrival=arrival, filename=upload.name, content=upload.read())
        except (ManifestError, ValidationError) as error:
            form.add_error("file", str(error) if isinstance(error, ManifestError) else error)
        else:
            return redirect("reception:manifest_preview", public_id=arrival.public_id, import_id=imp.pk)
    imports = selectors.imports_of(arrival)
    return render(request, "reception/manifest_upload.html", {"arrival": arrival, "form": form, "imports": imports})


def _import_for(user: User, public_id: str, import_id: int) -> tuple[Arrival, ManifestImport]:
    arrival = selectors.arrival_get(user=user, public_id=public_id)
    imp = arrival.imports.filter(pk=import_id).first()
    if imp is None:
        raise Http404
    return arrival, imp


@login_required
def manifest_preview(request: HttpRequest, public_id: str, import_id: int) -> HttpResponse:
    """Check a file before anything is saved: the column mapping, the row errors, the first rows."""
    user = _desk_user(request, "arrival.manage")
    arrival, imp = _import_for(user, public_id, import_id)
    mapping_form = MappingForm(request.POST if request.POST.get("action") == "mapping" else None, headers=imp.headers, mapping=imp.mapping)
    problems: list[str] = []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "mapping" and mapping_form.is_valid():
                services.manifest_mapping_confirm(actor=user, imp=imp, mapping=mapping_form.mapping())
                messages.success(request, _("The columns are remembered for the next manifest with the same headers."))
                return redirect("reception:manifest_preview", public_id=arrival.public_id, import_id=imp.pk)
            if request.POST.get("action") == "retry":
                imp = services.manifest_import_retry(actor=user, imp=imp)
                return redirect("reception:manifest_preview", public_id=arrival.public_id, import_id=imp.pk)
            if request.POST.get("action") in ("import", "import_valid"):
                imp = services.manifest_import_start(actor=user, imp=imp, valid_only=request.POST["action"] == "import_valid")
                if imp.status == ManifestImport.Status.DONE:
                    messages.success(request, _("%(n)s people imported.") % {"n": imp.linked + imp.possible + imp.created})
                elif imp.status == ManifestImport.Status.FAILED:
                    messages.error(
                        request, _("The import failed: nothing was saved. Try again; if it fails again, tell your administrator.")
                    )
                return redirect("reception:manifest_preview", public_id=arrival.public_id, import_id=imp.pk)
        except ValidationError as error:
            problems = error.messages
    parsed = services.manifest_parsed(imp) if imp.status == ManifestImport.Status.PREVIEW else None
    context = {
        "arrival": arrival,
        "imp": imp,
        "mapping_form": mapping_form,
        "remembered": services.mapping_is_remembered(imp),
        "row_errors": services.rows_report(imp.errors),
        "rows": parsed.rows[:PREVIEW_ROWS] if parsed else [],
        "month_first": parsed is not None and parsed.date_order == MONTH_FIRST,
        "bad_rows": parsed.bad_rows if parsed else set(),
        "problems": problems,
        "fields": FIELDS,
    }
    if request.headers.get("HX-Request"):
        return render(request, "reception/_partials/import_progress.html", context)
    return render(request, "reception/manifest_preview.html", context, status=422 if problems else 200)


@login_required
def walk_in(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _desk_user(request)
    arrival = selectors.arrival_get(user=user, public_id=public_id)
    form = WalkInForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.walk_in_add(actor=user, arrival=arrival, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Added to the arrival: %(name)s.") % {"name": entry.full_name})
            return redirect("reception:person", public_id=arrival.public_id, entry_id=entry.pk)
    return render(request, "reception/walk_in.html", {"arrival": arrival, "form": form})


def _screening_initial(entry: ArrivalPerson) -> dict[str, Any]:
    return {
        "vulnerabilities": services.suggested_vulnerabilities(entry),
        "consent_assistance": True,
        "consent_method": Screening.ConsentMethod.AUTHORITY if entry.is_child else Screening.ConsentMethod.VERBAL,
    }


@login_required
def person_at_desk(request: HttpRequest, public_id: str, entry_id: int) -> HttpResponse:
    """One person at the desk: identity, presence, screening, family group, hand-over, assistance."""
    user = _desk_user(request)
    arrival = selectors.arrival_get(user=user, public_id=public_id)
    entry = selectors.entry_get(user=user, arrival=arrival, entry_id=entry_id)
    screening = getattr(entry, "screening", None)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    screening_form = ScreeningForm(
        request.POST if action == "screening" else None,
        instance=screening,
        entry=entry,
        initial=None if screening else _screening_initial(entry),
    )
    assistance_form = AssistanceForm(request.POST if action == "assistance" else None, prefix="aid")
    handover_form = HandoverForm(request.POST if action == "handover" else None, prefix="handover")
    if screening is not None and Vulnerability.UNACCOMPANIED_CHILD in screening.vulnerabilities and not hasattr(entry, "handover"):
        handover_form.fields["receiving_officer"].widget.attrs["autofocus"] = True
    adults = selectors.adults_on(arrival, exclude=entry.pk)
    family_form = FamilyForm(
        request.POST if action == "family" else None,
        adults=adults,
        prefix="family",
        initial={"travelling_with": entry.travelling_with_id, "relationship": entry.relationship},
    )
    try:
        done = _desk_action(user, entry, action, request, screening_form, assistance_form, handover_form, family_form)
    except ValidationError as error:
        form = {"screening": screening_form, "assistance": assistance_form, "handover": handover_form, "family": family_form}.get(action)
        if form is None:
            messages.error(request, " ".join(error.messages))
        else:
            apply_errors(error, form)
        done = None
    if done:
        messages.success(request, done)
        entry.refresh_from_db()
        child_waits = (
            hasattr(entry, "screening")
            and Vulnerability.UNACCOMPANIED_CHILD in entry.screening.vulnerabilities
            and not hasattr(entry, "handover")
        )
        if request.POST.get("next") == "desk" and not child_waits:
            return redirect("reception:desk", public_id=arrival.public_id)  # the next person
        return redirect("reception:person", public_id=arrival.public_id, entry_id=entry.pk)
    context = {
        "arrival": arrival,
        "entry": entry,
        "screening": screening,
        "screening_form": screening_form,
        "assistance_form": assistance_form,
        "handover_form": handover_form,
        "family_form": family_form,
        "authority": services.child_protection_authority(arrival),
        "is_unaccompanied": screening is not None and Vulnerability.UNACCOMPANIED_CHILD in screening.vulnerabilities,
        "assistance": entry.assistance.select_related("given_by"),
        "companions": list(entry.companions.all()),
        "medical_now": services.medical_required(entry, screening_form["vulnerabilities"].value() or []),
    }
    status = 422 if action and not done else 200
    return render(request, "reception/person_at_desk.html", context, status=status)


def _desk_action(
    user: User,
    entry: ArrivalPerson,
    action: str,
    request: HttpRequest,
    screening_form: ScreeningForm,
    assistance_form: AssistanceForm,
    handover_form: HandoverForm,
    family_form: FamilyForm,
) -> str | None:
    """Run the posted action; the success message, or None when a form has errors."""
    if action in ("present", "not_arrived"):
        services.entry_presence(actor=user, entry=entry, presence=action)
        return str(_("%(name)s: %(presence)s.") % {"name": entry.full_name, "presence": entry.get_presence_display()})
    if action in ("same", "not_same", "confirm"):
        services.entry_identity(actor=user, entry=entry, same=action != "not_same")
        return str(_("Identity confirmed: %(id)s.") % {"id": entry.person.public_id if entry.person else ""})
    if action == "screening" and screening_form.is_valid():
        data = dict(screening_form.cleaned_data)
        services.screening_save(actor=user, entry=entry, **data)
        return str(_("Screening of %(name)s saved.") % {"name": entry.full_name})
    if action == "arrival_kit":
        for kind in ARRIVAL_KIT:
            services.assistance_give(actor=user, entry=entry, kind=kind)
        return str(_("Given: food, hygiene kit and a phone call."))
    if action == "assistance" and assistance_form.is_valid():
        given = services.assistance_give(actor=user, entry=entry, **assistance_form.cleaned_data)
        return str(_("Given: %(kind)s.") % {"kind": given.get_kind_display()})
    if action == "handover" and handover_form.is_valid():
        handover = services.handover_record(actor=user, entry=entry, **handover_form.cleaned_data)
        return str(
            _("Handed over to %(agency)s (%(officer)s).") % {"agency": handover.agency.acronym, "officer": handover.receiving_officer}
        )
    if action == "family" and family_form.is_valid():
        services.family_link(
            actor=user,
            entry=entry,
            adult=family_form.cleaned_data["travelling_with"],
            relationship=family_form.cleaned_data["relationship"],
        )
        return str(_("Family group saved."))
    return None


@login_required
def arrival_summary(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _desk_user(request)
    arrival = selectors.arrival_get(user=user, public_id=public_id)
    summary = selectors.arrival_summary(user=user, arrival=arrival)
    return render(request, "reception/arrival_summary.html", {"arrival": arrival, "summary": summary})


@login_required
@require_POST
def arrival_close(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _desk_user(request, "arrival.manage")
    arrival = selectors.arrival_get(user=user, public_id=public_id)
    try:
        missing = services.arrival_close(actor=user, arrival=arrival)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Arrival closed; %(n)s people on the list did not arrive.") % {"n": missing})
    return redirect("reception:summary", public_id=arrival.public_id)
