"""credit's part of decisions made elsewhere."""

from django.dispatch import receiver
from django.utils import timezone

from activities.rules import ChildStatus
from activities.signals import child_decided
from faculty.services_duplicates import likely_duplicate_decided

from .services_phone_links import confirm_by_registration


@receiver(likely_duplicate_decided, dispatch_uid="credit.link_texted_phone")
def link_texted_phone(sender, hold, person, **kwargs) -> None:
    """A registration from the text message's link was held as a likely duplicate: once the
    office decided, the phone it proved goes to the account the learner now has (and claims it
    texted while waiting are recorded), if the link has not expired meanwhile."""
    token = hold.details.get("phone_token")
    if token:
        confirm_by_registration(token, person=person, now=timezone.now())


@receiver(child_decided, dispatch_uid="credit.award_waiting_claims")
def award_waiting_claims(sender, child, now, **kwargs) -> None:
    """Claims waiting for approval become credit (SPEC §11), those whose evaluation the series
    requires once it is in (the credit gate, credit.rules_evaluation.award_now)."""
    from .models import EVALUATION_DONE_OR_NOT_NEEDED, Claim

    if child.status == ChildStatus.APPROVED:
        Claim.objects.filter(
            child=child, awarded_at__isnull=True, revoked_at__isnull=True, voided_at__isnull=True
        ).filter(EVALUATION_DONE_OR_NOT_NEEDED).update(awarded_at=now)
