"""The office home (the admin index): what waits for the office, with counts and how long the
oldest item has waited, each count linking to its filtered queue (issue 15, item 6).

One aggregate query per queue (the planners report takes four), whatever the number of rows.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Min, Q, Subquery
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from activities.models import ChildActivity, ParentState, Ticket, TicketKind, TicketState
from activities.rules import ChildStatus
from activities.selectors_calendar import business_calendar
from activities.selectors_disclosures import planner_disclosure_rows
from activities.selectors_queue import DUE_BUCKETS, due_bounds, review_queue
from disclosures.selectors import newest_disclosure


@dataclass(frozen=True)
class Waiting:
    """One line of the office home: `count` items wait; the oldest since `since`."""

    key: str
    label: str
    count: int
    url: str
    since: datetime | None = None
    note: str = ""
    parts: list["Waiting"] = field(default_factory=list)


def _between(bounds, column: str) -> Q:
    since, until = bounds
    q = Q()
    if since is not None:
        q &= Q(**{f"{column}__gte": since})
    if until is not None:
        q &= Q(**{f"{column}__lt": until})
    return q


def _coi(now: datetime) -> Waiting:
    """Waiting since the later of the assignment and the person's latest disclosure."""
    url = reverse("admin:activities_reviewqueueitem_changelist")
    calendar, today = business_calendar(), timezone.localdate(now)
    counts = {
        f"due_{i}": Count("pk", filter=_between(due_bounds(key, calendar, today), "child__start"))
        for i, (key, _label) in enumerate(DUE_BUCKETS)
    }
    found = (
        review_queue()
        .order_by()
        .annotate(
            since=Greatest("added_at", Subquery(newest_disclosure().values("submitted_at")[:1]))
        )
        .aggregate(total=Count("pk"), oldest=Min("since"), **counts)
    )
    parts = [
        Waiting(f"coi-{key}", label, found[f"due_{i}"], f"{url}?due={key}")
        for i, (key, label) in enumerate(DUE_BUCKETS)
    ]
    return Waiting("coi", "COI reviews", found["total"], url, found["oldest"], parts=parts)


def _approvals(now: datetime) -> Waiting:
    url = reverse("admin:activities_approvalqueueitem_changelist")
    found = ChildActivity.objects.filter(is_active=True, status=ChildStatus.PENDING).aggregate(
        total=Count("pk"),
        oldest=Min("status_computed_at"),
        held=Count("pk", filter=Q(start__lt=now)),
    )
    held = found["held"]
    note = f"{held} already held" if held else ""
    return Waiting("approvals", "Sessions to approve", found["total"], url, found["oldest"], note)


def _tickets() -> Waiting:
    url = reverse("admin:activities_ticket_changelist")
    found = Ticket.objects.filter(state=TicketState.OPEN).aggregate(
        total=Count("pk"),
        oldest=Min("opened_at"),
        new=Count("pk", filter=Q(kind=TicketKind.NEW_CHILD_REQUEST)),
        late=Count("pk", filter=Q(kind=TicketKind.NOT_APPROVED_3_DAYS)),
    )
    parts = [
        Waiting(
            "tickets-new",
            "Requests for a new session",
            found["new"],
            f"{url}?kind={TicketKind.NEW_CHILD_REQUEST}",
        ),
        Waiting(
            "tickets-late",
            "Not approved 3 business days before",
            found["late"],
            f"{url}?kind={TicketKind.NOT_APPROVED_3_DAYS}",
        ),
    ]
    return Waiting("tickets", "Tickets", found["total"], url, found["oldest"], parts=parts)


def _late_claims() -> Waiting:
    from credit.models import LateClaimRequest, LateClaimState

    url = reverse("admin:credit_lateclaimrequest_changelist")
    found = LateClaimRequest.objects.filter(state=LateClaimState.PENDING).aggregate(
        total=Count("pk"), oldest=Min("requested_at")
    )
    return Waiting("late", "Late claims", found["total"], url, found["oldest"])


def _likely_duplicates() -> Waiting:
    from faculty.models import HoldState, LikelyDuplicate

    url = reverse("admin:faculty_likelyduplicate_changelist")
    found = LikelyDuplicate.objects.filter(state=HoldState.WAITING).aggregate(
        total=Count("pk"), oldest=Min("received_at")
    )
    return Waiting(
        "duplicates", "New accounts held as likely duplicates", found["total"], url, found["oldest"]
    )


def _renewals() -> Waiting:
    from activities.models import ParentActivity

    url = (
        reverse("admin:activities_parentactivity_changelist") + f"?state__exact={ParentState.DRAFT}"
    )
    found = ParentActivity.objects.filter(state=ParentState.DRAFT).aggregate(
        total=Count("pk"), oldest=Min("created_at")
    )
    return Waiting("renewals", "Series renewals to approve", found["total"], url, found["oldest"])


def _failed_emails() -> Waiting:
    from rss_dashboard.models import OutboxEmail, OutboxState

    url = reverse("admin:rss_dashboard_outboxemail_changelist") + "?state__exact=failed"
    found = OutboxEmail.objects.filter(state=OutboxState.FAILED).aggregate(
        total=Count("pk"), oldest=Min("created_at")
    )
    return Waiting("emails", "Failed emails", found["total"], url, found["oldest"])


def _planners(now: datetime) -> Waiting:
    """Counted per planner and series; "since" is the first session their disclosure misses."""
    rows = planner_disclosure_rows(now=now, lacking_only=True)
    series = len({r.parent_id for r in rows})
    first = min((r.first_lacking for r in rows if r.first_lacking), default=None)
    local = timezone.localtime(first) if first else None
    note = f"in {series} series" + (f"; first session uncovered {local:%a %b %-d}" if local else "")
    url = reverse("admin:activities_plannerdisclosure_changelist")
    return Waiting("planners", "Planners without an active disclosure", len(rows), url, None, note)


def office_waiting(user, *, now: datetime | None = None) -> list[Waiting]:
    """What waits for the office, in the order of a reviewer's morning. Failed emails only for
    administrators (the outbox holds personal links)."""
    now = now or timezone.now()
    rows = [_coi(now), _approvals(now), _tickets(), _late_claims(), _likely_duplicates()]
    rows.append(_renewals())
    if getattr(user, "is_administrator", False):
        rows.append(_failed_emails())
    rows.append(_planners(now))
    return rows
