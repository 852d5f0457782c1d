"""Monitoring (SPEC §2, §8): what the manual asks coordinators to check by hand, done by the system.

Each job is a service that Celery beat runs (activities/tasks.py) and that is safe to run again:
every email has an outbox event key, so a second run on the same day sends nothing twice.

| job | when | to | event key |
|---|---|---|---|
| 3 by 5 warning | on or after T-5 business days, requirements not met | coordinators, owners | `3by5:<child>:<due date>` |
| status reminder | on or after T-5 and T-3 business days, not APPROVED | coordinators | `status:<child>:<session date>:<5 or 3>` |
| ticket to the office | on or after T-3 business days, not APPROVED | OFFICE_EMAIL (+ a Ticket) | `ticket:<child>` |
| attendance count | within 3 days after the session ends | coordinators | `attendance:<child>` (in credit: `credit/services_attendance_count.py`) |
| renewal reminder | from RENEWAL_REMINDER_START, every 14 days, until renewed | owners, coordinators | `renewal:<parent>:<n>` |
| weekly digest | Mondays, sessions of the next 4 weeks that need action | each coordinator | `digest:<person>:<ISO week>` |
| planner reminder | a planner's disclosure does not cover a session of the next 4 weeks; at most every 7 days, none within 7 days of any request | the planner | `disclosure-request-again:<request>` (a `DisclosureRequest` row) |

"On or after" rather than "on": a job missed on the day (beat or broker down) catches up at its
next run. Keys carry the date the reminder is about, so moving a session re-arms its reminders.
When a reminder is due for 3 days, the one for 5 days is skipped (a session added late gets one).
"""

from activities.monitoring.digest import needs_action, send_weekly_digest
from activities.monitoring.planners import send_planner_disclosure_reminders
from activities.monitoring.renewal import send_renewal_reminders
from activities.monitoring.sessions import MonitoringReport, monitor_sessions
from activities.monitoring.statuses import recompute_statuses
from activities.rules_monitoring import (
    monitoring_horizon,
    reminder_stage,
    renewal_reminder_number,
    status_advice,
)

__all__ = [
    "MonitoringReport",
    "monitor_sessions",
    "monitoring_horizon",
    "needs_action",
    "recompute_statuses",
    "reminder_stage",
    "renewal_reminder_number",
    "send_planner_disclosure_reminders",
    "send_renewal_reminders",
    "send_weekly_digest",
    "status_advice",
]
