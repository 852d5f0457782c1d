"""Services: the office takes credit back, explicitly, and may give it back (issues 14, 17).

Deactivating a session never takes credit: awarded credit stays on learners' transcripts until a
reviewer revokes it here, with a reason each learner is told by email. The claim itself is kept
(participation records are never deleted); who revoked it, when and why stay on the claim, and
every revocation and reinstatement is a `ClaimRevocation` row. A revoked claim counts for nothing
and its certificates verify as revoked."""

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from activities.rules import ChildStatus
from rss_dashboard import limits
from rss_dashboard.errors import DomainError
from rss_dashboard.outbox import queue_email

from .models import Claim, ClaimRevocation
from .models_certificate import RevocationAction
from .rules_evaluation import award_now


class RevokeError(DomainError):
    """codes: forbidden, reason_required, already_revoked, not_revoked."""


def _check(by, reason: str, what: str) -> str:
    if not getattr(by, "is_reviewer", False):
        raise RevokeError(
            "forbidden", "Only the office's reviewers may revoke or reinstate credit."
        )
    reason = (reason or "").strip()
    if not reason:
        raise RevokeError("reason_required", f"Say why the credit is {what}: the learner is told.")
    return reason[: limits.NOTE]


@transaction.atomic
def claims_revoke(*, claims: QuerySet, by, reason: str, now: datetime | None = None) -> int:
    """Revoke the credit of these claims (those not revoked yet); returns how many."""
    reason = _check(by, reason, "revoked")
    now = now or timezone.now()
    done = 0
    for claim in (
        claims.select_for_update(of=("self",))
        .filter(revoked_at__isnull=True)
        .select_related("learner", "child", "child__parent")
        .order_by("id")
    ):
        claim.revoked_at, claim.revoked_by, claim.revoked_reason = now, by, reason
        claim.awarded_at = None
        claim.save(update_fields=["revoked_at", "revoked_by", "revoked_reason", "awarded_at"])
        ClaimRevocation.objects.create(
            claim=claim, action=RevocationAction.REVOKED, by=by, at=now, reason=reason
        )
        queue_email(
            event_key=f"credit-revoked:{claim.pk}:{now.isoformat()}",
            kind="credit_revoked",
            to=[claim.learner.email],
            template="credit_revoked",
            context={"claim": claim, "child": claim.child, "parent": claim.child.parent},
        )
        done += 1
    return done


def claim_revoke(*, claim_id: int, by, reason: str, now: datetime | None = None) -> Claim:
    """One claim, from its admin page: refuses a claim already revoked."""
    with transaction.atomic():
        claims = Claim.objects.filter(pk=claim_id)
        if not claims_revoke(claims=claims, by=by, reason=reason, now=now):
            _check(by, reason, "revoked")
            raise RevokeError("already_revoked", "This claim is already revoked.")
        return claims.get()


@transaction.atomic
def claim_reinstate(*, claim_id: int, by, reason: str, now: datetime | None = None) -> Claim:
    """Undo a revocation: the claim is worth what the credit gate says now. Audited."""
    reason = _check(by, reason, "reinstated")
    now = now or timezone.now()
    claim = Claim.objects.select_for_update(of=("self",)).select_related("child").get(pk=claim_id)
    if claim.revoked_at is None:
        raise RevokeError("not_revoked", "This claim is not revoked.")
    claim.revoked_at, claim.revoked_by, claim.revoked_reason = None, None, ""
    if award_now(
        approved=claim.child.status == ChildStatus.APPROVED,
        evaluation_required=claim.evaluation_required,
        evaluated=claim.evaluated_at is not None,
    ):
        claim.awarded_at = now
    claim.save(update_fields=["revoked_at", "revoked_by", "revoked_reason", "awarded_at"])
    ClaimRevocation.objects.create(
        claim=claim, action=RevocationAction.REINSTATED, by=by, at=now, reason=reason
    )
    return claim
