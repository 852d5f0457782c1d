"""3 by 5 and status monitoring before each session, and the ticket to the office (SPEC §8)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from activities.models import (
    ChildActivity,
    Ticket,
    TicketKind,
)
from activities.monitoring.selectors_facts import (
    MonitoredChild,
    Recipients,
    child_facts,
    dashboard_url,
    recipients_by_parent,
)
from activities.rules import ChildStatus
from activities.rules_monitoring import (
    REMINDER_DAYS,
    TICKET_DAYS,
    monitoring_horizon,
    reminder_stage,
    status_advice,
)
from activities.selectors_calendar import business_calendar
from activities.services.parents import office_admin_url
from activities.services.status import recompute_children
from disclosures.rules import format_long_date
from rss_dashboard.outbox import queue_email


@dataclass
class MonitoringReport:
    checked: int = 0
    warnings: int = 0
    reminders: int = 0
    tickets: int = 0

    def __str__(self) -> str:
        return (
            f"{self.checked} sessions within {max(REMINDER_DAYS)} business days: "
            f"{self.warnings} 3-by-5 warnings, {self.reminders} status reminders, "
            f"{self.tickets} tickets"
        )


def monitor_sessions(now: datetime | None = None) -> MonitoringReport:
    """3 by 5 warnings, status reminders 5 and 3 business days before, tickets at 3 (SPEC §8)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = business_calendar()
    horizon = monitoring_horizon(today, calendar)
    candidates = ChildActivity.objects.filter(
        is_active=True, start__gt=now, start__lt=now + (horizon - today) + timedelta(days=1)
    ).values_list("pk", flat=True)
    ids = list(candidates)
    recompute_children(ids, now=now)  # disclosures and names as of this moment
    children = [
        c
        for c in ChildActivity.objects.filter(pk__in=ids).select_related("parent")
        if c.local_start.date() < horizon
    ]
    facts = child_facts(children)
    people = recipients_by_parent({c.parent_id for c in children})
    report = MonitoringReport()
    for child in children:
        session_date = child.local_start.date()
        stage = reminder_stage(session_date=session_date, today=today, calendar=calendar)
        if stage is None:
            continue
        report.checked += 1
        with transaction.atomic():
            _monitor_one(
                child,
                stage=stage,
                today=today,
                due=calendar.subtract_business_days(session_date, max(REMINDER_DAYS)),
                facts=facts[child.pk],
                recipients=people[child.parent_id],
                report=report,
            )
    return report


def _monitor_one(
    child: ChildActivity,
    *,
    stage: int,
    today: date,
    due: date,
    facts: MonitoredChild,
    recipients: Recipients,
    report: MonitoringReport,
) -> None:
    context = {
        "child": child,
        "parent": child.parent,
        "stage": stage,
        "due": due,
        "due_passed": today > due,
        "missing": facts.missing,
        "faculty": facts.faculty,
        "status": child.get_status_display(),
        "advice": status_advice(child.status, office=settings.OFFICE_NAME),
        "dashboard_url": dashboard_url(child),
    }
    if facts.missing:
        report.warnings += bool(
            queue_email(
                event_key=f"3by5:{child.pk}:{due.isoformat()}",
                kind="three_by_five_warning",
                to=recipients.coordinators + recipients.owners,
                template="three_by_five_warning",
                context=context,
            )
        )
    if child.status == ChildStatus.APPROVED:
        return
    ticket = None
    if stage <= TICKET_DAYS:
        ticket = _open_ticket(child, context=context, recipients=recipients, report=report)
    report.reminders += bool(
        queue_email(
            event_key=f"status:{child.pk}:{child.local_start.date().isoformat()}:{stage}",
            kind="status_reminder",
            to=recipients.coordinators_or_owners,
            template="status_reminder",
            context={**context, "ticket": ticket},
        )
    )


def _open_ticket(
    child: ChildActivity, *, context: dict, recipients: Recipients, report: MonitoringReport
) -> Ticket:
    """The automatic ticket to the office (one per child, however often the job runs)."""
    ticket, created = Ticket.objects.get_or_create(
        child=child,
        kind=TicketKind.NOT_APPROVED_3_DAYS,
        defaults={
            "parent": child.parent,
            "subject": (
                f"Not approved {TICKET_DAYS} business days before: {child.pk} "
                f"{child.name or '(no name)'} ({format_long_date(child.local_start)})"
            )[:255],
            "body": "\n".join(
                [f"Status: {child.get_status_display()}", *context["missing"], *context["faculty"]]
            ),
        },
    )
    report.tickets += created
    queue_email(
        event_key=f"ticket:{child.pk}",
        kind="office_ticket",
        to=[settings.OFFICE_EMAIL],
        template="office_ticket",
        context={
            **context,
            "ticket": ticket,
            "ticket_url": office_admin_url(ticket),
            "child_admin_url": office_admin_url(child),
            "coordinators": recipients.coordinators,
            "owners": recipients.owners,
        },
    )
    return ticket
