"""The status engine: recompute and store what the rules derive for children (SPEC §6-7).

Set-based on purpose: one pass loads children, assignments, latest disclosures, latest reviews and
planners in a handful of queries, so recomputing 20,000 children is as cheap per row as one.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from activities.models import ChildActivity, ParentRole, ParentRoleKind
from activities.rules import child_status, name_needs_update, three_by_five_requirements
from activities.selectors_calendar import business_calendar
from disclosures.models import CoiReview
from disclosures.rules import (
    CoiStatus,
    PlannerFacts,
    ReviewFacts,
    coi_status,
    is_active,
    planners_without_active_disclosure,
)
from disclosures.selectors import latest_disclosures
from faculty.models import Assignment
from rss_dashboard.db import bulk_update_rows

BATCH = 2000


def recompute_children(children: Iterable[int] | QuerySet, *, now: datetime | None = None) -> int:
    """Recompute statuses of the given children (ids or a queryset); returns how many changed."""
    if isinstance(children, QuerySet):
        ids = list(children.values_list("id", flat=True))
    else:
        ids = list(dict.fromkeys(int(i) for i in children))
    changed = 0
    for i in range(0, len(ids), BATCH):
        changed += _recompute_batch(ids[i : i + BATCH], now or timezone.now())
    return changed


def recompute_for_person(person_id: int) -> int:
    """After a disclosure: every child where the person is faculty or a planner of the series."""
    child_ids = set(
        Assignment.objects.current().filter(person_id=person_id).values_list("child_id", flat=True)
    )
    parent_ids = ParentRole.objects.filter(person_id=person_id, role=ParentRoleKind.PLANNER).values(
        "parent_id"
    )
    child_ids |= set(
        ChildActivity.objects.filter(parent_id__in=parent_ids).values_list("id", flat=True)
    )
    return recompute_children(child_ids)


def recompute_all() -> int:
    return recompute_children(ChildActivity.objects.order_by("id"))


def latest_reviews(assignment_ids: Iterable[int]) -> dict[int, ReviewFacts]:
    latest: dict[int, tuple] = {}
    rows = (
        CoiReview.objects.filter(assignment_id__in=list(assignment_ids))
        .order_by("assignment_id", "decided_at", "id")
        .values_list("assignment_id", "disclosure_id", "decision")
    )
    for assignment_id, disclosure_id, decision in rows:
        latest[assignment_id] = (disclosure_id, decision)  # ordered: the last one wins
    return {a: ReviewFacts(disclosure_id=d, decision=dec) for a, (d, dec) in latest.items()}


@transaction.atomic
def _recompute_batch(ids: list[int], now: datetime) -> int:
    calendar = business_calendar()
    today = timezone.localdate(now)
    children = list(
        ChildActivity.objects.filter(id__in=ids)
        .select_related("parent")
        .only(
            "id",
            "name",
            "start",
            "time_zone",
            "status",
            "name_needs_update",
            "three_by_five_due",
            "requirements_met_on",
            "planners_without_disclosure",
            "decision",
            "name_flag_cleared_for",
            "parent__id",
            "parent__name",
        )
    )
    assignments = list(
        Assignment.objects.current()
        .filter(child_id__in=ids)
        .select_related("person")
        .only(
            "id", "child_id", "person_id", "coi_status", "person__first_name", "person__last_name"
        )
    )
    planners = list(
        ParentRole.objects.filter(
            parent_id__in={c.parent_id for c in children}, role=ParentRoleKind.PLANNER
        )
        .select_related("person")
        .only("parent_id", "person_id", "person__first_name", "person__last_name")
    )
    disclosures = latest_disclosures(
        [a.person_id for a in assignments] + [p.person_id for p in planners]
    )
    reviews = latest_reviews(a.id for a in assignments)

    by_child: dict[int, list[Assignment]] = defaultdict(list)
    for a in assignments:
        by_child[a.child_id].append(a)
    planners_by_parent: dict[int, list[PlannerFacts]] = defaultdict(list)
    for p in planners:
        latest = disclosures.get(p.person_id)
        planners_by_parent[p.parent_id].append(
            PlannerFacts(p.person_id, p.person.name, latest.submitted_at if latest else None)
        )

    changed_assignments: list[Assignment] = []
    changed_children: list[ChildActivity] = []
    for child in children:
        statuses: list[CoiStatus] = []
        lacking: list[str] = []
        for a in by_child.get(child.id, []):
            latest = disclosures.get(a.person_id)
            status = coi_status(latest=latest, review=reviews.get(a.id), session_start=child.start)
            statuses.append(status)
            if status != a.coi_status:
                a.coi_status = status
                changed_assignments.append(a)
            if latest is None or not is_active(latest.submitted_at, child.start):
                lacking.append(a.person.name)

        flag = (
            name_needs_update(child.name, child.parent.name)
            and child.name_flag_cleared_for != child.name
        )
        missing = three_by_five_requirements(
            name_ok=not flag,
            faculty_count=len(statuses),
            faculty_without_active_disclosure=lacking,
        )
        met_on = child.requirements_met_on if not missing else None
        if not missing and met_on is None:
            met_on = today
        planner_names = "; ".join(
            p.name
            for p in planners_without_active_disclosure(
                planners_by_parent.get(child.parent_id, []), session_start=child.start
            )
        )[:1000]
        new = {
            "status": child_status(statuses, child.decision or None),
            "name_needs_update": flag,
            "three_by_five_due": calendar.three_by_five_due(child.local_start.date()),
            "requirements_met_on": met_on,
            "planners_without_disclosure": planner_names,
        }
        if any(getattr(child, field) != value for field, value in new.items()):
            for field, value in new.items():
                setattr(child, field, value)
            child.status_computed_at = now
            changed_children.append(child)

    bulk_update_rows(changed_assignments, ["coi_status"])
    bulk_update_rows(
        changed_children,
        [
            "status",
            "name_needs_update",
            "three_by_five_due",
            "requirements_met_on",
            "planners_without_disclosure",
            "status_computed_at",
        ],
    )
    return len(changed_children)
