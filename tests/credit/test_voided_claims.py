"""A claim voided by an undone attendance import is kept but counts nowhere (issue 18): not as
"already claimed" (the learner may claim again, by text too), not in the attendance count, the
status report, approvals or merges."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from activities.services.children import child_approve
from credit.models import Claim, ClaimChannel
from credit.selectors_counts import claim_counts
from credit.services import existing_claim
from credit.services_attendance_count import send_attendance_counts
from faculty.services_merge import person_merge
from rss_dashboard.models import OutboxEmail
from tests import factories as f
from tests.credit.helpers import PHONE, approved_child, pending_child, reply_of, sms

pytestmark = pytest.mark.django_db
START = f.local(2026, 3, 12, 12, 0)


def voided(learner, child, **extra):
    return Claim.objects.create(
        learner=learner,
        child=child,
        channel=ClaimChannel.ZOOM,
        credit_hours=Decimal("1.00"),
        voided_at=START,
        void_reason="Attendance import 1 undone",
        **extra,
    )


def test_a_voided_claim_does_not_stop_a_text_claim(client, series, office):
    """On PostgreSQL the text takes the one-statement insert (ON CONFLICT on the partial index)."""
    child = approved_child(series, office, start=START)
    learner = f.person(last_name="Learner", mobile_phone=PHONE)
    old = voided(learner, child)
    assert existing_claim(learner, child) is None
    with time_machine.travel(START + timedelta(minutes=10), tick=False):
        assert reply_of(sms(client, str(child.pk))).startswith("Credit claimed")
        assert reply_of(sms(client, str(child.pk))).startswith("You already claimed")
    assert Claim.objects.filter(learner=learner, child=child).count() == 2
    assert existing_claim(learner, child).pk != old.pk


def test_the_attendance_count_and_the_status_report_leave_voided_claims_out(series, coordinator):
    child = f.child(series, start=START, name="Sepsis bundles")
    voided(f.person(), child)
    Claim.objects.create(
        learner=f.person(), child=child, channel=ClaimChannel.WEB, credit_hours=Decimal("1.00")
    )
    counts = claim_counts()
    assert (counts["total"], counts["awarded"], counts["pending_approval"]) == (1, 0, 1)
    with time_machine.travel(child.end + timedelta(minutes=30), tick=False):
        assert send_attendance_counts() == 1
    (sent,) = OutboxEmail.objects.filter(kind="attendance_count")
    assert sent.subject.startswith("Attendance: 1 learner claimed credit")


def test_approval_awards_counted_claims_only(series, office):
    child = pending_child(series, start=START)
    gone = voided(f.person(), child)
    kept = Claim.objects.create(
        learner=f.person(), child=child, channel=ClaimChannel.WEB, credit_hours=Decimal("1.00")
    )
    child_approve(child, reviewer=office, now=START - timedelta(days=1))
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.awarded_at is None and kept.awarded_at is not None


def test_a_merge_moves_voided_claims_and_a_claim_the_kept_person_only_had_voided(series):
    child = f.child(series, start=START, name="Sepsis bundles")
    other = f.child(series, start=START + timedelta(days=7), name="Other")
    admin = f.administrator()
    keep, duplicate = f.person(email="keep@umich.edu"), f.person(email="dup@umich.edu")
    voided(keep, child)  # the kept person's claim here was undone...
    counted = Claim.objects.create(  # ...the duplicate's counts: it moves over
        learner=duplicate, child=child, channel=ClaimChannel.WEB, credit_hours=Decimal("1.00")
    )
    dup_voided = voided(duplicate, other)
    person_merge(keep=keep, duplicate=duplicate, by=admin)
    counted.refresh_from_db()
    dup_voided.refresh_from_db()
    assert counted.learner == keep and dup_voided.learner == keep
    assert Claim.objects.filter(learner=keep, child=child, voided_at__isnull=True).count() == 1
