"""What a merge of two people (faculty.services_merge) does to claims and late claims: registered from
CreditConfig.ready(), so faculty never imports credit."""

from faculty.services_merge import MergeContext

from .models import Claim, LateClaimRequest, LateClaimState, SmsPendingClaim


def merge_claims(context: MergeContext) -> None:
    """One claim per learner and session: the kept person's claim counts, the duplicate's stays
    on the merged account. Voided claims (an undone attendance import) count for nobody and
    always move."""
    keep, duplicate, result = context.keep, context.duplicate, context.result
    keep_claimed = set(
        Claim.objects.filter(learner=keep, voided_at__isnull=True).values_list(
            "child_id", flat=True
        )
    )
    staying = list(
        Claim.objects.filter(
            learner=duplicate, child_id__in=keep_claimed, voided_at__isnull=True
        ).values_list("child_id", flat=True)
    )
    if staying:
        result.notes.append(
            "Both claimed sessions "
            + ", ".join(map(str, sorted(staying)))
            + f": {keep.name}'s claim counts; the duplicate's stays on the merged account."
        )
    context.moved(
        Claim,
        "learner",
        Claim.objects.filter(learner=duplicate)
        .exclude(child_id__in=staying, voided_at__isnull=True)
        .update(learner=keep),
    )
    if duplicate.mobile_phone:
        waiting = SmsPendingClaim.objects.filter(
            phone=duplicate.mobile_phone, completed_at__isnull=True
        ).count()
        if waiting:
            result.notes.append(f"{waiting} SMS claim(s) wait on the duplicate's phone.")


def merge_late_claims(context: MergeContext) -> None:
    """A late claim both people asked for: the duplicate's request is closed as a duplicate."""
    keep, duplicate = context.keep, context.duplicate
    keep_pending = set(
        LateClaimRequest.objects.filter(learner=keep, state=LateClaimState.PENDING).values_list(
            "child_id", flat=True
        )
    )
    closed = LateClaimRequest.objects.filter(
        learner=duplicate, state=LateClaimState.PENDING, child_id__in=keep_pending
    ).update(
        state=LateClaimState.REFUSED,
        decided_by=context.by,
        decided_at=context.now,
        decision_note=f"Closed as a duplicate request when accounts were merged ({context.reason}).",
    )
    if closed:
        context.result.notes.append(f"Closed {closed} late-claim request(s) both people had made.")
    context.moved(
        LateClaimRequest,
        "learner",
        LateClaimRequest.objects.filter(learner=duplicate).update(learner=keep),
    )
