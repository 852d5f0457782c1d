"""What learners read, by text message and on the web: one wording for every channel (SPEC §11).

Every function returns plain text. Text messages must fit in 320 characters (two SMS segments), so
session names are shortened here and `fit` guards the end result.
"""

from datetime import datetime
from decimal import Decimal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings

SMS_LIMIT = 320
NAME_LIMIT = 60


def short(text: str, limit: int = NAME_LIMIT) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fit(text: str, limit: int = SMS_LIMIT) -> str:
    """The last guard on length: a reply never runs past two SMS segments."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def when(moment: datetime, zone: ZoneInfo | str) -> str:
    """'Tue Mar 10, 2026, 8:00 AM EDT' in the session's own time zone."""
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    local = moment.astimezone(zone)
    hour = local.hour % 12 or 12
    return f"{local:%a %b} {local.day}, {local.year}, {hour}:{local:%M %p %Z}"


def session_label(child) -> str:
    """'Sepsis bundles (Child ID 1234)', the name shortened for a text."""
    name = short(child.name or child.parent.name)
    return f"{name} (Child ID {child.pk})"


def hours(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def claim_url(child_id: int) -> str:
    return f"{settings.SITE_URL}/claim/{child_id}/"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def register_url(token: str = "", next_path: str = "") -> str:
    """The registration page; `token` proves the phone the link was texted to (it links it)."""
    query = {k: v for k, v in (("t", token), ("next", next_path)) if v}
    suffix = f"?{urlencode(query)}" if query else ""
    return f"{settings.SITE_URL}/accounts/register/{suffix}"


# --- outcomes of a claim -----------------------------------------------------------------------


def evaluation_url(token: str) -> str:
    """The short link to a claim's evaluation (URL contract: `evaluation_by_link` = /e/<token>/)."""
    return f"{settings.SITE_URL.rstrip('/')}/e/{token}/"


def with_link(text: str, link: str, limit: int = SMS_LIMIT) -> str:
    """`text` then `link`, the text shortened if need be: the link is never cut."""
    room = limit - len(link) - 1
    return f"{fit(text, room)} {link}"


def claimed(claim) -> str:
    """Recorded: awarded, pending approval, waiting for the evaluation, or (rejected session)
    attendance without credit. When the series requires an evaluation the reply ends with its
    short link (issue 17), kept whole within two SMS segments."""
    from activities.rules import ChildStatus

    child = claim.child
    head = f"{session_label(child)}, {when(child.start, child.zone)}"
    if child.status == ChildStatus.REJECTED:
        return (
            f"Attendance recorded: {head}. This session was not approved for CME credit, so no "
            "credit is offered for it."
        )
    credit = f"{hours(claim.credit_hours)} {child.parent.credit_type}"
    if claim.awarded_at is None and claim.evaluation_required and claim.evaluated_at is None:
        link = evaluation_url(claim.evaluation_token) if claim.evaluation_token else ""
        if child.status == ChildStatus.APPROVED:
            text = f"Claim recorded: {head}, {credit}. Credit is awarded after your evaluation:"
        else:
            text = f"Claim recorded: {head}, {credit}, pending approval. Please evaluate it:"
        return with_link(text, link) if link else text.rstrip(":") + " on your transcript."
    if claim.awarded_at is None:
        return (
            f"Claim recorded: {head}, {credit}, pending approval. The credit is awarded when the "
            "office approves the session."
        )
    return f"Credit claimed: {head}, {credit}. Thank you for attending."


def claimed_on_web(claim) -> str:
    """The claim page's words: the evaluation is right below, so no link."""
    if claim.awarded_at is None and claim.evaluation_required and claim.evaluated_at is None:
        child = claim.child
        credit = f"{hours(claim.credit_hours)} {child.parent.credit_type}"
        head = f"{session_label(child)}, {when(child.start, child.zone)}"
        return f"Claim recorded: {head}, {credit}. Credit is awarded after your evaluation below."
    return claimed(claim)


def already_claimed(claim) -> str:
    child = claim.child
    return (
        f"You already claimed {session_label(child)} on {when(claim.claimed_at, child.zone)}. "
        "One claim per session is all it takes; nothing more to do."
    )


def unknown_child(child_id: int | str) -> str:
    return (
        f"We found no session with Child ID {child_id}. Check the number on the slide or flyer "
        "and try again."
    )


def not_open(child, opens: datetime) -> str:
    return (
        f"Claiming for {session_label(child)} opens {when(opens, child.zone)} "
        f"({child.texting_minutes_prior} minutes before it starts). Please claim again then."
    )


def closed(child, closes: datetime) -> str:
    return f"Claiming for {session_label(child)} closed {when(closes, child.zone)}."


def late_hint(child) -> str:
    return f"To ask the coordinators for a late claim, go to {claim_url(child.pk)}"


def inactive_account() -> str:
    return f"Your account is not active, so credit cannot be recorded. Please contact {settings.OFFICE_EMAIL}."


# --- the text conversation -----------------------------------------------------------------------


def ask_email(child) -> str:
    return (
        f"This phone is not on file yet. Reply with the email address of your account to claim "
        f"{session_label(child)}."
    )


def waiting_email(child) -> str:
    return (
        f"We still need your account email to record your claim for {session_label(child)}. "
        "Reply with your email address."
    )


def link_sent(email: str, register_token: str) -> str:
    """The same words whether or not the email has an account: the reply must not tell."""
    return (
        f"If {short(email, 40)} has an account, we emailed it a link to confirm this phone. "
        "Open it within 24 hours, or reply with the 6-letter code in it. Any waiting claim is "
        f"kept. No account? {register_url(register_token)}"
    )


def link_throttled() -> str:
    return (
        "We sent confirmation emails for this phone or address in the last hour. Please check "
        "that inbox (and spam), or try again later. Any waiting claim is kept."
    )


def waiting_proof(child) -> str:
    return (
        f"Your claim for {session_label(child)} is kept. To record it, confirm this phone: open "
        "the link we emailed, or reply with the 6-letter code in it."
    )


def phone_linked(email: str) -> str:
    return f"This phone is now linked to your account {short(email, 80)}."


def phone_already_linked(email: str) -> str:
    return (
        f"This phone is already linked to your account {short(email, 80)}. Text a session's "
        "Child ID to claim credit."
    )


def code_wrong() -> str:
    return "That code does not match. Reply with the 6-letter code from the newest email we sent."


def code_locked() -> str:
    return "Too many wrong codes. Text your account email again to get a new link."


def no_link_waiting() -> str:
    return (
        "No confirmation is waiting for this phone. To link it, text the email address of your "
        "account."
    )


def phone_taken() -> str:
    return (
        "This phone is linked to another account, so it was not linked. Please contact "
        f"{settings.OFFICE_EMAIL}."
    )


def no_child_id() -> str:
    return (
        "We couldn't find a Child ID in your text. Send just the number shown at the session, "
        "e.g. 1234. Reply HELP for help."
    )


def bad_phone() -> str:
    return f"We can't match this number to an account. Please claim on the web: {settings.SITE_URL}/transcript/"


def help_text() -> str:
    return (
        f"{settings.SITE_NAME} CME credit: text the Child ID shown at the session (e.g. 1234). "
        "First time? Add your account email: 1234 you@example.org. "
        f"Transcript: {settings.SITE_URL}/transcript/ Help: {settings.OFFICE_EMAIL}. "
        "Reply STOP to opt out."
    )


def stopped() -> str:
    return f"You will get no more texts from {settings.SITE_NAME}. Reply START to receive replies again."


def started() -> str:
    return f"Replies from {settings.SITE_NAME} are on again. Text a session's Child ID to claim credit. Reply HELP for help."


def too_fast() -> str:
    return "You are sending texts too fast. Please wait a minute, then try again."


def failure() -> str:
    return (
        "Sorry, something went wrong on our side and nothing was recorded. Please try again in a "
        f"few minutes, or claim on the web at {settings.SITE_URL}/transcript/"
    )
