"""activities' part of what the apps below it announce."""

from django.dispatch import receiver

from disclosures.signals import disclosure_submitted

from .services.status import recompute_for_person


@receiver(disclosure_submitted, dispatch_uid="activities.recompute_after_disclosure")
def recompute_after_disclosure(sender, person_id, **kwargs) -> None:
    """Every assignment of the person and every session of a series they plan (SPEC §7)."""
    recompute_for_person(person_id)
