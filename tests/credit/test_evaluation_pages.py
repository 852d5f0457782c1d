"""The evaluation on the claim pages and the transcript, the one reminder email, the editor, and
the office's revocation in the admin (issue 17)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from credit.models import Claim, ClaimRevocation, EvaluationForm
from credit.services import claim_credit
from credit.services_evaluation import send_evaluation_reminders
from tests import factories as f
from tests.credit.evaluation_helpers import answer, evaluation
from tests.credit.helpers import approved_child

pytestmark = pytest.mark.django_db
START = f.local(2026, 3, 12, 12, 0)
NOW = START + timedelta(minutes=10)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def required(series, office, coordinator):
    evaluation(series, coordinator)
    return approved_child(series, office, start=START)


def test_the_claim_pages_show_the_evaluation_inline(client, learner, required):
    client.force_login(learner)
    response = client.post(reverse("claim", args=[required.pk]), {"src": "qr"})
    result = client.get(response["Location"]).content.decode()
    assert "Credit is awarded after your evaluation below" in result
    assert f'action="/claim/{required.pk}/evaluation/"' in result
    page = client.get(reverse("claim", args=[required.pk])).content.decode()
    assert "Evaluation of this session" in page and "Credit waiting for the evaluation" in page

    form = EvaluationForm.objects.get(parent=required.parent)
    q = list(form.questions.order_by("position"))
    done = client.post(
        reverse("claim_evaluation", args=[required.pk]),
        {f"q{q[0].pk}": "4", f"q{q[1].pk}": "5", f"q{q[2].pk}": "Use the new bundle"},
    )
    assert done["Location"] == reverse("claim_result", args=[required.pk])
    result = client.get(done["Location"]).content.decode()
    assert "Credit awarded" in result and "Download my certificate" in result
    assert "Send my evaluation" not in result


def test_the_evaluation_page_is_the_learners_own(client, learner, required):
    claim_credit(learner=learner, child_id=required.pk, channel="web")
    client.force_login(f.person(last_name="Other"))
    assert client.get(reverse("claim_evaluation", args=[required.pk])).status_code == 404


def test_the_transcript_shows_what_waits_and_one_reminder_is_sent(
    client, learner, required, django_capture_on_commit_callbacks
):
    claim = claim_credit(learner=learner, child_id=required.pk, channel="sms")
    client.force_login(learner)
    page = client.get(reverse("transcript")).content.decode()
    assert 'data-evaluations-due="1"' in page and "Answer the evaluation" in page

    assert send_evaluation_reminders(now=NOW) == 0  # not before the day after the session
    later = START + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_evaluation_reminders(now=later) == 1
    assert send_evaluation_reminders(now=later + timedelta(hours=1)) == 0  # exactly one
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [learner.email] and f"/e/{claim.evaluation_token}/" in email.body

    answer(claim, 5, 5)
    page = client.get(reverse("transcript")).content.decode()
    assert "data-evaluations-due" not in page and "Certificate (PDF)" in page


def test_no_reminder_for_the_evaluated_the_revoked_or_the_optional(
    series, office, coordinator, required
):
    from credit.revocation import claim_revoke

    done = claim_credit(learner=f.person(), child_id=required.pk, channel="web")
    answer(done, 3, 3)
    revoked = claim_credit(learner=f.person(), child_id=required.pk, channel="web")
    claim_revoke(claim_id=revoked.pk, by=office, reason="Not there")
    evaluation(series, coordinator, required=False)
    claim_credit(learner=f.person(), child_id=required.pk, channel="web")
    assert send_evaluation_reminders(now=START + timedelta(days=2)) == 0


def test_coordinators_and_the_office_define_the_form_owners_may_not(
    client, series, coordinator, owner, office
):
    url = reverse("evaluation_form_edit", args=[series.pk])
    client.force_login(owner)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "site-wide template" in page  # a series without a form starts from the template
    data = {f"kind_{i}": "rating" for i in range(1, 6)}
    data.update(text_1="Clear objectives?", text_2="Useful?", kind_3="text", text_3="Why?")
    data["required"] = "on"
    assert client.post(url, data).status_code == 302
    form = EvaluationForm.objects.get(parent=series)
    assert form.required and form.questions.count() == 3

    bad = {**data, "kind_1": "text"}  # two free-text questions
    response = client.post(url, bad)
    assert (
        response.status_code == 400
        and "At most one free-text question." in response.content.decode()
    )
    client.force_login(office)
    assert client.get(url).status_code == 200


def test_the_template_is_the_offices(client, coordinator, office):
    url = reverse("evaluation_template_edit")
    client.force_login(coordinator)
    assert client.get(url).status_code == 403
    client.force_login(office)
    assert "The session met its stated learning objectives." in client.get(url).content.decode()
    data = {f"kind_{i}": "rating" for i in range(1, 6)}
    data.update(text_1="Was it worth your time?")
    assert client.post(url, data).status_code == 302
    template = EvaluationForm.objects.get(parent__isnull=True)
    assert [q.text for q in template.questions.filter(retired_at__isnull=True)] == [
        "Was it worth your time?"
    ]


def test_the_office_revokes_and_reinstates_in_the_admin_with_a_reason(
    client, office, learner, series
):
    child = approved_child(series, office, start=START)
    claim = claim_credit(learner=learner, child_id=child.pk, channel="web")
    url = reverse("admin:credit_claim_revocation", args=[claim.pk])
    client.force_login(learner)
    assert client.get(url).status_code == 302  # to the admin's sign-in
    client.force_login(office)
    assert client.get(url).status_code == 200
    client.post(url, {"reason": ""})
    assert Claim.objects.get(pk=claim.pk).revoked_at is None
    client.post(url, {"reason": "Signed in for a colleague"})
    claim.refresh_from_db()
    assert claim.revoked_at is not None and claim.awarded_at is None
    audit = ClaimRevocation.objects.get(claim=claim)
    assert (audit.action, audit.by, audit.reason) == (
        "revoked",
        office,
        "Signed in for a colleague",
    )
    assert Claim.objects.awarded().count() == 0
    client.post(url, {"reason": "It was a mistake"})
    claim.refresh_from_db()
    assert claim.revoked_at is None and claim.awarded_at is not None
    assert ClaimRevocation.objects.filter(claim=claim).count() == 2
    page = client.get(reverse("admin:credit_claim_change", args=[claim.pk])).content.decode()
    assert "Revoke the credit" in page and "It was a mistake" in page
