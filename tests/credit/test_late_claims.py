"""Late claims: learners ask with a reason, the series' coordinators grant or refuse, audited."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from credit.models import Claim, LateClaimRequest
from credit.services import ClaimError
from credit.services_late import late_claim_decide, late_claim_request
from tests import factories as f
from tests.credit.helpers import approved_child

pytestmark = pytest.mark.django_db

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


def url(series):
    return f"/parents/{series.pk}/late-claims/"


def test_it_lists_waiting_requests_for_coordinators(client, coordinator, series, request_):
    client.force_login(coordinator)
    page = client.get(url(series)).content.decode()
    assert "No signal in room 2." in page
    assert "Grant credit" in page


def test_a_coordinator_grants_and_the_learner_is_emailed(
    client, coordinator, series, request_, learner, child, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(series), {"request_id": request_.pk, "decision": "grant", "note": "Welcome"}
        )
    assert response.status_code == 302
    request_.refresh_from_db()
    assert (request_.state, request_.decided_by, request_.decided_at) == (
        "granted",
        coordinator,
        NOW,
    )
    claim = Claim.objects.get()
    assert (claim.learner, claim.child, claim.channel, claim.claimed_at) == (
        learner,
        child,
        "late",
        NOW,
    )
    assert claim.awarded_at == NOW
    assert [m.to for m in mail.outbox] == [[learner.email]]
    assert "granted" in mail.outbox[0].subject
    assert "Welcome" in mail.outbox[0].body
    assert "https://rss.example.org/transcript/" in mail.outbox[0].body
    history = list(request_.history.order_by("history_date").values_list("state", "history_user"))
    assert history == [("pending", None), ("granted", coordinator.pk)]


def test_a_coordinator_refuses_and_no_claim_is_made(
    client, coordinator, series, request_, learner, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(series), {"request_id": request_.pk, "decision": "refuse"})
    request_.refresh_from_db()
    assert request_.state == "refused"
    assert not Claim.objects.exists()
    assert "did not grant" in mail.outbox[0].body
    with pytest.raises(ClaimError) as caught:
        late_claim_request(learner=learner, child_id=request_.child_id, reason="Please?")
    assert caught.value.code == "late_refused"


def test_a_request_is_decided_once(coordinator, request_):
    late_claim_decide(request_id=request_.pk, by=coordinator, grant=True)
    with pytest.raises(ClaimError) as caught:
        late_claim_decide(request_id=request_.pk, by=coordinator, grant=False)
    assert caught.value.code == "already_decided"
    assert Claim.objects.count() == 1


def test_one_waiting_request_per_learner_and_session(learner, child, request_):
    with pytest.raises(ClaimError) as caught:
        late_claim_request(learner=learner, child_id=child.pk, reason="Again")
    assert caught.value.code == "late_pending"
    assert LateClaimRequest.objects.count() == 1


def test_it_needs_a_reason(learner, child):
    with pytest.raises(ClaimError) as caught:
        late_claim_request(learner=learner, child_id=child.pk, reason="   ")
    assert caught.value.code == "reason_required"


def test_an_owner_sees_but_may_not_decide(client, owner, series, request_):
    client.force_login(owner)
    page = client.get(url(series)).content.decode()
    assert "No signal in room 2." in page
    assert "Grant credit" not in page
    response = client.post(url(series), {"request_id": request_.pk, "decision": "grant"})
    assert response.status_code == 403
    request_.refresh_from_db()
    assert request_.state == "pending"


@pytest.mark.parametrize("who", ["outsider", "office", "learner", "anonymous"])
def test_others_get_404(client, request, who, series, request_):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(url(series)).status_code == 404
    assert (
        client.post(url(series), {"request_id": request_.pk, "decision": "grant"}).status_code
        == 404
    )
    assert not Claim.objects.exists()


def test_a_coordinator_of_another_series_cannot_decide_here(client, series, request_):
    other_coordinator = f.person(last_name="Elsewhere")
    other = f.parent(year=2026, coordinators=[other_coordinator])
    client.force_login(other_coordinator)
    assert (
        client.post(url(other), {"request_id": request_.pk, "decision": "grant"}).status_code == 302
    )
    request_.refresh_from_db()
    assert request_.state == "pending"


def test_an_administrator_may_decide(client, series, request_):
    client.force_login(f.administrator())
    client.post(url(series), {"request_id": request_.pk, "decision": "grant"})
    request_.refresh_from_db()
    assert request_.state == "granted"


def test_it_allows_only_get_and_post(client, coordinator, series):
    client.force_login(coordinator)
    assert client.put(url(series)).status_code == 405


def test_granting_after_the_learner_claimed_keeps_one_claim(coordinator, learner, child, request_):
    from credit.models import ClaimChannel
    from credit.services import claim_credit

    claim_credit(
        learner=learner,
        child_id=child.pk,
        channel=ClaimChannel.WEB,
        now=START + timedelta(hours=1),
    )
    decided = late_claim_decide(request_id=request_.pk, by=coordinator, grant=True)
    assert decided.state == "granted"
    assert Claim.objects.get().channel == "web"


def test_granting_on_a_deactivated_session_is_refused(coordinator, child, request_):
    from activities.services.children import child_set_active

    child_set_active(child, active=False)
    with pytest.raises(ClaimError) as caught:
        late_claim_decide(request_id=request_.pk, by=coordinator, grant=True)
    assert caught.value.code == "session_deactivated"
    request_.refresh_from_db()
    assert request_.state == "pending"
    assert not Claim.objects.exists()
