"""The office's share of the demo data (issue 15): what waits for the office on a real morning
besides COI reviews and approvals: requests for new sessions, automatic tickets, late claims, a
series renewal to approve, and at least one session ready for approval whose planner has no
active disclosure. Deterministic for a seed, like the rest of the demo; no email."""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef

from activities.models import (
    ChildActivity,
    ParentActivity,
    ParentRole,
    ParentRoleKind,
    ParentState,
    Ticket,
    TicketKind,
)
from activities.rules import ChildStatus
from activities.services.adding import new_child_ticket
from activities.services.status import recompute_children
from credit.models import Claim, LateClaimRequest
from disclosures.models import Disclosure
from faculty.models import Assignment, Person
from rss_dashboard.db import bulk_update_rows

LATE_REASONS = [
    "My phone had no signal in the auditorium, so the text never went through.",
    "I attended on Zoom from clinic and did not know I had to text the code.",
    "I was paged out just before the end and forgot to claim afterwards.",
    "The QR code page asked me to sign in and my password had expired.",
]
REQUESTED = [
    ("Visiting professor: cardio-oncology update", 90, False),
    ("Annual morbidity review with evaluation", 60, True),
]


def seed_office_work(*, rng: random.Random, now: datetime, zone: ZoneInfo, scale: int) -> None:
    coordinators = ParentRole.objects.filter(role=ParentRoleKind.COORDINATOR).select_related(
        "parent", "person"
    )
    roles = list(coordinators.filter(parent__year=now.astimezone(zone).year).order_by("id"))
    _new_session_requests(rng, now, zone, roles[: 2 * scale])
    _automatic_tickets(now, 8 * scale)
    _late_claims(rng, now, 10 * scale)
    _renewal(roles[0].parent, now)
    _planner_without_disclosure(now)
    _ready_since(rng, now)


def _new_session_requests(rng, now, zone, roles) -> None:
    for role, (name, minutes, evaluation) in zip(roles, REQUESTED * len(roles), strict=False):
        parent = role.parent
        today = now.astimezone(zone).date()
        # Within the series' year (SPEC §2), even when the demo runs in December.
        day = min(today + timedelta(days=rng.randint(10, 30)), date(parent.year, 12, 30))
        if day <= today:
            continue
        at = parent.default_start_time or datetime.min.time()
        start = datetime.combine(day, at, tzinfo=zone)
        new_child_ticket(
            parent=parent,
            start=start,
            end=start + timedelta(minutes=minutes),
            name=name,
            needs_evaluation=evaluation,
            note="Our visiting speaker can only come that day.",
            by=role.person,
            opened_at=now - timedelta(days=rng.randint(1, 6)),
        )


def _automatic_tickets(now, count: int) -> None:
    """What the monitoring job opens 3 business days before a session that is not approved."""
    soon = (
        ChildActivity.objects.filter(
            is_active=True, start__gt=now, start__lt=now + timedelta(days=4)
        )
        .exclude(status=ChildStatus.APPROVED)
        .select_related("parent")
        .order_by("start", "id")[:count]
    )
    for child in soon:
        Ticket.objects.get_or_create(
            child=child,
            kind=TicketKind.NOT_APPROVED_3_DAYS,
            defaults={
                "parent": child.parent,
                "subject": f"Not approved 3 business days before: {child.pk} "
                f"{child.name or '(no name)'} ({child.local_start:%b %-d, %Y})",
                "body": f"Status: {child.get_status_display()}",
                "opened_at": now - timedelta(hours=20),
            },
        )


def _late_claims(rng, now, count: int) -> None:
    """Learners who attended held sessions but missed the week to claim."""
    held = list(
        ChildActivity.objects.filter(
            is_active=True, status=ChildStatus.APPROVED, end__lt=now - timedelta(days=9)
        )
        .filter(end__gt=now - timedelta(days=40))
        .order_by("-start", "id")
        .values_list("pk", flat=True)[: count * 4]
    )
    learners = list(
        Person.objects.filter(site_role="", is_active=True)
        .exclude(Exists(ParentRole.objects.filter(person=OuterRef("pk"))))
        .order_by("id")
        .values_list("pk", flat=True)[200:400]
    )
    made = 0
    for child_id in rng.sample(held, min(len(held), count)):
        for learner_id in rng.sample(learners, 5):
            if Claim.objects.filter(learner_id=learner_id, child_id=child_id).exists():
                continue
            LateClaimRequest.objects.create(
                learner_id=learner_id,
                child_id=child_id,
                reason=rng.choice(LATE_REASONS),
                requested_at=now - timedelta(days=rng.randint(0, 5), hours=rng.randint(0, 8)),
            )
            made += 1
            break
        if made >= count:
            break


def _renewal(parent: ParentActivity, now) -> None:
    """Next year's draft of one series, waiting for the office (SPEC §2's fall renewal)."""
    if ParentActivity.objects.filter(renewed_from=parent).exists():
        return
    ParentActivity.objects.create(
        name=parent.name,
        department_id=parent.department_id,
        year=parent.year + 1,
        state=ParentState.DRAFT,
        default_location=parent.default_location,
        default_start_time=parent.default_start_time,
        default_duration_minutes=parent.default_duration_minutes,
        time_zone=parent.time_zone,
        recurrence=parent.recurrence,
        professions=list(parent.professions or []),
        credit_hours=parent.credit_hours,
        renewed_from=parent,
        created_at=now - timedelta(days=3),
    )


def _planner_without_disclosure(now) -> None:
    """The office meets the "planners with COI" case on its approval queue: when no session
    ready for approval shows it, the first such session's series gets a planner who never
    disclosed."""
    pending = ChildActivity.objects.filter(
        is_active=True, status=ChildStatus.PENDING, start__gt=now
    ).order_by("start", "id")
    if pending.exclude(planners_without_disclosure="").exists():
        return
    child = pending.first()
    nobody = (
        Person.objects.filter(Exists(Assignment.objects.filter(person=OuterRef("pk"))))
        .exclude(Exists(Disclosure.objects.filter(person=OuterRef("pk"))))
        .order_by("id")
        .first()
    )
    if child is None or nobody is None:
        return
    ParentRole.objects.get_or_create(
        parent_id=child.parent_id, person=nobody, role=ParentRoleKind.PLANNER
    )
    recompute_children(ChildActivity.objects.filter(parent_id=child.parent_id), now=now)


def _ready_since(rng, now) -> None:
    """Sessions became ready for approval over the past week, not all at the seeding instant:
    the office home's "oldest" reads `status_computed_at` (when the stored status last changed)."""
    ready = list(
        ChildActivity.objects.filter(is_active=True, status=ChildStatus.PENDING)
        .order_by("pk")
        .only("pk", "status_computed_at")
    )
    for child in ready:
        child.status_computed_at = now - timedelta(hours=rng.randint(2, 160))
    bulk_update_rows(ready, ["status_computed_at"])
