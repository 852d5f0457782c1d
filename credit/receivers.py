"""credit's part of decisions made elsewhere."""

from django.dispatch import receiver
from django.utils import timezone

from faculty.services_duplicates import likely_duplicate_decided

from .phone_links import confirm_by_registration


@receiver(likely_duplicate_decided, dispatch_uid="credit.link_texted_phone")
def link_texted_phone(sender, hold, person, **kwargs) -> None:
    """A registration from the text message's link was held as a likely duplicate: once the
    office decided, the phone it proved goes to the account the learner now has (and claims it
    texted while waiting are recorded), if the link has not expired meanwhile."""
    token = hold.details.get("phone_token")
    if token:
        confirm_by_registration(token, person=person, now=timezone.now())
