"""One person per human (SPEC §16): a new account that resembles an existing person is held for
the office instead of created; the office decides "different people" or "same person".

Every path that creates people on request calls `person_admit`: registration (also from the
text message's link), Manage Faculty's "Add a new person" and the first SSO sign-in
(faculty/services_sso.py). Follow-ups that belong to other apps (linking the texted phone) hang
on the `likely_duplicate_decided` signal, so this module imports no other app.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone

from rss_dashboard import limits
from rss_dashboard.errors import DomainError
from rss_dashboard.outbox import queue_email

from .models import (
    DistinctPeople,
    HoldSource,
    HoldState,
    LikelyDuplicate,
    Person,
    SignInMethod,
    SsoIdentity,
)
from .people import normalize_email
from .rules_duplicates import Identity, describe
from .selectors_duplicates import likely_duplicates
from .services import PersonError, find_person_by_email, person_create

# Sent after the office decided a hold, inside its transaction: hold, person (the account the
# applicant now has: created or existing).
likely_duplicate_decided = Signal()


class HoldError(DomainError):
    pass


@dataclass(frozen=True)
class Admission:
    """The account created, or the hold waiting for the office (exactly one is set)."""

    person: Person | None = None
    hold: LikelyDuplicate | None = None


@transaction.atomic
def person_admit(
    *,
    source: str,
    email: str,
    last_name: str,
    first_name: str = "",
    credentials: str = "",
    affiliation: str = "",
    profession: str = "",
    password: str | None = None,
    requested_by: Person | None = None,
    details: dict | None = None,
    npi: str = "",
    birth_month: int | None = None,
    birth_day: int | None = None,
    now: datetime | None = None,
) -> Admission:
    """Create the person, or hold them when they resemble an existing person. An address that
    already has an account (also through an alias domain) is refused by `person_create`."""
    email = normalize_email(email)
    if "@" not in email or find_person_by_email(email) is not None or not last_name.strip():
        # The same refusals as person_create, with its messages.
        person_create(email=email, last_name=last_name, first_name=first_name)
    applicant = Identity(email, last_name.strip(), first_name.strip(), npi, birth_month, birth_day)
    matches = likely_duplicates(applicant)
    if not matches:
        person = person_create(
            email=email,
            last_name=last_name,
            first_name=first_name,
            credentials=credentials,
            affiliation=affiliation,
            profession=profession,
            password=password,
        )
        return Admission(person=person)
    waiting = LikelyDuplicate.objects.filter(email=email, state=HoldState.WAITING).first()
    if waiting is not None:
        return Admission(hold=waiting)  # asked twice: one hold, the first details kept
    candidate, reasons = matches[0]
    try:
        with transaction.atomic():
            hold = LikelyDuplicate.objects.create(
                source=source,
                received_at=now or timezone.now(),
                email=email,
                last_name=last_name.strip(),
                first_name=first_name.strip(),
                credentials=credentials.strip(),
                affiliation=affiliation.strip(),
                profession=profession,
                password_hash=make_password(password) if password else "",
                details=details or {},
                requested_by=requested_by,
                candidate=candidate,
                reasons=reasons,
            )
    except IntegrityError:  # the same address held at the same moment by another request
        return Admission(hold=LikelyDuplicate.objects.get(email=email, state=HoldState.WAITING))
    queue_email(
        event_key=f"likely-duplicate:{hold.pk}",
        kind="likely_duplicate_office",
        to=[_office_email()],
        template="likely_duplicate_office",
        context={"hold": hold, "why": describe(reasons), "link": _admin_link(hold)},
    )
    return Admission(hold=hold)


def _office_email() -> str:
    from django.conf import settings

    return settings.OFFICE_EMAIL


def _admin_link(hold: LikelyDuplicate) -> str:
    from django.conf import settings

    return settings.SITE_URL + reverse("admin:faculty_likelyduplicate_change", args=[hold.pk])


def _may_decide(by) -> bool:
    return bool(getattr(by, "is_reviewer", False))


@transaction.atomic
def hold_decide(
    *, hold_id: int, same_person: bool, by, note: str = "", now: datetime | None = None
) -> LikelyDuplicate:
    """The office's decision. Different people: the account is created from the held details and
    the pair is remembered. Same person: nothing is created; the existing account gets what the
    application adds (empty fields, the institution's sign-in). Either way the applicant is
    emailed what happens next, and the coordinator who asked, when one did."""
    if not _may_decide(by):
        raise HoldError("forbidden", "Only the office decides likely duplicates.")
    if len(note) > limits.NOTE:
        raise HoldError("note_too_long", f"Keep the note under {limits.NOTE} characters.")
    now = now or timezone.now()
    hold = LikelyDuplicate.objects.select_for_update().filter(pk=hold_id).first()
    if hold is None:
        raise HoldError("unknown", "No such likely duplicate.")
    if hold.state != HoldState.WAITING:
        raise HoldError("decided", "This one was already decided.")
    candidate = Person.objects.get(pk=hold.candidate_id)
    if same_person:
        person = _follow_merges(candidate)
        if not person.is_active:
            raise HoldError("inactive", f"{person.email} is deactivated; reactivate it first.")
        _fill_from_application(person, hold)
    else:
        person = _create_from_hold(hold)
        DistinctPeople.objects.create(
            person_a=candidate, person_b=person, confirmed_by=by, confirmed_at=now
        )
    _link_institution_account(hold, person, now)
    hold.state = HoldState.SAME if same_person else HoldState.DIFFERENT
    hold.decided_by, hold.decided_at, hold.decision_note = by, now, note.strip()
    hold.created_person = None if same_person else person
    hold.save()
    _tell_what_happens_next(hold, person)
    likely_duplicate_decided.send(sender=LikelyDuplicate, hold=hold, person=person)
    return hold


def _follow_merges(person: Person) -> Person:
    for _ in range(10):
        if person.merged_into_id is None:
            break
        person = Person.objects.get(pk=person.merged_into_id)
    return person


def _create_from_hold(hold: LikelyDuplicate) -> Person:
    try:
        person = person_create(
            email=hold.email,
            last_name=hold.last_name,
            first_name=hold.first_name,
            credentials=hold.credentials,
            affiliation=hold.affiliation,
            profession=hold.profession,
        )
    except PersonError as exc:
        raise HoldError(exc.code, exc.message) from None
    if hold.password_hash:
        person.password = hold.password_hash
        person.save(update_fields=["password"])
    return person


def _fill_from_application(person: Person, hold: LikelyDuplicate) -> None:
    changed = []
    for name in ("first_name", "credentials", "affiliation", "profession"):
        if not getattr(person, name) and getattr(hold, name):
            setattr(person, name, getattr(hold, name))
            changed.append(name)
    if changed:
        person._change_reason = f"Details from a held application (#{hold.pk})"  # type: ignore[attr-defined]  # simple-history
        person.save(update_fields=changed)


def _link_institution_account(hold: LikelyDuplicate, person: Person, now: datetime) -> None:
    issuer, subject = hold.details.get("issuer"), hold.details.get("subject")
    if hold.source not in (HoldSource.SAML, HoldSource.OIDC) or not (issuer and subject):
        return
    SsoIdentity.objects.update_or_create(
        issuer=issuer,
        subject=subject,
        defaults={
            "person": person,
            "method": SignInMethod.SAML if hold.source == HoldSource.SAML else SignInMethod.OIDC,
            "email": hold.email,
            "linked_at": now,
            "last_used_at": now,
        },
    )


def _tell_what_happens_next(hold: LikelyDuplicate, person: Person) -> None:
    from django.conf import settings

    context = {
        "hold": hold,
        "person": person,
        "same_person": hold.state == HoldState.SAME,
        "sign_in_link": settings.SITE_URL + reverse("login"),
        "reset_link": settings.SITE_URL + reverse("password_reset"),
        "institution": hold.source in (HoldSource.SAML, HoldSource.OIDC),
    }
    queue_email(
        event_key=f"likely-duplicate-decided:{hold.pk}",
        kind="likely_duplicate_decided",
        to=[hold.email, person.email],
        template="likely_duplicate_decided",
        context=context,
    )
    requester = hold.requested_by
    if requester is not None and requester.email not in (hold.email, person.email):
        queue_email(
            event_key=f"likely-duplicate-decided-coordinator:{hold.pk}",
            kind="likely_duplicate_decided",
            to=[requester.email],
            template="likely_duplicate_coordinator",
            context=context,
        )
