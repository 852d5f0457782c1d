"""Coordinators are told at once when the office approves or rejects a session or rejects a
faculty member's COI, with the reason and what to do next, and again in the weekly digest."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from activities import monitoring
from activities.models import ParentRole, ParentRoleKind
from activities.services.children import child_approve, child_reject
from activities.services.coi_reviews import coi_review_record
from disclosures.rules import ReviewDecision
from tests import factories as f
from tests.personas import make_coordinator, make_owner, make_reviewer, make_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "coordinator": make_coordinator(),
        "second": f.person(email="cody@umich.edu", last_name="Second"),
        "owner": make_owner(),
        "office": make_reviewer(),
    }


@pytest.fixture
def series(people):
    series = make_series(people["coordinator"], people["owner"])
    ParentRole.objects.create(
        parent=series, person=people["second"], role=ParentRoleKind.COORDINATOR
    )
    return series


@pytest.fixture
def sending(django_capture_on_commit_callbacks):
    def call(fn, *args, **kwargs):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            fn(*args, **kwargs)
        return mail.outbox[before:]

    return call


def with_speaker(child, relationships=()):
    speaker = f.person(last_name="Maker", first_name="Max")
    f.disclosure(speaker, relationships=relationships)
    return f.assign(child, speaker)


def test_coordinators_hear_at_once_that_a_session_was_approved_and_to_make_the_flyer(
    people, series, sending
):
    child = f.child(series, name="Stroke care", start=timezone.now() + timedelta(days=12))
    with_speaker(child)
    (email,) = sending(child_approve, child, reviewer=people["office"])
    assert sorted(email.to) == ["cody@umich.edu", "cora@umich.edu"]  # not the owner
    assert email.subject.startswith(f"Approved: session {child.pk} Stroke care")
    assert "Approved by Reviewer, Rita" in email.body
    assert "make the flyer" in email.body and f"/children/{child.pk}/flyer/" in email.body


def test_a_rejection_says_why_and_what_to_do(people, series, sending):
    child = f.child(series, name="Lipid targets", start=timezone.now() + timedelta(days=12))
    (email,) = sending(
        child_reject, child, reviewer=people["office"], reason="This topic belongs to Surgery."
    )
    assert email.subject.startswith(f"Rejected: session {child.pk} Lipid targets")
    assert "Reason: This topic belongs to Surgery." in email.body
    assert "tell OCME&LL in a comment" in email.body


def test_a_rejected_coi_asks_to_replace_the_speaker(people, series, sending):
    child = f.child(series, name="Device trials", start=timezone.now() + timedelta(days=12))
    a = with_speaker(child, relationships=[("Acme Devices", f.OWNER)])
    (email,) = sending(
        coi_review_record,
        assignment=a,
        reviewer=people["office"],
        decision=ReviewDecision.REJECTED,
        note="Owner of the device maker; no exception applies.",
    )
    assert email.subject.startswith("Replace the speaker: Maker, Max on session")
    assert "Reason: Owner of the device maker; no exception applies." in email.body
    assert "remove Maker, Max in Manage Faculty and assign another speaker" in email.body
    assert f"/children/{child.pk}/faculty/" in email.body


def test_a_series_without_coordinators_tells_its_owners(people, sending):
    lonely = f.parent(name="Lonely Rounds", owners=[people["owner"]])
    child = f.child(lonely, name="Stroke care", start=timezone.now() + timedelta(days=12))
    with_speaker(child)
    (email,) = sending(child_approve, child, reviewer=people["office"])
    assert email.to == ["owen@umich.edu"]


def test_the_weekly_digest_repeats_the_weeks_decisions(people, series, sending):
    monday = f.local(2026, 3, 9, 6)
    with time_machine.travel(f.local(2026, 3, 4, 9), tick=False):
        rejected = f.child(series, name="Lipid targets", start=f.local(2026, 5, 4, 12))
        child_reject(rejected, reviewer=people["office"], reason="Belongs to Surgery.")
        approved = f.child(series, name="Stroke care", start=f.local(2026, 5, 5, 12))
        with_speaker(approved)
        child_approve(approved, reviewer=people["office"])
    with time_machine.travel(monday, tick=False):
        sent = sending(monitoring.send_weekly_digest)
    mine = next(m for m in sent if m.to == ["cora@umich.edu"])
    assert mine.subject == "This week: 2 decisions of OCME&LL"
    assert "Decided by OCME&LL in the past week:" in mine.body
    assert "Rejected by Reviewer, Rita on Mar 4. Reason: Belongs to Surgery." in mine.body
    assert "Approved by Reviewer, Rita on Mar 4." in mine.body and "make the flyer" in mine.body
    with time_machine.travel(monday + timedelta(days=7), tick=False):
        assert sending(monitoring.send_weekly_digest) == []  # older than a week: not repeated
