"""People pages: thin — parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.core.forms import apply_errors
from retorno.core.models import User
from retorno.registry import selectors, services
from retorno.registry.dedup import dedup_run_request
from retorno.registry.forms import COMPARED_FIELDS, DocumentForm, PersonForm, PersonSearchForm, candidate_query
from retorno.registry.matching import active_scorer, candidates_for, pair_explanation
from retorno.registry.models import DedupRun, Person
from retorno.registry.tasks import dedup_task


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _may_change(user: User, person: Person) -> bool:
    """Corrections belong to the registering institution; granted access is read-only."""
    return user.can("person.change") and person.agency_id == user.agency_id


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
            apply_errors(error, form, document_form)
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
    try:
        person = selectors.person_get_for_user(user=user, public_id=public_id)
    except Http404:
        survivor = selectors.person_merged_into(user=user, public_id=public_id)
        if survivor is None:
            raise
        messages.info(request, _("%(old)s was merged into %(new)s: this is the record now.") % {"old": public_id.upper(), "new": survivor})
        return redirect("registry:person_detail", public_id=survivor)
    context = {
        "person": person,
        "documents": person.documents.select_related("issuing_country"),
        "languages": person.languages.all(),
        "access_log": selectors.person_access_log(user=user, person=person),
        "can_change": _may_change(user, person),
        "document_form": DocumentForm(user=user, required=True, prefix="doc"),
        "merges": selectors.person_merges(user=user, person=person),
        "can_unmerge": user.can("person.merge") and person.agency_id == user.agency_id,
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
            apply_errors(error, form)
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
            apply_errors(invalid, form)
        else:
            messages.success(request, _("The document was added."))
            return redirect("registry:person_detail", public_id=person.public_id)
    for field_errors in form.errors.values():
        for message in field_errors:
            messages.error(request, str(message))
    return redirect("registry:person_detail", public_id=person.public_id)


def person_value(person: Person, name: str) -> str:
    if name == "birth_date":
        if person.birth_date is None:
            return ""
        return f"{person.birth_date:%d/%m/%Y} · {person.get_birth_date_precision_display()}"
    if name == "sex":
        return str(person.get_sex_display())
    value = getattr(person, name)
    return "" if value is None else str(value)


# Which linkage comparison speaks for each compared identity field.
EXPLAINED_BY = {"given_names": "given_names", "first_surname": "first_surname", "second_surname": "second_surname", "sex": "sex"}
EXPLAINED_BY |= {"birth_date": "birth_date", "municipality_of_origin": "place"}


def comparison_rows(values: list[tuple[str, Any, Any, Any]], verdicts: dict[str, str]) -> list[dict[str, Any]]:
    """Rows of a side-by-side comparison: (field, label, left, right) with the model's verdict on
    the field where it has one, else plain equality."""
    rows = []
    for name, label, a, b in values:
        a, b = str(a or ""), str(b or "")
        verdict = verdicts.get(EXPLAINED_BY.get(name, ""), "") or (
            "agrees" if a == b and a else "missing" if not a or not b else "disagrees"
        )
        rows.append({"name": name, "label": label, "left": a, "right": b, "verdict": verdict, "differ": a != b})
    return rows


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    """The review queue (reviewers) and the searches for duplicates with their progress."""
    user = _user(request)
    if not user.can("dedup.run"):
        raise Http404
    if request.method == "POST":
        run = dedup_run_request(trigger=DedupRun.Trigger.PAGE, user=user)
        dedup_task(run.pk)
        messages.success(request, _("The search for duplicates has started; its progress is shown below."))
        return redirect("registry:duplicates")
    clusters, total = selectors.duplicate_clusters(user=user) if user.can("person.merge") else ([], 0)
    context = {
        "clusters": clusters,
        "total": total,
        "elsewhere": selectors.duplicates_elsewhere(user=user),
        "runs": selectors.dedup_runs(user=user),
        "can_review": user.can("person.merge"),
    }
    return render(request, "registry/duplicates.html", context)


@login_required
def duplicates_progress(request: HttpRequest) -> HttpResponse:
    """HTMX: the latest searches, polled while one is running."""
    user = _user(request)
    if not user.can("dedup.run"):
        raise Http404
    return render(request, "registry/_partials/dedup_runs.html", {"runs": selectors.dedup_runs(user=user)})


@login_required
def duplicate_pair(request: HttpRequest, pair_id: int) -> HttpResponse:
    """Two records side by side with the field agreement; merge them or mark them different."""
    user = _user(request)
    if request.method == "POST":
        return _duplicate_decide(request, user, pair_id)
    pair = selectors.duplicate_pair_for_user(user=user, pair_id=pair_id)
    left, right = pair.left, pair.right
    score = pair_explanation(left, right)
    verdicts = {f.field: f.verdict for f in score.fields}
    labels = {name: getattr(Person._meta.get_field(name), "verbose_name", name) for name in COMPARED_FIELDS}
    rows = comparison_rows(
        [(name, labels[name], person_value(left, name), person_value(right, name)) for name in COMPARED_FIELDS], verdicts
    )
    documents = {side.pk: list(side.documents.select_related("issuing_country")) for side in (left, right)}
    context = {
        "pair": pair,
        "left": left,
        "right": right,
        "rows": rows,
        "score": score,
        "decision": score.decision(active_scorer().params.thresholds),
        "document_verdict": verdicts.get("document_number", "missing"),
        "left_documents": documents[left.pk],
        "right_documents": documents[right.pk],
    }
    return render(request, "registry/duplicate_pair.html", context)


def _duplicate_decide(request: HttpRequest, user: User, pair_id: int) -> HttpResponse:
    pair = selectors.duplicate_pair_for_user(user=user, pair_id=pair_id)
    reason = request.POST.get("reason", "")
    if request.POST.get("decision") == "different":
        services.pair_mark_different(actor=user, pair_id=pair.pk, reason=reason)
        messages.success(request, _("Marked as different people: this pair will not be proposed again."))
        return redirect("registry:duplicates")
    if request.POST.get("decision") != "merge" or request.POST.get("keep") not in ("left", "right"):
        messages.error(request, _("Choose which record to keep."))
        return redirect("registry:duplicate_pair", pair_id=pair.pk)
    keep = request.POST["keep"]
    survivor, merged = (pair.left, pair.right) if keep == "left" else (pair.right, pair.left)
    other_side = "right" if keep == "left" else "left"
    take = [name for name in COMPARED_FIELDS if request.POST.get(f"value_{name}") == other_side]
    if "birth_date" in take:
        take.append("birth_date_precision")
    try:
        services.person_merge(actor=user, survivor=survivor, merged=merged, take=take, reason=reason)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("registry:duplicate_pair", pair_id=pair.pk)
    messages.success(
        request,
        _("%(merged)s was merged into %(survivor)s. The merge can be undone from the person's page.")
        % {"merged": merged.public_id, "survivor": survivor.public_id},
    )
    return redirect("registry:person_detail", public_id=survivor.public_id)


@login_required
@require_POST
def merge_undo(request: HttpRequest, public_id: str, merge_id: int) -> HttpResponse:
    user = _user(request)
    merge = services.person_unmerge(actor=user, merge_id=merge_id, reason=request.POST.get("reason", ""))
    messages.success(request, _("The merge was undone: %(merged)s is a separate record again.") % {"merged": merge.merged.public_id})
    return redirect("registry:person_detail", public_id=merge.survivor.public_id)
