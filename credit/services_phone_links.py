"""Linking a phone to an account by proof of the email (SPEC §11 as corrected by issue 13).

A text naming an email never links the phone by itself: that let anyone put their phone on any
account without a phone and claim credit in its name. Instead:
1. `start_phone_link` writes a `PhoneLinkRequest` bound to (phone, email) and, when the email has an
   active account, emails its owner a confirmation link and a short code. The texter is told the
   same thing whether or not the email has an account.
2. The owner opens the link (`confirm_by_token`) or texts the code back from the same phone
   (`confirm_by_code`). Only then is the phone put on the account (replacing an older one, which
   stops claiming for them) and every claim the phone left waiting is recorded as of the moment
   its text arrived.
Requests expire after `LINK_LIFETIME`, work once, and die after `MAX_CODE_TRIES` wrong codes.
Rate limits count requests in the database per phone and per email, whether or not an account
exists, so the SMS number cannot be used to flood an inbox.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from faculty.models import Person
from rss_dashboard.outbox import queue_email

from .models import PhoneLinkRequest
from .services_phones import Completed, account_for_email, complete_pending_claims, remember_pending

LINK_LIFETIME = timedelta(hours=24)
MAX_CODE_TRIES = 5
# Consonants only: a code is never an English word a learner might text, never a Child ID (digits)
# and never a keyword (STOP, HELP, START all have vowels). 20**6 = 64 million codes.
CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
CODE_LENGTH = 6
# At most this many confirmation requests per phone and per email in RATE_WINDOW.
MAX_REQUESTS = 3
RATE_WINDOW = timedelta(hours=1)


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def code_digest(phone: str, code: str) -> str:
    return digest(f"{phone}:{code.strip().upper()}")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass(frozen=True)
class LinkStarted:
    """outcome: sent (whatever the email), throttled; register_token: the texter's proof of the
    phone for the registration link in the reply ("" when throttled)."""

    outcome: str
    register_token: str = ""


@dataclass(frozen=True)
class LinkConfirmed:
    """outcome: linked, expired, used, locked, unknown, wrong_code, no_account, phone_taken."""

    outcome: str
    person: Person | None = None
    completed: tuple[Completed, ...] = ()


def open_requests(phone: str, now: datetime):
    return PhoneLinkRequest.objects.filter(
        phone=phone,
        confirmed_at__isnull=True,
        voided_at__isnull=True,
        expires_at__gt=now,
        failed_codes__lt=MAX_CODE_TRIES,
    )


def waiting_for_proof(phone: str, now: datetime) -> bool:
    return open_requests(phone, now).exists()


def throttled(phone: str, email: str, now: datetime) -> bool:
    since = now - RATE_WINDOW
    recent = PhoneLinkRequest.objects.filter(created_at__gt=since)
    return (
        recent.filter(phone=phone).count() >= MAX_REQUESTS
        or recent.filter(email=email).count() >= MAX_REQUESTS
    )


@transaction.atomic
def start_phone_link(
    *, phone: str, email: str, now: datetime, child_id: int | None = None
) -> LinkStarted:
    """A text naming `email` from the unknown `phone`: keep the waiting claim, ask the email's
    owner to prove it. Never says whether the email has an account."""
    email = email.strip().lower()
    if child_id is not None:
        remember_pending(phone, child_id, now)
    if throttled(phone, email, now):
        return LinkStarted("throttled")
    person = account_for_email(email)
    if person is not None and not person.is_active:
        person = None
    token, code, register_token = secrets.token_urlsafe(32), new_code(), secrets.token_urlsafe(9)
    request = PhoneLinkRequest.objects.create(
        phone=phone,
        email=email,
        person=person,
        token_hash=digest(token),
        code_hash=code_digest(phone, code),
        register_token_hash=digest(register_token),
        created_at=now,
        expires_at=now + LINK_LIFETIME,
    )
    if person is not None:
        from .messages import absolute

        queue_email(
            event_key=f"phone-link:{request.pk}",
            kind="phone_link",
            to=[person.email],
            template="phone_link",
            context={
                "person": person,
                "phone_ending": phone[-4:],
                "link": absolute(reverse("phone_link_confirm", args=[token])),
                "code": code,
                "expires_at": request.expires_at,
            },
        )
    return LinkStarted("sent", register_token)


def request_for_token(token: str, now: datetime) -> tuple[PhoneLinkRequest | None, str]:
    """The request behind an emailed link and what state it is in: open, expired, used, locked,
    unknown."""
    request = PhoneLinkRequest.objects.filter(token_hash=digest(token or "")).first()
    return request, _state(request, now)


def _state(request: PhoneLinkRequest | None, now: datetime) -> str:
    if request is None or request.person_id is None:
        return "unknown"
    if request.confirmed_at is not None:
        return "used"
    if request.voided_at is not None or request.failed_codes >= MAX_CODE_TRIES:
        return "locked"
    if request.expires_at <= now:
        return "expired"
    return "open"


def confirm_by_token(token: str, now: datetime | None = None) -> LinkConfirmed:
    """The email's owner opened the link (and pressed Confirm: a GET never links)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = (
            PhoneLinkRequest.objects.select_for_update()
            .filter(token_hash=digest(token or ""))
            .first()
        )
        state = _state(request, now)
        if state != "open" or request is None:
            return LinkConfirmed(state)
        return _confirm(request, now, via="link")


def confirm_by_code(phone: str, code: str, now: datetime) -> LinkConfirmed:
    """The code from the email, texted back from the phone the request is bound to. A wrong code
    counts against every open request of the phone, so guessing ends after MAX_CODE_TRIES."""
    with transaction.atomic():
        requests = list(open_requests(phone, now).select_for_update().order_by("-created_at"))
        if not requests:
            return LinkConfirmed("unknown")
        wanted = code_digest(phone, code)
        for request in requests:
            if secrets.compare_digest(request.code_hash, wanted) and request.person_id:
                return _confirm(request, now, via="sms")
        PhoneLinkRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
            failed_codes=F("failed_codes") + 1
        )
        left = MAX_CODE_TRIES - (max(r.failed_codes for r in requests) + 1)
        return LinkConfirmed("wrong_code" if left > 0 else "locked")


def confirm_by_registration(register_token: str, *, person: Person, now: datetime):
    """A learner registered through the link texted to their phone: that link proves the phone
    (only the phone received it), so the new account gets it and its waiting claims."""
    with transaction.atomic():
        request = (
            PhoneLinkRequest.objects.select_for_update()
            .filter(register_token_hash=digest(register_token or ""), expires_at__gt=now)
            .first()
        )
        if request is None or request.confirmed_at is not None:
            return LinkConfirmed("unknown")
        request.person = person
        return _confirm(request, now, via="register")


def phone_for_registration(register_token: str, now: datetime) -> str | None:
    request = PhoneLinkRequest.objects.filter(
        register_token_hash=digest(register_token or ""),
        expires_at__gt=now,
        confirmed_at__isnull=True,
    ).first()
    return request.phone if request else None


def _confirm(request: PhoneLinkRequest, now: datetime, *, via: str) -> LinkConfirmed:
    """Inside the caller's transaction, with the request locked."""
    person = request.person if via == "register" else account_for_email(request.email)
    if person is None or not person.is_active:
        return LinkConfirmed("no_account")
    person = Person.objects.select_for_update().get(pk=person.pk)
    holder = Person.objects.filter(mobile_phone=request.phone).exclude(pk=person.pk).first()
    if holder is not None:
        return LinkConfirmed("phone_taken", person)
    if person.mobile_phone != request.phone:
        person.mobile_phone = request.phone  # an older number stops claiming for them
        try:
            with transaction.atomic():
                person.save(update_fields=["mobile_phone"])
        except IntegrityError:
            return LinkConfirmed("phone_taken", person)
    request.person = person
    request.confirmed_at = now
    request.confirmed_via = via
    request.save(update_fields=["person", "confirmed_at", "confirmed_via"])
    open_requests(request.phone, now).exclude(pk=request.pk).update(voided_at=now)
    completed = complete_pending_claims(learner=person, phone=request.phone, now=now)
    return LinkConfirmed("linked", person, tuple(completed))
