"""The status engine stores what the rules derive, and recomputes when an input changes."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from activities.rules import ChildStatus
from activities.services.children import (
    ChildError,
    child_approve,
    child_clear_name_flag,
    child_create,
    child_move,
    child_reject,
    child_update,
)
from activities.services.coi_reviews import coi_review_record
from activities.services.faculty import assignment_add, assignment_remove
from activities.services.status import recompute_all, recompute_children
from credit.models import Claim
from disclosures.rules import CoiStatus, ReviewDecision
from disclosures.services import RelationshipInput, disclosure_submit
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_it_is_incomplete_without_faculty(series):
    child = f.child(series)
    assert child.status == ChildStatus.INCOMPLETE
    assert child.requirements_met_on is None


def test_it_follows_faculty_disclosure_review_and_approval(series, coordinator, office):
    child = f.child(series)
    speaker = f.person(last_name="Smith")
    assignment = assignment_add(child=child, person=speaker, by=coordinator)
    child.refresh_from_db()
    assignment.refresh_from_db()
    assert assignment.coi_status == CoiStatus.INCOMPLETE
    assert child.status == ChildStatus.INCOMPLETE

    disclosure_submit(
        person=speaker,
        relationships=[RelationshipInput("Acme", "consultant")],
        nothing_to_disclose=False,
        attested=True,
    )
    child.refresh_from_db()
    assignment.refresh_from_db()
    assert assignment.coi_status == CoiStatus.NEEDS_REVIEW
    assert child.status == ChildStatus.IN_REVIEW
    assert child.requirements_met_on == timezone.localdate()  # name, faculty, active disclosure

    coi_review_record(
        assignment=assignment,
        reviewer=office,
        decision=ReviewDecision.MITIGATED,
        relevant=True,
        mitigation_steps=["peer_review"],
    )
    child.refresh_from_db()
    assert child.status == ChildStatus.PENDING

    child = child_approve(child, reviewer=office)
    assignment.refresh_from_db()
    assert child.status == ChildStatus.APPROVED
    assert assignment.coi_status == CoiStatus.APPROVED

    # A newer disclosure after the decision: DISCLOSURE UPDATED, back to IN REVIEW at once.
    disclosure_submit(person=speaker, relationships=[], nothing_to_disclose=True, attested=True)
    child.refresh_from_db()
    assignment.refresh_from_db()
    assert assignment.coi_status == CoiStatus.DISCLOSURE_UPDATED
    assert child.status == ChildStatus.IN_REVIEW


def test_removing_the_only_faculty_makes_it_incomplete(series):
    child = f.child(series)
    speaker = f.person()
    f.disclosure(speaker)
    assignment = assignment_add(child=child, person=speaker)
    child.refresh_from_db()
    assert child.status == ChildStatus.PENDING
    assignment_remove(assignment)
    child.refresh_from_db()
    assert child.status == ChildStatus.INCOMPLETE
    assignment.refresh_from_db()
    assert assignment.removed_at is not None  # kept for audit


def test_a_rejected_relationship_rejects_the_child(series, office):
    child = f.child(series)
    owner = f.person()
    f.disclosure(owner, relationships=[("Acme", f.OWNER)])
    a = f.assign(child, owner)
    coi_review_record(
        assignment=a, reviewer=office, decision=ReviewDecision.REJECTED, note="Owner."
    )
    child.refresh_from_db()
    assert child.status == ChildStatus.REJECTED


def test_a_reviewer_rejection_rejects_the_child(series, office):
    child = f.child(series)
    with pytest.raises(ChildError) as err:
        child_reject(child, reviewer=office, reason="  ")
    assert err.value.code == "reason_required"
    child = child_reject(child, reviewer=office, reason="Duplicate session")
    assert child.status == ChildStatus.REJECTED


def test_approval_is_refused_while_the_name_needs_update(series, office):
    child = f.child(series, name="TBD")
    speaker = f.person()
    f.disclosure(speaker)
    f.assign(child, speaker)
    child.refresh_from_db()
    assert child.name_needs_update
    with pytest.raises(ChildError) as err:
        child_approve(child, reviewer=office)
    assert err.value.code == "name_needs_update"
    child.refresh_from_db()
    assert child.decision == ""

    # A reviewer may clear a wrong flag with a reason; renaming re-arms the check.
    child = child_clear_name_flag(child, reviewer=office, reason="TBD is the acronym of the topic")
    assert not child.name_needs_update
    assert child_approve(child, reviewer=office).status == ChildStatus.APPROVED


def test_approval_is_refused_while_incomplete(series, office):
    child = f.child(series)
    with pytest.raises(ChildError) as err:
        child_approve(child, reviewer=office)
    assert err.value.code == "not_ready"


def test_approval_turns_pending_claims_into_credit(series, office):
    child = f.child(series)
    speaker = f.person()
    f.disclosure(speaker)
    f.assign(child, speaker)
    claim = Claim.objects.create(learner=f.person(), child=child, channel="web", credit_hours=1)
    assert claim.awarded_at is None
    child_approve(child, reviewer=office)
    claim.refresh_from_db()
    assert claim.awarded_at is not None


def test_a_disclosure_expires_against_the_session_date(series):
    speaker = f.person()
    submitted = timezone.now() - timedelta(days=300)
    f.disclosure(speaker, at=submitted)
    near = f.child(series, start=timezone.now() + timedelta(days=30))
    far = f.child(series, start=submitted + timedelta(days=366))
    f.assign(near, speaker)
    f.assign(far, speaker)
    near.refresh_from_db()
    far.refresh_from_db()
    assert near.status == ChildStatus.PENDING
    assert far.status == ChildStatus.INCOMPLETE


def test_moving_a_session_recomputes_its_status(series):
    speaker = f.person()
    f.disclosure(speaker, at=timezone.now() - timedelta(days=200))
    child = f.child(series, start=timezone.now() + timedelta(days=10))
    f.assign(child, speaker)
    child.refresh_from_db()
    assert child.status == ChildStatus.PENDING
    later = child.start + timedelta(days=200)
    if later.year != series.year:
        series.year = later.year
        series.save()
    child = child_move(child, new_start=later)
    assert child.status == ChildStatus.INCOMPLETE  # the disclosure expires before the new date


def test_moving_outside_the_parent_year_is_refused_and_changes_nothing(series):
    child = f.child(series, start=f.local(series.year, 6, 4, 12))
    with pytest.raises(ChildError) as err:
        child_move(child, new_start=f.local(series.year + 1, 1, 2, 12))
    assert err.value.code == "outside_parent_year"
    child.refresh_from_db()
    assert child.start == f.local(series.year, 6, 4, 12)


def test_creating_outside_the_parent_year_is_refused(series):
    with pytest.raises(ChildError):
        child_create(parent=series, start=f.local(series.year - 1, 12, 31, 23))


def test_a_stale_edit_is_refused(series):
    child = f.child(series)
    child_update(child, name="Heart failure", expected_version=child.version)
    with pytest.raises(ChildError) as err:
        child_update(child, name="Something else", expected_version=child.version)
    assert err.value.code == "changed_by_someone_else"
    child.refresh_from_db()
    assert child.name == "Heart failure"


def test_planners_without_an_active_disclosure_are_named(coordinator):
    planner = f.person(last_name="Planner", first_name="Paula")
    series = f.parent(coordinators=[coordinator], planners=[planner])
    child = f.child(series)
    assert child.planners_without_disclosure == "Planner, Paula"
    disclosure_submit(person=planner, relationships=[], nothing_to_disclose=True, attested=True)
    child.refresh_from_db()
    assert child.planners_without_disclosure == ""


def test_the_daily_recompute_notices_an_expiry(series):
    speaker = f.person()
    with time_machine.travel(timezone.now() - timedelta(days=360)):
        f.disclosure(speaker, at=timezone.now())
    child = f.child(series, start=timezone.now() + timedelta(days=3))
    f.assign(child, speaker)
    child.refresh_from_db()
    assert child.status == ChildStatus.PENDING
    # Nothing changed but time: moving the session past the anniversary only via recompute.
    type(child).objects.filter(pk=child.pk).update(
        start=child.start + timedelta(days=10), end=child.end + timedelta(days=10)
    )
    assert recompute_all() >= 1
    child.refresh_from_db()
    assert child.status == ChildStatus.INCOMPLETE


def test_recompute_uses_a_bounded_number_of_queries(series, django_assert_max_num_queries):
    children = [f.child(series, recompute=False) for _ in range(30)]
    for c in children:
        who = f.person()
        f.disclosure(who)
        f.assign(c, who, recompute=False)
    with django_assert_max_num_queries(20):
        recompute_children([c.pk for c in children])
