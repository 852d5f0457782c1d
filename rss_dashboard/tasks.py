"""Thin task interfaces: each takes ids and calls a service."""

from celery import shared_task

from . import outbox


@shared_task(
    bind=True,
    autoretry_for=(outbox.TransientEmailError,),
    retry_backoff=30,
    retry_backoff_max=6 * 3600,
    retry_jitter=True,
    max_retries=outbox.MAX_ATTEMPTS,
)
def send_outbox_email(self, email_id: int) -> str:
    return outbox.deliver(email_id)


@shared_task
def sweep_outbox() -> int:
    return outbox.sweep()
