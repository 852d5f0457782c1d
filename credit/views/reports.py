"""Reports for a series' coordinators and owners and for administrators; late-claim decisions."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from activities.access import can_edit_parent
from credit.access import get_child_for_reports, get_parent_for_reports
from credit.forms import LateDecisionForm
from credit.models import LateClaimRequest, LateClaimState
from credit.selectors_reports import (
    attendance_csv,
    pars_activity,
    pars_csv,
    series_sessions,
    summary_csv,
)
from credit.services import ClaimError
from credit.services_late import late_claim_decide

from .common import file_response


@require_GET
def parent_reports(request, parent_id: int):
    parent = get_parent_for_reports(request.user, parent_id)
    return render(
        request,
        "credit/parent_reports.html",
        {
            "parent": parent,
            "pars": pars_activity(parent),
            "sessions": series_sessions(parent),
            "pending_late": LateClaimRequest.objects.filter(
                child__parent=parent, state=LateClaimState.PENDING
            ).count(),
        },
    )


@require_GET
def parent_summary_csv(request, parent_id: int):
    return file_response(summary_csv(get_parent_for_reports(request.user, parent_id)))


@require_GET
def parent_pars_csv(request, parent_id: int):
    return file_response(pars_csv(get_parent_for_reports(request.user, parent_id)))


@require_GET
def child_attendance_csv(request, child_id: int):
    return file_response(attendance_csv(get_child_for_reports(request.user, child_id)))


@require_http_methods(["GET", "POST"])
def late_claims(request, parent_id: int):
    parent = get_parent_for_reports(request.user, parent_id, decide=request.method == "POST")
    if request.method == "POST":
        form = LateDecisionForm(request.POST)
        if form.is_valid():
            request_id = form.cleaned_data["request_id"]
            if not LateClaimRequest.objects.filter(pk=request_id, child__parent=parent).exists():
                messages.error(request, "That request is not one of this series.")
            else:
                try:
                    decided = late_claim_decide(
                        request_id=request_id,
                        by=request.user,
                        grant=form.cleaned_data["decision"] == "grant",
                        note=form.cleaned_data["note"],
                    )
                except ClaimError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(
                        request,
                        f"Late claim of {decided.learner.name} {decided.get_state_display().lower()}; "
                        "the learner is emailed.",
                    )
        else:
            messages.error(request, "Choose grant or refuse.")
        return redirect("late_claims", parent.pk)
    requests = (
        LateClaimRequest.objects.filter(child__parent=parent)
        .select_related("learner", "child", "decided_by")
        .order_by("-requested_at")[:500]
    )
    pending = [r for r in requests if r.state == LateClaimState.PENDING]
    decided = [r for r in requests if r.state != LateClaimState.PENDING]
    return render(
        request,
        "credit/late_claims.html",
        {
            "parent": parent,
            "pending": pending,
            "decided": decided,
            "can_decide": can_edit_parent(request.user, parent.pk),
        },
    )
