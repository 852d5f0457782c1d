"""Run the scheduled jobs now, in this process: development (no beat), cron, or by hand after an
outage. Safe to run any time: each job sends nothing twice."""

from django.core.management.base import BaseCommand, CommandError

from activities import monitoring
from credit import services_attendance_count, services_evaluation
from rss_dashboard import outbox

JOBS = {
    "recompute": monitoring.recompute_statuses,
    "monitor": monitoring.monitor_sessions,
    "attendance": services_attendance_count.send_attendance_counts,
    "renewal": monitoring.send_renewal_reminders,
    "digest": monitoring.send_weekly_digest,
    "planners": monitoring.send_planner_disclosure_reminders,
    "evaluations": services_evaluation.send_evaluation_reminders,
    "sweep": outbox.sweep,
}


class Command(BaseCommand):
    help = "Run scheduled jobs now (all, or the ones named): " + ", ".join(JOBS)

    def add_arguments(self, parser):
        parser.add_argument("jobs", nargs="*", metavar="job", help="default: all, in this order")

    def handle(self, *args, jobs, **options):
        unknown = sorted(set(jobs) - set(JOBS))
        if unknown:
            raise CommandError(f"Unknown job {', '.join(unknown)}; choose from {', '.join(JOBS)}.")
        for name in jobs or JOBS:
            self.stdout.write(f"{name}: {JOBS[name]()}")
