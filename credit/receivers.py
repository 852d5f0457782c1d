"""credit's part of decisions made elsewhere."""

from django.db.models import Subquery
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from activities.models import ChildActivity, ParentActivity
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


def _may_change(created: bool, update_fields, field: str) -> bool:
    return not created and (update_fields is None or field in update_fields)


@receiver(post_save, sender=ParentActivity, dispatch_uid="credit.claim_year_of_series")
def keep_claim_year_of_series(sender, instance, created, update_fields=None, **kwargs) -> None:
    """A series whose year is corrected (the admin may) takes its claims' year along: the
    transcript reads claims by `Claim.year`. One UPDATE, writing only claims that differ."""
    from .models import Claim

    if _may_change(created, update_fields, "year"):
        Claim.objects.filter(child__parent=instance).exclude(year=instance.year).update(
            year=instance.year
        )


@receiver(post_save, sender=ChildActivity, dispatch_uid="credit.claim_year_of_session")
def keep_claim_year_of_session(sender, instance, created, update_fields=None, **kwargs) -> None:
    """A session moved to another series (the admin's form may) takes its claims to that
    series' year. Saves naming their fields without the series cost nothing."""
    from .models import Claim

    if _may_change(created, update_fields, "parent"):
        year = Subquery(ParentActivity.objects.filter(pk=instance.parent_id).values("year")[:1])
        Claim.objects.filter(child=instance).exclude(year=year).update(year=year)
