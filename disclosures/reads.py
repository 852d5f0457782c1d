"""Reads of disclosures and decisions for the other screens (dashboard, flyer, admin).

The dashboard (issue 3) and the flyer (issue 6) call these instead of querying disclosures
themselves, so "latest", "active" and the display lines are decided in one place
(`disclosures/rules.py`). Both functions work in bulk with a fixed number of queries.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .models import CoiReview, Disclosure, FinancialRelationship
from .rules import ReviewDecision, disclosure_summary, is_active

_APPROVING = {
    ReviewDecision.MITIGATED,
    ReviewDecision.APPROVED,
    ReviewDecision.APPROVED_WITH_EXCEPTIONS,
}


@dataclass(frozen=True)
class DisclosureLines:
    """What the dashboard shows under a person's name (SPEC §5)."""

    person_id: int
    disclosure_id: int | None
    submitted_at: datetime | None  # aware; None when no disclosure is on file
    nothing_to_disclose: bool
    relationships: tuple[tuple[str, str], ...]  # (company, nature label), as disclosed
    submitted_line: str  # "Disclosure submitted: Jan 5, 2026" or "Disclosure submitted: N/A"
    disclosure_line: str  # "Disclosure: NO DISCLOSURE ON FILE" / "Nothing to disclose - ..." / list

    def is_active_for(self, session_start: datetime) -> bool:
        return is_active(self.submitted_at, session_start)


def _latest_disclosures(person_ids: list[int]) -> dict[int, Disclosure]:
    newest = (
        Disclosure.objects.filter(person_id=OuterRef("person_id"))
        .order_by("-submitted_at", "-id")
        .values("id")[:1]
    )
    return {
        d.person_id: d
        for d in Disclosure.objects.filter(person_id__in=person_ids, id=Subquery(newest)).only(
            "id", "person_id", "submitted_at", "nothing_to_disclose"
        )
    }


def disclosure_lines_for(person_ids: Iterable[int]) -> dict[int, DisclosureLines]:
    """The latest disclosure of each person as display facts; two queries for any number.

    Every id asked for is in the result (people without a disclosure get the N/A lines). Dates
    in the lines are in the site's time zone.
    """
    ids = sorted({int(i) for i in person_ids})
    if not ids:
        return {}
    latest = _latest_disclosures(ids)
    relationships: dict[int, list[tuple[str, str]]] = {}
    for rel in FinancialRelationship.objects.filter(
        disclosure_id__in=[d.pk for d in latest.values()]
    ).order_by("company_name", "id"):
        relationships.setdefault(rel.disclosure_id, []).append(
            (rel.company_name, rel.get_nature_display())
        )
    result = {}
    for person_id in ids:
        d = latest.get(person_id)
        rels = tuple(relationships.get(d.pk, ())) if d else ()
        submitted, line = disclosure_summary(
            submitted_at=timezone.localtime(d.submitted_at) if d else None,
            nothing_to_disclose=bool(d and d.nothing_to_disclose),
            relationships=rels,
        )
        result[person_id] = DisclosureLines(
            person_id=person_id,
            disclosure_id=d.pk if d else None,
            submitted_at=d.submitted_at if d else None,
            nothing_to_disclose=bool(d and d.nothing_to_disclose),
            relationships=rels,
            submitted_line=submitted,
            disclosure_line=line,
        )
    return result


@dataclass(frozen=True)
class FlyerDisclosure:
    """One person in the flyer's Financial Disclosure Information (SPEC §9)."""

    person_id: int
    name: str  # "Jane Smith, MD"
    role: str  # "Speaker", "Responsible faculty", "Planner", or e.g. "Speaker and Planner"
    relationships: tuple[tuple[str, str], ...]  # (company name, nature label); never products
    has_active_disclosure: bool  # for this session's date
    relevant: bool  # a reviewer judged a relationship relevant to this session's content
    mitigated: bool  # nothing to mitigate, or a reviewer cleared the relationships for this session


def flyer_disclosure_facts(child) -> list[FlyerDisclosure]:
    """Faculty (current assignments) then planners of the child's series, one entry per person.

    `mitigated` is True when the person lists no relationships, or when the latest COI review of
    their assignment on this child was made on their current disclosure and approves them
    (mitigated, approved or approved with exceptions). Planners are not reviewed per session,
    so a planner who lists relationships and is not also faculty reads `mitigated=False`.
    Five queries.
    """
    from activities.models import ParentRole, ParentRoleKind
    from faculty.models import Assignment

    assignments = list(
        Assignment.objects.current()
        .filter(child_id=child.pk)
        .select_related("person")
        .order_by("role", "person__last_name_lower", "person__first_name", "id")
    )
    planners = list(
        ParentRole.objects.filter(parent_id=child.parent_id, role=ParentRoleKind.PLANNER)
        .select_related("person")
        .order_by("person__last_name_lower", "person__first_name", "id")
    )
    people: dict[int, tuple[object, list[str]]] = {}
    for a in assignments:
        people.setdefault(a.person_id, (a.person, []))[1].append(a.get_role_display())
    for p in planners:
        people.setdefault(p.person_id, (p.person, []))[1].append(p.get_role_display())
    lines = disclosure_lines_for(people)

    latest_review: dict[int, CoiReview] = {}
    for review in CoiReview.objects.filter(assignment__in=assignments).order_by("decided_at", "id"):
        latest_review[review.assignment_id] = review  # ordered: the last one wins
    review_by_person: dict[int, CoiReview] = {}
    for a in assignments:
        if a.pk in latest_review:
            review_by_person[a.person_id] = latest_review[a.pk]

    result = []
    for person_id, (person, roles) in people.items():
        facts = lines[person_id]
        review = review_by_person.get(person_id)
        current = review is not None and review.disclosure_id == facts.disclosure_id
        cleared = current and review.decision in _APPROVING
        result.append(
            FlyerDisclosure(
                person_id=person_id,
                name=person.display_name,
                role=" and ".join(dict.fromkeys(roles)),
                relationships=facts.relationships,
                has_active_disclosure=facts.is_active_for(child.start),
                relevant=bool(current and review.relevant and facts.relationships),
                mitigated=not facts.relationships or cleared,
            )
        )
    return result


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
    roles = (
        ParentRole.objects.filter(
            role=ParentRoleKind.PLANNER,
            parent__children__is_active=True,
            parent__children__start__gte=now,
        )
        .distinct()
        .select_related("person", "parent", "parent__department")
        .order_by("parent__name", "parent__year", "parent_id", "person__last_name_lower", "id")
    )
    if department_id:
        roles = roles.filter(parent__department_id=department_id)
    roles = list(roles)
    starts: dict[int, list[datetime]] = {}
    for parent_id, start in (
        ChildActivity.objects.filter(
            parent_id__in={r.parent_id for r in roles}, is_active=True, start__gte=now
        )
        .order_by("start")
        .values_list("parent_id", "start")
    ):
        starts.setdefault(parent_id, []).append(start)
    lines = disclosure_lines_for(r.person_id for r in roles)
    rows = []
    for role in roles:
        facts = lines[role.person_id]
        sessions = starts.get(role.parent_id, [])
        lacking = [s for s in sessions if not facts.is_active_for(s)]
        if lacking_only and not lacking:
            continue
        rows.append(
            PlannerRow(
                role_id=role.pk,
                parent_id=role.parent_id,
                series=str(role.parent),
                department=role.parent.department.name,
                person_id=role.person_id,
                person=role.person.name,
                lines=facts,
                upcoming=len(sessions),
                lacking=len(lacking),
                first_lacking=lacking[0] if lacking else None,
            )
        )
    return rows
