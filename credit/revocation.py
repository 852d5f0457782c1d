"""Services: the office takes credit back, explicitly (issue 14). Deactivating a session never
does; awarded credit stays on learners' transcripts until a reviewer revokes it here, with a
reason each learner is told by email. The claim itself is kept (participation records are never
deleted); who revoked it, when and why stay on the claim."""

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from rss_dashboard.errors import DomainError
from rss_dashboard.outbox import queue_email


class RevokeError(DomainError):
    pass


@transaction.atomic
def claims_revoke(*, claims: QuerySet, by, reason: str, now: datetime | None = None) -> int:
    """Revoke the credit of these claims (those not revoked yet); returns how many."""
    if not getattr(by, "is_reviewer", False):
        raise RevokeError("forbidden", "Only the office's reviewers may revoke credit.")
    if not reason.strip():
        raise RevokeError("reason_required", "Say why: each learner is told the reason.")
    now = now or timezone.now()
    done = 0
    for claim in (
        claims.select_for_update(of=("self",))
        .filter(revoked_at__isnull=True)
        .select_related("learner", "child", "child__parent")
        .order_by("id")
    ):
        claim.revoked_at, claim.revoked_by, claim.revoked_reason = now, by, reason.strip()
        claim.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
        queue_email(
            event_key=f"credit-revoked:{claim.pk}",
            kind="credit_revoked",
            to=[claim.learner.email],
            template="credit_revoked",
            context={"claim": claim, "child": claim.child, "parent": claim.child.parent},
        )
        done += 1
    return done
