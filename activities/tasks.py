"""Scheduled jobs (Celery beat, see CELERY_BEAT_SCHEDULE): one line each into activities.monitoring.

Each returns something printable for the worker's log; each is safe to run twice.
"""

from celery import shared_task

from . import monitoring


@shared_task
def monitor_sessions() -> str:
    return str(monitoring.monitor_sessions())


@shared_task
def send_renewal_reminders() -> int:
    return monitoring.send_renewal_reminders()


@shared_task
def send_weekly_digest() -> int:
    return monitoring.send_weekly_digest()


@shared_task
def recompute_statuses() -> int:
    return monitoring.recompute_statuses()


@shared_task
def send_planner_disclosure_reminders() -> int:
    return monitoring.send_planner_disclosure_reminders()
