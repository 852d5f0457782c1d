"""The Manage Faculty window: search as you type, add with the checkboxes pre-set, add a new
person without creating a duplicate, remove with confirmation (SPEC §4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities.access import get_assignment_for_user, get_child_for_user
from activities.dashboard.look import COI_LOOK, ICONS
from activities.services.faculty import (
    AssignmentError,
    assignment_add,
    assignment_remove,
    has_active_disclosure,
)
from activities.views.common import (
    WINDOW_TARGET,
    dashboard_url_for,
    render_window,
    row_html,
    trigger,
    with_row,
)
from disclosures.rules import CoiStatus, format_long_date
from disclosures.selectors import latest_disclosures
from faculty.forms import FacultyAddForm, PersonCreateForm
from faculty.models import HoldSource, Person
from faculty.services import PersonError, find_person_by_email
from faculty.services_duplicates import person_admit

SEARCH_LIMIT = 12


def _current(child) -> list[dict]:
    rows = []
    for a in child.assignments.current().select_related("person").order_by("added_at", "id"):
        icon, css = COI_LOOK.get(a.coi_status, ("warning", "st-incomplete"))
        rows.append(
            {
                "assignment": a,
                "coi_label": CoiStatus(a.coi_status).label,
                "coi_icon": ICONS[icon],
                "coi_class": css,
            }
        )
    return rows


def _manage(request, child, **extra):
    return render_window(
        request, "faculty/manage.html", {"child": child, "current": _current(child), **extra}
    )


@login_required
@require_GET
def manage_faculty(request, child_id: int):
    child = get_child_for_user(request.user, child_id, edit=True)
    return _manage(request, child)


@login_required
@require_GET
def faculty_search(request, child_id: int):
    child = get_child_for_user(request.user, child_id, edit=True)
    query = request.GET.get("q", "").strip()[:100]
    people = list(Person.objects.search(query)[:SEARCH_LIMIT]) if query else []
    assigned = set(child.assignments.current().values_list("person_id", flat=True))
    return HttpResponse(
        render_to_string(
            "faculty/_search_results.html",
            {"child": child, "people": people, "assigned": assigned, "query": query},
            request,
        )
    )


def _pick(request, child, person, *, note: str = ""):
    """The add form for one person, with Request Disclosure? pre-set (SPEC §4)."""
    active = has_active_disclosure(person, child)
    latest = latest_disclosures([person.pk]).get(person.pk)
    if active:
        status = (
            f"Active disclosure on file (submitted {format_long_date(timezone.localtime(latest.submitted_at))}): "
            "Request Disclosure? is unchecked so they get no unnecessary email."
        )
    elif latest is not None:
        status = (
            f"Disclosure expired for this date (submitted {format_long_date(timezone.localtime(latest.submitted_at))}): "
            "Request Disclosure? is checked."
        )
    else:
        status = "No disclosure on file: Request Disclosure? is checked."
    form = FacultyAddForm(
        initial={"person": person.pk, "request_disclosure": not active, "role": "speaker"}
    )
    return HttpResponse(
        render_to_string(
            "faculty/_pick.html",
            {"child": child, "person": person, "form": form, "status": status, "note": note},
            request,
        )
    )


@login_required
@require_GET
def faculty_pick(request, child_id: int, person_id: int):
    child = get_child_for_user(request.user, child_id, edit=True)
    person = get_object_or_404(Person, pk=person_id, is_active=True)
    return _pick(request, child, person)


@login_required
@require_POST
def faculty_add(request, child_id: int):
    child = get_child_for_user(request.user, child_id, edit=True)
    form = FacultyAddForm(request.POST)
    error, added, emailed = "", None, []
    person = None
    if form.is_valid():
        person = Person.objects.filter(pk=form.cleaned_data["person"], is_active=True).first()
    if person is None:
        error = "Choose a person from the search results."
    else:
        active = has_active_disclosure(person, child)
        try:
            added = assignment_add(
                child=child,
                person=person,
                role=form.cleaned_data["role"],
                request_disclosure=form.cleaned_data["request_disclosure"],
                request_presentation=form.cleaned_data["request_presentation"],
                by=request.user,
            )
        except AssignmentError as exc:
            error = exc.message
        else:
            if added.request_disclosure:
                emailed.append(
                    "a note that no disclosure action is needed"
                    if active
                    else "a disclosure request"
                )
            if added.request_presentation:
                emailed.append("a presentation request")
    if not request.htmx:
        if added:
            messages.success(request, f"{added.person.name} was added as faculty.")
        else:
            messages.error(request, error)
        return redirect(dashboard_url_for(child.pk))
    response = _manage(request, child, added=added, error=error, emailed=emailed)
    if added:
        trigger(response, showMessage=f"Faculty member added: {added.person.name}.")
    return with_row(response, request, child.pk)


@login_required
@require_http_methods(["GET", "POST"])
def faculty_person_new(request, child_id: int):
    """Add an account for someone not found; an existing account (also through a domain alias)
    is proposed instead of creating a duplicate."""
    child = get_child_for_user(request.user, child_id, edit=True)
    existing = held = None
    if request.method == "POST":
        form = PersonCreateForm(request.POST)
        if form.is_valid():
            try:
                admitted = person_admit(
                    source=HoldSource.MANAGE_FACULTY,
                    requested_by=request.user,
                    details={"child_id": child.pk},
                    **form.cleaned_data,
                )
            except PersonError as exc:
                if exc.code == "exists":
                    existing = find_person_by_email(form.cleaned_data["email"])
                if existing is None:
                    field = "email" if exc.code in ("exists", "invalid_email") else None
                    form.add_error(field, exc.message)
            else:
                if admitted.person is not None:
                    person = admitted.person
                    return _pick(
                        request,
                        child,
                        person,
                        note=f"Account created for {person.name} ({person.email}).",
                    )
                held = admitted.hold
    else:
        form = PersonCreateForm()
    return HttpResponse(
        render_to_string(
            "faculty/_person_form.html",
            {"child": child, "form": form, "existing": existing, "held": held},
            request,
        )
    )


@login_required
@require_POST
def faculty_remove(request, assignment_id: int):
    assignment = get_assignment_for_user(request.user, assignment_id, edit=True)
    child = assignment.child
    try:
        assignment_remove(assignment, by=request.user)
    except AssignmentError as exc:
        text = exc.message
    else:
        text = f"Removed {assignment.person.name} from session {child.pk}."
    if not request.htmx:
        messages.success(request, text)
        return redirect(dashboard_url_for(child.pk))
    if request.htmx.target == WINDOW_TARGET:
        response = with_row(_manage(request, child, removed=text), request, child.pk)
    else:
        response = HttpResponse(row_html(request, child.pk))
    return trigger(response, showMessage=text)
