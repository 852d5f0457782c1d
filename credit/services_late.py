"""Late claims (SPEC §11): a learner past the window asks with a reason; coordinators decide.

Audited twice: the request keeps who decided, when and the note, and its simple-history records
every change. Both sides are emailed through the outbox in the same transaction as the change.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from activities.models import ParentRole, ParentRoleKind
from rss_dashboard.audit import attribute
from rss_dashboard.outbox import queue_email

from . import messages as msg
from .models import ClaimChannel, LateClaimRequest, LateClaimState
from .rules import window_state
from .services import ClaimError, child_to_claim, claim_credit, existing_claim, window_of

MAX_REASON = 1000


@transaction.atomic
def late_claim_request(
    *, learner, child_id: int, reason: str, now: datetime | None = None
) -> LateClaimRequest:
    """codes: unknown_child, inactive, already_claimed, open (claim it directly), not_open,
    reason_required, late_pending, late_refused."""
    now = now or timezone.now()
    child = child_to_claim(learner, child_id)
    if (claim := existing_claim(learner, child)) is not None:
        raise ClaimError("already_claimed", msg.already_claimed(claim), child=child, claim=claim)
    window = window_of(child)
    state = window_state(window, now)
    if state == "open":
        raise ClaimError("open", "Claiming is open: claim the credit directly.", child=child)
    if state == "not_open":
        raise ClaimError("not_open", msg.not_open(child, window.opens), child=child)
    reason = (reason or "").strip()
    if not reason:
        raise ClaimError(
            "reason_required", "Say why you could not claim in time; the coordinators read it."
        )
    earlier = (
        LateClaimRequest.objects.filter(learner=learner, child=child)
        .exclude(state=LateClaimState.GRANTED)
        .first()
    )
    if earlier is not None and earlier.state == LateClaimState.PENDING:
        raise ClaimError(
            "late_pending", "Your late claim is already with the coordinators.", child=child
        )
    if earlier is not None and earlier.state == LateClaimState.REFUSED:
        raise ClaimError(
            "late_refused",
            "The coordinators refused your late claim on "
            f"{msg.when(earlier.decided_at or earlier.requested_at, child.zone)}.",
            child=child,
        )
    try:
        with transaction.atomic():
            request = LateClaimRequest.objects.create(
                learner=learner, child=child, reason=reason[:MAX_REASON], requested_at=now
            )
    except IntegrityError:
        raise ClaimError(
            "late_pending", "Your late claim is already with the coordinators.", child=child
        ) from None
    coordinators = list(
        ParentRole.objects.filter(
            parent_id=child.parent_id, role=ParentRoleKind.COORDINATOR, person__is_active=True
        ).values_list("person__email", flat=True)
    )
    queue_email(
        event_key=f"late-claim-requested:{request.pk}",
        kind="late_claim_requested",
        to=coordinators,
        template="late_claim_requested",
        context={
            "request": request,
            "learner": learner,
            "child": child,
            "parent": child.parent,
            "link": _absolute(reverse("late_claims", args=[child.parent_id])),
        },
    )
    return request


@transaction.atomic
def late_claim_decide(
    *, request_id: int, by, grant: bool, note: str = "", now: datetime | None = None
) -> LateClaimRequest:
    """Grant (the claim is recorded, channel "late") or refuse. A request is decided once.

    Decided by the series' coordinators (on the series' late-claims page) or by the office
    (reviewers and administrators, in the admin's late-claims queue): the same checks, the same
    audit (who, when, the note, the history) and the same email to the learner."""
    now = now or timezone.now()
    request = (
        LateClaimRequest.objects.select_for_update()
        .select_related("learner", "child", "child__parent")
        .get(pk=request_id)
    )
    coordinator = ParentRole.objects.filter(
        parent_id=request.child.parent_id, person=by, role=ParentRoleKind.COORDINATOR
    ).exists()
    by_office = bool(getattr(by, "is_reviewer", False))
    if not (coordinator or by_office):
        raise ClaimError(
            "forbidden", "Only the series' coordinators and the office decide late claims."
        )
    if request.state != LateClaimState.PENDING:
        raise ClaimError(
            "already_decided",
            f"This request was already {request.get_state_display().lower()}.",
        )
    claim = None
    if grant:
        try:
            claim = claim_credit(
                learner=request.learner,
                child_id=request.child_id,
                channel=ClaimChannel.LATE,
                now=now,
                enforce_window=False,
            )
        except ClaimError as exc:
            if exc.code == "unknown_child":
                raise ClaimError(
                    "session_deactivated",
                    "This session has been deactivated, so no credit can be granted for it.",
                ) from None
            if exc.code != "already_claimed":
                raise
            claim = exc.claim
    request.state = LateClaimState.GRANTED if grant else LateClaimState.REFUSED
    request.decided_by = by
    request.decided_at = now
    request.decision_note = (note or "").strip()[:2000]
    attribute(
        request,
        by,
        f"late claim {request.state} by {by}{' for the office' if not coordinator else ''}",
    )
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    queue_email(
        event_key=f"late-claim-decided:{request.pk}",
        kind="late_claim_decided",
        to=[request.learner.email],
        template="late_claim_decided",
        context={
            "request": request,
            "learner": request.learner,
            "child": request.child,
            "parent": request.child.parent,
            "claim": claim,
            "granted": grant,
            "decided_by_office": by_office and not coordinator,
            "link": _absolute(reverse("transcript")),
        },
    )
    return request


def _absolute(path: str) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL}{path}"
