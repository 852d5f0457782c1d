"""The scheduled jobs (Celery beat; settings.CELERY_BEAT_SCHEDULE), in TIME_ZONE. Each is idempotent:
the outbox's event keys make a second run send nothing twice, so the monitoring runs hourly in
office hours to ride out a beat or broker outage instead of losing that day's reminders. Tasks are
named, not imported: the settings import no app."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "rss_dashboard.tasks.sweep_outbox",
        "schedule": crontab(),  # every minute
        "options": {"expires": 55},
    },
    "recompute-statuses": {
        "task": "activities.tasks.recompute_statuses",
        "schedule": crontab(hour=5, minute=30),
    },
    "monitor-sessions": {
        "task": "activities.tasks.monitor_sessions",
        "schedule": crontab(hour="7-17", minute=0),
    },
    "attendance-counts": {
        "task": "credit.tasks.send_attendance_counts",
        "schedule": crontab(hour="7-17", minute=10),
    },
    "renewal-reminders": {
        "task": "activities.tasks.send_renewal_reminders",
        "schedule": crontab(hour="8-17", minute=20),
    },
    "planner-disclosure-reminders": {
        "task": "activities.tasks.send_planner_disclosure_reminders",
        "schedule": crontab(hour="8-17", minute=40),  # once a week per planner at most
    },
    # The one reminder to learners whose credit waits for their evaluation (issue 17).
    "evaluation-reminders": {
        "task": "credit.tasks.send_evaluation_reminders",
        "schedule": crontab(hour="9-17", minute=40),
    },
    "weekly-digest": {
        "task": "activities.tasks.send_weekly_digest",
        "schedule": crontab(day_of_week="mon", hour="6-17", minute=30),
    },
}
