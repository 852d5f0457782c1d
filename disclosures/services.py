"""Writes on disclosures and COI reviews (SPEC §5-6). The dashboard and flyer read through here.

Every write recomputes the stored statuses it affects in the same transaction, so the
coordinators' dashboard shows the change on its next load. Reads for other screens live in
`disclosures/reads.py` and are re-exported here (`disclosure_lines_for`, `flyer_disclosure_facts`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from activities.services.status import recompute_children, recompute_for_person
from faculty.models import Assignment, Person
from rss_dashboard.errors import DomainError

from .models import CoiReview, Company, Disclosure, FinancialRelationship
from .reads import (  # noqa: F401 - the documented read API of this module
    DisclosureLines,
    disclosure_lines_for,
    flyer_disclosure_facts,
    latest_disclosures,
    newest_disclosure,
)
from .rules import (
    CoiStatus,
    Nature,
    ReviewDecision,
    is_active,
    owner_employee_problems,
    validate_review,
)

# Two identical submissions this close together are one double-click, not two disclosures.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)


class DisclosureError(DomainError):
    pass


class ReviewError(DomainError):
    pass


@dataclass(frozen=True)
class RelationshipInput:
    company_name: str
    nature: str
    has_ended: bool = False


def _relationship_key(company: str, nature: str, ended: bool) -> tuple[str, str, bool]:
    return (" ".join(company.split()).lower(), nature, bool(ended))


@transaction.atomic
def disclosure_submit(
    *,
    person,
    relationships: Sequence[RelationshipInput],
    nothing_to_disclose: bool,
    attested: bool,
    is_owner: bool | None = None,
    is_employee: bool | None = None,
    by=None,
    now: datetime | None = None,
) -> Disclosure:
    """Record a disclosure and recompute every assignment of the person and their children.

    `is_owner`/`is_employee` are the form's two questions; when given they must agree with the
    relationships listed. Resubmitting the same content within two minutes returns the first
    disclosure (a double click must not reopen reviews as DISCLOSURE UPDATED).
    """
    now = now or timezone.now()
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
    # The same relationship typed twice is one relationship.
    unique: dict[tuple[str, str, bool], RelationshipInput] = {}
    for rel in relationships:
        unique.setdefault(_relationship_key(rel.company_name, rel.nature, rel.has_ended), rel)
    relationships = list(unique.values())
    problems = owner_employee_problems(
        is_owner=is_owner, is_employee=is_employee, natures=[r.nature for r in relationships]
    )
    if problems:
        raise DisclosureError("owner_employee_mismatch", " ".join(problems))

    # One submission at a time per person: the lock makes the double-submit check reliable.
    Person.objects.select_for_update().only("pk").get(pk=person.pk)
    previous = (
        Disclosure.objects.filter(person=person, submitted_at__gte=now - DOUBLE_SUBMIT_WINDOW)
        .prefetch_related("relationships")
        .order_by("-submitted_at", "-id")
        .first()
    )
    wanted = sorted(_relationship_key(r.company_name, r.nature, r.has_ended) for r in relationships)
    if previous is not None and previous.nothing_to_disclose == nothing_to_disclose:
        had = sorted(
            _relationship_key(r.company_name, r.nature, r.has_ended)
            for r in previous.relationships.all()
        )
        if had == wanted:
            return previous

    disclosure = Disclosure.objects.create(
        person=person,
        submitted_at=now,
        nothing_to_disclose=nothing_to_disclose,
        attested=True,
        submitted_by=by if getattr(by, "is_authenticated", False) else None,
    )
    names = {" ".join(r.company_name.split()) for r in relationships}
    known: dict[str, Company] = {}
    if names:
        query = Q()
        for name in names:
            query |= Q(name__iexact=name)
        known = {c.name.lower(): c for c in Company.objects.filter(query)}
    rows = []
    for rel in relationships:
        typed = " ".join(rel.company_name.split())[:255]
        company = known.get(typed.lower())
        rows.append(
            FinancialRelationship(
                disclosure=disclosure,
                company=company,
                company_name=company.name if company else typed,
                nature=rel.nature,
                has_ended=rel.has_ended,
            )
        )
    FinancialRelationship.objects.bulk_create(rows)
    recompute_for_person(person.pk)
    return disclosure


def latest_disclosure(person) -> Disclosure | None:
    """The person's latest disclosure as a model with its relationships (the review screens);
    "latest" is `reads.newest_disclosure`, the ordering every batched read uses."""
    return newest_disclosure(person.pk).prefetch_related("relationships").first()


# --- COI reviews ----------------------------------------------------------------------------


def stale_disclosure_message(person_name: str) -> str:
    return (
        f"{person_name} submitted a newer disclosure while you were reviewing. "
        "Read it and decide again."
    )


def _disclosure_to_review(assignment: Assignment, expected_disclosure_id: int | None) -> Disclosure:
    if not assignment.is_current:
        raise ReviewError(
            "removed", f"{assignment.person.name} was removed from session {assignment.child_id}."
        )
    disclosure = latest_disclosure(assignment.person)
    if disclosure is None:
        raise ReviewError("no_disclosure", f"{assignment.person.name} has no disclosure to review.")
    if expected_disclosure_id is not None and disclosure.pk != int(expected_disclosure_id):
        raise ReviewError("disclosure_changed", stale_disclosure_message(assignment.person.name))
    return disclosure


def _validate(disclosure: Disclosure, *, decision, relevant, mitigation_steps, exception, note):
    relationships = list(disclosure.relationships.all())
    errors = validate_review(
        decision=decision,
        has_relationships=bool(relationships),
        has_owner_or_employee=any(r.excludes for r in relationships),
        exception=exception,
        relevant=relevant,
        mitigation_steps=list(mitigation_steps),
        note=note,
    )
    if errors:
        raise ReviewError("invalid", " ".join(errors))


def _check_reviewer(reviewer) -> None:
    if not getattr(reviewer, "is_reviewer", False):
        raise ReviewError(
            "forbidden", "Only the office's reviewers may review conflicts of interest."
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
    expected_disclosure_id: int | None = None,
    now: datetime | None = None,
) -> CoiReview:
    """Record a reviewer's decision on one assignment, against the person's latest disclosure.

    Pass the id of the disclosure the reviewer read as `expected_disclosure_id`: if a newer one
    arrived meanwhile the decision is refused (`disclosure_changed`) instead of applied to
    something nobody read.
    """
    return coi_review_apply_to_series(
        assignment=assignment,
        reviewer=reviewer,
        decision=decision,
        relevant=relevant,
        mitigation_steps=mitigation_steps,
        exception=exception,
        note=note,
        expected_disclosure_id=expected_disclosure_id,
        now=now,
        whole_series=False,
    )[0]


@transaction.atomic
def coi_review_apply_to_series(
    *,
    assignment: Assignment,
    reviewer,
    decision: str,
    relevant: bool = False,
    mitigation_steps: Sequence[str] = (),
    exception: str = "",
    note: str = "",
    expected_disclosure_id: int | None = None,
    now: datetime | None = None,
    whole_series: bool = True,
) -> list[CoiReview]:
    """One decision for this assignment and (by default) every upcoming assignment of the same
    person in the same series whose session the disclosure is active for. The first review in
    the returned list is the one for `assignment`; the children are recomputed once."""
    _check_reviewer(reviewer)
    now = now or timezone.now()
    assignment = Assignment.objects.select_related("person", "child").get(pk=assignment.pk)
    disclosure = _disclosure_to_review(assignment, expected_disclosure_id)
    if not is_active(disclosure.submitted_at, assignment.child.start):
        raise ReviewError(
            "expired",
            f"The latest disclosure of {assignment.person.name} is more than a year older than "
            f"session {assignment.child_id}; a new disclosure is needed before a review.",
        )
    _validate(
        disclosure,
        decision=decision,
        relevant=relevant,
        mitigation_steps=mitigation_steps,
        exception=exception,
        note=note,
    )
    targets = [assignment]
    if whole_series:
        targets += [
            a
            for a in upcoming_assignments_in_series(assignment, now=now)
            .exclude(pk=assignment.pk)
            .select_related("child")
            .order_by("child__start", "pk")
            if is_active(disclosure.submitted_at, a.child.start)
        ]
    reviews = CoiReview.objects.bulk_create(
        CoiReview(
            assignment=target,
            disclosure=disclosure,
            decision=decision,
            relevant=relevant,
            mitigation_steps=list(mitigation_steps),
            exception=exception or "",
            note=note.strip(),
            reviewer=reviewer,
            decided_at=now,
        )
        for target in targets
    )
    recompute_children([t.child_id for t in targets], now=now)
    if decision == ReviewDecision.REJECTED:
        from activities.services.decision_notices import notify_coi_rejected

        for review, target in zip(reviews, targets, strict=True):
            review.assignment, review.reviewer = target, reviewer  # no reload per review
            target.person = assignment.person
        notify_coi_rejected(reviews)
    return reviews


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


@transaction.atomic
def coi_approve_pending(*, assignment: Assignment, reviewer, now: datetime | None = None):
    """The queue's quick action: approve an assignment that is PENDING (nothing to disclose, or
    already mitigated), keeping the relevance and steps of the mitigation. Anything else needs
    the full review page and is refused with the reason."""
    assignment = Assignment.objects.select_related("person").get(pk=assignment.pk)
    if assignment.coi_status != CoiStatus.PENDING:
        raise ReviewError(
            "needs_full_review",
            f"{assignment.person.name} on {assignment.child_id} is "
            f"{CoiStatus(assignment.coi_status).label}: open it and review the disclosure.",
        )
    previous = assignment.reviews.order_by("-decided_at", "-id").first()
    return coi_review_record(
        assignment=assignment,
        reviewer=reviewer,
        decision=ReviewDecision.APPROVED,
        relevant=previous.relevant if previous else False,
        mitigation_steps=previous.mitigation_steps if previous else (),
        note=previous.note if previous else "",
        now=now,
    )
