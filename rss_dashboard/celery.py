"""The Celery app. Without REDIS_URL tasks run inline (eager), so development needs no broker."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rss_dashboard.settings")

app = Celery("rss_dashboard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
