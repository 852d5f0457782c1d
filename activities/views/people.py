"""The person page: profile, disclosures and forms, files, past and upcoming assignments."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from activities.access import get_person_to_ask, may_see_person, sees_everything
from activities.dashboard.look import COI_LOOK, ICONS, fast_url, requested_line, when_text
from activities.models import ChildActivity
from disclosures.models import Disclosure, DisclosureRequest
from disclosures.rules import ACTIVE_DAYS, CoiStatus, format_long_date, is_active
from faculty.models import Assignment, Person
from faculty.people import display_phone


@login_required
@require_GET
def person_detail(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    if not may_see_person(request.user, person):
        raise Http404("No such person.")
    now = timezone.now()
    assignments = (
        Assignment.objects.current()
        .filter(person=person)
        .select_related("child", "child__parent")
        .order_by("-child__start")
    )
    if not sees_everything(request.user) and request.user.pk != person.pk:
        assignments = assignments.filter(child__in=ChildActivity.objects.visible_to(request.user))
    upcoming, past, files = [], [], []
    for a in assignments:
        icon, css = COI_LOOK.get(a.coi_status, ("warning", "st-incomplete"))
        item = {
            "assignment": a,
            "child": a.child,
            "when": when_text(a.child),
            "coi_label": CoiStatus(a.coi_status).label,
            "coi_icon": ICONS[icon],
            "coi_class": css,
            "dashboard_url": fast_url("dashboard") + f"?child_id={a.child_id}",
        }
        (upcoming if a.child.start >= now else past).append(item)
        if a.presentation:
            files.append(
                {
                    "name": a.presentation_name,
                    "child": a.child,
                    "url": fast_url("presentation_download", a.pk),
                }
            )
    upcoming.reverse()  # soonest first
    disclosures = []
    for d in Disclosure.objects.filter(person=person).prefetch_related("relationships"):
        local = timezone.localtime(d.submitted_at)
        disclosures.append(
            {
                "submitted": format_long_date(local),
                "active_now": is_active(d.submitted_at, now),
                "expires": format_long_date(local + timedelta(days=ACTIVE_DAYS)),
                "nothing": d.nothing_to_disclose and not d.relationships.all(),
                "relationships": list(d.relationships.all()),
            }
        )
    try:
        may_ask = get_person_to_ask(request.user, person.pk) is not None
    except (PermissionDenied, Http404):
        may_ask = False
    last = DisclosureRequest.objects.filter(person=person).first()
    return render(
        request,
        "faculty/person_detail.html",
        {
            "person": person,
            "upcoming": upcoming,
            "past": past,
            "files": files,
            "disclosures": disclosures,
            "show_phone": sees_everything(request.user) or request.user.pk == person.pk,
            "request_url": fast_url("disclosure_request", person.pk) if may_ask else None,
            "mobile_phone": display_phone(person.mobile_phone or ""),
            "requested_line": requested_line(last.requested_at if last else None),
        },
    )
