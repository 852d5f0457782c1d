"""`claim_credit`, the one service behind SMS, web, QR and late claims."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection

from activities.rules import ChildStatus
from activities.services.children import child_approve, child_reject, child_set_active
from credit.models import Claim, ClaimChannel
from credit.rules import claim_state
from credit.services import ClaimError, claim_credit
from tests import factories as f
from tests.credit.helpers import approved_child, pending_child

pytestmark = pytest.mark.django_db

START = f.local(2026, 3, 12, 12, 0)
END = START + timedelta(minutes=60)


def claim(learner, child, at, **kw):
    with time_machine.travel(at, tick=False):
        return claim_credit(learner=learner, child_id=child.pk, channel=ClaimChannel.WEB, **kw)


@pytest.fixture
def child(series, office):
    with time_machine.travel(START - timedelta(days=20), tick=False):
        return approved_child(series, office, start=START)


@pytest.mark.parametrize(
    ("at", "code"),
    [
        (START - timedelta(minutes=30, seconds=1), "not_open"),
        (START - timedelta(minutes=30), None),
        (END + timedelta(minutes=10_000), None),
        (END + timedelta(minutes=10_000, seconds=1), "closed"),
    ],
    ids=["1s-before-30-min-before", "exactly-30-min-before", "exactly-10000-min-after", "1s-late"],
)
def test_it_keeps_the_window_edges(learner, child, at, code):
    if code is None:
        recorded = claim(learner, child, at)
        assert recorded.claimed_at == at
    else:
        with pytest.raises(ClaimError) as caught:
            claim(learner, child, at)
        assert caught.value.code == code
        assert not Claim.objects.exists()


def test_it_awards_at_once_on_an_approved_session(learner, child):
    recorded = claim(learner, child, START)
    assert recorded.awarded_at == START
    assert recorded.credit_hours == Decimal("1.00")
    assert claim_state(awarded_at=recorded.awarded_at, child_status=child.status) == "awarded"


def test_it_turns_pending_credit_into_credit_on_approval(learner, series, office):
    with time_machine.travel(START - timedelta(days=20), tick=False):
        child = pending_child(series, start=START)
    assert child.status == ChildStatus.PENDING
    recorded = claim(learner, child, START + timedelta(minutes=5))
    assert recorded.awarded_at is None
    assert claim_state(awarded_at=None, child_status=child.status) == "pending"
    approved_at = START + timedelta(days=1)
    child_approve(child, reviewer=office, now=approved_at)
    recorded.refresh_from_db()
    assert recorded.awarded_at == approved_at


def test_it_offers_no_credit_on_a_rejected_session(learner, series, office):
    with time_machine.travel(START - timedelta(days=20), tick=False):
        child = pending_child(series, start=START)
    recorded = claim(learner, child, START)
    child_reject(child, reviewer=office, reason="Promotional content", now=START)
    child.refresh_from_db()
    recorded.refresh_from_db()
    assert recorded.awarded_at is None
    assert claim_state(awarded_at=recorded.awarded_at, child_status=child.status) == "no_credit"


def test_it_never_gives_more_than_the_series_maximum(learner, series, office):
    series.credit_hours = Decimal("1.50")
    series.save()
    with time_machine.travel(START - timedelta(days=20), tick=False):
        long = approved_child(series, office, start=START, minutes=180)
        short = approved_child(series, office, start=START, minutes=45, name="Gout flares")
    assert claim(learner, long, START).credit_hours == Decimal("1.50")
    assert claim(learner, short, START).credit_hours == Decimal("0.75")


def test_it_refuses_deactivated_sessions_and_inactive_learners(learner, child):
    child_set_active(child, active=False)
    with pytest.raises(ClaimError) as caught:
        claim(learner, child, START)
    assert caught.value.code == "unknown_child"
    child_set_active(child, active=True)
    learner.is_active = False
    learner.save()
    with pytest.raises(ClaimError) as caught:
        claim(learner, child, START)
    assert caught.value.code == "inactive"


@pytest.mark.parametrize("bad", [0, -1, 2**31, 10**12, "abc", None])
def test_it_calls_nonsense_ids_unknown(learner, bad):
    with pytest.raises(ClaimError) as caught:
        claim_credit(learner=learner, child_id=bad, channel=ClaimChannel.WEB)
    assert caught.value.code == "unknown_child"


def test_it_says_already_claimed_with_the_first_claim(learner, child):
    first = claim(learner, child, START)
    with pytest.raises(ClaimError) as caught:
        claim(learner, child, START + timedelta(minutes=1))
    assert caught.value.code == "already_claimed"
    assert caught.value.claim.pk == first.pk
    assert Claim.objects.count() == 1


def test_it_grants_late_claims_outside_the_window(learner, child):
    late = START + timedelta(days=30)
    recorded = claim(learner, child, late, enforce_window=False)
    assert recorded.claimed_at == late


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_leaves_one_claim_when_20_threads_claim_at_once(series, office, learner):
    with time_machine.travel(START - timedelta(days=20), tick=False):
        child = approved_child(series, office, start=START)
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt():
        try:
            barrier.wait(timeout=10)
            claim_credit(learner=learner, child_id=child.pk, channel=ClaimChannel.SMS, now=START)
            result = "claimed"
        except ClaimError as exc:
            result = exc.code
        except Exception as exc:  # noqa: BLE001 - recorded and asserted below
            result = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["already_claimed"] * 19 + ["claimed"]
    assert Claim.objects.filter(learner=learner, child=child).count() == 1
