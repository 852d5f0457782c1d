"""After the session: the attendance count to the coordinators (SPEC §8)."""

from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from activities.models import (
    ChildActivity,
)
from activities.monitoring.selectors_facts import dashboard_url, page_link, recipients_by_parent
from activities.rules_monitoring import ATTENDANCE_CATCH_UP
from rss_dashboard.outbox import queue_email

from .rules import claim_window


def send_attendance_counts(now: datetime | None = None) -> int:
    """Coordinators learn how many learners claimed, once, soon after each session ends."""
    now = now or timezone.now()
    children = list(
        ChildActivity.objects.filter(
            is_active=True, end__lte=now, end__gt=now - ATTENDANCE_CATCH_UP
        )
        .select_related("parent")
        .annotate(
            # A claim voided with an undone attendance import does not count (credit/models.py).
            claims_total=Count("claims", filter=Q(claims__voided_at__isnull=True)),
            # Not (yet) credit: waiting for approval, or for the learner's evaluation when the
            # session is approved (the credit gate); revoked and voided claims count for nothing.
            claims_pending=Count(
                "claims",
                filter=Q(
                    claims__awarded_at__isnull=True,
                    claims__revoked_at__isnull=True,
                    claims__voided_at__isnull=True,
                ),
            ),
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
                    "attendance_url": page_link("child_attendance_csv", [child.pk], ""),
                },
            )
        )
    return sent
