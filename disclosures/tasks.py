"""Thin task interfaces into the disclosure services."""

from celery import shared_task

from . import services


@shared_task
def recompute_expired() -> int:
    return services.recompute_expired()
