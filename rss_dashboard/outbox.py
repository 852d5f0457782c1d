"""The outbox (SPEC §12): a row in the same transaction as the change, sent after commit.

`queue_email` is the only way the application sends mail. `deliver` marks a row sent exactly once:
it claims the row with a compare-and-set update, so two workers or a retry cannot both send it.
"""

import logging
import smtplib
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .emails import build_email
from .models import OutboxEmail, OutboxState

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=10)


class TransientEmailError(Exception):
    """Worth retrying: the mail server or the network failed for now."""


def queue_email(
    *,
    event_key: str,
    kind: str,
    to: Sequence[str],
    template: str,
    context: dict,
    cc: Sequence[str] = (),
    reply_to: Sequence[str] = (),
) -> OutboxEmail | None:
    """Write the email for one event; a second call for the same event writes nothing."""
    recipients = sorted({addr for addr in to if addr})
    if not recipients:
        return None
    built = build_email(template, context)
    with transaction.atomic():
        email, created = OutboxEmail.objects.get_or_create(
            event_key=event_key[:200],
            defaults={
                "kind": kind,
                "to": recipients,
                "cc": sorted({a for a in cc if a and a not in recipients}),
                "reply_to": list(reply_to),
                "subject": built.subject,
                "text_body": built.text,
                "html_body": built.html,
            },
        )
    if created:
        transaction.on_commit(lambda: enqueue(email.pk), robust=True)
    return email if created else None


def enqueue(email_id: int) -> None:
    """Hand the row to the worker. A broker outage only delays: the sweep picks the row up later."""
    from .tasks import send_outbox_email

    try:
        send_outbox_email.delay(email_id)
    except Exception:  # noqa: BLE001 - any broker failure; the row stays queued
        log.warning("outbox: could not enqueue email %s; the sweep will retry", email_id)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def _claim(email_id: int, now) -> bool:
    stale = now - STALE_CLAIM
    claimed = OutboxEmail.objects.filter(
        Q(state=OutboxState.QUEUED) | Q(state=OutboxState.SENDING, claimed_at__lt=stale),
        pk=email_id,
    ).update(state=OutboxState.SENDING, claimed_at=now)
    return claimed == 1


def deliver(email_id: int) -> str:
    """Send one row. Returns the resulting state; raises TransientEmailError when worth retrying."""
    now = timezone.now()
    if not _claim(email_id, now):
        return "skipped"
    email = OutboxEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        cc=email.cc,
        reply_to=email.reply_to,
        headers={"X-RSS-Event": email.event_key[:200]},
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    try:
        message.send(fail_silently=False)
    except (
        TimeoutError,
        smtplib.SMTPServerDisconnected,
        smtplib.SMTPConnectError,
        smtplib.SMTPResponseException,
        ConnectionError,
        OSError,
    ) as exc:
        permanent = isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600
        attempts = email.attempts + 1
        if permanent or attempts >= MAX_ATTEMPTS:
            OutboxEmail.objects.filter(pk=email_id).update(
                state=OutboxState.FAILED, attempts=attempts, last_error=repr(exc)[:2000]
            )
            log.error("outbox: email %s failed permanently: %r", email_id, exc)
            return OutboxState.FAILED
        OutboxEmail.objects.filter(pk=email_id).update(
            state=OutboxState.QUEUED,
            attempts=attempts,
            last_error=repr(exc)[:2000],
            next_attempt_at=now + backoff(attempts),
        )
        raise TransientEmailError(str(exc)) from exc
    OutboxEmail.objects.filter(pk=email_id, state=OutboxState.SENDING).update(
        state=OutboxState.SENT, sent_at=timezone.now(), attempts=email.attempts + 1, last_error=""
    )
    return OutboxState.SENT


def due_for_sweep(now=None):
    now = now or timezone.now()
    return OutboxEmail.objects.filter(
        Q(state=OutboxState.QUEUED, next_attempt_at__lte=now)
        | Q(state=OutboxState.SENDING, claimed_at__lt=now - STALE_CLAIM)
    )


def sweep(now=None, limit: int = 500) -> int:
    """Re-queue rows whose task never ran (broker down at the time) or whose worker died."""
    ids = list(due_for_sweep(now).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    for email_id in ids:
        enqueue(email_id)
    return len(ids)
