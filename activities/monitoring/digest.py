"""The weekly digest: each coordinator's sessions of the next four weeks that need action."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from activities.models import (
    ChildActivity,
    ChildReview,
    ParentRole,
    ParentRoleKind,
)
from activities.monitoring.selectors_facts import MonitoredChild, child_facts, dashboard_url
from activities.rules import ChildStatus
from activities.rules_monitoring import DIGEST_AHEAD, status_advice
from activities.services.decision_notices import recent_decisions
from activities.services.status import recompute_children
from disclosures.models import CoiReview
from disclosures.rules import ReviewDecision
from rss_dashboard.outbox import queue_email

DECISIONS_SINCE = timedelta(days=7)


def needs_action(child: ChildActivity, facts: MonitoredChild) -> bool:
    return (
        child.status != ChildStatus.APPROVED
        or bool(facts.missing)
        or bool(child.planners_without_disclosure)
    )


def send_weekly_digest(now: datetime | None = None) -> int:
    """To each coordinator: their sessions of the next 4 weeks that need action and the office's
    decisions on their series in the past week (neither: no email)."""
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
    # The office's decisions of the past week are repeated here (they were emailed at once).
    decided_parents = set(
        ChildReview.objects.filter(at__gte=now - DECISIONS_SINCE).values_list(
            "child__parent_id", flat=True
        )
    ) | set(
        CoiReview.objects.filter(
            decision=ReviewDecision.REJECTED, decided_at__gte=now - DECISIONS_SINCE
        ).values_list("assignment__child__parent_id", flat=True)
    )
    decisions = recent_decisions(decided_parents, since=now - DECISIONS_SINCE)
    roles = ParentRole.objects.filter(
        parent_id__in={c.parent_id for c in waiting} | decided_parents,
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
    for person_id in sorted(series_of):
        sessions = by_coordinator.get(person_id, [])
        decided = [d for d in decisions if d.child.parent_id in series_of[person_id]]
        if not sessions and not decided:
            continue
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
                    "decisions": decided,
                    "until": today + DIGEST_AHEAD,
                    "dashboard_url": f"{settings.SITE_URL}/dashboard/",
                },
            )
        )
    return sent
