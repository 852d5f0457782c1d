"""The credit gate (issue 17): a claim becomes credit when its session is approved and, if its
series requires an evaluation, the learner's evaluation is in. One rule, used everywhere."""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from activities.services.children import child_approve
from credit.models import Claim, ClaimChannel
from credit.rules import claim_state
from credit.rules_evaluation import award_now
from credit.selectors_reports import pars_activity
from credit.selectors_transcripts import transcript
from credit.services import claim_credit
from credit.services_evaluation import EvaluationError
from tests import factories as f
from tests.credit.evaluation_helpers import answer, evaluation
from tests.credit.helpers import approved_child, pending_child

START = f.local(2026, 3, 12, 12, 0)
NOW = START + timedelta(minutes=10)


# --- the rule, without the database ---------------------------------------------------------


@pytest.mark.parametrize(
    ("approved", "required", "evaluated", "award"),
    [
        (False, False, False, False),
        (False, True, False, False),
        (False, True, True, False),
        (True, False, False, True),
        (True, True, False, False),
        (True, True, True, True),
        (True, False, True, True),
    ],
)
def test_the_gate_is_approval_and_if_required_the_evaluation(approved, required, evaluated, award):
    assert award_now(approved=approved, evaluation_required=required, evaluated=evaluated) is award


def test_the_state_of_a_claim_names_what_it_waits_for():
    at = NOW
    state = claim_state
    assert state(awarded_at=at, child_status="approved") == "awarded"
    assert state(awarded_at=None, child_status="pending") == "pending"
    assert state(awarded_at=None, child_status="approved", evaluation_required=True) == "evaluation"
    assert state(awarded_at=None, child_status="pending", evaluation_required=True) == "pending"
    assert state(awarded_at=at, child_status="rejected") == "no_credit"
    assert state(awarded_at=None, child_status="approved", revoked=True) == "revoked"


# --- the gate in the services ----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.django_db
def test_no_evaluation_no_credit_then_evaluation_and_credit(series, office, coordinator, learner):
    child = approved_child(series, office, start=START)
    evaluation(series, coordinator)
    claim = claim_credit(learner=learner, child_id=child.pk, channel=ClaimChannel.WEB)
    assert claim.evaluation_required and claim.evaluation_token
    assert claim.awarded_at is None
    assert (
        claim_state(awarded_at=None, child_status="approved", evaluation_required=True)
        == "evaluation"
    )
    # Nothing counts it as credit: the PARS report, the transcript, the certificate.
    assert pars_activity(series).physicians == 0 and pars_activity(series).pending == 1
    year = transcript(learner)[0]
    assert year.awarded == Decimal("0.00") and year.waiting_for_evaluation == Decimal("1.00")
    assert not Claim.objects.awarded().exists()

    later = NOW + timedelta(days=2)
    answer(claim, 5, 4, text="Start bundles earlier", now=later)
    claim.refresh_from_db()
    assert claim.awarded_at == later and claim.evaluated_at == later
    assert pars_activity(series).physicians == 1 and pars_activity(series).pending == 0
    assert transcript(learner)[0].awarded == Decimal("1.00")


@pytest.mark.django_db
def test_a_claim_before_approval_waits_for_both_in_either_order(
    series, office, coordinator, learner
):
    evaluation(series, coordinator)
    first = pending_child(series, start=START)
    second = pending_child(series, start=START + timedelta(hours=2), name="Stroke code review")
    other = f.person(last_name="Other")
    a = claim_credit(learner=learner, child_id=first.pk, channel="web")
    with time_machine.travel(START + timedelta(hours=2, minutes=5), tick=False):
        b = claim_credit(learner=other, child_id=second.pk, channel="web")

    # Evaluation first, then approval.
    answer(a, 4, 4)
    a.refresh_from_db()
    assert a.awarded_at is None  # still pending approval: nothing is lost
    child_approve(first, reviewer=office)
    a.refresh_from_db()
    assert a.awarded_at is not None

    # Approval first, then the evaluation.
    child_approve(second, reviewer=office)
    b.refresh_from_db()
    assert b.awarded_at is None
    answer(b, 3, 2)
    b.refresh_from_db()
    assert b.awarded_at is not None


@pytest.mark.django_db
def test_approval_awards_only_the_claims_the_gate_lets_through(series, office, coordinator):
    """The SQL of child_approve agrees with award_now for every combination."""
    child = pending_child(series, start=START)
    cases = {}
    for required, evaluated in itertools.product((False, True), repeat=2):
        claim = Claim.objects.create(
            learner=f.person(),
            child=child,
            channel="web",
            credit_hours=1,
            evaluation_required=required,
            evaluated_at=NOW if evaluated else None,
        )
        cases[claim.pk] = award_now(
            approved=True, evaluation_required=required, evaluated=evaluated
        )
    revoked = Claim.objects.create(
        learner=f.person(), child=child, channel="web", credit_hours=1, revoked_at=NOW
    )
    child_approve(child, reviewer=office)
    for pk, expected in cases.items():
        assert (Claim.objects.get(pk=pk).awarded_at is not None) is expected
    assert Claim.objects.get(pk=revoked.pk).awarded_at is None


@pytest.mark.django_db
def test_a_requirement_switched_on_later_takes_nothing_back(series, office, coordinator, learner):
    child = approved_child(series, office, start=START)
    before = claim_credit(learner=learner, child_id=child.pk, channel="web")
    assert before.awarded_at is not None
    evaluation(series, coordinator)
    before.refresh_from_db()
    assert before.awarded_at is not None and not before.evaluation_required


@pytest.mark.django_db
def test_lifting_the_requirement_awards_the_claims_that_waited_only_for_it(
    series, office, coordinator, learner
):
    child = approved_child(series, office, start=START)
    evaluation(series, coordinator)
    claim = claim_credit(learner=learner, child_id=child.pk, channel="web")
    assert claim.awarded_at is None
    evaluation(series, coordinator, required=False)
    claim.refresh_from_db()
    assert claim.awarded_at is not None and not claim.evaluation_required


@pytest.mark.django_db
def test_one_evaluation_per_claim_and_none_on_a_revoked_claim(series, office, coordinator, learner):
    from credit.revocation import claim_revoke

    child = approved_child(series, office, start=START)
    evaluation(series, coordinator)
    claim = claim_credit(learner=learner, child_id=child.pk, channel="web")
    answer(claim, 5, 5)
    stale = Claim.objects.get(pk=claim.pk)
    stale.evaluated_at = None  # a second tab that read the claim before the first answer
    with pytest.raises(EvaluationError) as exc:
        answer(stale, 1, 1)
    assert exc.value.code == "already_evaluated"
    from credit.models import EvaluationResponse

    assert EvaluationResponse.objects.count() == 1

    other = f.person(last_name="Other")
    second = claim_credit(learner=other, child_id=child.pk, channel="web")
    claim_revoke(claim_id=second.pk, by=office, reason="Was not there")
    second.refresh_from_db()
    with pytest.raises(EvaluationError) as exc:
        answer(second, 3, 3)
    assert exc.value.code == "revoked"


@pytest.mark.django_db
def test_every_rating_must_be_answered(series, office, coordinator, learner):
    child = approved_child(series, office, start=START)
    evaluation(series, coordinator)
    claim = claim_credit(learner=learner, child_id=child.pk, channel="web")
    from credit.services_evaluation import evaluation_submit

    with pytest.raises(EvaluationError) as exc:
        evaluation_submit(claim=claim, answers={})
    assert exc.value.code == "invalid_answers" and len(exc.value.errors) == 2
    claim.refresh_from_db()
    assert claim.evaluated_at is None and claim.awarded_at is None


@pytest.mark.django_db
def test_reports_count_only_what_the_gate_let_through(client, series, office, coordinator, learner):
    import csv
    import io

    child = approved_child(series, office, start=START)
    evaluation(series, coordinator)
    waiting = claim_credit(learner=learner, child_id=child.pk, channel="web")
    done = claim_credit(learner=f.person(last_name="Done"), child_id=child.pk, channel="web")
    answer(done, 4, 4)
    client.force_login(coordinator)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("parent_summary_csv", args=[series.pk])).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    header, row = rows[0], rows[1]
    figures = dict(zip(header, row, strict=True))
    assert figures["Credit awarded"] == "1"
    assert figures["Credit waiting for the evaluation"] == "1"
    assert figures["Credit pending approval"] == "0"
    attendance = client.get(reverse("child_attendance_csv", args=[child.pk])).content.decode()
    assert "Credit waiting for the evaluation" in attendance and "Credit awarded" in attendance
    assert waiting.pk
