"""The text conversation of SPEC §11, apart from Twilio: a phone and a body in, the reply out.

Every inbound text is logged in `SmsMessage` with its reply and a machine `outcome`. After STOP a
phone gets no reply except the STOP/START confirmations; its claims are still recorded.
"""

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from faculty.people import to_e164

from . import messages as msg
from .models import ClaimChannel, SmsMessage, SmsOptOut
from .rules import SmsCommand, parse_sms
from .services import ClaimError, claim_credit, claim_outcome, open_child
from .services_phone_links import (
    LinkConfirmed,
    confirm_by_code,
    start_phone_link,
    waiting_for_proof,
)
from .services_phones import person_for_phone, remember_pending, sender_and_session, waiting_claim

log = logging.getLogger(__name__)

MAX_STORED_BODY = 2000
PHONE_CHARS = 16


@dataclass(frozen=True)
class Reply:
    outcome: str
    text: str


def clean(value) -> str:
    """Text PostgreSQL can store: a str without NUL characters or lone surrogates."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    value = str(value).replace("\x00", "")
    return value.encode("utf-8", "replace").decode("utf-8")


# Twilio sends the sender already in E.164; parsing it again with phonenumbers is a large share of
# a text's work during a burst, so a number in that exact shape is taken as it is.
E164 = re.compile(r"\+[1-9][0-9]{7,14}")


def sender_e164(raw_phone: str) -> str | None:
    if E164.fullmatch(raw_phone):
        return raw_phone
    return to_e164(raw_phone[:40]) if raw_phone else None


def handle_inbound(phone, body, now: datetime | None = None, *, message_sid: str = "") -> str:
    """Answer one text; returns the reply to send ("" for none). Never raises on any body."""
    now = now or timezone.now()
    raw_phone = clean(phone).strip()
    e164 = sender_e164(raw_phone)
    key = e164 or raw_phone[:PHONE_CHARS]
    text = clean(body)[:MAX_STORED_BODY]
    command = parse_sms(text)
    sid = clean(message_sid)[:64]
    try:
        return _answer(raw_phone, e164, key, text, command, now, sid)
    except IntegrityError:
        # The same MessageSid arrived twice at once (a Twilio retry): the first one's row won.
        if sid and (prior := first_reply(sid)) is not None:
            return prior
        raise


def first_reply(sid: str) -> str | None:
    """The reply already given to this MessageSid, or None when it is new."""
    return SmsMessage.objects.filter(message_sid=sid).values_list("reply", flat=True).first()


def _answer(raw_phone, e164, key, text, command, now, sid) -> str:
    child = None
    found = None
    if command.kind == "claim" and e164:
        found = sender_and_session(e164, command.child_id, message_sid=sid)
    if found is not None:
        learner, child = found  # the burst's common text: one statement
        # Columns of the one statement (services_phones.sender_and_session), set on the row.
        prior: str | None = getattr(child, "prior_reply", None)
        if prior is not None:
            return prior  # a retry of a text already answered: nothing again
        opted_out = bool(getattr(child, "sender_opted_out", False))
    else:
        if sid and (prior := first_reply(sid)) is not None:
            return prior
        learner = person_for_phone(e164)
        if learner is not None:
            opted_out = bool(getattr(learner, "sms_opted_out", False))
        else:
            opted_out = SmsOptOut.objects.filter(phone=key).exists()

    def entry(reply: Reply) -> SmsMessage:
        sent = msg.fit(reply.text)
        if opted_out and reply.outcome not in ("stop", "start"):
            sent = ""
        return SmsMessage(
            phone=key,
            body=text,
            reply=sent,
            outcome=reply.outcome[:40],
            received_at=now,
            message_sid=sid,
        )

    def log(reply: Reply) -> str:
        row = entry(reply)
        row.save(force_insert=True)
        return row.reply

    if command.kind == "claim" and learner is not None:
        # The common case, hundreds of times after a grand rounds: the claim and the log of the
        # text that made it are stored together (one statement on PostgreSQL).
        logged: list[SmsMessage] = []

        def log_row(claim) -> SmsMessage:
            logged.append(entry(Reply(claim_outcome(claim), msg.claimed(claim))))
            return logged[-1]

        try:
            claim_credit(
                learner=learner,
                child_id=command.child_id,
                channel=ClaimChannel.SMS,
                now=now,
                log_row=log_row,
                child=child,
            )
        except ClaimError as exc:
            return log(_error(exc))
        return logged[-1].reply
    with transaction.atomic():
        return log(converse(command, e164, now, key=key, learner=learner))


def record_throttled(phone, body, now: datetime, *, first: bool, message_sid: str = "") -> str:
    """A phone past its rate limit: logged, answered once per window, nothing else done."""
    raw_phone = clean(phone).strip()
    key = sender_e164(raw_phone) or raw_phone[:PHONE_CHARS]
    opted_out = SmsOptOut.objects.filter(phone=key).exists()
    sent = msg.too_fast() if first and not opted_out else ""
    SmsMessage.objects.create(
        phone=key,
        body=clean(body)[:MAX_STORED_BODY],
        reply=sent,
        outcome="rate_limited",
        received_at=now,
        message_sid=clean(message_sid)[:64],
    )
    return sent


def converse(
    command: SmsCommand, phone: str | None, now: datetime, *, key: str, learner=None
) -> Reply:
    """phone: the sender in E.164 (None when it is no valid number); key: what we log it as;
    learner: the person with that phone, if any."""
    if command.kind == "stop":
        SmsOptOut.objects.get_or_create(phone=key, defaults={"opted_out_at": now})
        return Reply("stop", msg.stopped())
    if command.kind == "start":
        SmsOptOut.objects.filter(phone=key).delete()
        return Reply("start", msg.started())
    if command.kind == "help":
        return Reply("help", msg.help_text())
    if phone is None:
        return Reply("bad_phone", msg.bad_phone())
    if command.kind == "claim":
        assert command.child_id is not None  # parse_sms: a claim always has its Child ID
        if learner is not None:
            return _claim(learner, command.child_id, now)
        return _claim_from_unknown_phone(phone, command, now)
    if command.kind == "email":
        if learner is not None:
            return Reply("already_linked", msg.phone_already_linked(learner.email))
        assert command.email is not None  # parse_sms: an "email" text has its address
        return _start_link(phone, command.email, now, child_id=None)
    if command.kind == "code" and learner is None and command.code is not None:
        return _confirm_code(phone, command.code, now)
    if learner is None and (pending := waiting_claim(phone)) is not None:
        if waiting_for_proof(phone, now):
            return Reply("waiting_proof", msg.waiting_proof(pending.child))
        return Reply("waiting_email", msg.waiting_email(pending.child))
    return Reply("no_id", msg.no_child_id())


def _error(exc: ClaimError) -> Reply:
    text = exc.message
    if exc.code == "closed" and exc.child is not None:
        text = f"{text} {msg.late_hint(exc.child)}"
    return Reply(exc.code, text)


def _claim(learner, child_id: int, now: datetime) -> Reply:
    try:
        claim = claim_credit(learner=learner, child_id=child_id, channel=ClaimChannel.SMS, now=now)
    except ClaimError as exc:
        return _error(exc)
    return Reply(claim_outcome(claim), msg.claimed(claim))


def _claim_from_unknown_phone(phone: str, command: SmsCommand, now: datetime) -> Reply:
    try:
        child = open_child(command.child_id, now)
    except ClaimError as exc:
        return _error(exc)
    if command.email:
        return _start_link(phone, command.email, now, child_id=child.pk)
    remember_pending(phone, child.pk, now)
    if waiting_for_proof(phone, now):
        return Reply("waiting_proof", msg.waiting_proof(child))
    return Reply("ask_email", msg.ask_email(child))


def _start_link(phone: str, email: str, now: datetime, *, child_id: int | None) -> Reply:
    """An email from an unknown phone: ask the email's owner to prove it (the same reply whether
    or not the email has an account); the waiting claim is kept."""
    started = start_phone_link(phone=phone, email=email, now=now, child_id=child_id)
    if started.outcome == "throttled":
        return Reply("link_throttled", msg.link_throttled())
    return Reply("link_sent", msg.link_sent(email, started.register_token))


def _confirm_code(phone: str, code: str, now: datetime) -> Reply:
    result = confirm_by_code(phone, code, now)
    if result.outcome == "linked":
        return _linked(result)
    texts = {
        "wrong_code": msg.code_wrong,
        "locked": msg.code_locked,
        "phone_taken": msg.phone_taken,
        "no_account": msg.no_link_waiting,
        "unknown": msg.no_link_waiting,
    }
    return Reply(f"code_{result.outcome}", texts[result.outcome]())


def _linked(result: LinkConfirmed) -> Reply:
    assert result.person is not None  # "linked" always names the account
    linked = msg.phone_linked(result.person.email)
    if not result.completed:
        return Reply("linked", f"{linked} Text a session's Child ID to claim credit.")
    last = result.completed[-1]
    earlier = len(result.completed) - 1
    also = f" {earlier} earlier waiting claim(s) recorded too." if earlier else ""
    outcome = last.claim_outcome
    return Reply(f"linked_{outcome}", f"{linked}{also} {last.message}")
