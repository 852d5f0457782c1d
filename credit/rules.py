"""Credit claiming rules (SPEC §11): claim window, credit hours, SMS parsing. No database."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ClaimWindow:
    opens: datetime
    closes: datetime


def claim_window(
    *, start: datetime, end: datetime, minutes_prior: int, minutes_after: int
) -> ClaimWindow:
    return ClaimWindow(
        opens=start - timedelta(minutes=minutes_prior),
        closes=end + timedelta(minutes=minutes_after),
    )


def window_of(child) -> ClaimWindow:
    """The claim window of a session (anything with start, end and the texting minutes)."""
    return claim_window(
        start=child.start,
        end=child.end,
        minutes_prior=child.texting_minutes_prior,
        minutes_after=child.texting_minutes_after,
    )


def window_state(window: ClaimWindow, now: datetime) -> Literal["not_open", "open", "closed"]:
    """Both edges belong to the window: a learner texting at the last second still gets credit."""
    if now < window.opens:
        return "not_open"
    if now > window.closes:
        return "closed"
    return "open"


def credit_hours(*, minutes: int, maximum: Decimal) -> Decimal:
    """60 minutes = 1 credit, to the nearest quarter (ties up), within [0, maximum].

    Integer arithmetic on quarter hours: 7 minutes round down, 8 round up, so a 14-minute
    session earns 0.25 and a 67-minute one 1.00 while 68 minutes earn 1.25.
    """
    minutes = max(int(minutes), 0)
    quarters = (2 * minutes + 15) // 30  # round(minutes / 15), halves up
    hours = Decimal(quarters) / 4
    cap = max(Decimal(maximum), _ZERO)
    return min(hours, cap).quantize(_CENT, rounding=ROUND_HALF_UP)


def session_credit(*, start: datetime, end: datetime, maximum: Decimal) -> Decimal:
    """Whole minutes of the session (seconds dropped), then credit_hours."""
    minutes = int((end - start).total_seconds() // 60)
    return credit_hours(minutes=minutes, maximum=maximum)


# --- SMS (Twilio) ------------------------------------------------------------------------------

SmsKind = Literal["claim", "email", "code", "help", "stop", "start", "unknown"]

MAX_SMS_CHARS = 1000
MAX_CHILD_ID_DIGITS = 9
_STOP = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
_START = frozenset({"START", "UNSTOP", "YES"})
_HELP = frozenset({"HELP", "INFO"})
_EMAIL = re.compile(r"[A-Za-z0-9_%+-][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_DIGITS = re.compile(r"[0-9]+")  # ASCII only: "\d" would accept fullwidth and other scripts
# The confirmation code of a phone link (credit/services_phone_links.py): six consonants, alone or after
# "code". Consonants only, so no word a learner texts ("thanks") and no keyword is ever a code.
_CODE = re.compile(r"(?:CODE[\s:]*)?([BCDFGHJKLMNPQRSTVWXZ]{6})")


@dataclass(frozen=True)
class SmsCommand:
    kind: SmsKind
    child_id: int | None = None
    email: str | None = None
    code: str | None = None


def parse_sms(body: str | None) -> SmsCommand:
    """Read a learner's text. Must never raise: the body is whatever a phone sent.

    Keywords are the whole body (trimmed, any case, trailing "." or "!" allowed) so that
    "Stop by 1234" is still a claim. A digit run longer than 9 is no Child ID ("unknown", with any
    email kept), which keeps phone numbers and pasted junk from matching a real session.
    """
    if body is None:
        body = ""
    elif isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    elif not isinstance(body, str):
        body = str(body)
    text = body[:MAX_SMS_CHARS].replace("\x00", "")

    keyword = text.strip().rstrip(".!").strip()
    if keyword.isascii():
        keyword = keyword.upper()
        if keyword in _STOP:
            return SmsCommand(kind="stop")
        if keyword in _START:
            return SmsCommand(kind="start")
        if keyword in _HELP:
            return SmsCommand(kind="help")
        if (code := _CODE.fullmatch(keyword)) is not None:
            return SmsCommand(kind="code", code=code.group(1))

    email = None
    if (found := _EMAIL.search(text)) is not None:
        email = found.group().strip().lower()
        # Digits inside the address ("jdoe2@umich.edu") are not a Child ID.
        text = f"{text[: found.start()]} {text[found.end() :]}"

    digits = _DIGITS.search(text)
    if digits is not None:
        if len(digits.group()) > MAX_CHILD_ID_DIGITS:
            return SmsCommand(kind="unknown", email=email)
        return SmsCommand(kind="claim", child_id=int(digits.group()), email=email)
    if email is not None:
        return SmsCommand(kind="email", email=email)
    return SmsCommand(kind="unknown")


# --- what a claim is worth now ---------------------------------------------------------------

ClaimState = Literal["awarded", "pending", "evaluation", "no_credit", "cancelled", "revoked"]


def claim_state(
    *,
    awarded_at: datetime | None,
    child_status: str,
    child_active: bool = True,
    evaluation_required: bool = False,
    evaluated: bool = False,
    revoked: bool = False,
) -> ClaimState:
    """What a claim is worth now. Revoked by the office: nothing (only the office takes credit
    back, explicitly; issue 14). REJECTED sessions offer no credit. Credit once awarded (the gate
    `rules_evaluation.award_now` opened: approval and, if required, the evaluation) stays awarded,
    also when the session is deactivated afterwards; a session deactivated before approval offers
    none. Before that a claim waits for the learner's evaluation on an approved session, and for
    approval otherwise."""
    if revoked:
        return "revoked"
    if child_status == "rejected":
        return "no_credit"
    if awarded_at is not None:
        return "awarded"
    if not child_active:
        return "cancelled"
    if child_status == "approved" and evaluation_required and not evaluated:
        return "evaluation"
    return "pending"


def state_of(
    claim, child_status: str | None = None, child_active: bool | None = None
) -> ClaimState:
    """`claim_state` of a Claim row (its session's status and active flag unless given)."""
    return claim_state(
        awarded_at=claim.awarded_at,
        child_status=child_status if child_status is not None else claim.child.status,
        child_active=child_active if child_active is not None else claim.child.is_active,
        evaluation_required=claim.evaluation_required,
        evaluated=claim.evaluated_at is not None,
        revoked=claim.revoked_at is not None,
    )


CLAIM_STATE_LABELS: dict[str, str] = {
    "awarded": "Credit awarded",
    "pending": "Credit pending approval",
    "evaluation": "Credit waiting for the evaluation",
    "no_credit": "No credit offered (session not approved)",
    "cancelled": "No credit (session cancelled before approval)",
    "revoked": "Credit revoked by the office",
}
