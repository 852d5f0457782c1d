"""The outbox (SPEC §12): a row in the same transaction as the change, sent after commit.

`queue_email` is the only way the application sends mail. The life of a row:

    QUEUED --claim--> SENDING --SMTP ok--> SENT
      ^                  |--transient--> QUEUED (attempts+1, next_attempt_at = now + backoff)
      |                  |--permanent or too many attempts--> FAILED (error kept; admin "retry")
      '-- stale claim ---'  (worker died mid-send: released after STALE_CLAIM, see below)

Exactly once, as far as SMTP allows:
- One row per event (`event_key` is unique), so the same event never queues a second email.
- A worker sends a row only after claiming it with a compare-and-set UPDATE (QUEUED -> SENDING with a
  fresh token). Two workers, a Celery retry racing a sweep, or a message the broker delivers twice:
  only one UPDATE matches, the others skip. Every later write checks the token, so a worker whose
  claim was taken over can never overwrite the row.
- The one gap SMTP leaves: a worker that dies after the server accepted the message but before it
  marks the row SENT. Nobody can tell that from dying just before sending. We choose at-least-once
  there: after STALE_CLAIM the sweep puts the row back in the queue (attempts+1, the error says why)
  and it is sent again. A lost disclosure request stops a session's approval; a duplicate costs a
  glance. The Message-ID is the same on every attempt, so mail clients that de-duplicate (Gmail
  does) show one message. The window is the few seconds of one SMTP exchange, not a broker outage.

A broker outage delays email and loses none: publishing gives up within a few seconds at most (short
timeouts in settings, then a pause per process), the row keeps `enqueued_at` empty, and the sweep
(Celery beat, every minute) hands such rows to the worker once the broker is back.
"""

import logging
import secrets
import smtplib
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .emails import build_email
from .models import OutboxEmail, OutboxState

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # about 5 hours of backoff before an email counts as failed
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)  # below the broker's visibility timeout (settings)
# Far above EMAIL_TIMEOUT: a live worker never holds a claim this long.
STALE_CLAIM = timedelta(minutes=10)
SWEEP_GRACE = timedelta(minutes=10)  # a handed-over row whose task has not run by then was lost
CLOCK_SKEW = timedelta(seconds=5)  # a retry arriving this early (another host's clock) still runs
SWEEP_LIMIT = 500


class TransientEmailError(Exception):
    """Worth retrying: the mail server or the network failed for now."""

    def __init__(self, message: str, retry_in: timedelta):
        super().__init__(message)
        self.retry_in = retry_in


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
    """Write the email for one event; a second call for the same event writes nothing.

    Call it inside the transaction of the change: if that rolls back, so does the email. The row is
    handed to the worker after commit. Returns the new row, or None when nothing was queued.
    """
    recipients = sorted({addr.strip() for addr in to if addr and addr.strip()})
    if not recipients:
        return None
    event_key = event_key[:200]
    if OutboxEmail.objects.filter(event_key=event_key).exists():
        return None  # the common case for the daily jobs: skip rendering
    built = build_email(template, context)
    with transaction.atomic():
        email, created = OutboxEmail.objects.get_or_create(
            event_key=event_key,
            defaults={
                "kind": kind,
                "to": recipients,
                "cc": sorted({a for a in cc if a and a not in recipients}),
                "reply_to": list(reply_to),
                "subject": built.subject,
                "text_body": built.text,
                "html_body": built.html,
                "enqueued_at": timezone.now(),
            },
        )
    if not created:
        return None
    transaction.on_commit(lambda: enqueue(email.pk), robust=True)
    return email


# Broker URL -> monotonic time until which this process does not try it again. After one failed
# publish, the next requests of this process skip the broker at once instead of each waiting for
# the timeouts: their rows wait for the sweep, which is what would happen anyway.
_broker_down_until: dict[str, float] = {}
SEND_TASK = "rss_dashboard.tasks.send_outbox_email"
BROKER_DOWN_PAUSE = 30.0


def enqueue(email_id: int) -> bool:
    """Hand the row to the worker. A broker outage only delays: the sweep picks the row up later."""
    from .celery import app

    broker = "" if app.conf.task_always_eager else str(app.conf.broker_url or "")
    if broker and time.monotonic() < _broker_down_until.get(broker, 0.0):
        _not_enqueued(email_id)
        return False
    try:
        # By name: the task module calls this one (no import loop); eager without a broker.
        app.tasks[SEND_TASK].delay(email_id)
    except Exception as exc:  # noqa: BLE001 - any broker failure; the row stays queued
        if broker:
            _broker_down_until[broker] = time.monotonic() + BROKER_DOWN_PAUSE
        _not_enqueued(email_id)
        log.warning("outbox: could not enqueue email %s (%r); the sweep will retry", email_id, exc)
        return False
    _broker_down_until.pop(broker, None)
    return True


def _not_enqueued(email_id: int) -> None:
    OutboxEmail.objects.filter(pk=email_id, state=OutboxState.QUEUED).update(enqueued_at=None)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... doubling after each failed attempt, at most an hour."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


def classify(exc: BaseException) -> str:
    """'transient' (retry later) or 'permanent' (an administrator must look)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return "permanent" if codes and all(500 <= c < 600 for c in codes) else "transient"
    if isinstance(exc, smtplib.SMTPResponseException):
        return "permanent" if 500 <= exc.smtp_code < 600 else "transient"
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return "transient"
    if isinstance(exc, TimeoutError | ConnectionError | OSError):
        return "transient"  # network trouble, TLS handshake failures, DNS
    return "permanent"  # a bug or bad data: retrying will not help; the error is shown in the admin


def message_id(email: OutboxEmail) -> str:
    """The same on every attempt, so a rare duplicate is recognisable as one message."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<outbox.{email.pk}.{int(email.created_at.timestamp())}@{domain}>"


def _claim(email_id: int, now: datetime) -> str | None:
    token = secrets.token_hex(16)
    claimed = OutboxEmail.objects.filter(
        pk=email_id, state=OutboxState.QUEUED, next_attempt_at__lte=now + CLOCK_SKEW
    ).update(state=OutboxState.SENDING, claimed_at=now, claim_token=token)
    return token if claimed == 1 else None


def _finish(email_id: int, token: str, **fields) -> bool:
    """Write the outcome only if our claim still holds."""
    done = OutboxEmail.objects.filter(
        pk=email_id, state=OutboxState.SENDING, claim_token=token
    ).update(claim_token="", attempts=F("attempts") + 1, **fields)
    return done == 1


def deliver(email_id: int, *, retry_follows: bool = False) -> str:
    """Send one row; returns what happened. Raises TransientEmailError when worth retrying.

    retry_follows: the caller (the Celery task) will schedule its own retry at next_attempt_at,
    so the sweep need not; inline (eager) callers leave the retry to the sweep.
    """
    now = timezone.now()
    token = _claim(email_id, now)
    if token is None:
        return "skipped"  # sent, failed, taken by another worker, not due yet, or gone
    email = OutboxEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        cc=email.cc,
        reply_to=email.reply_to,
        headers={"Message-ID": message_id(email), "X-RSS-Event": email.event_key},
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    try:
        message.send(fail_silently=False)
    except Exception as exc:
        error = f"{timezone.now():%Y-%m-%d %H:%M:%S %Z}: {exc!r}"[:2000]
        attempts = email.attempts + 1
        if classify(exc) == "permanent" or attempts >= MAX_ATTEMPTS:
            _finish(email_id, token, state=OutboxState.FAILED, last_error=error)
            log.error("outbox: email %s failed permanently: %r", email_id, exc)
            return OutboxState.FAILED
        retry_at = now + backoff(attempts)
        _finish(
            email_id,
            token,
            state=OutboxState.QUEUED,
            last_error=error,
            next_attempt_at=retry_at,
            enqueued_at=retry_at if retry_follows else None,
        )
        log.warning("outbox: email %s attempt %s failed: %r", email_id, attempts, exc)
        raise TransientEmailError(str(exc), retry_in=retry_at - now) from exc
    if not _finish(email_id, token, state=OutboxState.SENT, sent_at=timezone.now(), last_error=""):
        log.warning("outbox: email %s was sent after its claim went stale", email_id)
    return OutboxState.SENT


def retry_not_scheduled(email_id: int) -> None:
    """The task could not schedule its retry (broker gone mid-task): leave it to the sweep."""
    OutboxEmail.objects.filter(pk=email_id, state=OutboxState.QUEUED).update(enqueued_at=None)


def release_stale_claims(now: datetime | None = None) -> int:
    """Put back rows whose worker died while sending (the at-least-once choice above)."""
    now = now or timezone.now()
    stale = OutboxEmail.objects.filter(
        state=OutboxState.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).values_list("pk", "claim_token", "attempts")
    released = 0
    for pk, token, attempts in stale:
        error = (
            f"{now:%Y-%m-%d %H:%M:%S %Z}: the worker stopped while sending; sent again "
            "(it may have been delivered already)"
        )
        state = OutboxState.FAILED if attempts + 1 >= MAX_ATTEMPTS else OutboxState.QUEUED
        released += _finish(
            pk, token, state=state, last_error=error, next_attempt_at=now, enqueued_at=None
        )
    return released


def due_for_sweep(now: datetime | None = None):
    """Queued rows that are due and that no task will pick up: never handed over, or lost."""
    now = now or timezone.now()
    return OutboxEmail.objects.filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - SWEEP_GRACE),
        state=OutboxState.QUEUED,
        next_attempt_at__lte=now,
    )


def sweep(now: datetime | None = None, limit: int = SWEEP_LIMIT) -> int:
    """Re-queue rows whose task never ran (broker down at the time) or whose worker died.

    Returns how many rows were handed to the worker. Stops at the first broker failure: the next
    sweep tries again, so a dead broker costs one short timeout per minute, not one per row.
    """
    now = now or timezone.now()
    release_stale_claims(now)
    ids = list(
        due_for_sweep(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    OutboxEmail.objects.filter(pk__in=ids, state=OutboxState.QUEUED).update(enqueued_at=now)
    handed = 0
    for email_id in ids:
        if not enqueue(email_id):
            OutboxEmail.objects.filter(
                pk__in=ids, state=OutboxState.QUEUED, enqueued_at=now
            ).update(enqueued_at=None)
            break
        handed += 1
    return handed


@transaction.atomic
def retry_failed(email_ids: Sequence[int]) -> int:
    """The admin's "retry" action: failed rows go back to the queue with a fresh set of attempts."""
    ids = list(
        OutboxEmail.objects.select_for_update()
        .filter(pk__in=list(email_ids), state=OutboxState.FAILED)
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    OutboxEmail.objects.filter(pk__in=ids).update(
        state=OutboxState.QUEUED, attempts=0, next_attempt_at=now, enqueued_at=now, claim_token=""
    )
    for email_id in ids:
        transaction.on_commit(lambda email_id=email_id: enqueue(email_id), robust=True)
    return len(ids)
