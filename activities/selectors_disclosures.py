"""Reads of the disclosures that belong to sessions: the flyer's disclosure facts, a session's
decision history and the planners report (disclosures/selectors.py has the person-level reads these
build on: `latest_disclosures`, `newest_disclosure`, `disclosure_lines_for`)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.db.models import Exists, OuterRef
from django.utils import timezone

from disclosures.models import CoiReview, FinancialRelationship
from disclosures.rules import (
    CoiStatus,
    Nature,
    PersonDisclosure,
    ReviewDecision,
    group_relationships,
    is_active,
)
from disclosures.selectors import DisclosureLines, disclosure_lines_for, latest_disclosures
from faculty.people import sort_name

_MITIGATED = frozenset({CoiStatus.PENDING, CoiStatus.APPROVED, CoiStatus.APPROVED_WITH_EXCEPTIONS})


FACULTY = "Faculty"
PLANNER = "Planner"


def current_assignments(child) -> list:
    """The session's current assignments with their people, in the order they were added."""
    from faculty.models import Assignment

    return list(
        Assignment.objects.current()
        .filter(child_id=child.pk)
        .select_related("person")
        .order_by("added_at", "id")
    )


def planner_roles(child) -> list:
    """The planners of the session's series with their people, by name."""
    from activities.models import ParentRole, ParentRoleKind

    return list(
        ParentRole.objects.filter(parent_id=child.parent_id, role=ParentRoleKind.PLANNER)
        .select_related("person")
        .order_by("person__last_name_lower", "person__first_name", "person_id")
    )


def flyer_disclosure_facts(
    child, *, assignments: Sequence | None = None, planners: Sequence | None = None
) -> list[PersonDisclosure]:
    """The flyer's Financial Disclosure Information (SPEC §9): every faculty member (in the order
    they were added), then every planner, once each, with what the flyer says about them.

    The latest disclosure counts when it is active for the session's date (`rules.is_active`);
    relationships are company names only (the maintained company's spelling when linked). A
    faculty member's relationships are mitigated when the stored COI status says a reviewer
    mitigated or approved them; planners have no per-session review, so theirs count as
    mitigated once the office approves the session. A reviewer's decision on the current
    disclosure that the relationships are not relevant prints "not relevant" instead of the
    companies. Pass `assignments`/`planners` already loaded (`current_assignments`,
    `planner_roles`) to save their queries; otherwise five queries at most.
    """
    from activities.rules import ChildStatus

    if assignments is None:
        assignments = current_assignments(child)
    if planners is None:
        planners = planner_roles(child)

    latest = latest_disclosures(
        [a.person_id for a in assignments] + [p.person_id for p in planners]
    )
    active = {pid: d for pid, d in latest.items() if is_active(d.submitted_at, child.start)}
    pairs: dict[int, list[tuple[str, str]]] = {}
    for rel in (
        FinancialRelationship.objects.filter(
            disclosure_id__in=[d.id for d in active.values() if d.has_relationships]
        )
        .select_related("company")
        .order_by("company_name", "id")
    ):
        company = rel.company.name if rel.company is not None else rel.company_name
        nature = Nature(rel.nature).label if rel.nature in Nature.values else rel.nature
        pairs.setdefault(rel.disclosure_id, []).append((company, nature))
    reviews: dict[int, tuple[int, str, bool]] = {}
    for assignment_id, disclosure_id, decision, relevant in (
        CoiReview.objects.filter(assignment_id__in=[a.pk for a in assignments])
        .order_by("assignment_id", "decided_at", "id")
        .values_list("assignment_id", "disclosure_id", "decision", "relevant")
    ):
        reviews[assignment_id] = (disclosure_id, decision, relevant)  # ordered: the last one wins

    entries: dict[int, dict] = {}
    for a in assignments:
        if a.person_id in entries:
            continue
        facts = active.get(a.person_id)
        review = reviews.get(a.pk)
        entries[a.person_id] = {
            "person": a.person,
            "roles": [FACULTY],
            "not_relevant": facts is not None
            and review is not None
            and review[0] == facts.id
            and review[1] != ReviewDecision.REJECTED
            and not review[2],
            "mitigated": a.coi_status in _MITIGATED,
        }
    for p in planners:
        if p.person_id in entries:
            if PLANNER not in entries[p.person_id]["roles"]:
                entries[p.person_id]["roles"].append(PLANNER)
            continue
        entries[p.person_id] = {
            "person": p.person,
            "roles": [PLANNER],
            "not_relevant": False,
            "mitigated": child.status == ChildStatus.APPROVED,
        }

    people: list[PersonDisclosure] = []
    for person_id, entry in entries.items():
        state: Literal["missing", "nothing", "not_relevant", "relationships"]
        facts = active.get(person_id)
        companies = group_relationships(pairs.get(facts.id, [])) if facts else ()
        if facts is None:
            state = "missing"
        elif not companies:
            state = "nothing"
        elif entry["not_relevant"]:
            state, companies = "not_relevant", ()
        else:
            state = "relationships"
        people.append(
            PersonDisclosure(
                name=entry["person"].display_name,
                roles=tuple(entry["roles"]),
                state=state,
                companies=companies,
                mitigated=entry["mitigated"] if state == "relationships" else False,
                person_id=person_id,
            )
        )
    return people


@dataclass(frozen=True)
class DecisionEntry:
    """One decision of the office about a session, for its history (newest first)."""

    at: datetime
    by: str
    what: str
    detail: str


def child_decisions(child_id: int) -> list[DecisionEntry]:
    """Approvals, rejections, name-flag clearances and every COI review on the session's
    assignments (current or removed), merged in time order. Two queries."""
    from activities.models import ChildReview

    entries = [
        DecisionEntry(
            at=r.at,
            by=r.reviewer.name,
            what=f"Session: {r.get_action_display()}",
            detail=r.reason,
        )
        for r in ChildReview.objects.filter(child_id=child_id).select_related("reviewer")
    ]
    for review in CoiReview.objects.filter(assignment__child_id=child_id).select_related(
        "reviewer", "assignment__person", "disclosure"
    ):
        parts = []
        if review.relevant:
            parts.append("relevant")
        if review.mitigation_steps:
            parts.append("steps: " + "; ".join(review.mitigation_step_labels))
        if review.exception:
            parts.append(f"exception: {review.get_exception_display()}")
        parts.append(
            f"on the disclosure of {timezone.localtime(review.disclosure.submitted_at):%b %-d, %Y}"
        )
        if review.note:
            parts.append(review.note)
        entries.append(
            DecisionEntry(
                at=review.decided_at,
                by=review.reviewer.name,
                what=f"COI of {review.assignment.person.name}: {review.get_decision_display()}",
                detail="; ".join(parts),
            )
        )
    return sorted(entries, key=lambda e: e.at, reverse=True)


@dataclass(frozen=True)
class PlannerRow:
    role_id: int
    parent_id: int
    series: str  # "Medicine Grand Rounds (2026)"
    department: str
    person_id: int
    person: str
    lines: DisclosureLines
    upcoming: int  # upcoming active sessions of the series
    lacking: int  # of those, how many the planner's disclosure does not cover
    first_lacking: datetime | None  # the first such session's start


def planner_disclosure_rows(
    *, now: datetime | None = None, department_id: int | None = None, lacking_only: bool = True
) -> list[PlannerRow]:
    """Planners of series with upcoming sessions, and whether their disclosure covers them.

    A planner lacks an active disclosure for a session when `is_active` says so for that
    session's start (the same rule as the "planners with COI" alert). Four queries.
    """
    from activities.models import ChildActivity, ParentRole, ParentRoleKind

    now = now or timezone.now()
    upcoming = ChildActivity.objects.filter(
        parent_id=OuterRef("parent_id"), is_active=True, start__gte=now
    )
    roles = (
        # EXISTS rather than a join and DISTINCT: a join multiplied each role by its sessions.
        ParentRole.objects.filter(Exists(upcoming), role=ParentRoleKind.PLANNER)
        .order_by("parent__name", "parent__year", "parent_id", "person__last_name_lower", "id")
        .values_list(
            "id",
            "parent_id",
            "parent__name",
            "parent__year",
            "parent__department__name",
            "person_id",
            "person__last_name",
            "person__first_name",
        )
    )
    if department_id:
        roles = roles.filter(parent__department_id=department_id)
    role_rows = list(roles)
    starts: dict[int, list[datetime]] = {}
    for parent_id, start in (
        ChildActivity.objects.filter(
            parent_id__in={parent_id for _, parent_id, *_ in role_rows},
            is_active=True,
            start__gte=now,
        )
        .order_by("start")
        .values_list("parent_id", "start")
    ):
        starts.setdefault(parent_id, []).append(start)
    lines = disclosure_lines_for(person_id for *_, person_id, _last, _first in role_rows)
    rows = []
    for role_id, parent_id, series, year, department, person_id, last, first in role_rows:
        facts = lines[person_id]
        sessions = starts.get(parent_id, [])
        lacking = [s for s in sessions if not facts.is_active_for(s)]
        if lacking_only and not lacking:
            continue
        rows.append(
            PlannerRow(
                role_id=role_id,
                parent_id=parent_id,
                series=f"{series} ({year})",  # as ParentActivity.__str__
                department=department,
                person_id=person_id,
                person=sort_name(last, first),
                lines=facts,
                upcoming=len(sessions),
                lacking=len(lacking),
                first_lacking=lacking[0] if lacking else None,
            )
        )
    return rows
