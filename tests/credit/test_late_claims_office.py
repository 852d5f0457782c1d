"""Late claims for the office (issue 15, item 8): reviewers and administrators see every series'
requests in one admin queue and decide them with the coordinators' service and audit."""

import pytest
import time_machine
from django.contrib.admin import helpers
from django.contrib.messages import get_messages
from django.urls import reverse

from credit.models import Claim, ClaimChannel, LateClaimRequest, LateClaimState
from credit.services import ClaimError
from credit.services_late import late_claim_decide, late_claim_request
from rss_dashboard.models import OutboxEmail
from tests import factories as f
from tests.credit.helpers import approved_child

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:credit_lateclaimrequest_changelist")
START = f.local(2026, 3, 2, 12, 0)
NOW = f.local(2026, 3, 20, 9, 0)  # the window closed on Mar 9


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def child(series, office):
    return approved_child(series, office, start=START)


@pytest.fixture
def request_(learner, child):
    return late_claim_request(learner=learner, child_id=child.pk, reason="No signal in room 2.")


@pytest.fixture
def elsewhere(office):
    """A waiting request on a series the office has no role in either."""
    other = f.parent(name="Surgery Tumor Board", coordinators=[f.person(last_name="Cutter")])
    who = f.person(last_name="Second")
    return late_claim_request(
        learner=who,
        child_id=approved_child(other, office, start=START).pk,
        reason="Paged away.",
    )


def page(late):
    return reverse("admin:credit_lateclaimrequest_change", args=[late.pk])


def test_the_office_decides_with_the_same_audit(office, request_, learner, settings):
    late_claim_decide(request_id=request_.pk, by=office, grant=True, note="Badge scan confirms.")
    request_.refresh_from_db()
    assert request_.state == LateClaimState.GRANTED and request_.decided_by == office
    assert request_.decision_note == "Badge scan confirms." and request_.decided_at == NOW
    assert request_.history.first().history_change_reason.endswith("for the office")
    claim = Claim.objects.get(learner=learner)
    assert claim.channel == ClaimChannel.LATE
    email = OutboxEmail.objects.get(kind="late_claim_decided")
    assert email.to == [learner.email]
    assert f"{settings.OFFICE_NAME}, the accrediting office, granted" in email.text_body


def test_people_outside_the_series_and_the_office_cannot_decide(owner, outsider, request_):
    for who in (owner, outsider):
        with pytest.raises(ClaimError) as refused:
            late_claim_decide(request_id=request_.pk, by=who, grant=True)
        assert refused.value.code == "forbidden"
    request_.refresh_from_db()
    assert request_.state == LateClaimState.PENDING and not Claim.objects.exists()


def test_the_queue_shows_every_series_waiting_first(client, office, request_, elsewhere):
    done = late_claim_request(
        learner=f.person(), child_id=request_.child_id, reason="Forgot my phone."
    )
    late_claim_decide(request_id=done.pk, by=office, grant=False, note="Too late.")
    client.force_login(office)
    response = client.get(QUEUE)
    assert [r.pk for r in response.context["cl"].result_list] == [request_.pk, elsewhere.pk]
    body = response.content.decode()
    assert "No signal in room 2." in body and "Paged away." in body
    everything = client.get(QUEUE + "?state=all").context["cl"].result_list
    assert {r.pk for r in everything} == {request_.pk, elsewhere.pk, done.pk}


def test_grant_and_refuse_from_the_queue(client, office, request_, elsewhere):
    client.force_login(office)
    picked = {helpers.ACTION_CHECKBOX_NAME: [request_.pk], "index": "0"}
    client.post(QUEUE, {"action": "grant_selected", **picked})
    assert LateClaimRequest.objects.get(pk=request_.pk).state == LateClaimState.GRANTED
    other = {helpers.ACTION_CHECKBOX_NAME: [elsewhere.pk], "index": "0"}
    asked = client.post(QUEUE, {"action": "refuse_selected", **other})
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    assert LateClaimRequest.objects.get(pk=elsewhere.pk).state == LateClaimState.PENDING
    client.post(
        QUEUE, {"action": "refuse_selected", **other, "apply": "1", "reason": "Not attended."}
    )
    refused = LateClaimRequest.objects.get(pk=elsewhere.pk)
    assert refused.state == LateClaimState.REFUSED and refused.decision_note == "Not attended."


def test_the_request_page_decides(client, office, request_):
    client.force_login(office)
    body = client.get(page(request_)).content.decode()
    assert "No signal in room 2." in body and "Grant credit" in body
    response = client.post(page(request_), {"decision": "refuse", "note": ""})
    assert response.status_code == 200
    assert LateClaimRequest.objects.get(pk=request_.pk).state == LateClaimState.PENDING
    response = client.post(page(request_), {"decision": "grant", "note": ""})
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert LateClaimRequest.objects.get(pk=request_.pk).state == LateClaimState.GRANTED
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("granted; the learner is emailed" in m for m in shown)
    # Decided once: a second decision is refused with the reason, nothing changes.
    client.post(page(request_), {"decision": "refuse", "note": "Changed my mind"})
    assert LateClaimRequest.objects.get(pk=request_.pk).state == LateClaimState.GRANTED


def test_the_coordinators_see_what_the_office_decided(client, office, coordinator, request_):
    late_claim_decide(request_id=request_.pk, by=office, grant=True)
    client.force_login(coordinator)
    series_page = client.get(f"/parents/{request_.child.parent_id}/late-claims/")
    assert office.name in series_page.content.decode()


def test_only_the_office_reaches_the_queue(client, coordinator, request_):
    client.force_login(coordinator)
    response = client.post(page(request_), {"decision": "grant"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert LateClaimRequest.objects.get(pk=request_.pk).state == LateClaimState.PENDING


def test_the_queue_costs_the_same_queries_for_more_rows(
    client, office, child, django_assert_max_num_queries
):
    client.force_login(office)
    late_claim_request(learner=f.person(), child_id=child.pk, reason="a")
    with django_assert_max_num_queries(12) as few:
        client.get(QUEUE)
    for n in range(15):
        late_claim_request(learner=f.person(), child_id=child.pk, reason=f"r{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(QUEUE)
