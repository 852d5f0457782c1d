"""Scheduled jobs of credit (Celery beat, see CELERY_BEAT_SCHEDULE): one line each into a service."""

from celery import shared_task

from . import services_evaluation


@shared_task
def send_evaluation_reminders() -> int:
    return services_evaluation.send_evaluation_reminders()
