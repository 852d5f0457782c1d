"""Phones of learners: matching a text to a person, linking a phone for good, waiting claims."""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from faculty.models import Person
from faculty.people import to_e164
from faculty.services import find_person_by_email

from . import messages as msg
from .models import ClaimChannel, SmsOptOut, SmsPendingClaim
from .services import ClaimError, claim_credit


class PhoneError(ClaimError):
    """codes: invalid_phone, phone_taken, other_phone_on_file."""


def person_for_phone(phone: str | None) -> Person | None:
    """The person texting from this phone, with `sms_opted_out` (one query: texts are hot)."""
    if not phone:
        return None
    return (
        Person.objects.filter(mobile_phone=phone)
        .only("id", "email", "is_active", "mobile_phone")
        .annotate(sms_opted_out=Exists(SmsOptOut.objects.filter(phone=OuterRef("mobile_phone"))))
        .order_by()
        .first()
    )


def account_for_email(email: str) -> Person | None:
    """The account behind an address, through domain aliases and merges."""
    person = find_person_by_email(email)
    seen = set()
    while person is not None and person.merged_into_id and person.pk not in seen:
        seen.add(person.pk)
        person = person.merged_into
    return person


@transaction.atomic
def link_phone(*, person: Person, phone: str) -> Person:
    """Put the phone on the person's account for good (audited by the person's history).

    A person whose account already has a different number keeps it: a text from an unknown phone
    naming an address is not proof enough to take over someone's claiming phone.
    """
    e164 = to_e164(phone)
    if e164 is None:
        raise PhoneError("invalid_phone", f"{phone!r} is not a valid mobile number.")
    if person.mobile_phone == e164:
        return person
    if person.mobile_phone:
        raise PhoneError("other_phone_on_file", msg.other_phone_on_file(None))
    person.mobile_phone = e164
    try:
        with transaction.atomic():
            person.save(update_fields=["mobile_phone"])
    except IntegrityError:
        person.mobile_phone = None
        raise PhoneError(
            "phone_taken", "That mobile number is already on another account."
        ) from None
    return person


def remember_pending(phone: str, child_id: int, now: datetime) -> SmsPendingClaim:
    """One waiting claim per phone and session; the earliest text counts for the window."""
    pending = SmsPendingClaim.objects.filter(
        phone=phone, child_id=child_id, completed_at__isnull=True
    ).first()
    return pending or SmsPendingClaim.objects.create(
        phone=phone, child_id=child_id, received_at=now
    )


def waiting_claim(phone: str) -> SmsPendingClaim | None:
    return (
        SmsPendingClaim.objects.select_related("child", "child__parent")
        .filter(phone=phone, completed_at__isnull=True)
        .order_by("-received_at")
        .first()
    )


@dataclass(frozen=True)
class Completed:
    """What became of one waiting claim: the claim, or the reason it could not be recorded."""

    child_id: int
    claim: object | None
    error: ClaimError | None

    @property
    def message(self) -> str:
        return msg.claimed(self.claim) if self.claim is not None else self.error.message


def complete_pending_claims(*, learner: Person, phone: str, now: datetime | None = None):
    """Record the claims a phone texted before it was linked, as of the moment each text arrived."""
    now = now or timezone.now()
    results: list[Completed] = []
    waiting = list(
        SmsPendingClaim.objects.filter(phone=phone, completed_at__isnull=True).order_by(
            "received_at"
        )
    )
    for pending in waiting:
        try:
            claim = claim_credit(
                learner=learner,
                child_id=pending.child_id,
                channel=ClaimChannel.SMS,
                now=pending.received_at,
            )
            results.append(Completed(pending.child_id, claim, None))
        except ClaimError as exc:
            results.append(Completed(pending.child_id, None, exc))
    if waiting:
        SmsPendingClaim.objects.filter(pk__in=[p.pk for p in waiting]).update(completed_at=now)
    return results
