"""Who an institution's sign-in is (SPEC §16), for SAML and OpenID Connect alike.

1. The institution's account (issuer + subject) was linked before: that person.
2. Else the email it sends, through the alias domains and merges: the existing person, linked
   now. Never a second account.
3. Else a new person, unless they resemble an existing one: then the account is held for the
   office (faculty/services_duplicates.py) and nobody is signed in.
A deactivated person, or an account merged into another and deactivated, is refused."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import HoldSource, LikelyDuplicate, Person, SignInMethod, SsoIdentity
from .people import normalize_email
from .services import PersonError, find_person_by_email
from .services_duplicates import person_admit


@dataclass(frozen=True)
class SsoOutcome:
    """code: signed_in, created, held, inactive, no_email, refused."""

    code: str
    person: Person | None = None
    hold: LikelyDuplicate | None = None
    message: str = ""


@transaction.atomic
def sso_sign_in(
    *,
    method: str,
    issuer: str,
    subject: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    now: datetime | None = None,
) -> SsoOutcome:
    now = now or timezone.now()
    email = normalize_email(email)
    subject = (subject or "").strip() or email
    linked = (
        SsoIdentity.objects.select_for_update()
        .select_related("person")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if linked is not None:
        person = linked.person
        if not person.is_active:
            return _inactive(person)
        linked.last_used_at, linked.email = now, email or linked.email
        linked.save(update_fields=["last_used_at", "email"])
        return SsoOutcome("signed_in", person)
    if not email or "@" not in email:
        return SsoOutcome(
            "no_email",
            message="Your institution did not send an email address, so we cannot tell who "
            "you are here. Ask your institution's help desk to release it to this site.",
        )
    known = find_person_by_email(email)
    if known is not None:
        if not known.is_active:
            return _inactive(known)
        _link(known, method=method, issuer=issuer, subject=subject, email=email, now=now)
        return SsoOutcome("signed_in", known)
    source = HoldSource.SAML if method == SignInMethod.SAML else HoldSource.OIDC
    try:
        admitted = person_admit(
            source=source,
            email=email,
            last_name=last_name.strip() or email.partition("@")[0],
            first_name=first_name,
            details={"issuer": issuer, "subject": subject},
            now=now,
        )
    except PersonError as exc:
        return SsoOutcome("refused", message=exc.message)
    if admitted.hold is not None:
        return SsoOutcome("held", hold=admitted.hold)
    assert admitted.person is not None  # person_admit gives a hold or a person
    _link(admitted.person, method=method, issuer=issuer, subject=subject, email=email, now=now)
    return SsoOutcome("created", admitted.person)


def _inactive(person: Person) -> SsoOutcome:
    return SsoOutcome(
        "inactive",
        person,
        message="This account is no longer active"
        + (" (it was merged into another account)" if person.merged_into_id else "")
        + ". Contact the office if you think this is wrong.",
    )


def _link(person: Person, *, method: str, issuer: str, subject: str, email: str, now) -> None:
    SsoIdentity.objects.create(
        person=person,
        method=method,
        issuer=issuer,
        subject=subject,
        email=email,
        linked_at=now,
        last_used_at=now,
    )
