"""Monitoring (SPEC §2, §8): what the manual asks coordinators to check by hand, done by the system.

Each job is a service that Celery beat runs (activities/tasks.py) and that is safe to run again:
every email has an outbox event key, so a second run on the same day sends nothing twice.

| job | when | to | event key |
|---|---|---|---|
| 3 by 5 warning | on or after T-5 business days, requirements not met | coordinators, owners | `3by5:<child>:<due date>` |
| status reminder | on or after T-5 and T-3 business days, not APPROVED | coordinators | `status:<child>:<session date>:<5 or 3>` |
| ticket to the office | on or after T-3 business days, not APPROVED | OFFICE_EMAIL (+ a Ticket) | `ticket:<child>` |
| attendance count | within 3 days after the session ends | coordinators | `attendance:<child>` |
| renewal reminder | from RENEWAL_REMINDER_START, every 14 days, until renewed | owners, coordinators | `renewal:<parent>:<n>` |
| weekly digest | Mondays, sessions of the next 4 weeks that need action | each coordinator | `digest:<person>:<ISO week>` |

"On or after" rather than "on": a job missed on the day (beat or broker down) catches up at its
next run. Keys carry the date the reminder is about, so moving a session re-arms its reminders.
When a reminder is due for 3 days, the one for 5 days is skipped (a session added late gets one).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from activities.business_days import BusinessCalendar
from activities.calendar import business_calendar
from activities.models import (
    ChildActivity,
    ParentActivity,
    ParentRole,
    ParentRoleKind,
    ParentState,
    Ticket,
    TicketKind,
)
from activities.rules import ChildStatus, three_by_five_requirements
from activities.services.parents import office_admin_url
from activities.services.status import recompute_children
from disclosures.reads import latest_disclosures
from disclosures.rules import CoiStatus, coi_hint, format_long_date, is_active
from faculty.models import Assignment
from rss_dashboard.outbox import queue_email

REMINDER_DAYS = (5, 3)  # business days before the session (SPEC §8)
TICKET_DAYS = 3
ATTENDANCE_CATCH_UP = timedelta(days=3)
DIGEST_AHEAD = timedelta(days=28)
RENEWAL_EVERY_DAYS = 14
_APPROVED_COI = {CoiStatus.APPROVED, CoiStatus.APPROVED_WITH_EXCEPTIONS}


# --- Rules (no database) ------------------------------------------------------------------------


def reminder_stage(*, session_date: date, today: date, calendar: BusinessCalendar) -> int | None:
    """3 on or after T-3 business days, 5 on or after T-5, None before T-5 or from the session day."""
    if today >= session_date:
        return None
    for days in sorted(REMINDER_DAYS):
        if today >= calendar.subtract_business_days(session_date, days):
            return days
    return None


def monitoring_horizon(today: date, calendar: BusinessCalendar) -> date:
    """Sessions on this date or later are not yet within 5 business days of today."""
    return calendar.add_business_days(today, max(REMINDER_DAYS) + 1)


def status_advice(status: str, *, office: str) -> str:
    """What the status means and who must act, in the manual's words (for reminders and digests)."""
    return {
        ChildStatus.INCOMPLETE: (
            f"Information is missing. The coordinators must add it before {office} can review "
            "the session."
        ),
        ChildStatus.IN_REVIEW: (
            f"{office} is reviewing faculty relationships. No action for the coordinators, "
            "unless something is listed as missing below."
        ),
        ChildStatus.PENDING: (
            f"All information is in; the session awaits {office}'s approval. No action for the "
            "coordinators, unless something is listed as missing below."
        ),
        ChildStatus.REJECTED: (
            "The session was rejected. Remove the faculty member whose relationship cannot be "
            f"mitigated and assign someone else, or read {office}'s comment on the session."
        ),
        ChildStatus.APPROVED: "Approved for CME credit. No action needed.",
    }[ChildStatus(status)]


def renewal_reminder_number(*, today: date, year: int, start: tuple[int, int]) -> int | None:
    """0 for the first reminder (on the start date), 1 fourteen days later, ...; None outside."""
    first = date(year, *start)
    if today.year != year or today < first:
        return None
    return (today - first).days // RENEWAL_EVERY_DAYS


# --- Facts loaded in bulk -----------------------------------------------------------------------


@dataclass
class ChildFacts:
    missing: list[str] = field(default_factory=list)
    faculty: list[str] = field(default_factory=list)  # "who must act" for each not-approved person


@dataclass
class Recipients:
    coordinators: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)

    @property
    def coordinators_or_owners(self) -> list[str]:
        """Reminders go to coordinators; a series without any falls back to its owners."""
        return self.coordinators or self.owners


def child_facts(children: list[ChildActivity]) -> dict[int, ChildFacts]:
    """What each child still lacks (the 3 by 5 items) and each faculty member's COI situation."""
    assignments = list(
        Assignment.objects.current()
        .filter(child_id__in=[c.pk for c in children])
        .select_related("person")
        .order_by("child_id", "added_at", "id")
    )
    latest = latest_disclosures({a.person_id for a in assignments})
    by_child: dict[int, list[Assignment]] = defaultdict(list)
    for a in assignments:
        by_child[a.child_id].append(a)
    facts: dict[int, ChildFacts] = {}
    for child in children:
        lacking, hints = [], []
        for a in by_child[child.pk]:
            disclosure = latest.get(a.person_id)
            submitted = disclosure.submitted_at if disclosure else None
            if not is_active(submitted, child.start):
                lacking.append(a.person.name)
            if a.coi_status not in _APPROVED_COI:
                hints.append(
                    coi_hint(
                        a.coi_status,
                        person=a.person.name,
                        submitted_at=submitted,
                        session_start=child.start,
                    )
                )
        facts[child.pk] = ChildFacts(
            missing=three_by_five_requirements(
                name_ok=not child.name_needs_update,
                faculty_count=len(by_child[child.pk]),
                faculty_without_active_disclosure=lacking,
            ),
            faculty=hints,
        )
    return facts


def recipients_by_parent(parent_ids) -> dict[int, Recipients]:
    found: dict[int, Recipients] = defaultdict(Recipients)
    roles = (
        ParentRole.objects.filter(
            parent_id__in=list(parent_ids),
            role__in=[ParentRoleKind.COORDINATOR, ParentRoleKind.OWNER],
            person__is_active=True,
        )
        .select_related("person")
        .order_by("person__email")
    )
    for role in roles:
        target = found[role.parent_id]
        bucket = target.coordinators if role.role == ParentRoleKind.COORDINATOR else target.owners
        if role.person.email not in bucket:
            bucket.append(role.person.email)
    return found


def dashboard_url(child: ChildActivity) -> str:
    return f"{settings.SITE_URL}/dashboard/?child_id={child.pk}"


def _link(name: str, args: list, fallback: str) -> str:
    """An absolute link to another area's page, or the fallback while that page is not installed."""
    try:
        return f"{settings.SITE_URL}{reverse(name, args=args)}"
    except NoReverseMatch:
        return fallback


# --- 3 by 5 and status monitoring (SPEC §8) -----------------------------------------------------


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
    facts: ChildFacts,
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


# --- After the session: the attendance count (SPEC §8) -------------------------------------------


def send_attendance_counts(now: datetime | None = None) -> int:
    """Coordinators learn how many learners claimed, once, soon after each session ends."""
    from credit.rules import claim_window

    now = now or timezone.now()
    children = list(
        ChildActivity.objects.filter(
            is_active=True, end__lte=now, end__gt=now - ATTENDANCE_CATCH_UP
        )
        .select_related("parent")
        .annotate(
            claims_total=Count("claims"),
            claims_pending=Count("claims", filter=Q(claims__awarded_at__isnull=True)),
        )
    )
    people = recipients_by_parent({c.parent_id for c in children})
    sent = 0
    for child in children:
        window = claim_window(
            start=child.start,
            end=child.end,
            minutes_prior=child.texting_minutes_prior,
            minutes_after=child.texting_minutes_after,
        )
        sent += bool(
            queue_email(
                event_key=f"attendance:{child.pk}",
                kind="attendance_count",
                to=people[child.parent_id].coordinators_or_owners,
                template="attendance_count",
                context={
                    "child": child,
                    "parent": child.parent,
                    "count": child.claims_total,
                    "pending": child.claims_pending,
                    "closes": window.closes.astimezone(child.zone),
                    "still_open": window.closes > now,
                    "dashboard_url": dashboard_url(child),
                    "attendance_url": _link("child_attendance_csv", [child.pk], ""),
                },
            )
        )
    return sent


# --- Renewal reminders (SPEC §2) -----------------------------------------------------------------


def send_renewal_reminders(now: datetime | None = None) -> int:
    """From RENEWAL_REMINDER_START, every 14 days, to every approved series of the year not renewed."""
    today = timezone.localdate(now or timezone.now())
    number = renewal_reminder_number(
        today=today, year=today.year, start=settings.RENEWAL_REMINDER_START
    )
    if number is None:
        return 0
    first = date(today.year, *settings.RENEWAL_REMINDER_START)
    following = first + timedelta(days=RENEWAL_EVERY_DAYS * (number + 1))
    parents = list(
        ParentActivity.objects.filter(
            state=ParentState.APPROVED, year=today.year, renewal__isnull=True
        ).order_by("pk")
    )
    people = recipients_by_parent(p.pk for p in parents)
    sent = 0
    for parent in parents:
        recipients = people[parent.pk]
        sent += bool(
            queue_email(
                event_key=f"renewal:{parent.pk}:{number}",
                kind="renewal_reminder",
                to=recipients.coordinators + recipients.owners,
                template="renewal_reminder",
                context={
                    "parent": parent,
                    "next_year": parent.year + 1,
                    "number": number + 1,
                    "next_reminder": following if following.year == today.year else None,
                    "renew_url": _link(
                        "parent_renew",
                        [parent.pk],
                        f"{settings.SITE_URL}/dashboard/?series={parent.pk}",
                    ),
                },
            )
        )
    return sent


# --- The weekly digest ---------------------------------------------------------------------------


def needs_action(child: ChildActivity, facts: ChildFacts) -> bool:
    return (
        child.status != ChildStatus.APPROVED
        or bool(facts.missing)
        or bool(child.planners_without_disclosure)
    )


def send_weekly_digest(now: datetime | None = None) -> int:
    """To each coordinator: their sessions of the next 4 weeks that need action (none: no email)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    iso = today.isocalendar()
    ids = list(
        ChildActivity.objects.filter(
            is_active=True, start__gt=now, start__lte=now + DIGEST_AHEAD
        ).values_list("pk", flat=True)
    )
    recompute_children(ids, now=now)
    children = list(
        ChildActivity.objects.filter(pk__in=ids).select_related("parent").order_by("start", "pk")
    )
    facts = child_facts(children)
    waiting = [c for c in children if needs_action(c, facts[c.pk])]
    by_coordinator: dict[int, list[ChildActivity]] = defaultdict(list)
    coordinators = {}
    roles = ParentRole.objects.filter(
        parent_id__in={c.parent_id for c in waiting},
        role=ParentRoleKind.COORDINATOR,
        person__is_active=True,
    ).select_related("person")
    series_of: dict[int, set[int]] = defaultdict(set)
    for role in roles:
        coordinators[role.person_id] = role.person
        series_of[role.person_id].add(role.parent_id)
    for person_id, parent_ids in series_of.items():
        by_coordinator[person_id] = [c for c in waiting if c.parent_id in parent_ids]
    sent = 0
    for person_id, sessions in sorted(by_coordinator.items()):
        person = coordinators[person_id]
        rows = [
            {
                "child": c,
                "status": c.get_status_display(),
                "advice": status_advice(c.status, office=settings.OFFICE_NAME),
                "missing": facts[c.pk].missing,
                "planners": c.planners_without_disclosure,
                "dashboard_url": dashboard_url(c),
            }
            for c in sessions
        ]
        sent += bool(
            queue_email(
                event_key=f"digest:{person_id}:{iso.year}-W{iso.week:02d}",
                kind="weekly_digest",
                to=[person.email],
                template="weekly_digest",
                context={
                    "person": person,
                    "rows": rows,
                    "until": today + DIGEST_AHEAD,
                    "dashboard_url": f"{settings.SITE_URL}/dashboard/",
                },
            )
        )
    return sent


# --- Statuses that change with time and settings -------------------------------------------------


def recompute_statuses(now: datetime | None = None) -> int:
    """The daily safety net: upcoming and recent sessions, e.g. after closure days were edited.

    Past sessions keep their status: whether a disclosure was active is judged at the session's
    start, so time alone does not change it (`manage.py recompute_statuses` does every session).
    """
    now = now or timezone.now()
    return recompute_children(
        ChildActivity.objects.filter(start__gte=now - timedelta(days=7)).order_by("pk"), now=now
    )
