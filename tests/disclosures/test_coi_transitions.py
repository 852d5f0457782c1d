"""Every row of the COI table (SPEC §6) reached through the services, and its effect on the
session's status (SPEC §7)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities.rules import ChildStatus
from activities.services.children import child_approve
from activities.services.coi_reviews import (
    ReviewError,
    coi_approve_pending,
    coi_review_apply_to_series,
    coi_review_record,
)
from activities.services.faculty import assignment_remove
from disclosures.models import CoiReview, Disclosure
from disclosures.rules import CoiStatus, MitigationStep, Nature, OwnerEmployeeException
from disclosures.rules import ReviewDecision as D
from disclosures.services import RelationshipInput, disclosure_submit
from tests import factories as f

pytestmark = pytest.mark.django_db


def submit(person, *relationships, now=None):
    return disclosure_submit(
        person=person,
        relationships=[RelationshipInput(c, n) for c, n in relationships],
        nothing_to_disclose=not relationships,
        attested=True,
        now=now,
    )


def states(assignment):
    assignment.refresh_from_db()
    assignment.child.refresh_from_db()
    return assignment.coi_status, assignment.child.status


@pytest.fixture
def session(series):
    return f.child(series)


@pytest.fixture
def assignment(session, speaker):
    return f.assign(session, speaker)


def test_no_disclosure_is_incomplete(assignment):
    assert states(assignment) == (CoiStatus.INCOMPLETE, ChildStatus.INCOMPLETE)


def test_an_expired_disclosure_is_incomplete(assignment, speaker):
    submit(speaker, now=assignment.child.start - timedelta(days=365))
    assert states(assignment) == (CoiStatus.INCOMPLETE, ChildStatus.INCOMPLETE)
    submit(speaker, now=assignment.child.start - timedelta(days=364))
    assert states(assignment) == (CoiStatus.PENDING, ChildStatus.PENDING)


def test_nothing_to_disclose_is_pending_then_approved_with_the_session(assignment, speaker, office):
    submit(speaker)
    assert states(assignment) == (CoiStatus.PENDING, ChildStatus.PENDING)
    child_approve(assignment.child, reviewer=office)
    assert states(assignment) == (CoiStatus.APPROVED, ChildStatus.APPROVED)


def test_relationships_need_review(assignment, speaker):
    submit(speaker, ("Acme", Nature.CONSULTANT))
    assert states(assignment) == (CoiStatus.NEEDS_REVIEW, ChildStatus.IN_REVIEW)


def test_mitigated_relationships_are_pending(assignment, speaker, office):
    submit(speaker, ("Acme", Nature.CONSULTANT))
    coi_review_record(
        assignment=assignment,
        reviewer=office,
        decision=D.MITIGATED,
        relevant=True,
        mitigation_steps=[MitigationStep.PEER_REVIEW, MitigationStep.ATTESTATION],
    )
    assert states(assignment) == (CoiStatus.PENDING, ChildStatus.PENDING)
    child_approve(assignment.child, reviewer=office)
    assert states(assignment) == (CoiStatus.APPROVED, ChildStatus.APPROVED)
    approval = CoiReview.objects.filter(assignment=assignment).latest("decided_at")
    assert approval.relevant and approval.mitigation_steps == ["peer_review", "attestation"]


def test_an_approved_assignment_waits_for_the_sessions_approval(assignment, speaker, office):
    submit(speaker, ("Acme", Nature.CONSULTANT))
    coi_review_record(assignment=assignment, reviewer=office, decision=D.APPROVED)
    assert states(assignment) == (CoiStatus.APPROVED, ChildStatus.PENDING)
    child_approve(assignment.child, reviewer=office)
    assert states(assignment) == (CoiStatus.APPROVED, ChildStatus.APPROVED)


def test_an_owner_is_approved_only_with_an_exception(assignment, speaker, office):
    submit(speaker, ("Acme", Nature.OWNER))
    with pytest.raises(ReviewError) as err:
        coi_review_record(assignment=assignment, reviewer=office, decision=D.APPROVED)
    assert err.value.code == "invalid" and "exceptions" in err.value.message
    assert not CoiReview.objects.exists()
    coi_review_record(
        assignment=assignment,
        reviewer=office,
        decision=D.APPROVED_WITH_EXCEPTIONS,
        exception=OwnerEmployeeException.BASIC_SCIENCE,
    )
    assert states(assignment) == (CoiStatus.APPROVED_WITH_EXCEPTIONS, ChildStatus.PENDING)
    child_approve(assignment.child, reviewer=office)
    assert states(assignment) == (CoiStatus.APPROVED_WITH_EXCEPTIONS, ChildStatus.APPROVED)


def test_an_immitigable_relationship_rejects_the_session(assignment, speaker, office):
    submit(speaker, ("Acme", Nature.EMPLOYEE))
    coi_review_record(
        assignment=assignment, reviewer=office, decision=D.REJECTED, note="Employee of Acme"
    )
    assert states(assignment) == (CoiStatus.REJECTED, ChildStatus.REJECTED)
    # The coordinator removes and replaces the person: the session is no longer rejected.
    assignment_remove(assignment)
    replacement = f.person()
    submit(replacement)
    new = f.assign(assignment.child, replacement)
    assert states(new) == (CoiStatus.PENDING, ChildStatus.PENDING)


@pytest.mark.parametrize("decision", [D.APPROVED, D.MITIGATED, D.REJECTED])
def test_a_newer_disclosure_after_a_decision_is_disclosure_updated(
    assignment, speaker, office, decision
):
    submit(speaker, ("Acme", Nature.CONSULTANT), now=timezone.now() - timedelta(days=3))
    coi_review_record(
        assignment=assignment,
        reviewer=office,
        decision=decision,
        relevant=True,
        mitigation_steps=[MitigationStep.LIMITED_ROLE],
        note="Reviewed.",
    )
    submit(speaker, ("Acme", Nature.CONSULTANT), ("Bolt", Nature.ROYALTIES))
    assert states(assignment) == (CoiStatus.DISCLOSURE_UPDATED, ChildStatus.IN_REVIEW)
    coi_review_record(assignment=assignment, reviewer=office, decision=D.APPROVED)
    assert states(assignment) == (CoiStatus.APPROVED, ChildStatus.PENDING)


def test_a_newer_disclosure_reopens_an_approved_session(assignment, speaker, office):
    submit(speaker, now=timezone.now() - timedelta(days=3))
    child_approve(assignment.child, reviewer=office)
    assert states(assignment) == (CoiStatus.APPROVED, ChildStatus.APPROVED)
    submit(speaker, ("Acme", Nature.CONSULTANT))
    assert states(assignment) == (CoiStatus.DISCLOSURE_UPDATED, ChildStatus.IN_REVIEW)


def test_one_faculty_in_review_keeps_the_session_in_review(session, speaker, office):
    other = f.person()
    a1, a2 = f.assign(session, speaker), f.assign(session, other)
    submit(speaker)
    submit(other, ("Acme", Nature.CONSULTANT))
    assert states(a1) == (CoiStatus.PENDING, ChildStatus.IN_REVIEW)
    coi_review_record(assignment=a2, reviewer=office, decision=D.APPROVED)
    assert states(a1) == (CoiStatus.PENDING, ChildStatus.PENDING)
    child_approve(session, reviewer=office)
    assert states(a1) == (CoiStatus.APPROVED, ChildStatus.APPROVED)
    assert states(a2) == (CoiStatus.APPROVED, ChildStatus.APPROVED)


# --- refusals -------------------------------------------------------------------------------


def test_a_decision_on_a_disclosure_nobody_read_is_refused(assignment, speaker, office):
    read = submit(speaker, ("Acme", Nature.CONSULTANT), now=timezone.now() - timedelta(days=1))
    submit(speaker, ("Acme", Nature.OWNER))
    with pytest.raises(ReviewError) as err:
        coi_review_record(
            assignment=assignment,
            reviewer=office,
            decision=D.APPROVED,
            expected_disclosure_id=read.pk,
        )
    assert err.value.code == "disclosure_changed"
    assert not CoiReview.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "owner", "speaker"])
def test_only_reviewers_may_decide(request, assignment, speaker, who):
    submit(speaker)
    with pytest.raises(ReviewError) as err:
        coi_review_record(
            assignment=assignment, reviewer=request.getfixturevalue(who), decision=D.APPROVED
        )
    assert err.value.code == "forbidden"
    assert not CoiReview.objects.exists()
    assert states(assignment) == (CoiStatus.PENDING, ChildStatus.PENDING)


def test_a_removed_or_undisclosed_assignment_cannot_be_reviewed(assignment, speaker, office):
    with pytest.raises(ReviewError) as err:
        coi_review_record(assignment=assignment, reviewer=office, decision=D.APPROVED)
    assert err.value.code == "no_disclosure"
    submit(speaker)
    assignment_remove(assignment)
    with pytest.raises(ReviewError) as err:
        coi_review_record(assignment=assignment, reviewer=office, decision=D.APPROVED)
    assert err.value.code == "removed"


def test_an_expired_disclosure_cannot_be_reviewed(assignment, speaker, office):
    submit(speaker, ("Acme", Nature.CONSULTANT), now=assignment.child.start - timedelta(days=400))
    with pytest.raises(ReviewError) as err:
        coi_review_record(assignment=assignment, reviewer=office, decision=D.APPROVED)
    assert err.value.code == "expired"


def test_relevant_relationships_need_a_step_and_other_needs_a_note(assignment, speaker, office):
    submit(speaker, ("Acme", Nature.CONSULTANT))
    for steps, note, message in (
        ([], "", "at least one mitigation step"),
        ([MitigationStep.OTHER], " ", "Describe the 'other'"),
    ):
        with pytest.raises(ReviewError) as err:
            coi_review_record(
                assignment=assignment,
                reviewer=office,
                decision=D.MITIGATED,
                relevant=True,
                mitigation_steps=steps,
                note=note,
            )
        assert message in err.value.message
    assert not CoiReview.objects.exists()


def test_the_quick_approval_takes_only_pending_assignments(assignment, speaker, office):
    submit(speaker, ("Acme", Nature.CONSULTANT))
    with pytest.raises(ReviewError) as err:
        coi_approve_pending(assignment=assignment, reviewer=office)
    assert err.value.code == "needs_full_review"
    coi_review_record(
        assignment=assignment,
        reviewer=office,
        decision=D.MITIGATED,
        relevant=True,
        mitigation_steps=[MitigationStep.PEER_REVIEW],
    )
    review = coi_approve_pending(assignment=assignment, reviewer=office)
    assert review.decision == D.APPROVED and review.mitigation_steps == ["peer_review"]
    assert states(assignment) == (CoiStatus.APPROVED, ChildStatus.PENDING)


# --- one decision for the series ------------------------------------------------------------


def test_a_decision_applies_to_the_persons_upcoming_sessions_in_the_series(series, speaker, office):
    now = timezone.now()
    past = f.child(series, start=now - timedelta(days=2))
    soon = f.child(series, start=now + timedelta(days=7))
    later = f.child(series, start=now + timedelta(days=30))
    too_far = f.child(series, start=now + timedelta(days=400))
    elsewhere = f.child(f.parent(), start=now + timedelta(days=8))
    someone_else = f.assign(later, f.person())
    mine = {c.pk: f.assign(c, speaker) for c in (past, soon, later, too_far, elsewhere)}
    submit(speaker, ("Acme", Nature.CONSULTANT), now=now - timedelta(days=3))

    reviews = coi_review_apply_to_series(
        assignment=mine[soon.pk],
        reviewer=office,
        decision=D.MITIGATED,
        relevant=True,
        mitigation_steps=[MitigationStep.PEER_REVIEW],
    )
    assert [r.assignment.child_id for r in reviews] == [soon.pk, later.pk]
    assert states(mine[soon.pk]) == (CoiStatus.PENDING, ChildStatus.PENDING)
    assert states(mine[later.pk])[0] == CoiStatus.PENDING
    assert states(mine[past.pk])[0] == CoiStatus.NEEDS_REVIEW  # already held
    assert states(mine[too_far.pk])[0] == CoiStatus.INCOMPLETE  # the disclosure won't cover it
    assert states(mine[elsewhere.pk])[0] == CoiStatus.NEEDS_REVIEW  # another series
    assert not CoiReview.objects.filter(assignment=someone_else).exists()


def test_disclosures_are_kept_and_recorded_once_per_submission(speaker):
    submit(speaker, ("Acme", Nature.CONSULTANT))
    submit(speaker, ("Acme", Nature.CONSULTANT))  # a double click
    assert Disclosure.objects.count() == 1
    submit(speaker, ("Acme", Nature.CONSULTANT), now=timezone.now() + timedelta(minutes=5))
    assert Disclosure.objects.count() == 2


@pytest.mark.parametrize("who", ["coordinator", "owner"])
def test_only_reviewers_may_decide_on_sessions(request, assignment, speaker, who):
    from activities.models import ChildReview
    from activities.services.children import (
        ChildError,
        child_clear_name_flag,
        child_reject,
    )

    submit(speaker)
    user = request.getfixturevalue(who)
    for call in (
        lambda: child_approve(assignment.child, reviewer=user),
        lambda: child_reject(assignment.child, reviewer=user, reason="no"),
        lambda: child_clear_name_flag(assignment.child, reviewer=user, reason="no"),
    ):
        with pytest.raises(ChildError) as err:
            call()
        assert err.value.code == "forbidden"
    assert not ChildReview.objects.exists()
    assert states(assignment) == (CoiStatus.PENDING, ChildStatus.PENDING)
