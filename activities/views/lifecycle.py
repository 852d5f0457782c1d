"""Adding a child (or asking the office to), deactivating and reactivating one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from activities.access import get_child_for_user
from activities.forms import ADD_TYPED_FIELDS, ChildAddForm, add_form_initial
from activities.models import ParentActivity
from activities.selectors_series import dashboard_series_options
from activities.services.adding import child_add, reasons_for_office, ticket_new_child
from activities.services.children import ChildError, child_set_active
from activities.services.recurrence import next_free_meeting_day

from .common import (
    WINDOW_TARGET,
    dashboard_url_for,
    render_window,
    row_html,
    trigger,
    with_row,
)


def _editable_parents(user) -> list[ParentActivity]:
    """Series of this year or later the user may add sessions to."""
    ids = [p.pk for p in dashboard_series_options(user) if p.can_edit]
    return list(
        ParentActivity.objects.filter(pk__in=ids, year__gte=timezone.localdate().year).order_by(
            "name", "year"
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_new(request):
    parents = _editable_parents(request.user)
    if not parents:
        raise PermissionDenied("Only coordinators add sessions.")
    context: dict = {"reasons": [], "done": None, "ticket": None}
    if request.method == "POST":
        form = ChildAddForm(request.POST, parents=parents)
        if form.is_valid():
            data = form.cleaned_data
            parent = data["parent"]
            fields = {
                "parent": parent,
                "start": data["start"],
                "end": data["end"],
                "name": data["name"],
                "location": data["location"] or parent.default_location,
                "needs_evaluation": data["needs_evaluation"],
            }
            if request.POST.get("action") == "request":
                try:
                    context["ticket"] = ticket_new_child(
                        **fields, note=data["note"], by=request.user
                    )
                except ChildError as exc:
                    form.add_error(None, exc.message)
            else:
                try:
                    context["done"] = child_add(**fields, by=request.user)
                except ChildError as exc:
                    if exc.code != "needs_office":
                        form.add_error(None, exc.message)
                    context["reasons"] = reasons_for_office(
                        parent,
                        start=data["start"],
                        end=data["end"],
                        needs_evaluation=data["needs_evaluation"],
                    )
            if not request.htmx and (context["done"] or context["ticket"]):
                if context["ticket"]:
                    messages.success(request, f"Request sent to the office: {context['ticket']}.")
                    return redirect("dashboard")
                messages.success(request, f"Session {context['done'].pk} added.")
                return redirect(dashboard_url_for(context["done"].pk))
    else:
        wanted = _int(request.GET.get("series"))
        chosen = next((p for p in parents if p.pk == wanted), None)
        if chosen is None and len(parents) == 1:
            chosen = parents[0]
        typed = {k: request.GET.get(k, "").strip() for k in ADD_TYPED_FIELDS}
        next_free = None
        if chosen is not None and not typed["date"]:
            next_free = next_free_meeting_day(chosen, timezone.now())
        form = ChildAddForm(
            parents=parents,
            initial=add_form_initial(
                chosen, timezone.localdate(), typed=typed, next_free=next_free
            ),
        )
    if context["done"]:
        context["done_url"] = dashboard_url_for(context["done"].pk)
    return render_window(request, "activities/add_child.html", {"form": form, **context})


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def claim_counts(child) -> dict[str, int]:
    """How many learners claimed the session and what their claims are worth now."""
    return child.claims.aggregate(
        total=Count("id"),
        awarded=Count("id", filter=Q(awarded_at__isnull=False, revoked_at__isnull=True)),
        pending=Count("id", filter=Q(awarded_at__isnull=True, revoked_at__isnull=True)),
    )


def deactivation_notice(counts: dict[str, int]) -> str:
    """What happens to the learners' credit (the confirmation and the message after)."""
    if not counts["total"]:
        return "No learner has claimed credit for it."
    parts = [f"{counts['total']} learner{'s' if counts['total'] != 1 else ''} claimed it."]
    if counts["awarded"]:
        parts.append(
            f"The credit awarded to {counts['awarded']} of them stays on their transcripts; "
            "only the office can revoke it."
        )
    if counts["pending"]:
        parts.append(
            f"{counts['pending']} claim{'s' if counts['pending'] != 1 else ''} waiting for "
            "approval will get no credit unless the session is reactivated."
        )
    return " ".join(parts)


def _set_active(request, child_id: int, active: bool):
    child = get_child_for_user(request.user, child_id, edit=True)
    notice = "" if active else " " + deactivation_notice(claim_counts(child))
    child_set_active(child, active=active, by=request.user)
    text = f"Session {child.pk} {'reactivated' if active else 'deactivated'}.{notice}"
    if not request.htmx:
        messages.success(request, text)
        return redirect(dashboard_url_for(child.pk))
    if request.htmx.target == WINDOW_TARGET:  # confirmed in the window: close it, update the row
        response = with_row(HttpResponse(""), request, child.pk)
        return trigger(response, closeModal=True, showMessage=text)
    return trigger(HttpResponse(row_html(request, child.pk)), showMessage=text)


@login_required
@require_http_methods(["GET", "POST"])
def child_deactivate(request, child_id: int):
    """GET: the confirmation, saying how many learners claimed the session and what happens to
    their credit; POST: deactivate."""
    if request.method == "POST":
        return _set_active(request, child_id, False)
    child = get_child_for_user(request.user, child_id, edit=True)
    return render_window(
        request,
        "activities/deactivate.html",
        {"child": child, "notice": deactivation_notice(claim_counts(child))},
    )


@login_required
@require_POST
def child_reactivate(request, child_id: int):
    return _set_active(request, child_id, True)
