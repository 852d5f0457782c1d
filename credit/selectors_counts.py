"""Claims in figures for `status_report`: one query per figure, no rows loaded."""

from activities.rules import ChildStatus

from .models import Claim


def claim_counts() -> dict[str, int]:
    return {
        "total": Claim.objects.filter(voided_at__isnull=True).count(),
        "awarded": Claim.objects.awarded().count(),
        "pending_approval": Claim.objects.not_awarded()
        .exclude(child__status=ChildStatus.APPROVED)
        .count(),
        "waiting_for_evaluation": Claim.objects.waiting_for_evaluation().count(),
        "revoked": Claim.objects.filter(revoked_at__isnull=False).count(),
    }
