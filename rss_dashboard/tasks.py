"""Thin task interfaces: each takes ids and calls a service (rss_dashboard.outbox)."""

from celery import shared_task
from celery.exceptions import Retry

from . import outbox


@shared_task(bind=True, max_retries=None, acks_late=True)
def send_outbox_email(self, email_id: int) -> str:
    """Send one outbox row. The row, not Celery, counts attempts and decides when to give up."""
    try:
        return outbox.deliver(email_id, retry_follows=not self.request.is_eager)
    except outbox.TransientEmailError as exc:
        if self.request.is_eager:  # inline, no broker: the sweep retries at next_attempt_at
            return "retry_later"
        try:
            raise self.retry(countdown=exc.retry_in.total_seconds(), exc=exc) from exc
        except Retry:
            raise
        except Exception:  # noqa: BLE001 - the broker went away mid-task: leave it to the sweep
            outbox.retry_not_scheduled(email_id)
            return "retry_later"


@shared_task
def sweep_outbox() -> int:
    return outbox.sweep()
