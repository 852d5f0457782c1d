"""The Financial Disclosure Information of a flyer, read in a fixed number of queries.

It reads what the dashboard reads: the stored COI status of each assignment (kept by the status
engine), the latest disclosure of each person as the status engine loads it
(`activities.services.status.latest_disclosures`, the batched form of
`disclosures.services.latest_disclosure`) and the "active" rule of `disclosures.rules`.

If the disclosures app gains a shared read helper for this (`disclosures.services.
flyer_disclosure_facts`), this module should call it instead of reading the tables itself.
"""

from collections.abc import Sequence

from activities.models import ChildActivity, ParentRole, ParentRoleKind
from activities.rules import ChildStatus
from activities.services.status import latest_disclosures
from disclosures.models import CoiReview, FinancialRelationship
from disclosures.rules import CoiStatus, Nature, ReviewDecision, is_active
from faculty.models import Assignment

from .rules import PersonDisclosure, group_relationships

FACULTY = "Faculty"
PLANNER = "Planner"
# A faculty member's relationships count as mitigated once a reviewer mitigated or approved them:
# those are the statuses an assignment with listed relationships can only reach through a review.
_MITIGATED = frozenset({CoiStatus.PENDING, CoiStatus.APPROVED, CoiStatus.APPROVED_WITH_EXCEPTIONS})


def current_assignments(child: ChildActivity) -> list[Assignment]:
    return list(
        Assignment.objects.current()
        .filter(child_id=child.pk)
        .select_related("person")
        .order_by("added_at", "id")
    )


def planner_roles(child: ChildActivity) -> list[ParentRole]:
    return list(
        ParentRole.objects.filter(parent_id=child.parent_id, role=ParentRoleKind.PLANNER)
        .select_related("person")
        .order_by("person__last_name_lower", "person__first_name", "person_id")
    )


def flyer_disclosure_facts(
    child: ChildActivity,
    *,
    assignments: Sequence[Assignment] | None = None,
    planners: Sequence[ParentRole] | None = None,
) -> list[PersonDisclosure]:
    """Every faculty member (in the order they were added), then every planner, once each."""
    if assignments is None:
        assignments = current_assignments(child)
    if planners is None:
        planners = planner_roles(child)

    person_ids = [a.person_id for a in assignments] + [p.person_id for p in planners]
    latest = latest_disclosures(person_ids)
    active = {pid: d for pid, d in latest.items() if is_active(d.submitted_at, child.start)}
    with_relationships = [d.id for d in active.values() if d.has_relationships]
    pairs: dict[int, list[tuple[str, str]]] = {}
    for rel in (
        FinancialRelationship.objects.filter(disclosure_id__in=with_relationships)
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
        judged_not_relevant = (
            facts is not None
            and review is not None
            and review[0] == facts.id
            and review[1] != ReviewDecision.REJECTED
            and not review[2]
        )
        entries[a.person_id] = {
            "person": a.person,
            "roles": [FACULTY],
            "not_relevant": judged_not_relevant,
            "mitigated": a.coi_status in _MITIGATED,
        }
    for p in planners:
        if p.person_id in entries:
            if PLANNER not in entries[p.person_id]["roles"]:
                entries[p.person_id]["roles"].append(PLANNER)
            continue
        # Planners have no per-session COI review: the office weighs their disclosures when it
        # approves the session, so their relationships count as mitigated from that approval on.
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
