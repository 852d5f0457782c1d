"""The check-in kiosk at the room's door (issue 18): a coordinator opens it for one session on a
tablet; learners type their email or scan their personal check-in code; each check-in is a claim
through `claim_credit` (channel "kiosk"), recorded once per key the tablet made for it.

What the kiosk answers does not say whether an address has an account or has claimed before
(a tablet at a door is public): "You are checked in" whether the claim was made now, earlier, or
waits for a coordinator to confirm an address nobody has on file. The session's own facts
(claiming opens at 11:30) are said plainly.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from activities.models import ChildActivity
from faculty.models import Person
from faculty.services import find_person_by_email
from rss_dashboard.errors import DomainError

from . import messages as msg
from .models import ClaimChannel
from .models_attendance import EntryOutcome, Kiosk, KioskCheckIn
from .rules import window_of
from .rules_attendance import clamp_check_in_time, kiosk_accepts, kiosk_expires_at
from .services import ClaimError, claim_credit
from .services_attendance import check_may_change
from .services_attendance_confirm import chosen_person
from .uploads_attendance import AttendanceError

CODE_PREFIX = "RSS-CHECK-IN:"
CODE_SALT = "credit.check-in-code"
_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CHECKED_IN = "Thank you: you are checked in."


class KioskError(DomainError):
    """codes: session_over, inactive_session, invalid, bad_key, closed, already_closed."""


@dataclass(frozen=True)
class CheckInResult:
    outcome: str
    message: str
    replay: bool = False


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- a coordinator opens and closes a kiosk -------------------------------------------------------


@transaction.atomic
def kiosk_open(*, child: ChildActivity, by, now: datetime | None = None) -> tuple[Kiosk, str]:
    """A new kiosk for the session and its link's secret (shown once; only its hash is kept)."""
    now = now or timezone.now()
    if not child.is_active:
        raise KioskError("inactive_session", "This session is deactivated.")
    expires = kiosk_expires_at(session_end=child.end, window_closes=window_of(child).closes)
    if now >= expires:
        raise KioskError(
            "session_over",
            f"This session ended at {msg.when(child.end, child.zone)}; a kiosk is for the day "
            "itself. Import a sign-in roster instead.",
        )
    token = secrets.token_urlsafe(24)
    kiosk = Kiosk.objects.create(
        child=child, token_hash=_hash(token), opened_by=by, opened_at=now, expires_at=expires
    )
    return kiosk, token


def kiosk_close(*, kiosk: Kiosk, by, now: datetime | None = None) -> Kiosk:
    now = now or timezone.now()
    if kiosk.closed_at is not None:
        raise KioskError("already_closed", "This kiosk is already closed.")
    kiosk.closed_at, kiosk.closed_by = now, by
    kiosk.save(update_fields=["closed_at", "closed_by"])
    return kiosk


def kiosk_for_token(token: str) -> Kiosk | None:
    if not token or len(token) > 100:
        return None
    return (
        Kiosk.objects.select_related("child", "child__parent")
        .filter(token_hash=_hash(token))
        .first()
    )


def kiosk_is_open(kiosk: Kiosk, now: datetime) -> bool:
    return kiosk.opened_at <= now <= kiosk.open_until


# --- a learner's personal check-in code ------------------------------------------------------------


def check_in_code(person: Person) -> str:
    """What the learner's QR code holds (and a badge scanner types): a signed reference."""
    return CODE_PREFIX + signing.dumps(person.pk, salt=CODE_SALT)


def person_for_code(value: str) -> Person | None:
    try:
        pk = signing.loads(value[len(CODE_PREFIX) :], salt=CODE_SALT)
    except signing.BadSignature:
        return None
    return Person.objects.filter(pk=pk).first() if isinstance(pk, int) else None


# --- a check-in -------------------------------------------------------------------------------------


def kiosk_check_in(
    *,
    kiosk: Kiosk,
    key: str,
    value: str,
    checked_in_at: datetime | None = None,
    now: datetime | None = None,
) -> CheckInResult:
    """Record one check-in, once per `key` (a retry of the same key answers what the first
    did). Raises KioskError for what cannot be recorded (nothing is written then)."""
    now = now or timezone.now()
    if not _KEY.match(key or ""):
        raise KioskError("bad_key", "This check-in has no valid key; reload the page.")
    earlier = KioskCheckIn.objects.filter(kiosk=kiosk, key=key).first()
    if earlier is not None:
        return CheckInResult(earlier.outcome, _say(earlier.outcome, earlier.message), replay=True)
    at = clamp_check_in_time(reported=checked_in_at, now=now, opened_at=kiosk.opened_at)
    if not kiosk_accepts(
        checked_in_at=at, now=now, opened_at=kiosk.opened_at, open_until=kiosk.open_until
    ):
        raise KioskError("closed", "This kiosk is closed. Ask the coordinator.")
    value = " ".join((value or "").split())[:254]
    if value.upper().startswith(CODE_PREFIX):
        person, typed = person_for_code(value.strip()), "check-in code"
        if person is None:
            raise KioskError("invalid", "This code is not a check-in code of this site.")
    elif _EMAIL.match(value):
        typed = value.lower()
        person = find_person_by_email(typed)
    else:
        raise KioskError("invalid", "Type your email address, or scan your check-in code.")
    try:
        with transaction.atomic():
            # The key first: a concurrent retry of the same check-in waits here, then finds it.
            row = KioskCheckIn.objects.create(
                kiosk=kiosk,
                key=key,
                typed=typed,
                person=person,
                outcome=EntryOutcome.UNMATCHED,
                checked_in_at=at,
                received_at=now,
            )
            _claim_for(row, kiosk.child, at)
    except IntegrityError:
        earlier = KioskCheckIn.objects.get(kiosk=kiosk, key=key)
        return CheckInResult(earlier.outcome, _say(earlier.outcome, earlier.message), replay=True)
    return CheckInResult(row.outcome, _say(row.outcome, row.message))


def _claim_for(row: KioskCheckIn, child: ChildActivity, at: datetime) -> None:
    if row.person is None:
        row.outcome, row.message = EntryOutcome.UNMATCHED, ""
    else:
        try:
            row.claim = claim_credit(
                learner=row.person,
                child_id=child.pk,
                channel=ClaimChannel.KIOSK,
                now=at,
                child=child,
            )
            row.outcome = EntryOutcome.CLAIMED
        except ClaimError as exc:
            if exc.code == "already_claimed":
                row.outcome = EntryOutcome.ALREADY
            else:
                row.outcome, row.message = EntryOutcome.REFUSED, exc.message[:300]
                row.message = f"{exc.code}: {row.message}"[:300]
    row.save(update_fields=["claim", "outcome", "message"])


def _say(outcome: str, message: str) -> str:
    """What the tablet shows: the window's own words, or the same thanks for everyone else."""
    code, _, text = (message or "").partition(": ")
    if outcome == EntryOutcome.REFUSED and code in ("not_open", "closed"):
        return text
    if outcome == EntryOutcome.REFUSED:
        return "We could not check you in: please see the coordinator."
    return CHECKED_IN


@transaction.atomic
def kiosk_check_in_confirm(
    *, check_in_id: int, by, choice: dict, now: datetime | None = None
) -> KioskCheckIn:
    """An address nobody had on file, confirmed by a coordinator as the person `choice` names
    (see `chosen_person`): the claim is made as of the moment of the check-in, through the same
    service."""
    now = now or timezone.now()
    row = (
        KioskCheckIn.objects.select_for_update(of=("self",))
        .select_related("kiosk", "kiosk__child", "kiosk__child__parent")
        .get(pk=check_in_id)
    )
    if row.outcome != EntryOutcome.UNMATCHED:
        raise AttendanceError("not_to_confirm", "This check-in was already confirmed.")
    check_may_change(row.kiosk.child, now)
    row.person = chosen_person(**choice)
    row.confirmed_by, row.confirmed_at = by, now
    row.save(update_fields=["person", "confirmed_by", "confirmed_at"])
    _claim_for(row, row.kiosk.child, row.checked_in_at)
    return row
