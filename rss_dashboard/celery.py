"""The Celery app. Without REDIS_URL tasks run inline (eager), so development needs no broker."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rss_dashboard.settings")

app = Celery("rss_dashboard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _connect_task_ids() -> None:
    from celery.signals import task_postrun, task_prerun

    from rss_dashboard.request_log import task_finished, task_started

    task_prerun.connect(task_started, weak=False, dispatch_uid="rss_task_started")
    task_postrun.connect(task_finished, weak=False, dispatch_uid="rss_task_finished")


_connect_task_ids()
