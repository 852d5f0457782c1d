"""COI reviews of faculty assignments (SPEC §6): the reviewer's decision on one assignment, or on
all of a person's upcoming assignments in a series, and the approvals that come with approving a
session. Every write recomputes the sessions' statuses in the same transaction."""

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from disclosures.models import CoiReview, Disclosure
from disclosures.rules import CoiStatus, ReviewDecision, is_active, validate_review
from disclosures.services import latest_disclosure, stale_disclosure_message
from faculty.models import Assignment
from rss_dashboard.errors import DomainError

from .status import recompute_children


class ReviewError(DomainError):
    pass


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
