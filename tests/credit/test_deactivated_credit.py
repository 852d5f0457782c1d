"""Issue 14 item 5: deactivating a session that learners claimed says how many did and what
happens to their credit; awarded credit stays on their transcripts; only the office revokes it,
explicitly, audited, each learner told why."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from activities.services.children import child_approve, child_set_active
from credit.models import Claim, ClaimChannel
from credit.revocation import RevokeError, claims_revoke
from credit.selectors_reports import pars_activity
from credit.selectors_transcripts import transcript
from tests import factories as f
from tests.personas import make_admin, make_coordinator, make_reviewer

pytestmark = pytest.mark.django_db
HTMX_WINDOW = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "window-content"}


@pytest.fixture
def held():
    """A session held last week, approved, claimed by three learners; one more claimed a
    session that was never approved."""
    coordinator = make_coordinator()
    office = make_reviewer()
    series = f.parent(name="Medicine Grand Rounds", coordinators=[coordinator])
    child = f.child(series, name="Sepsis bundles", start=timezone.now() - timedelta(days=7))
    speaker = f.person(last_name="Speaker")
    f.disclosure(speaker, at=timezone.now() - timedelta(days=30))
    f.assign(child, speaker)
    child_approve(child, reviewer=office)
    learners = [f.person(email=f"l{i}@umich.edu", last_name=f"Learner{i}") for i in range(3)]
    for learner in learners:
        Claim.objects.create(
            learner=learner,
            child=child,
            channel=ClaimChannel.SMS,
            credit_hours=Decimal("1.00"),
            awarded_at=timezone.now() - timedelta(days=6),
        )
    return {"child": child, "coordinator": coordinator, "office": office, "learners": learners}


def test_the_confirmation_says_how_many_claimed_and_what_happens(client, held):
    child = held["child"]
    client.force_login(held["coordinator"])
    confirm = client.get(reverse("child_deactivate", args=[child.pk]))
    body = confirm.content.decode()
    assert "3 learners claimed it." in body
    assert "The credit awarded to 3 of them stays on their transcripts" in body
    assert "only the office can revoke it" in body
    child.refresh_from_db()
    assert child.is_active  # a GET changes nothing
    done = client.post(reverse("child_deactivate", args=[child.pk]), **HTMX_WINDOW)
    assert "closeModal" in done["HX-Trigger"] and "stays on their transcripts" in done["HX-Trigger"]
    assert f'id="child-row-{child.pk}"' in done.content.decode()
    child.refresh_from_db()
    assert not child.is_active


def test_awarded_credit_stays_on_the_transcript_of_a_deactivated_session(client, held):
    child, learner = held["child"], held["learners"][0]
    child_set_active(child, active=False)
    (year,) = transcript(learner)
    (row,) = year.rows
    assert row.state == "awarded" and year.awarded == Decimal("1.00")
    assert "deactivated afterwards; your credit stands" in row.note
    client.force_login(learner)
    page = client.get(reverse("transcript")).content.decode()
    assert "Sepsis bundles" in page and "Credit awarded" in page


def test_a_claim_waiting_for_approval_on_a_deactivated_session_reads_no_credit(held):
    series = held["child"].parent
    never = f.child(series, name="Cancelled talk", start=timezone.now() - timedelta(days=3))
    learner = held["learners"][0]
    Claim.objects.create(
        learner=learner, child=never, channel=ClaimChannel.WEB, credit_hours=Decimal("1.00")
    )
    child_set_active(never, active=False)
    (year,) = transcript(learner)
    states = {r.child.pk: r.state for r in year.rows}
    assert states[never.pk] == "cancelled" and year.pending == Decimal("0.00")


def test_only_the_office_revokes_with_a_reason_and_each_learner_is_told(
    held, django_capture_on_commit_callbacks
):
    child, office = held["child"], held["office"]
    claims = Claim.objects.filter(child=child)
    with pytest.raises(RevokeError):
        claims_revoke(claims=claims, by=held["coordinator"], reason="No.")
    with pytest.raises(RevokeError):
        claims_revoke(claims=claims, by=office, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        assert claims_revoke(claims=claims, by=office, reason="Held without a speaker.") == 3
    assert sorted(m.to[0] for m in mail.outbox[-3:]) == [
        "l0@umich.edu",
        "l1@umich.edu",
        "l2@umich.edu",
    ]
    assert "Reason: Held without a speaker." in mail.outbox[-1].body
    claim = claims.first()
    assert claim.revoked_by == office and claim.revoked_reason == "Held without a speaker."
    (year,) = transcript(held["learners"][0])
    assert year.rows[0].state == "revoked" and year.awarded == Decimal("0.00")
    assert pars_activity(child.parent).physicians + pars_activity(child.parent).other_learners == 0
    assert claims_revoke(claims=claims, by=office, reason="Again") == 0  # already revoked


def test_the_admin_action_asks_for_a_reason_then_revokes(client, held):
    admin_user = make_admin()
    client.force_login(admin_user)
    ids = list(Claim.objects.values_list("pk", flat=True))
    url = reverse("admin:credit_claim_changelist")
    ask = client.post(url, {"action": "revoke_credit", helpers.ACTION_CHECKBOX_NAME: ids})
    assert b"Learners read this." in ask.content
    assert not Claim.objects.filter(revoked_at__isnull=False).exists()
    client.post(
        url,
        {
            "action": "revoke_credit",
            helpers.ACTION_CHECKBOX_NAME: ids,
            "apply": "1",
            "reason": "Duplicate session.",
        },
    )
    assert Claim.objects.filter(revoked_at__isnull=False).count() == 3
