"""Writes on disclosures and COI reviews (SPEC §5-6). The dashboard and flyer read through here."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from activities.services.status import recompute_children, recompute_for_person
from faculty.models import Assignment
from rss_dashboard.errors import DomainError

from .models import CoiReview, Company, Disclosure, FinancialRelationship
from .rules import CoiStatus, Nature, ReviewDecision, validate_review


class DisclosureError(DomainError):
    pass


class ReviewError(DomainError):
    pass


@dataclass(frozen=True)
class RelationshipInput:
    company_name: str
    nature: str
    has_ended: bool = False


@transaction.atomic
def disclosure_submit(
    *,
    person,
    relationships: Sequence[RelationshipInput],
    nothing_to_disclose: bool,
    attested: bool,
    by=None,
    now: datetime | None = None,
) -> Disclosure:
    if not attested:
        raise DisclosureError("not_attested", "Confirm the attestation to submit the disclosure.")
    if nothing_to_disclose and relationships:
        raise DisclosureError(
            "contradiction", "Either list relationships or choose nothing to disclose, not both."
        )
    if not nothing_to_disclose and not relationships:
        raise DisclosureError(
            "empty", "List at least one relationship, or choose nothing to disclose."
        )
    for rel in relationships:
        if not rel.company_name.strip():
            raise DisclosureError("company_required", "Every relationship needs a company name.")
        if rel.nature not in Nature.values:
            raise DisclosureError(
                "nature_invalid", f"{rel.nature!r} is not a known kind of relationship."
            )
    disclosure = Disclosure.objects.create(
        person=person,
        submitted_at=now or timezone.now(),
        nothing_to_disclose=nothing_to_disclose,
        attested=True,
        submitted_by=by,
    )
    known = {
        c.name.lower(): c
        for c in Company.objects.filter(name__in=[r.company_name.strip() for r in relationships])
    }
    FinancialRelationship.objects.bulk_create(
        FinancialRelationship(
            disclosure=disclosure,
            company=known.get(rel.company_name.strip().lower()),
            company_name=rel.company_name.strip()[:255],
            nature=rel.nature,
            has_ended=rel.has_ended,
        )
        for rel in relationships
    )
    recompute_for_person(person.pk)
    return disclosure


def latest_disclosure(person) -> Disclosure | None:
    return (
        Disclosure.objects.filter(person=person)
        .prefetch_related("relationships")
        .order_by("-submitted_at", "-id")
        .first()
    )


@transaction.atomic
def coi_review_record(
    *,
    assignment: Assignment,
    reviewer,
    decision: str,
    relevant: bool = False,
    mitigation_steps: Sequence[str] = (),
    exception: str = "",
    note: str = "",
    now: datetime | None = None,
) -> CoiReview:
    """Record a reviewer's decision on one assignment, against the person's latest disclosure."""
    if not getattr(reviewer, "is_reviewer", False):
        raise ReviewError(
            "forbidden", "Only the office's reviewers may review conflicts of interest."
        )
    disclosure = latest_disclosure(assignment.person)
    if disclosure is None:
        raise ReviewError("no_disclosure", f"{assignment.person.name} has no disclosure to review.")
    has_excluding = any(r.excludes for r in disclosure.relationships.all())
    errors = validate_review(
        decision=decision,
        has_owner_or_employee=has_excluding,
        exception=exception,
        relevant=relevant,
        mitigation_steps=list(mitigation_steps),
    )
    if errors:
        raise ReviewError("invalid", " ".join(errors))
    review = CoiReview.objects.create(
        assignment=assignment,
        disclosure=disclosure,
        decision=decision,
        relevant=relevant,
        mitigation_steps=list(mitigation_steps),
        exception=exception,
        note=note.strip(),
        reviewer=reviewer,
        decided_at=now or timezone.now(),
    )
    recompute_children([assignment.child_id])
    return review


def upcoming_assignments_in_series(assignment: Assignment, now: datetime | None = None):
    """The person's current assignments on children of the same parent that have not started."""
    return Assignment.objects.current().filter(
        person_id=assignment.person_id,
        child__parent_id=assignment.child.parent_id,
        child__start__gte=now or timezone.now(),
        child__is_active=True,
    )


@transaction.atomic
def approve_pending_assignments(child, *, reviewer, now: datetime) -> int:
    """Approving a child approves its PENDING assignments in the same step (SPEC §7)."""
    pending = list(
        Assignment.objects.current()
        .filter(child=child, coi_status=CoiStatus.PENDING)
        .select_related("person")
    )
    count = 0
    for assignment in pending:
        latest = latest_disclosure(assignment.person)
        if latest is None:
            continue
        previous = assignment.reviews.order_by("-decided_at", "-id").first()
        CoiReview.objects.create(
            assignment=assignment,
            disclosure=latest,
            decision=ReviewDecision.APPROVED,
            relevant=previous.relevant if previous else False,
            mitigation_steps=previous.mitigation_steps if previous else [],
            note="Approved with the session.",
            reviewer=reviewer,
            decided_at=now,
        )
        count += 1
    return count
