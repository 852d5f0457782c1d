"""Asking a person for their disclosure again: "Resend disclosure request" on a faculty line and
the person page, "Request disclosure" for a planner on the dashboard row (SPEC §4-5)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from activities.access import get_child_for_user, get_person_to_ask
from activities.models import ParentRole, ParentRoleKind
from activities.services.disclosure_requests import DisclosureRequestError, disclosure_request_send
from activities.views.common import row_html, trigger
from disclosures.models import DisclosureRequestKind
from faculty.models import Assignment
from rss_dashboard.http import safe_next


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def disclosure_request_view(request, person_id: int):
    """POST; optional `child`: the dashboard row it came from (re-rendered), which also says why
    (faculty of that session, or planner of its series); optional `next`: where a plain form
    post returns (the person page by default)."""
    person = get_person_to_ask(request.user, person_id)
    back = safe_next(request, request.POST.get("next"))  # e.g. the office's planners report
    child_id = _int(request.POST.get("child"))
    child = get_child_for_user(request.user, child_id) if child_id else None
    kind, parent = DisclosureRequestKind.PERSON, None
    if child is not None:
        if Assignment.objects.current().filter(child=child, person=person).exists():
            kind = DisclosureRequestKind.FACULTY
        elif ParentRole.objects.filter(
            parent_id=child.parent_id, person=person, role=ParentRoleKind.PLANNER
        ).exists():
            kind, parent = DisclosureRequestKind.PLANNER, child.parent
    try:
        disclosure_request_send(
            person=person, by=request.user, kind=kind, child=child, parent=parent
        )
    except DisclosureRequestError as exc:
        if not request.htmx:
            messages.error(request, exc.message)
            return redirect(back or reverse("person_detail", args=[person.pk]))
        response = HttpResponse(status=204)  # nothing to swap; the message says why
        return trigger(response, showMessage=exc.message)
    text = f"Disclosure request sent to {person.name} ({person.email}) with a new personal link."
    if not request.htmx:
        messages.success(request, text)
        return redirect(back or reverse("person_detail", args=[person.pk]))
    if child is not None:
        return trigger(HttpResponse(row_html(request, child.pk)), showMessage=text)
    return trigger(HttpResponse(status=204), showMessage=text)
