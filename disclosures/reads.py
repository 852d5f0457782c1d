"""Reads of disclosures and decisions for the other screens (dashboard, flyer, admin, status).

"The latest disclosure of a person" is defined once, here: `newest_disclosure()` (the ordering,
usable as a subquery column) and `latest_disclosures(person_ids)` (the batched loader built on it).
The status engine, the dashboard, Manage Faculty, the monitoring emails, the review screens and the
flyer all read through these, so "latest", "active" and the display lines are decided in one place
(`disclosures/rules.py`). Everything works in bulk with a fixed number of queries.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from faculty.people import sort_name

from .models import CoiReview, Disclosure, FinancialRelationship
from .rules import (
    CoiStatus,
    DisclosureFacts,
    Nature,
    PersonDisclosure,
    ReviewDecision,
    disclosure_summary,
    group_relationships,
    is_active,
)

# Newest first; on equal timestamps the later row wins.
NEWEST_FIRST = ("-submitted_at", "-id")


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


def newest_disclosure(person=None) -> QuerySet[Disclosure]:
    """The disclosures of `person` (an id, or by default `OuterRef("person_id")`), newest first.

    `.first()` is the person's latest disclosure; `Subquery(newest_disclosure().values("id")[:1])`
    puts it beside each row of a query on assignments, roles or people.
    """
    person = OuterRef("person_id") if person is None else person
    return Disclosure.objects.filter(person_id=person).order_by(*NEWEST_FIRST)


def latest_disclosures(person_ids: Iterable[int]) -> dict[int, DisclosureFacts]:
    """The latest disclosure of each person as plain facts; one query for any number of people.

    People without a disclosure are not in the result.
    """
    ids = sorted({int(i) for i in person_ids})
    if not ids:
        return {}
    rows = (
        Disclosure.objects.filter(
            person_id__in=ids, id=Subquery(newest_disclosure().values("id")[:1])
        )
        .annotate(
            has_relationships=Exists(
                FinancialRelationship.objects.filter(disclosure_id=OuterRef("pk"))
            )
        )
        .order_by()
        .values_list("id", "person_id", "submitted_at", "nothing_to_disclose", "has_relationships")
    )
    return {
        person_id: DisclosureFacts(
            id=pk,
            submitted_at=at,
            has_relationships=has_relationships,
            nothing_to_disclose=nothing,
        )
        for pk, person_id, at, nothing, has_relationships in rows
    }


def disclosure_lines_for(person_ids: Iterable[int]) -> dict[int, DisclosureLines]:
    """The latest disclosure of each person as display facts; two queries for any number.

    Every id asked for is in the result (people without a disclosure get the N/A lines). Dates
    in the lines are in the site's time zone.
    """
    ids = sorted({int(i) for i in person_ids})
    if not ids:
        return {}
    latest = latest_disclosures(ids)
    relationships: dict[int, list[tuple[str, str]]] = {}
    natures = dict(Nature.choices)
    for disclosure_id, company, nature in (
        FinancialRelationship.objects.filter(
            disclosure_id__in=[d.id for d in latest.values() if d.has_relationships]
        )
        .order_by("company_name", "id")
        .values_list("disclosure_id", "company_name", "nature")
    ):
        relationships.setdefault(disclosure_id, []).append((company, natures.get(nature, nature)))
    result = {}
    for person_id in ids:
        d = latest.get(person_id)
        rels = tuple(relationships.get(d.id, ())) if d else ()
        submitted, line = disclosure_summary(
            submitted_at=timezone.localtime(d.submitted_at) if d else None,
            nothing_to_disclose=bool(d and d.nothing_to_disclose),
            relationships=rels,
        )
        result[person_id] = DisclosureLines(
            person_id=person_id,
            disclosure_id=d.id if d else None,
            submitted_at=d.submitted_at if d else None,
            nothing_to_disclose=bool(d and d.nothing_to_disclose),
            relationships=rels,
            submitted_line=submitted,
            disclosure_line=line,
        )
    return result


# The stored COI statuses a faculty member's listed relationships can only reach through a
# reviewer's mitigation or approval.
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
        company = rel.company.name if rel.company_id else rel.company_name
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
    roles = list(roles)
    starts: dict[int, list[datetime]] = {}
    for parent_id, start in (
        ChildActivity.objects.filter(
            parent_id__in={parent_id for _, parent_id, *_ in roles}, is_active=True, start__gte=now
        )
        .order_by("start")
        .values_list("parent_id", "start")
    ):
        starts.setdefault(parent_id, []).append(start)
    lines = disclosure_lines_for(person_id for *_, person_id, _last, _first in roles)
    rows = []
    for role_id, parent_id, series, year, department, person_id, last, first in roles:
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
