"""People pages: thin — parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.core.models import User
from retorno.registry import selectors, services
from retorno.registry.forms import DocumentForm, PersonForm, PersonSearchForm, candidate_query
from retorno.registry.matching import candidates_for
from retorno.registry.models import Person


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _may_change(user: User, person: Person) -> bool:
    """Corrections belong to the registering institution; granted access is read-only."""
    return user.can("person.change") and person.agency_id == user.agency_id


def _apply_errors(error: ValidationError, *forms: PersonForm | DocumentForm) -> None:
    """Show a service's validation errors on the form field they name (the first form otherwise)."""
    if not hasattr(error, "error_dict"):
        forms[0].add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = next((f for f in forms if field in f.fields), None)
        if target is None:
            forms[0].add_error(None, errors)
        else:
            target.add_error(field, errors)


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.can("person.view"):
        raise Http404
    form = PersonSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    try:
        offset = max(0, int(request.GET.get("offset", 0)))
    except ValueError:
        offset = 0
    result = selectors.person_search(user=user, query=query, offset=offset)
    context = {"form": form, "result": result, "people": result.people, "query": query}
    if request.headers.get("HX-Request"):
        return render(request, "registry/_partials/person_rows.html", context)
    return render(request, "registry/person_list.html", context)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.can("person.create"):
        raise Http404
    form = PersonForm(request.POST or None, user=user)
    document_form = DocumentForm(request.POST or None, user=user, prefix="doc")
    if request.method == "POST" and form.is_valid() and document_form.is_valid():
        data = dict(form.cleaned_data)
        languages = data.pop("languages")
        document = document_form.document()
        try:
            person = services.person_create(actor=user, languages=languages, documents=[document] if document else [], **data)
        except ValidationError as error:
            _apply_errors(error, form, document_form)
        else:
            messages.success(request, _("%(name)s was registered as %(id)s.") % {"name": person.full_name, "id": person.public_id})
            return redirect("registry:person_detail", public_id=person.public_id)
    return render(request, "registry/person_form.html", {"form": form, "document_form": document_form, "creating": True})


@login_required
def person_candidates(request: HttpRequest) -> HttpResponse:
    """Possible matches of the person being registered (HTMX panel beside the form)."""
    user = _user(request)
    if not user.can("person.create"):
        raise Http404
    record = candidate_query(request.GET)
    candidates = candidates_for(user=user, record=record) if record else []
    return render(request, "registry/_partials/candidates.html", {"candidates": candidates, "asked": record is not None})


@login_required
@require_POST
def access_request_create(request: HttpRequest) -> HttpResponse:
    """HTMX: ask the registering institution of a possible match for access."""
    user = _user(request)
    if not user.can("person.request_access"):
        raise Http404
    try:
        created = services.access_request_create(actor=user, token=request.POST.get("token", ""), reason=request.POST.get("reason", ""))
    except ValidationError as error:
        return render(request, "registry/_partials/access_request_result.html", {"errors": error.messages}, status=422)
    return render(request, "registry/_partials/access_request_result.html", {"agency": created.person.agency.acronym})


@login_required
def access_requests(request: HttpRequest) -> HttpResponse:
    """Supervisors: pending requests for their institution's records."""
    user = _user(request)
    if not user.can("person.grant_access"):
        raise Http404
    if request.method == "POST":
        decided = services.access_request_decide(
            actor=user, request_id=int(request.POST.get("request", 0) or 0), grant=request.POST.get("decision") == "grant"
        )
        messages.success(request, _("%(id)s: %(status)s.") % {"id": decided.person.public_id, "status": decided.get_status_display()})
        return redirect("registry:access_requests")
    return render(request, "registry/access_requests.html", {"pending": selectors.access_requests_to_decide(user=user)})


@login_required
def person_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    person = selectors.person_get_for_user(user=user, public_id=public_id)
    context = {
        "person": person,
        "documents": person.documents.select_related("issuing_country"),
        "languages": person.languages.all(),
        "access_log": selectors.person_access_log(user=user, person=person),
        "can_change": _may_change(user, person),
        "document_form": DocumentForm(user=user, required=True, prefix="doc"),
    }
    return render(request, "registry/person_detail.html", context)


@login_required
def person_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    person = selectors.person_get_for_user(user=user, public_id=public_id, audit=request.method != "POST")
    if not _may_change(user, person):
        raise PermissionDenied
    form = PersonForm(request.POST or None, instance=person, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # The ModelForm already copied values onto the instance; compare against the stored row.
        person.refresh_from_db()
        try:
            services.person_update(actor=user, person=person, **data)
        except ValidationError as error:
            _apply_errors(error, form)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("registry:person_detail", public_id=person.public_id)
    return render(request, "registry/person_form.html", {"form": form, "person": person, "creating": False})


@login_required
@require_POST
def document_add(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    person = selectors.person_get_for_user(user=user, public_id=public_id, audit=False)
    form = DocumentForm(request.POST, user=user, required=True, prefix="doc")
    if form.is_valid():
        try:
            with transaction.atomic():
                services.document_add(actor=user, person=person, **form.cleaned_data)
        except ValidationError as invalid:
            _apply_errors(invalid, form)
        else:
            messages.success(request, _("The document was added."))
            return redirect("registry:person_detail", public_id=person.public_id)
    for field_errors in form.errors.values():
        for message in field_errors:
            messages.error(request, str(message))
    return redirect("registry:person_detail", public_id=person.public_id)
