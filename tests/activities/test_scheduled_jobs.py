"""Celery beat runs each job (SPEC §8): every scheduled name is a task, in the site's time zone."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from activities import tasks
from rss_dashboard.celery import app


def test_every_scheduled_job_is_a_registered_task():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {
        "rss_dashboard.tasks.sweep_outbox",
        "activities.tasks.recompute_statuses",
        "activities.tasks.monitor_sessions",
        "credit.tasks.send_attendance_counts",
        "activities.tasks.send_renewal_reminders",
        "activities.tasks.send_weekly_digest",
        "activities.tasks.send_planner_disclosure_reminders",
        "credit.tasks.send_evaluation_reminders",
    }
    assert scheduled <= set(app.tasks)
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"{name} names an unregistered task"


def test_statuses_are_recomputed_daily_by_exactly_one_job():
    app.loader.import_default_modules()
    recomputes = [
        entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if "recompute" in entry["task"]
    ]
    assert [e["task"] for e in recomputes] == ["activities.tasks.recompute_statuses"]
    daily = recomputes[0]["schedule"]
    assert len(daily.hour) == len(daily.minute) == 1 and len(daily.day_of_week) == 7
    assert not [t for t in app.tasks if "recompute" in t and t != recomputes[0]["task"]]


def test_the_schedule_is_read_in_the_sites_time_zone():
    assert app.conf.timezone == settings.TIME_ZONE == "America/Detroit"
    monitor = settings.CELERY_BEAT_SCHEDULE["monitor-sessions"]["schedule"]
    assert monitor.tz is None or str(monitor.tz) == settings.TIME_ZONE  # None: the app's zone
    assert 7 in monitor.hour and 0 in monitor.minute


@pytest.mark.django_db
def test_the_tasks_run_inline_without_a_broker():
    assert "sessions within 5 business days" in tasks.monitor_sessions.delay().get()
    from credit import tasks as credit_tasks

    for task in (
        credit_tasks.send_attendance_counts,
        tasks.send_renewal_reminders,
        tasks.send_weekly_digest,
        tasks.send_planner_disclosure_reminders,
        tasks.recompute_statuses,
    ):
        assert task.delay().get() == 0


@pytest.mark.django_db
def test_run_jobs_runs_them_by_name():
    out = StringIO()
    call_command("run_jobs", "monitor", "sweep", stdout=out)
    assert out.getvalue().splitlines()[0].startswith("monitor: 0 sessions")
    assert out.getvalue().splitlines()[1] == "sweep: 0"
    with pytest.raises(CommandError, match="Unknown job nope"):
        call_command("run_jobs", "nope")
