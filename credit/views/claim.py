"""The web claim (where the QR code lands) and late-claim requests. Same service, same words as
the text messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from credit import messages as msg
from credit.forms import LateClaimForm
from credit.models import ClaimChannel, LateClaimRequest
from credit.rules import CLAIM_STATE_LABELS, session_credit, state_of, window_of, window_state
from credit.services import ClaimError, claim_credit, claimable_child, existing_claim
from credit.services_late import late_claim_request
from rss_dashboard import ratelimit

from .common import too_many
from .evaluate import evaluation_context


def _unknown(request, child_id):
    return render(
        request, "credit/claim_unknown.html", {"message": msg.unknown_child(child_id)}, status=404
    )


def _throttled(request) -> bool:
    return ratelimit.over("claim_user", str(request.user.pk)) or ratelimit.over(
        "claim_ip", ratelimit.client_ip(request)
    )


@require_http_methods(["GET", "POST"])
def claim(request, child_id: int):
    child = claimable_child(child_id)
    if child is None:
        return _unknown(request, child_id)
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    now = timezone.now()
    error = None
    if request.method == "POST":
        if _throttled(request):
            return too_many(request, "claims")
        via_qr = request.POST.get("src") == "qr"
        try:
            claim_credit(
                learner=request.user,
                child_id=child.pk,
                channel=ClaimChannel.QR if via_qr else ClaimChannel.WEB,
                now=now,
            )
        except ClaimError as exc:
            error = exc
        else:
            return redirect("claim_result", child.pk)
    window = window_of(child)
    context = {
        "child": child,
        "parent": child.parent,
        "window": window,
        "state": window_state(window, now),
        "credit": session_credit(
            start=child.start, end=child.end, maximum=child.parent.credit_hours
        ),
        "error": error,
        "src": "qr" if request.GET.get("src") == "qr" else "",
        "window_message": "",
    }
    if context["state"] == "not_open":
        context["window_message"] = msg.not_open(child, window.opens)
    elif context["state"] == "closed":
        context["window_message"] = msg.closed(child, window.closes)
    if request.user.is_authenticated:
        mine = existing_claim(request.user, child)
        context["claim"] = mine
        if mine is not None:
            context["claim_message"] = msg.already_claimed(mine)
            context["claim_state"] = CLAIM_STATE_LABELS[state_of(mine, child.status)]
            # The evaluation inline, while the learner may answer it (issue 17).
            evaluation = evaluation_context(mine)
            context.update(
                questions=evaluation["questions"],
                ratings=evaluation["ratings"],
                claim_state_code=evaluation["state"],
                action=reverse("claim_evaluation", args=[child.pk]),
                errors={},
                posted={},
            )
        context["late_request"] = LateClaimRequest.objects.filter(
            learner=request.user, child=child
        ).first()
    return render(request, "credit/claim.html", context)


@login_required
@require_GET
def claim_result(request, child_id: int):
    child = claimable_child(child_id)
    if child is None:
        return _unknown(request, child_id)
    mine = existing_claim(request.user, child)
    if mine is None:
        return redirect("claim", child.pk)
    context = evaluation_context(mine)
    context.update(
        message=msg.claimed_on_web(mine),
        action=reverse("claim_evaluation", args=[child.pk]),
        errors={},
        posted={},
    )
    return render(request, "credit/claim_result.html", context)


@login_required
@require_POST
def late_claim_request_view(request, child_id: int):
    child = claimable_child(child_id)
    if child is None:
        return _unknown(request, child_id)
    if _throttled(request):
        return too_many(request, "requests")
    form = LateClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why you could not claim in time (at most 1,000 characters).")
        return redirect("claim", child.pk)
    try:
        late_claim_request(
            learner=request.user, child_id=child.pk, reason=form.cleaned_data["reason"]
        )
    except ClaimError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            "Your late claim went to the series' coordinators. You will get an email with their "
            "decision.",
        )
    return redirect("claim", child.pk)
