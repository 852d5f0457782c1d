"""What the monitoring jobs load in bulk: each child's faculty facts and each series' people."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from activities.models import (
    ChildActivity,
    ParentRole,
    ParentRoleKind,
)
from activities.rules import three_by_five_requirements
from activities.rules_monitoring import APPROVED_COI
from disclosures.rules import coi_hint, is_active
from disclosures.selectors import latest_disclosures
from faculty.models import Assignment


@dataclass
class MonitoredChild:
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


def child_facts(children: list[ChildActivity]) -> dict[int, MonitoredChild]:
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
    facts: dict[int, MonitoredChild] = {}
    for child in children:
        lacking, hints = [], []
        for a in by_child[child.pk]:
            disclosure = latest.get(a.person_id)
            submitted = disclosure.submitted_at if disclosure else None
            if not is_active(submitted, child.start):
                lacking.append(a.person.name)
            if a.coi_status not in APPROVED_COI:
                hints.append(
                    coi_hint(
                        a.coi_status,
                        person=a.person.name,
                        submitted_at=submitted,
                        session_start=child.start,
                        office=settings.OFFICE_NAME,
                    )
                )
        facts[child.pk] = MonitoredChild(
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


def page_link(name: str, args: list, fallback: str) -> str:
    """An absolute link to another area's page, or the fallback while that page is not installed."""
    try:
        return f"{settings.SITE_URL}{reverse(name, args=args)}"
    except NoReverseMatch:
        return fallback
