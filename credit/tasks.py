"""Scheduled jobs of credit (Celery beat, see CELERY_BEAT_SCHEDULE): one line each into a service."""

from celery import shared_task

from . import services_attendance_count, services_evaluation


@shared_task
def send_evaluation_reminders() -> int:
    return services_evaluation.send_evaluation_reminders()


@shared_task
def send_attendance_counts() -> int:
    return services_attendance_count.send_attendance_counts()
